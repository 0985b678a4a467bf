@testable import LocalEngine
@testable import TikconvCLI
import XCTest

/// The progress line's width arithmetic: display width, shortening in the middle, and the
/// layout at every terminal width.
final class ProgressLineTests: XCTestCase {
    func testDisplayWidthCountsWideCharactersTwice() {
        XCTAssertEqual(DisplayWidth.of("clip.mp4"), 8)
        XCTAssertEqual(DisplayWidth.of("視頻.mp4"), 8, "two CJK ideographs are four columns")
        XCTAssertEqual(DisplayWidth.of("동영상"), 6, "Hangul syllables are wide")
        XCTAssertEqual(DisplayWidth.of("ｆｕｌｌ"), 8, "fullwidth Latin is wide")
        XCTAssertEqual(DisplayWidth.of("ünïcode"), 7, "precomposed accents are one column")
        XCTAssertEqual(DisplayWidth.of("u\u{308}"), 1, "a letter with a combining accent is one column")
        XCTAssertEqual(DisplayWidth.of("🎬"), 2, "emoji are wide")
        XCTAssertEqual(DisplayWidth.of("a\u{200B}b"), 2, "a zero-width space takes no column")
    }

    func testTruncateMiddleKeepsBothEndsAndFits() {
        let name = "a very long holiday video name from the beach.mp4"
        let short = DisplayWidth.truncateMiddle(name, to: 20)
        XCTAssertEqual(DisplayWidth.of(short), 20)
        XCTAssertTrue(short.hasPrefix("a very lon"), short)
        XCTAssertTrue(short.hasSuffix("beach.mp4"), short)
        XCTAssertTrue(short.contains("…"))
        XCTAssertEqual(DisplayWidth.truncateMiddle("short.mp4", to: 20), "short.mp4", "a name that fits is left alone")
        XCTAssertEqual(DisplayWidth.truncateMiddle(name, to: 1), "…")
        XCTAssertEqual(DisplayWidth.truncateMiddle(name, to: 0), "")
    }

    /// A wide character that does not fit in the space left is not split: the result is
    /// narrower, never wider.
    func testTruncateMiddleNeverSplitsAWideCharacter() {
        let name = "視頻視頻視頻視頻視頻視頻視頻視頻.mp4"
        for width in 1...40 {
            let s = DisplayWidth.truncateMiddle(name, to: width)
            XCTAssertLessThanOrEqual(DisplayWidth.of(s), width, "\(width): \(s)")
            XCTAssertGreaterThanOrEqual(DisplayWidth.of(s), min(width - 1, DisplayWidth.of(name)), "\(width): \(s) wastes room")
        }
    }

    func testLineFitsEveryWidth() {
        let labels = ["a.mp4", "a very long holiday video name from the beach, uncut, 4K, final (2).mp4",
                      "我的假期视频我的假期视频我的假期视频我的假期视频.mp4", "-clip ü 中 x.mp4", "tab\there\nnewline.mp4"]
        for label in labels {
            for fraction in [nil, 0.42, 1.0] {
                let line = ProgressLine(label: label, fraction: fraction, framesPerSecond: 123.4, speed: 4.12, eta: fraction == nil ? nil : "12:34")
                for columns in 1...130 {
                    let text = line.render(columns: columns)
                    XCTAssertLessThanOrEqual(DisplayWidth.of(text), max(1, columns - 1), "\(columns) columns: \(text)")
                    XCTAssertFalse(text.contains("\n") || text.contains("\t"), "control characters would break the line: \(text.debugDescription)")
                }
            }
        }
    }

    func testWideTerminalShowsEverything() {
        let line = ProgressLine(label: "clip.mp4", fraction: 0.5, framesPerSecond: 61, speed: 2.03, eta: "0:05").render(columns: 80)
        XCTAssertEqual(line, "clip.mp4  50% " + String(repeating: "█", count: 12) + String(repeating: "·", count: 12) + " 61 fps 2.03× ETA 0:05")
    }

