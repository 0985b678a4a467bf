import Foundation
import TestSupport
import XCTest

/// The local edits through the built binary, each output read back by ffprobe and the
/// ffmpeg CLI's filters (independent readers): the issue's own commands do what they say.
final class LocalEditsEndToEndTests: EndToEndTestCase {
    var clip: String { Self.testMedia("h264_aac_16x9.mp4") }

    func convert(_ prompt: String, extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> (Result, String) {
        let out = outDir + "/out.mp4"
        let r = try tikconv([clip, "-p", prompt, "-o", out, "-y", "--preset", "ultrafast", "--progress", "none"] + extra,
                            file: file, line: line)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return (r, out)
    }

    /// ffprobe's view of the streams: type → (duration, frame count, width).
    func streams(_ path: String) throws -> [String: (duration: Double, frames: Int, width: Int?)] {
        let text = try run("/usr/bin/ffprobe", ["-v", "error", "-count_frames", "-show_entries",
                                                "stream=codec_type,duration,nb_read_frames,width", "-of", "json", path])
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        var result: [String: (Double, Int, Int?)] = [:]
        for s in json?["streams"] as? [[String: Any]] ?? [] {
            guard let type = s["codec_type"] as? String else { continue }
            result[type] = (Double(s["duration"] as? String ?? "") ?? -1, Int(s["nb_read_frames"] as? String ?? "") ?? -1, s["width"] as? Int)
        }
        return result
    }

    /// The lowest and highest U and V of every picture, from the signalstats filter.
    func chromaRange(_ path: String) throws -> (min: Int, max: Int) {
        let text = try run("/usr/bin/ffprobe", ["-v", "error", "-f", "lavfi", "movie=\(path),signalstats", "-show_entries",
                                                "frame_tags=lavfi.signalstats.UMIN,lavfi.signalstats.UMAX,lavfi.signalstats.VMIN,lavfi.signalstats.VMAX",
                                                "-of", "csv=p=0"])
        let values = text.split(whereSeparator: { $0 == "," || $0 == "\n" }).compactMap { Double($0) }.map { Int($0) }
        XCTAssertGreaterThan(values.count, 4, text)
        return (values.min() ?? -1, values.max() ?? -1)
    }

    func run(_ tool: String, _ args: [String]) throws -> String {
        String(decoding: try runTool(tool, args).output, as: UTF8.self)
    }

    func testSpeedItUp2xIsTwiceAsFast() throws {
        let (r, out) = try convert("speed it up 2x")
        let s = try streams(out)
        XCTAssertEqual(s["video"]?.duration ?? 0, 1.0, accuracy: 1 / 30 + 0.001, "2 s at twice the speed")
        XCTAssertEqual(s["video"]?.frames, 30)
        XCTAssertEqual(s["audio"]?.duration ?? 0, 1.0, accuracy: 0.03)
        XCTAssertTrue(r.stderr.contains("note: edits: speed 2× (audio pitch kept)"), r.stderr)
    }

    func testMakeItBlackAndWhiteHasNoColour() throws {
        let (_, out) = try convert("make it black and white", extra: ["--duration", "0.5"])
        let range = try chromaRange(out)
        XCTAssertGreaterThanOrEqual(range.min, 127)
        XCTAssertLessThanOrEqual(range.max, 129)
        let source = try chromaRange(clip)
        XCTAssertGreaterThan(source.max - source.min, 50, "the source has colour")
    }

    func testFirstSecondMutedVertical() throws {
        let (_, out) = try convert("first 1 second, muted, vertical")
        let s = try streams(out)
        XCTAssertNil(s["audio"], "muted: no audio stream")
        XCTAssertEqual(s["video"]?.width, 1080)
        XCTAssertEqual(s["video"]?.duration ?? 0, 1.0, accuracy: 1 / 30 + 0.001)
    }

    func testChineseTwiceTheSpeedAndLouder() throws {
        let (r, out) = try convert("两倍速，音量调大")
        XCTAssertEqual(try streams(out)["video"]?.duration ?? 0, 1.0, accuracy: 1 / 30 + 0.001)
        XCTAssertTrue(r.stderr.contains("volume +6 dB"), r.stderr)
    }

    func testMP4PlanWithoutLossSlowMotionAndFades() throws {
        let (r, out) = try convert("convert to mp4 without losing quality, slow motion, fade in and out")
        let s = try streams(out)
        XCTAssertEqual(s["video"]?.width, 640, "the mp4 plan keeps the picture")
        XCTAssertEqual(s["video"]?.frames, 60, "every picture, each shown twice as long")
        XCTAssertEqual(s["video"]?.duration ?? 0, 4.0, accuracy: 1 / 15 + 0.001)
        XCTAssertTrue(r.stderr.contains("#0 video h264: re-encoded — speed 0.5×, fade in 1 s, fade out 1 s"), r.stderr)
        // The first and last pictures are black (Y 16), read by signalstats.
        let y = try run("/usr/bin/ffprobe", ["-v", "error", "-f", "lavfi", "movie=\(out),signalstats", "-show_entries",
                                             "frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0"])
            .split(separator: "\n").compactMap { Double($0) }
        XCTAssertEqual(y.count, 60)
        XCTAssertEqual(y.first ?? 0, 16, accuracy: 1.5)
        XCTAssertEqual(y.last ?? 0, 16, accuracy: 1.5)
        XCTAssertGreaterThan(y[30], 40)
    }
}
