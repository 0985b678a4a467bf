@testable import TikconvCLI
import ArgumentParser
import XCTest

/// Option values as ffmpeg users type them, and the ones refused before any work.
final class ArgumentValuesTests: XCTestCase {
    func testTimes() throws {
        let valid: [(String, Double)] = [
            ("90", 90), ("12.5", 12.5), ("0", 0), ("90s", 90), ("1500ms", 1.5), ("1:30", 90), ("01:30.5", 90.5),
            ("0:05", 5), ("1:5", 65), ("1:02:03", 3723), ("1:02:03.250", 3723.25), ("100:00", 6000), (" 2:00 ", 120),
        ]
        for (text, seconds) in valid {
            XCTAssertEqual(try ArgumentValues.seconds(text), seconds, accuracy: 1e-9, text)
        }
        for text in ["", "-5", "+5", "abc", "1:3x", "1:60", "1:60:00", "1::30", ":30", "1:2:3:4", "1e3", "inf", "nan", "1.2.3", "١٢", "1:+5", "."] {
            XCTAssertThrowsError(try ArgumentValues.seconds(text), text) {
                XCTAssertTrue("\($0)".contains("MM:SS"), "the message says what is valid: \($0)")
            }
        }
    }

    func testAudioBitrates() throws {
        let valid: [(String, Int)] = [("128k", 128_000), ("128K", 128_000), ("160", 160_000), ("192000", 192_000), ("32k", 32_000),
                                      ("512k", 512_000), ("0.256M", 256_000), ("96.5k", 96_500)]
        for (text, bits) in valid { XCTAssertEqual(try ArgumentValues.audioBitrate(text), bits, text) }
        for text in ["5", "5k", "31k", "513k", "1M", "0", "", "k", "abc", "-128k", "128kbit"] {
            XCTAssertThrowsError(try ArgumentValues.audioBitrate(text), text) {
                XCTAssertTrue("\($0)".contains("32k to 512k"), "\($0)")
            }
        }
    }

    func testFocus() throws {
        XCTAssertEqual(try ArgumentValues.focus("0.5,0.3"), .init(x: 0.5, y: 0.3))
        XCTAssertEqual(try ArgumentValues.focus("0, 1"), .init(x: 0, y: 1))
        for text in ["0.5", "1.5,0.5", "a,b", "0.5,0.5,0.5", ""] { XCTAssertThrowsError(try ArgumentValues.focus(text), text) }
    }

    func testPresetsAreX264s() {
        XCTAssertEqual(X264Preset.allCases.map(\.rawValue),
                       ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"])
        XCTAssertNil(X264Preset(argument: "turbo"))
    }

    /// Checked when the command line is parsed: before any file is read, also under --plan.
    func testConversionOptionsRefuseBadValues() throws {
        for args in [["--preset", "turbo"], ["--audio-bitrate", "5"], ["--start", "1:3x"], ["--duration", "0"],
                     ["--start", "10", "--end", "5"], ["--crf", "52"], ["--max-size", "0"]] {
            XCTAssertThrowsError(try ConversionOptions.parse(args), "\(args)")
        }
        // Pairs that cannot go together are the command's to refuse, in one place.
        for args in [["--duration", "5", "--end", "10"], ["--focus", "0.2,0.2", "--fit", "pad"], ["--local", "--cloud"]] {
            XCTAssertNoThrow(try ConversionOptions.parse(args), "\(args)")
            XCTAssertThrowsError(try ConvertCommand.parse(args), "\(args)")
        }
        let o = try ConversionOptions.parse(["--start", "1:00", "--end", "1:30", "--focus", "0.2,0.5"])
        XCTAssertEqual(o.planFlags.start, 60)
        XCTAssertEqual(o.planFlags.duration, 30)
        XCTAssertEqual(o.planFlags.fit, .crop, "--focus implies --fit crop")
        XCTAssertEqual(try ConversionOptions.parse(["--focus", "0.2,0.5", "--fit", "crop"]).planFlags.fit, .crop)
        XCTAssertNil(try ConversionOptions.parse([]).planFlags.fit)
    }

    func testCloudTimesAcceptClockForms() throws {
        let o = try CloudOptions.parse(["--timeout", "20:00", "--poll-interval", "0.5", "--connect-timeout", "0:10", "--stall-timeout", "2:00"])
        let s = o.settings(environment: [:])
        XCTAssertEqual(s.turnTimeout, 1200)
        XCTAssertEqual(s.pollInterval, 0.5)
        XCTAssertEqual(s.http.connectTimeout, 10)
        XCTAssertEqual(s.http.lowSpeedTime, 120)
        XCTAssertThrowsError(try CloudOptions.parse(["--timeout", "0:00"]))
    }
}
