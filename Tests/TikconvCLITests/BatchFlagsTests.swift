@testable import LocalEngine
import XCTest
@testable import TikconvCLI

/// --shard's split, --jobs auto, and the progress lines of several files at once.
final class BatchFlagsTests: XCTestCase {
    /// For every N and batch size, each unit lands in exactly one of the N shards, and the
    /// shards' sizes differ by at most one.
    func testEveryUnitIsInExactlyOneShard() throws {
        for n in 1...5 {
            for size in 0...11 {
                let keys = (0..<size).map { "in/clip\(($0 * 7) % 11).mov" }
                let owned = (1...n).map { Shard(index: $0, count: n).owns(keys) }
                for i in 0..<size { XCTAssertEqual(owned.filter { $0[i] }.count, 1, "n=\(n) size=\(size) unit \(i)") }
                let sizes = owned.map { $0.filter { $0 }.count }
                XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1, "n=\(n) size=\(size): \(sizes)")
            }
        }
    }

    /// The split depends on the paths, not the order they were given in (shells' globs differ).
    func testTheSplitIgnoresTheOrderOfTheInputs() {
        let keys = ["b.mov", "a.mov", "é.mov", "C.mov", "a.mp4", "b.mp4", "z/y.mov"]
        let shard = Shard(index: 2, count: 3)
        let mine = Set(zip(keys, shard.owns(keys)).filter(\.1).map(\.0))
        for order in [keys.reversed(), keys.sorted(), keys.shuffled()] {
            XCTAssertEqual(Set(zip(order, shard.owns(order)).filter(\.1).map(\.0)), mine)
        }
        // Byte order: "C" (0x43) before "a" (0x61), "é" (0xC3…) last: C.mov, a.mov, a.mp4, b.mov, b.mp4, z/y.mov,
        // é.mov; 2/3 takes the 2nd and the 5th.
        XCTAssertEqual(mine, ["a.mov", "b.mp4"])
    }

    /// The same path given twice is two units, one each way.
    func testARepeatedPathIsTwoUnits() {
        let owned = [1, 2].map { Shard(index: $0, count: 2).owns(["a.mov", "a.mov"]) }
        XCTAssertEqual(owned, [[true, false], [false, true]])
    }

    func testShardParsing() throws {
        XCTAssertEqual(try Shard("3/16"), Shard(index: 3, count: 16))
        XCTAssertEqual(try Shard("1/1"), Shard(index: 1, count: 1))
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2/3", ""] {
            XCTAssertThrowsError(try Shard(bad), bad)
        }
    }

    func testJobsValues() throws {
        XCTAssertEqual(try BatchFlags.jobs("auto"), .init(count: nil))
        XCTAssertEqual(try BatchFlags.jobs("3"), .init(count: 3))
        for bad in ["0", "-1", "65", "two"] { XCTAssertThrowsError(try BatchFlags.jobs(bad), bad) }
    }

    /// --jobs auto: half the cores with x264's own threads, cores ÷ T with --threads T; never
    /// more than the files, never less than 1.
    func testAutoJobs() {
        XCTAssertEqual(JobCount.auto(cores: 2, threads: 0, files: 10), 1)
        XCTAssertEqual(JobCount.auto(cores: 8, threads: 0, files: 10), 4)
        XCTAssertEqual(JobCount.auto(cores: 64, threads: 0, files: 100), 8)
        XCTAssertEqual(JobCount.auto(cores: 8, threads: 0, files: 3), 3)
        XCTAssertEqual(JobCount.auto(cores: 16, threads: 4, files: 10), 4)
        XCTAssertEqual(JobCount.auto(cores: 2, threads: 4, files: 10), 1)
        XCTAssertEqual(JobCount.auto(cores: 1, threads: 0, files: 0), 1)
    }

    /// Two files at once: a line each and the total, all redrawn together (cursor up and
    /// erase for each line drawn before); a message clears them and stands on its own line.
    func testSeveralFilesDrawALineEachAndATotal() {
        var written: [String] = []
        let r = ProgressRenderer(style: .bar, measure: { 100 }, write: { written.append($0) })
        r.beginBatch(files: 3, work: 3)
        let a = r.track(label: "a.mp4"), b = r.track(label: "b.mp4")
        a.callback?(ConversionProgress(seconds: 0.5, totalSeconds: 1, frames: 15, framesPerSecond: 30, speed: 1))
        b.callback?(ConversionProgress(seconds: 0.25, totalSeconds: 1, frames: 8, framesPerSecond: 30, speed: 1))
        let both = written.last ?? ""
        XCTAssertTrue(both.hasPrefix("\r\u{1B}[2K\u{1B}[1A\u{1B}[2K"), "two lines were drawn before: \(both.debugDescription)")
        let lines = both.replacingOccurrences(of: "\r\u{1B}[2K", with: "").replacingOccurrences(of: "\u{1B}[1A\u{1B}[2K", with: "")
            .split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("a.mp4 ") && lines[0].contains("50%"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("b.mp4 ") && lines[1].contains("25%"), lines[1])
        XCTAssertEqual(lines[2], "total 0/3 files, 2 running", "no ETA before a file has finished")
        r.done(a.id, work: 1)
        b.callback?(ConversionProgress(seconds: 0.5, totalSeconds: 1, frames: 15, framesPerSecond: 30, speed: 1))
        XCTAssertTrue((written.last ?? "").contains("total 1/3 files, 1 running, ETA "), written.last ?? "")
        r.message("✓ a.mp4")
        XCTAssertEqual(written.suffix(2), ["\r\u{1B}[2K\u{1B}[1A\u{1B}[2K", "✓ a.mp4\n"])
    }
}
