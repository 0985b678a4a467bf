import Foundation
import XCTest

/// The output contract's frame-rate rule, seen from outside: for each source rate, the rate the
/// `--plan` steps promise, the rate its JSON's encoder settings name and the rate ffprobe reads
/// in the file are one and the same.
final class FrameRateEndToEndTests: EndToEndTestCase {
    /// Source rate (as ffmpeg's -r takes it) → the rate the contract gives it.
    static let rates: [(source: String, output: Double)] = [
        ("15", 30), ("24", 24), ("25", 25), ("30000/1001", 30000.0 / 1001), ("50", 50), ("60", 60), ("120", 60),
    ]

    func testPlanStepsPlanJSONAndTheFileAgreeOnTheFrameRate() throws {
        for (source, expected) in Self.rates {
            let name = "rate_" + source.replacingOccurrences(of: "/", with: "_") + ".mp4"
            try ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x180:rate=\(source):duration=1",
                        "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", name])
            let args = [name, "--fit", "pad", "--preset", "ultrafast", "-o", outDir + "/"]
            let planned = try planStepRate(args)
            let described = try planJSONRate(args)
            let converted = try tikconv(args)
            XCTAssertEqual(converted.status, 0, "\(source) fps: \(converted.stderr)")
            let written = try fileRate(outDir + "/" + name.replacingOccurrences(of: ".mp4", with: ".tiktok.mp4"))
            XCTAssertEqual(planned, expected, accuracy: 0.005, "\(source) fps: the --plan steps")
            XCTAssertEqual(described, expected, accuracy: 0.005, "\(source) fps: --plan --json encoder settings")
            XCTAssertEqual(written, expected, accuracy: 0.005, "\(source) fps: the file")
        }
    }

    /// The rate in the `--plan` encode step ("encode H.264 High 1080x1920 30 fps, …").
    func planStepRate(_ args: [String]) throws -> Double {
        let plan = try tikconv(args + ["--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let step = try XCTUnwrap(plan.stdout.split(separator: "\n").first { $0.contains("encode H.264") })
        let words = step.split(separator: " ")
        let fps = try XCTUnwrap(words.firstIndex { $0.hasPrefix("fps") }, String(step))
        return try XCTUnwrap(Double(words[fps - 1]), String(step))
    }

    /// `outputs[0].encoder.video.framesPerSecond` of `--plan --json`.
    func planJSONRate(_ args: [String]) throws -> Double {
        let plan = try tikconv(args + ["--plan", "--json"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let output = try XCTUnwrap((json["outputs"] as? [[String: Any]])?.first)
        let video = try XCTUnwrap((output["encoder"] as? [String: Any])?["video"] as? [String: Any])
        return try XCTUnwrap(video["framesPerSecond"] as? Double)
    }

    /// The average frame rate ffprobe reads in the first video stream.
    func fileRate(_ path: String) throws -> Double {
        let probe = try tikconv(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=avg_frame_rate",
                             "-of", "csv=p=0", path], executable: "/usr/bin/ffprobe")
        let parts = probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "/").compactMap { Double($0) }
        XCTAssertEqual(parts.count, 2, "ffprobe: \(probe.stdout) \(probe.stderr)")
        return parts.count == 2 && parts[1] > 0 ? parts[0] / parts[1] : 0
    }
}
