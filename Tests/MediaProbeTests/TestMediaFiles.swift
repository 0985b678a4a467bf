import XCTest
import FFmpeg
@testable import MediaProbe

/// Locates TestMedia/ from this file: …/Tests/MediaProbeTests/X.swift → ../../TestMedia.
enum TestMedia {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("TestMedia")
    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}

class ProbeTestCase: XCTestCase {
    override class func setUp() {
        super.setUp()
        FFmpegLog.setQuiet(true)
    }

    func probe(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> ProbeReport {
        try Prober.probe(path: TestMedia.path(name))
    }

    /// Asserts that probing fails with the expected error.
    func assertProbeError(_ path: String, limits: ProbeLimits = .default, file: StaticString = #filePath, line: UInt = #line,
                          _ check: (ProbeError) -> Bool) {
        do {
            let r = try Prober.probe(path: path, limits: limits)
            XCTFail("expected an error, got a \(r.kind) report for \(path)", file: file, line: line)
        } catch let e as ProbeError {
            XCTAssertTrue(check(e), "unexpected error \(e)", file: file, line: line)
            let message = e.errorDescription ?? ""
            XCTAssertFalse(message.contains("\n"), "message must be one line: \(message)", file: file, line: line)
            XCTAssertTrue(message.contains(path), "message must name the file: \(message)", file: file, line: line)
        } catch {
            XCTFail("expected ProbeError, got \(error)", file: file, line: line)
        }
    }

    func video(_ r: ProbeReport, file: StaticString = #filePath, line: UInt = #line) throws -> StreamInfo {
        try XCTUnwrap(r.primaryVideo, "no video stream", file: file, line: line)
    }
    func audio(_ r: ProbeReport, file: StaticString = #filePath, line: UInt = #line) throws -> StreamInfo {
        try XCTUnwrap(r.primaryAudio, "no audio stream", file: file, line: line)
    }
}
