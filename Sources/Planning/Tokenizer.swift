import Foundation

/// One unit of a prompt for the phrase matcher.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A run of letters and digits ("captions", "mp4", "9x16"), apostrophes dropped ("dont").
        case word
        /// Digits, maybe signed or decimal ("2", "-3", "1.5"); `value` holds it.
        case number
        /// One Chinese (CJK) character.
        case cjk
        /// "%", ":", "&", "/", emoji …
        case symbol
        /// Ends a clause: , . ; ! ? and their CJK forms, line breaks, brackets.
        case separator
        /// "clip.mp4", "IMG_2034.MOV": a file named in the prompt.
        case fileName
    }
    var kind: Kind
    var text: String
    var value: Double?
    /// Normalised-character offsets.
    var range: Range<Int>
}

/// Splits normalised prompt characters into tokens. A letters-and-digits run that is a number
/// with a unit ("2x", "15s", "3db", "1080p") becomes a number and a word, so phrases can say
/// "{x} speed" or "{sec}"; "x2" becomes "x" and 2; other mixes ("mp4", "1080x1920") stay words.
enum Tokenizer {
    static let separators: Set<Character> = [",", ";", "!", "?", ".", "\n", "\r", "(", ")", "[", "]", "{", "}", "|",
                                             "，", "。", "、", "；", "！", "？", "…", "（", "）", "【", "】", "《", "》"]
    /// Characters that only join or quote words.
    static let dropped: Set<Character> = ["'", "’", "‘", "\"", "“", "”", "`", "-", "_", "~", "=", "「", "」", "—", "–"]
    static let fileExtensions: Set<String> = [
        "mp4", "mov", "avi", "mkv", "webm", "m4v", "flv", "wmv", "mpg", "mpeg", "ts", "3gp", "ogv", "ogg",
        "jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff", "txt", "md", "srt",
        "mp3", "wav", "m4a", "aac", "flac", "opus",
    ]

    static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) }
    }

    static func isWordChar(_ c: Character) -> Bool { (c.isLetter || c.isNumber) && !isCJK(c) }

    static func tokenize(_ chars: [Character]) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace && c != "\n" && c != "\r" { i += 1; continue }
            if let signed = signedNumber(chars, at: i) { out.append(signed.token); i = signed.end; continue }
            if isWordChar(c) { let end = wordRun(chars, from: i, into: &out); i = end; continue }
            if separators.contains(c) { out.append(Token(kind: .separator, text: String(c), range: i..<(i + 1))); i += 1; continue }
            if isCJK(c) { out.append(Token(kind: .cjk, text: String(c), range: i..<(i + 1))); i += 1; continue }
            if c == "×" || c == "✕" { out.append(Token(kind: .word, text: "x", range: i..<(i + 1))); i += 1; continue }
            if !dropped.contains(c) && !c.isWhitespace {
                out.append(Token(kind: .symbol, text: String(c), range: i..<(i + 1)))
            }
            i += 1
        }
        return out
    }

    /// "+3", "-6", "−2.5" where the sign starts a number (not "0:05-0:20").
    static func signedNumber(_ chars: [Character], at i: Int) -> (token: Token, end: Int)? {
        let c = chars[i]
        guard c == "+" || c == "-" || c == "−", i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isNumber else { return nil }
        if i > 0, isWordChar(chars[i - 1]) || chars[i - 1] == ":" || chars[i - 1] == "." { return nil }
        var j = i + 1
        while j < chars.count, chars[j].isASCII, chars[j].isNumber || (chars[j] == "." && j + 1 < chars.count && chars[j + 1].isNumber) { j += 1 }
        // A unit glued to it ("-3db") is left for the word scanner.
        let digits = String(chars[(i + 1)..<j])
        guard let v = Double(digits) else { return nil }
        let value = c == "+" ? v : -v
        return (Token(kind: .number, text: (c == "+" ? "+" : "-") + digits, value: value, range: i..<j), j)
    }

    /// Scans a letters-and-digits run from `i` (a file name when it ends in ".ext"); returns its end.
    static func wordRun(_ chars: [Character], from i: Int, into out: inout [Token]) -> Int {
        var j = i
        var run = ""
        while j < chars.count {
            let c = chars[j]
            if isWordChar(c) { run.append(c); j += 1; continue }
            let nextIsWord = j + 1 < chars.count && isWordChar(chars[j + 1])
            if (c == "'" || c == "’") && nextIsWord { j += 1; continue }
            if c == ".", let last = run.last, last.isNumber, j + 1 < chars.count, chars[j + 1].isNumber { run.append(c); j += 1; continue }
            if (c == "." || c == "_" || c == "-") && nextIsWord, let end = fileNameEnd(chars, from: j) {
                out.append(Token(kind: .fileName, text: String(chars[i..<end]), range: i..<end))
                return end
            }
            break
        }
        split(run, range: i..<j, into: &out)
        return j
    }

    /// End of "name.ext" when the characters from `j` continue a file name ("_2034.mov", ".mp4").
    static func fileNameEnd(_ chars: [Character], from j: Int) -> Int? {
        var k = j
        var lastDot: Int? = nil
        while k < chars.count, isWordChar(chars[k]) || chars[k] == "." || chars[k] == "_" || chars[k] == "-" {
            if chars[k] == "." { lastDot = k }
            k += 1
        }
        guard let dot = lastDot, dot + 1 < k else { return nil }
        let ext = String(chars[(dot + 1)..<k])
        return fileExtensions.contains(ext) ? k : nil
    }

    /// "2x" → 2, "x"; "x2" → "x", 2; "15" → 15; anything else stays one word.
    static func split(_ run: String, range: Range<Int>, into out: inout [Token]) {
        let start = range.lowerBound, end = range.upperBound
        if let v = Double(run), run.first?.isNumber == true {
            out.append(Token(kind: .number, text: run, value: v, range: start..<end)); return
        }
        let digits = run.prefix { $0.isNumber || $0 == "." }
        let rest = run.dropFirst(digits.count)
        if !digits.isEmpty, let v = Double(digits), !rest.isEmpty, rest.allSatisfy({ $0.isLetter }) {
            let mid = start + digits.count
            out.append(Token(kind: .number, text: String(digits), value: v, range: start..<mid))
            out.append(Token(kind: .word, text: String(rest), range: mid..<end)); return
        }
        if run.first == "x", let v = Double(run.dropFirst()), run.dropFirst().first?.isNumber == true {
            out.append(Token(kind: .word, text: "x", range: start..<(start + 1)))
            out.append(Token(kind: .number, text: String(run.dropFirst()), value: v, range: (start + 1)..<end)); return
        }
        out.append(Token(kind: .word, text: run, range: start..<end))
    }
}
