import Foundation
import NemoStandIn
import XCTest

/// When the cloud route is chosen and the cloud cannot be reached (a closed port on
/// 127.0.0.1), the one-line error names `--local` where the offline route could make something:
/// the slideshow for photos; for videos only when the local plan can do the whole request.
final class CloudUnreachableEndToEndTests: EndToEndTestCase {
    /// tikconv with the cloud at a closed port and no token; returns the result and the error line.
    func unreachable(_ args: [String]) throws -> (Result, String) {
        let env = ["NEMO_API_BASE": "http://127.0.0.1:\(try closedPort())", "XDG_CONFIG_HOME": dir + "/config", "NEMO_TOKEN": ""]
        let r = try tikconv(args + ["-o", outDir + "/", "--progress", "none"], environment: env)
        let line = r.stderrLines.first { $0.contains("cloud unreachable") } ?? ""
        XCTAssertEqual(r.status, 7, "the documented exit code for a cloud failure: \(r.stderr)")
        XCTAssertTrue(line.hasPrefix("tikconv: cloud unreachable: could not connect to http://127.0.0.1:"), r.stderr)
        XCTAssertEqual(entries(outDir), [], "nothing is written")
        return (r, line)
    }

    func testPhotosWithCloudNameTheOfflineSlideshow() throws {
        let a = try copy(Self.testMedia("photo.jpg"), as: "a.jpg"), b = try copy(Self.testMedia("photo.png"), as: "b.png")
        let before = [a, b].map(hash)
        let (_, line) = try unreachable([a, b, "--cloud"])
        XCTAssertTrue(line.hasSuffix("; for an offline slideshow run again with --local"), line)
        XCTAssertEqual([a, b].map(hash), before, "inputs untouched")
        // And that advice works: the same photos with --local make the slideshow without the cloud.
        let r = try tikconv([a, b, "--local", "--photo-duration", "0.5", "-o", outDir + "/show.mp4", "--preset", "ultrafast",
                             "--progress", "none"], timeout: 120,
                            environment: ["NEMO_API_BASE": "http://127.0.0.1:\(try closedPort())", "NEMO_TOKEN": ""])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(outDir), ["show.mp4"])
    }

    /// A request only the cloud can do: the slideshow is offered without it (-p dropped).
    func testPhotosWithAGenerativePromptNameLocalWithoutThePrompt() throws {
        let a = try copy(Self.testMedia("photo.jpg"), as: "a.jpg")
        let (_, line) = try unreachable([a, "-p", "make it fun with AI music"])
        XCTAssertTrue(line.contains("; for an offline slideshow run again with --local and without -p (only the cloud does background music"), line)
    }

    /// A video the local plan could convert names --local; one whose request needs the cloud does not.
    func testVideosNameLocalOnlyWhenTheLocalPlanCanDoIt() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let (_, plain) = try unreachable([clip, "--cloud"])
        XCTAssertTrue(plain.hasSuffix("; to convert offline run again with --local"), plain)
        let (_, generative) = try unreachable([clip, "-p", "add an AI voice-over"])
        XCTAssertFalse(generative.contains("--local"), generative)
    }
}
