import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C, SIGTERM, SIGKILL and a file-size limit in the middle of a conversion.
final class InterruptionEndToEndTests: EndToEndTestCase {
    /// A conversion slow enough to interrupt: veryslow x264 at 1080x1920 in a debug build.
    func startSlowConversion(progress: String = "none") throws -> (Process, String, String, input: String, before: UInt64?) {
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "in.mp4")
        let before = hash(input)
        let (p, o, e) = try start([input, "-o", outDir + "/out.mp4", "--preset", "veryslow", "--progress", progress])
        // The temporary file appears once the header is written: the conversion is under way.
        XCTAssertTrue(wait(30) { !temporaries(outDir).isEmpty }, "no temporary file appeared: \(entries(outDir))")
        if let t = temporaries(outDir).first {
            XCTAssertEqual(t, ".out.mp4.tikconv-\(p.processIdentifier).part")
        }
        return (p, o, e, input, before)
    }

    func assertInterrupted(by sig: Int32, exit: Int32, progress: String = "none") throws -> Result {
        let (p, o, e, input, before) = try startSlowConversion(progress: progress)
        if progress == "bar" {
            XCTAssertTrue(wait(20) { ((try? String(contentsOfFile: e, encoding: .utf8)) ?? "").contains("%") }, "no progress bar was drawn")
        } else {
            usleep(300_000)
        }
        kill(p.processIdentifier, sig)
        let r = finish(p, o, e, timeout: 30)
        XCTAssertFalse(r.signaled, "tikconv died of the signal instead of handling it")
        XCTAssertEqual(r.status, exit, r.stderr)
        XCTAssertTrue(r.stderr.contains("in.mp4: interrupted; the unfinished output was removed"), r.stderr)
        XCTAssertEqual(entries(outDir), [], "the output folder should be empty")
        XCTAssertEqual(hash(input), before)
        return r
    }

    func testCtrlCRemovesTheTemporaryFileAndRestoresTheLine() throws {
        let r = try assertInterrupted(by: SIGINT, exit: 130, progress: "bar")
        // The bar is cleared ("\r" + erase line) before the message, so the message stands alone.
        let clear = "\r\u{1B}[2K"
        guard let last = r.stderr.range(of: clear, options: .backwards) else { return XCTFail("no clear-line sequence in \(r.stderr.debugDescription)") }
        let after = String(r.stderr[last.upperBound...])
        XCTAssertTrue(after.hasPrefix("tikconv: in.mp4: interrupted"), after.debugDescription)
        XCTAssertTrue(after.hasSuffix("\n"))
        XCTAssertEqual(after.filter { $0 == "\n" }.count, 1, after.debugDescription)
    }

    func testSIGTERMRemovesTheTemporaryFile() throws {
        _ = try assertInterrupted(by: SIGTERM, exit: 143)
    }

    /// SIGKILL cannot be handled: the temporary file stays under its recognisable name, and the
    /// next run for the same output removes it (its process is gone).
    func testSIGKILLLeavesARecognisableTemporaryThatTheNextRunCleans() throws {
        let (p, o, e, input, before) = try startSlowConversion()
        kill(p.processIdentifier, SIGKILL)
        let r = finish(p, o, e, timeout: 30)
        XCTAssertTrue(r.signaled)
        XCTAssertEqual(entries(outDir), [".out.mp4.tikconv-\(p.processIdentifier).part"])
        let again = try tikconv([input, "-o", outDir + "/out.mp4", "--preset", "ultrafast", "--duration", "0.5", "--progress", "none"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(entries(outDir), ["out.mp4"], "the stale temporary file should be gone")
        XCTAssertEqual(hash(input), before)
    }

    /// `ulimit -f` (100 blocks of 1 KiB here) mid-write: the kernel's SIGXFSZ is ignored, the
    /// write fails with EFBIG, and that is reported as out of space naming the output. Exit 6.
    func testFileSizeLimitMidWrite() throws {
        // ThreadSanitizer's runtime itself dies with SIGBUS under a file-size limit.
        if ProcessInfo.processInfo.environment["TIKCONV_TEST_SANITIZER"] == "thread" { throw XCTSkip("ulimit -f is not testable under TSan") }
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "in.mp4")
        let before = hash(input)
        let out = outDir + "/big.mp4"
        let r = try tikconv(["-c", "ulimit -f 100; exec \"$0\" \"$@\"", Self.binary, input, "-o", out, "--preset", "ultrafast", "--progress", "none"],
                            executable: "/bin/sh")
        XCTAssertFalse(r.signaled, "killed by SIGXFSZ")
        XCTAssertEqual(r.status, 6, r.stderr)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("in.mp4: ran out of space (disk full or file-size limit) writing \(out); nothing was kept"), r.stderr)
        XCTAssertEqual(entries(outDir), [])
        XCTAssertEqual(hash(input), before)
    }
}
