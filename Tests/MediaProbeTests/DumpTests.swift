import XCTest
import FFmpeg
@testable import MediaProbe

final class DumpTests: XCTestCase {
    func testDumpAll() throws {
        guard ProcessInfo.processInfo.environment["PROBE_DUMP"] != nil else { throw XCTSkip("set PROBE_DUMP=1 to print every report") }
        FFmpegLog.setQuiet(true)
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../TestMedia").standardized
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
            let start = Date()
            do {
                let r = try Prober.probe(path: dir.appendingPathComponent(name).path)
                print("OK", name, String(format: "%.3fs", Date().timeIntervalSince(start)), r.kind, r.format, r.container, r.duration ?? -1, "exif", r.exifOrientation ?? 0)
                for s in r.streams { print("   ", s) }
            } catch let e as ProbeError {
                print("ERR", name, String(format: "%.3fs", Date().timeIntervalSince(start)), e, "|", e.errorDescription!, e.backendCode ?? 0)
            }
        }
    }
}
