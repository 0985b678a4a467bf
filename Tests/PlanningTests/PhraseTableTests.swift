import XCTest
@testable import Planning

/// Every phrase of every `PhraseTable` row, said on its own, is read as that row and nothing
/// else: one part, covering the whole phrase, from the same row, not negated. A phrase that
/// another row shadows, a slot that does not read, or a typo rule that steals a table word
/// fails here, with the row and phrase named.
final class PhraseTableTests: XCTestCase {
    /// What a slot is filled with when a phrase is said on its own.
    static let samples: [PhrasePattern.Slot: String] = [
        .n: "2", .x: "2x", .sec: "2 seconds", .pct: "50%", .db: "3 dB", .lufs: "-14 LUFS",
    ]

    /// The phrase as a user would say it: slots filled, `…` once empty and once "the".
    static func instances(of phrase: String) -> [String] {
        var text = phrase
        for (slot, sample) in samples { text = text.replacingOccurrences(of: "{\(slot.rawValue)}", with: sample) }
        guard text.contains("…") else { return [text] }
        let squeeze = { (s: String) in s.split(separator: " ").joined(separator: " ") }
        return [squeeze(text.replacingOccurrences(of: "…", with: "")), squeeze(text.replacingOccurrences(of: "…", with: "the"))]
    }

    func testEveryRowReadsAsItself() {
        var checked = 0
        for (index, row) in PhraseTable.rows.enumerated() {
            for phrase in row.phrases {
                for text in Self.instances(of: phrase) {
                    let reading = PromptReading(text)
                    let label = "row \(index) \(row.meaning): '\(phrase)' said as '\(text)'"
                    // One part (trim words alone are an untimed trim part), from one match of this row.
                    XCTAssertEqual(reading.parts.count, 1, "\(label): parts \(reading.parts.map(\.phrase))")
                    XCTAssertEqual(reading.parts.first?.phrase, text, label)
                    XCTAssertEqual(reading.matches.count, 1, "\(label): matches \(reading.matches.map(\.phrase))")
                    guard let m = reading.matches.first else { continue }
                    XCTAssertEqual(m.row, index, "\(label): read as row \(m.row) '\(m.phrase)'")
                    XCTAssertFalse(m.negated, label)
                    XCTAssertEqual(m.chars, 0..<text.count, label)
                    XCTAssertEqual(m.typos, [], label)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 500)
    }

    func testSlotsReadTheirValues() {
        let cases: [(String, Double)] = [
            ("2x speed", 2), ("x3 speed", 3), ("speed 1.5×", 1.5), ("fade in 2 seconds", 2), ("fade in 1.5s", 1.5),
            ("fade out over 2 minutes", 120), ("淡入3秒", 3), ("volume -3 dB", -3), ("volume +4db", 4), ("音量提高3分贝", 3),
            ("volume 50%", 50), ("volume 50 percent", 50), ("-14 LUFS", -14), ("两倍速", 2), ("三倍速", 3), ("十倍速", 10),
            ("0.5倍速", 0.5), ("零点五倍速", 0.5), ("three times faster", 3), ("twenty five percent volume", 25),
        ]
        for (text, value) in cases {
            let m = PromptReading(text).matches
            XCTAssertEqual(m.count, 1, text)
            XCTAssertEqual(m.first?.value, value, text)
        }
    }

    func testPatternsCompile() {
        for row in PhraseTable.rows {
            for phrase in row.phrases {
                let p = PhrasePattern(phrase)
                XCTAssertFalse(p.elements.isEmpty, phrase)
                XCTAssertNotEqual(p.elements.first, .gap, "\(phrase): a gap cannot start a phrase")
                XCTAssertNotEqual(p.elements.last, .gap, "\(phrase): a gap cannot end a phrase")
            }
        }
    }

    func testWordsInflectionsAndTypos() {
        XCTAssertTrue(Words.isInflection(of: "caption", "captions"))
        XCTAssertTrue(Words.isInflection(of: "trim", "trimmed"))
        XCTAssertTrue(Words.isInflection(of: "fade", "fading"))
        XCTAssertTrue(Words.isInflection(of: "amplify", "amplified"))
        XCTAssertFalse(Words.isInflection(of: "caption", "recaption"))
        XCTAssertFalse(Words.isInflection(of: "music", "musical"))
        XCTAssertTrue(Words.isTypo(of: "vertical", "vertcal"))
        XCTAssertTrue(Words.isTypo(of: "vertical", "verticle"), "two edits from an eight-letter word")
        XCTAssertTrue(Words.isTypo(of: "captions", "captoins"))
        XCTAssertFalse(Words.isTypo(of: "caption", "captain"), "a real word is not a typo")
        XCTAssertFalse(Words.isTypo(of: "effect", "affect"), "a typo keeps the first letter")
        XCTAssertFalse(Words.isTypo(of: "music", "magic"), "two edits from a five-letter word")
        XCTAssertFalse(Words.isTypo(of: "shorts", "short"), "a real word is not a typo")
        XCTAssertEqual(Words.distance(Array("vertical"), Array("verticle"), limit: 2), 2)
        XCTAssertEqual(Words.distance(Array("abc"), Array("acb"), limit: 2), 1)
    }
}
