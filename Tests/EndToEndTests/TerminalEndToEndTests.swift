import Foundation
import XCTest

/// tikconv on a real terminal: a pseudo-terminal made by util-linux `script`, sized with
/// `stty`. The progress line fits the width, colour follows NO_COLOR, --quiet is quiet.
final class TerminalEndToEndTests: EndToEndTestCase {
    static let script = "/usr/bin/script"

    /// Runs tikconv on a pseudo-terminal `columns` wide; returns everything it drew.
    func onTerminal(columns: Int, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: Self.script) else {
            XCTFail("\(Self.script) (util-linux, in every Debian install) is missing")
            throw XCTSkip("no script(1)")
        }
        let quoted = ([Self.binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "stty cols \(columns) rows 24; exec " + quoted.joined(separator: " ")
        // An empty NO_COLOR counts as unset (no-color.org): the test's own environment may have one.
        var env = ["TERM": "xterm-256color", "NO_COLOR": ""]
        env.merge(environment) { $1 }
        return try tikconv(["-qec", command, "/dev/null"], executable: Self.script, environment: env)
    }

    /// The lines the progress display drew (each refresh starts with "return, erase line").
    func progressLines(_ drawn: String) -> [String] {
        drawn.components(separatedBy: "\r\u{1B}[2K").dropFirst()
            .map { String($0.prefix { $0 != "\r" && $0 != "\n" }) }
            .filter { $0.contains("%") && !$0.hasPrefix("✓") && !$0.hasPrefix("tikconv") }
    }

    /// Columns on the terminal: East Asian wide characters take two (the test's own count).
    func columns(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0x20000...0x3FFFD).contains(v)
            return n + (wide ? 2 : 1)
        }
    }

    /// A long CJK name in a 60-column terminal: every refresh fits on one row, the name is
    /// shortened in the middle, the extension kept.
    func testProgressLineFitsA60ColumnTerminal() throws {
        let name = "我的假期视频我的假期视频我的假期视频 a long holiday name.mp4"
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: name)
        let r = try onTerminal(columns: 60, [input, "-o", outDir + "/", "--preset", "ultrafast", "--fit", "blur"])
        XCTAssertEqual(r.status, 0, r.stdout)
        let lines = progressLines(r.stdout)
        XCTAssertFalse(lines.isEmpty, "no progress line was drawn: \(r.stdout.debugDescription)")
        for line in lines {
            XCTAssertLessThan(columns(line), 60, "wraps in 60 columns: \(line)")
            XCTAssertTrue(line.contains("…") && line.contains("name.mp4"), "the name is shortened in the middle: \(line)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: outDir + "/" + (name as NSString).deletingPathExtension + ".tiktok.mp4"))
    }

    /// Colour on a terminal; none with NO_COLOR (https://no-color.org).
    func testColourFollowsNO_COLOR() throws {
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let args = [input, "-o", outDir + "/", "-y", "--preset", "ultrafast", "--duration", "0.3"]
        let coloured = try onTerminal(columns: 100, args)
        XCTAssertEqual(coloured.status, 0, coloured.stdout)
        XCTAssertTrue(coloured.stdout.contains("\u{1B}[32m✓ clip.mp4"), coloured.stdout.debugDescription)
        let plain = try onTerminal(columns: 100, args, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(plain.status, 0, plain.stdout)
        XCTAssertTrue(plain.stdout.contains("✓ clip.mp4"), plain.stdout)
        XCTAssertFalse(plain.stdout.contains("\u{1B}[3") || plain.stdout.contains("\u{1B}[0m"), plain.stdout.debugDescription)
    }

    /// --quiet: no progress and no summary on a terminal; the output path still on stdout;
    /// errors still shown.
    func testQuiet() throws {
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let r = try onTerminal(columns: 100, [input, "-o", outDir + "/", "--preset", "ultrafast", "--duration", "0.3", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), outDir + "/clip.tiktok.mp4", r.stdout.debugDescription)
        let batch = try tikconv([input, dir + "/missing.mp4", "-o", dir + "/b/", "--preset", "ultrafast", "--duration", "0.3", "-q"])
        XCTAssertEqual(batch.status, 10, batch.stderr)
        XCTAssertTrue(batch.stderr.contains("missing.mp4: no such file"), batch.stderr)
        XCTAssertFalse(batch.stderr.contains("✓"), batch.stderr)
    }
}
