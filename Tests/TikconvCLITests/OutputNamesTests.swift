@testable import TikconvCLI
import XCTest

/// Output names within one run: unique, never an input, decided before any work.
final class OutputNamesTests: XCTestCase {
    typealias Job = OutputNames.Job

    func testSameStemKeepsTheSecondSourceExtension() throws {
        let a = try OutputNames(output: "/out/").assign([Job(input: "/in/clip.mp4", mp4: false), Job(input: "/in/clip.mov", mp4: false)],
                                                        inputs: ["/in/clip.mp4", "/in/clip.mov"])
        XCTAssertEqual(a.map(\.path), ["/out/clip.tiktok.mp4", "/out/clip.mov.tiktok.mp4"])
        XCTAssertNil(a[0].note)
        XCTAssertEqual(a[1].note, "clip.mov → clip.mov.tiktok.mp4: clip.tiktok.mp4 is another output of this run (from clip.mp4)")
    }

    func testSameNameFromTwoFoldersThenANumber() throws {
        let jobs = ["/a/clip.mp4", "/b/clip.mp4", "/c/clip.mp4"].map { Job(input: $0, mp4: false) }
        let a = try OutputNames(output: "/out/").assign(jobs, inputs: jobs.map(\.input))
        XCTAssertEqual(a.map(\.path), ["/out/clip.tiktok.mp4", "/out/clip.mp4.tiktok.mp4", "/out/clip-2.tiktok.mp4"])
    }

    func testBesideTheInputNoCollisionAcrossFolders() throws {
        let jobs = ["/a/clip.mp4", "/b/clip.mp4"].map { Job(input: $0, mp4: false) }
        let a = try OutputNames(output: nil).assign(jobs, inputs: jobs.map(\.input))
        XCTAssertEqual(a.map(\.path), ["/a/clip.tiktok.mp4", "/b/clip.tiktok.mp4"])
        XCTAssertTrue(a.allSatisfy { $0.note == nil })
    }

    /// `a.mov --to mp4` would write a.mp4, which is another input of the same run.
    func testAnOutputNeverReplacesAnInputOfTheRun() throws {
        let jobs = [Job(input: "/in/a.mov", mp4: true), Job(input: "/in/a.mp4", mp4: true)]
        let a = try OutputNames(output: nil).assign(jobs, inputs: jobs.map(\.input))
        XCTAssertEqual(a.map(\.path), ["/in/a.mov.mp4", "/in/a.converted.mp4"])
        XCTAssertEqual(a[0].note, "a.mov → a.mov.mp4: a.mp4 is an input of this run")
    }

    func testOneOutputFileForSeveralOutputsIsAUsageError() {
        XCTAssertThrowsError(try OutputNames(output: "/tmp/x.mp4").assign([Job(input: "/a.mp4", mp4: false), Job(input: "/b.mp4", mp4: false)],
                                                                          inputs: ["/a.mp4", "/b.mp4"]))
        XCTAssertEqual(try OutputNames(output: "/tmp/x.mp4").assign([Job(input: "/a.mp4", mp4: false)], inputs: ["/a.mp4"]).map(\.path),
                       ["/tmp/x.mp4"])
    }

    func testDotDotAndSlashesAreTheSameFile() throws {
        let jobs = [Job(input: "/in/x/../clip.mp4", mp4: false), Job(input: "/in//clip.mov", mp4: false)]
        let a = try OutputNames(output: nil).assign(jobs, inputs: jobs.map(\.input))
        XCTAssertEqual(a.map { ($0.path as NSString).lastPathComponent }, ["clip.tiktok.mp4", "clip.mov.tiktok.mp4"])
    }
}
