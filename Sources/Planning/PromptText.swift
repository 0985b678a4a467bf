import Foundation

/// A prompt prepared for matching. Each character is lower-cased and compatibility-normalised
/// on its own (full-width "２" → "2"), so positions map one to one onto what the user typed;
/// number words next to a unit become digits ("ten seconds" → "10 seconds"; Chinese numerals likewise, see `Chinese.value`),
/// with a map back to the typed characters so a part is always quoted in the user's words.
struct PromptText {
    /// The prompt as typed.
    let original: [Character]
    /// The normalised text, for the phrase matcher and the trim parser.
    let text: String
    let chars: [Character]
    /// `origin[i]`: index in `original` of normalised character `i`; one extra entry for the end.
    let origin: [Int]

    init(_ prompt: String) {
        original = Array(prompt)
        let lowered = original.map(Self.fold)
        let (chars, origin) = NumberWords.normalise(lowered)
        self.chars = chars
        self.origin = origin + [original.count]
        text = String(chars)
    }

    /// The user's own words for a range of normalised characters.
    func originalText(_ r: Range<Int>) -> String {
        guard !r.isEmpty, r.lowerBound < chars.count else { return "" }
        let a = origin[r.lowerBound]
        let b = r.upperBound >= chars.count ? original.count : origin[r.upperBound]
        guard a < b else { return "" }
        // Quotes around a phrase are not part of it ('Follow me"' → 'Follow me').
        return String(original[a..<b]).trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'“”‘’「」")))
    }

    /// One character lower-cased and NFKC-normalised, kept as it is if that would change the count.
    static func fold(_ c: Character) -> Character {
        let s = String(c).precomposedStringWithCompatibilityMapping.lowercased()
        return s.count == 1 ? s.first! : c
    }
}

/// Number words that stand before a unit, turned into digits.
enum NumberWords {
    static let english: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    ]
    /// Units that make a number word a quantity ("two times", "ten seconds", "three x").
    static let englishUnits = ["seconds", "second", "secs", "sec", "minutes", "minute", "mins", "min", "times",
                               "x", "percent", "db", "decibels", "decibel", "frames", "lufs"]

    static let englishPattern: NSRegularExpression? = {
        let words = english.keys.sorted { $0.count > $1.count }.joined(separator: "|")
        let units = englishUnits.joined(separator: "|")
        return try? NSRegularExpression(pattern: "\\b((?:\(words))(?:[ -](?:\(words)))?)(?=\\s*-?\\s*(?:\(units))\\b)")
    }()
    static let chinesePattern: NSRegularExpression? = {
        let units = Chinese.numberUnits.joined(separator: "|")
        return try? NSRegularExpression(pattern: "(\(Chinese.numeral))(?=\\s*(?:\(units)))")
    }()

    /// The characters with number words replaced by digits, and each one's index in `chars`.
    static func normalise(_ chars: [Character]) -> ([Character], [Int]) {
        let text = String(chars)
        var replacements: [(Range<Int>, String)] = []
        for (re, parse) in [(englishPattern, englishValue), (chinesePattern, Chinese.value)] {
            guard let re else { continue }
            let ns = text as NSString
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                guard let r = Range(m.range(at: 1), in: text), let v = parse(String(text[r])) else { continue }
                let a = text.distance(from: text.startIndex, to: r.lowerBound)
                replacements.append((a..<(a + text[r].count), digits(v)))
            }
        }
        replacements.sort { $0.0.lowerBound < $1.0.lowerBound }
        var out: [Character] = [], origin: [Int] = []
        var i = 0
        for (r, d) in replacements where r.lowerBound >= i {
            while i < r.lowerBound { out.append(chars[i]); origin.append(i); i += 1 }
            for c in d { out.append(c); origin.append(r.lowerBound) }
            i = r.upperBound
        }
        while i < chars.count { out.append(chars[i]); origin.append(i); i += 1 }
        return (out, origin)
    }

    static func digits(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e12 ? String(Int(v)) : String(v)
    }

    /// "two" → 2, "twenty five" / "twenty-five" → 25.
    static func englishValue(_ s: String) -> Double? {
        let parts = s.split { $0 == " " || $0 == "-" }.map(String.init)
        let values = parts.compactMap { english[$0] }
        guard values.count == parts.count, let first = values.first else { return nil }
        if values.count == 1 { return Double(first) }
        // Only "tens units" pairs ("twenty five"); "two three" is not a number.
        guard first >= 20, first % 10 == 0, first < 100, values[1] < 10 else { return nil }
        return Double(first + values[1])
    }

}