    func testNarrowTerminalShrinksTheBarThenTheName() {
        let long = "我的假期视频我的假期视频我的假期视频.mp4"
        let at60 = ProgressLine(label: long, fraction: 0.5, framesPerSecond: 61, speed: 2.03, eta: "0:05").render(columns: 60)
        XCTAssertTrue(at60.contains("…"), "the name is shortened: \(at60)")
        XCTAssertTrue(at60.contains("█"), "a shorter bar still shows: \(at60)")
        XCTAssertTrue(at60.contains("ETA 0:05"), at60)
        XCTAssertTrue(at60.hasSuffix("ETA 0:05"))
        let at30 = ProgressLine(label: long, fraction: 0.5, framesPerSecond: 61, speed: 2.03, eta: "0:05").render(columns: 30)
        XCTAssertFalse(at30.contains("█"), "no room for a bar: \(at30)")
        XCTAssertTrue(at30.contains("50%"), at30)
    }

    /// The renderer measures once, then again only after a resize (SIGWINCH).
    func testRendererMeasuresAgainAfterAResize() {
        var widths = [100, 50]
        var measured = 0
        var written: [String] = []
        let r = ProgressRenderer(style: .bar, measure: { measured += 1; return widths.isEmpty ? nil : widths.removeFirst() },
                                 write: { written.append($0) })
        let p = ConversionProgress(seconds: 1, totalSeconds: 2, frames: 30, framesPerSecond: 30, speed: 1)
        let label = String(repeating: "long name ", count: 10) + ".mp4"
        r.drawBar(label, p)
        r.drawBar(label, p)
        XCTAssertEqual(measured, 1, "no resize: measured once")
        XCTAssertTrue(written.allSatisfy { DisplayWidth.of(Self.text($0)) <= 99 }, "\(written)")
        r.terminalResized()
        r.drawBar(label, p)
        XCTAssertEqual(measured, 2)
        let last = written.last ?? ""
        XCTAssertTrue(last.hasPrefix("\r\u{1B}[2K"))
        XCTAssertLessThanOrEqual(DisplayWidth.of(Self.text(last)), 49, last)
    }

    /// `--fit smart` reads the video twice. Machine lines say which pass (`phase=`), and the
    /// first line of a new pass is written at once instead of up to a second later; the bar
    /// names the analysis.
    func testProgressNamesThePhase() {
        var written: [String] = []
        let machine = ProgressRenderer(style: .machine, write: { written.append($0) })
        let report = machine.callback(label: "my clip.mp4")
        var p = ConversionProgress(seconds: 0.2, totalSeconds: 2, frames: 0, framesPerSecond: 0, speed: 1)
        p.phase = .analysing
        report?(p)
        p.seconds = 0.4
        report?(p)
        report?(ConversionProgress(seconds: 0.1, totalSeconds: 2, frames: 3, framesPerSecond: 30, speed: 1))
        XCTAssertEqual(written.count, 2, "\(written)")
        XCTAssertTrue(written.first?.hasPrefix("progress file=my%20clip.mp4 phase=analysing seconds=0.20 ") ?? false, "\(written)")
        XCTAssertTrue(written.last?.hasPrefix("progress file=my%20clip.mp4 phase=converting seconds=0.10 ") ?? false, "\(written)")

        var drawn: [String] = []
        let bar = ProgressRenderer(style: .bar, measure: { 100 }, write: { drawn.append($0) })
        bar.drawBar("clip.mp4", p)
        XCTAssertTrue(Self.text(drawn.last ?? "").hasPrefix("clip.mp4 (analysing) "), "\(drawn)")
    }

    /// A drawn line without its "return, erase line" prefix.
    static func text(_ drawn: String) -> String { drawn.replacingOccurrences(of: "\r\u{1B}[2K", with: "") }
}

/// The bar's ETA waits until the speed is measured (the first seconds say little).
final class ProgressETATests: XCTestCase {
    func testNoETABeforeThreeSecondsOfWallTime() {
        let early = ConversionProgress(seconds: 0.3, totalSeconds: 9, frames: 9, framesPerSecond: 4, speed: 0.15)
        XCTAssertNil(ProgressRenderer.eta(early), "0.3 s of output in 2 s of wall time: too early to tell")
        let measured = ConversionProgress(seconds: 3, totalSeconds: 9, frames: 90, framesPerSecond: 22.5, speed: 0.75)
        XCTAssertEqual(ProgressRenderer.eta(measured), "0:08")
    }
}
