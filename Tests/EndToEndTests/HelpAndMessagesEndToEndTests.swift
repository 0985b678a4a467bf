import Foundation
import XCTest

/// What a new user reads first: the top-level help, the error lines, the probe's frame rates.
final class HelpAndMessagesEndToEndTests: EndToEndTestCase {
    func testTopLevelHelpListsTheConvertOptionsAndTheCommands() throws {
        for flag in ["--help", "-h", "help"] {
            let r = try tikconv([flag])
            XCTAssertEqual(r.status, 0, r.stderr)
            for option in ["--fit <fit>", "--plan", "--music", "-o, --output", "USAGE: tikconv [<options>] [<inputs> ...]",
                           "probe", "check", "cloud"] {
                XCTAssertTrue(r.stdout.contains(option), "\(flag): \(option) missing from:\n\(r.stdout)")
            }
            XCTAssertFalse(r.stdout.contains("USAGE: tikconv convert"), r.stdout)
            XCTAssertFalse(r.stdout.contains("slideshows and text-to-video go to"), "slideshows are offline: \(r.stdout)")
        }
    }

    /// Usage errors, bad input and the cloud commands speak alike: "tikconv: …", never "Error:".
    func testEveryErrorStartsTheSameWay() throws {
        let closed = ["NEMO_API_BASE": "http://127.0.0.1:9", "XDG_CONFIG_HOME": dir + "/config"]
        let runs = [try tikconv(["--crf", "99", "x.mp4"]), try tikconv(["missing.mp4"]),
                    try tikconv(["cloud", "credits"], environment: closed), try tikconv(["cloud", "chat"])]
        for r in runs {
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.hasPrefix("tikconv: "), r.stderr)
            XCTAssertFalse(r.stderr.contains("Error:") || r.stderr.contains("tikconv: error:"), r.stderr)
        }
    }

    func testProbePrintsNTSCRatesAsTheyAre() throws {
        for (rate, text) in [("30000/1001", "29.97 fps"), ("24000/1001", "23.976 fps"), ("60000/1001", "59.94 fps"), ("25", "25 fps")] {
            let name = "rate-\(text.split(separator: " ")[0]).mp4"
            try ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x36:rate=\(rate)", "-t", "0.5", "-c:v", "libx264", "-preset", "ultrafast", name])
            let r = try tikconv(["probe", name])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains(" \(text)"), "\(rate): \(r.stdout)")
        }
    }

    func testCheckSuggestsSmartAmongTheFits() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "wide.mp4")
        let r = try tikconv(["check", clip])
        XCTAssertEqual(r.status, 11, r.stderr)
        XCTAssertTrue(r.stdout.contains("--fit smart, blur, pad or crop"), r.stdout)
    }
}
