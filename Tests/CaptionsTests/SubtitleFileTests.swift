import Foundation
import XCTest
@testable import Captions

/// Subtitle files as they come from editors, YouTube and transcription services: each is read
/// into the right cues, or refused with the file and the line at fault.
final class SubtitleFileTests: XCTestCase {
    enum Expect {
        /// (start, end, text) of each cue.
        case cues([(Double, Double, String)])
        /// Refused, naming this line (0: the whole file).
        case refused(line: Int)
        case script
    }

    struct Case {
        var name: String
        var bytes: [UInt8]
        var expect: Expect
        init(_ name: String, _ text: String, _ expect: Expect) { self.name = name; bytes = Array(text.utf8); self.expect = expect }
        init(_ name: String, bytes: [UInt8], _ expect: Expect) { self.name = name; self.bytes = bytes; self.expect = expect }
    }

    static func utf16(_ s: String, littleEndian: Bool, bom: Bool) -> [UInt8] {
        var out: [UInt8] = bom ? (littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) : []
        for u in s.utf16 { out += littleEndian ? [UInt8(u & 0xff), UInt8(u >> 8)] : [UInt8(u >> 8), UInt8(u & 0xff)] }
        return out
    }

    static let two = "1\n00:00:01,000 --> 00:00:02,000\nFirst\n\n2\n00:00:03,000 --> 00:00:04,500\nSecond\n"
    static let twoCues: Expect = .cues([(1, 2, "First"), (3, 4.5, "Second")])

    static let cases: [Case] = [
        Case("UTF-8 with BOM and CRLF", bytes: [0xEF, 0xBB, 0xBF] + Array(two.replacingOccurrences(of: "\n", with: "\r\n").utf8), twoCues),
        Case("UTF-16LE with BOM", bytes: utf16(two, littleEndian: true, bom: true), twoCues),
        Case("UTF-16BE without BOM", bytes: utf16(two, littleEndian: false, bom: false), twoCues),
        Case("Latin-1", bytes: Array("1\n00:00:01,000 --> 00:00:02,000\nCaf".utf8) + [0xE9, 0x20, 0xE0, 0x0A], .cues([(1, 2, "Café à")])),
        Case("old Mac CR line ends", two.replacingOccurrences(of: "\n", with: "\r"), twoCues),
        Case("missing blank lines", "1\n00:00:01,000 --> 00:00:02,000\nFirst\n2\n00:00:03,000 --> 00:00:04,500\nSecond", twoCues),
        Case("no cue numbers, two lines of text", "00:00:01.000 --> 00:00:02.000\nOne\nTwo\n\n00:00:03.000 --> 00:00:04.500\nSecond\n",
             .cues([(1, 2, "One\\NTwo"), (3, 4.5, "Second")])),
        Case("dot before milliseconds and short fractions", "1\n00:00:01.5 --> 00:00:02.25\nA\n", .cues([(1.5, 2.25, "A")])),
        Case("hours over 99", "1\n123:00:01,000 --> 123:00:02,000\nLate\n", .cues([(442_801, 442_802, "Late")])),
        Case("italic, bold and font tags", "1\n00:00:01,000 --> 00:00:02,000\n<i>Hi</i> <b>there</b> <font color=\"#FF8000\">you</font> &amp; me\n",
             .cues([(1, 2, "{\\i1}Hi{\\i0} {\\b1}there{\\b0} {\\c&H0080FF&}you{\\r} & me")])),
        Case("WebVTT header, NOTE, STYLE, identifiers, cue settings, voice tags",
             "WEBVTT - made by a service\nKind: captions\n\nNOTE this is\na comment\n\nSTYLE\n::cue { color: red }\n\nintro\n00:01.000 --> 00:02.000 align:start position:10%\n<v Anna>Hello</v> <c.loud>all</c>\n\n00:00:03.000 --> 00:00:04.500 line:0\nSecond\n",
             .cues([(1, 2, "Hello all"), (3, 4.5, "Second")])),
        Case("overlapping cues", "1\n00:00:01,000 --> 00:00:05,000\nLong\n\n2\n00:00:02,000 --> 00:00:03,000\nShort\n",
             .cues([(1, 5, "Long"), (2, 3, "Short")])),
        Case("SubRip position override kept", "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Top\n", .cues([(1, 2, "{\\an8}Top")])),
        Case("a cue with no text is skipped", "1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,500\nSecond\n", .cues([(3, 4.5, "Second")])),
        Case("broken timestamp", "1\n00:00:01,000 --> 00:00:02,000\nFine\n\n2\n00:00:0x,000 --> 00:00:04,000\nBroken\n", .refused(line: 6)),
        Case("minutes over 59", "1\n00:75:01,000 --> 00:75:02,000\nNo\n", .refused(line: 2)),
        Case("ends before it starts", "1\n00:00:05,000 --> 00:00:02,000\nBackwards\n", .refused(line: 2)),
        Case("prose, not subtitles", "Dear diary,\ntoday I wrote no subtitles.\n", .refused(line: 1)),
        Case("empty file", "", .refused(line: 0)),
        Case("only blank lines", "\n\n\r\n", .refused(line: 0)),
        Case("binary data", bytes: [0x00, 0x01, 0x02, 0xFF, 0x00, 0x00, 0x10, 0x80, 0x00, 0x7F, 0x00], .refused(line: 0)),
        Case("ASS script keeps its styles", "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hi\n", .script),
        Case("ASS script with no dialogue", "[Script Info]\nTitle: empty\n", .refused(line: 0)),
    ]

    func testEveryOddFileIsReadOrRefusedWithItsLine() throws {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 12)
        for c in Self.cases {
            let result = Result { try SubtitleFile.parse(Data(c.bytes), path: "odd.srt") }
            switch (c.expect, result) {
            case let (.cues(expected), .success(.cues(cues))):
                XCTAssertEqual(cues.count, expected.count, "\(c.name): \(cues)")
                for (cue, e) in zip(cues, expected) {
                    XCTAssertEqual(cue.start, e.0, accuracy: 1e-6, c.name)
                    XCTAssertEqual(cue.end, e.1, accuracy: 1e-6, c.name)
                    XCTAssertEqual(cue.text, e.2, c.name)
                }
            case (.script, .success(.script)): break
            case let (.refused(line), .failure(error)):
                guard case let CaptionError.unreadable(path, l, why) = error else { XCTFail("\(c.name): \(error)"); continue }
                XCTAssertEqual(path, "odd.srt", c.name)
                XCTAssertEqual(l, line, "\(c.name): \(why)")
                let message = error.localizedDescription
                XCTAssert(message.hasPrefix(line > 0 ? "odd.srt:\(line): " : "odd.srt: "), message)
                XCTAssertFalse(message.contains("\n"), "one line: \(message)")
            default:
                XCTFail("\(c.name): expected \(c.expect), got \(result)")
            }
        }
    }

    func testMissingFileIsRefusedByName() {
        XCTAssertThrowsError(try SubtitleFile.read(path: "/nonexistent/talk.srt")) { e in
            XCTAssert(e.localizedDescription.hasPrefix("/nonexistent/talk.srt: "), e.localizedDescription)
        }
    }
}
