import Foundation

/// A subtitle file as found in the wild, read into cues (SubRip, WebVTT) or kept as an
/// author's script (ASS/SSA).
public enum SubtitleFile {
    public enum Content: Equatable, Sendable {
        case cues([Cue])
        case script(String)
    }

    /// Reads `path`; throws `CaptionError.unreadable` naming the line at fault.
    public static func read(path: String) throws -> Content {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CaptionError.cannotOpen(path: path, why: (error as NSError).localizedFailureReason ?? "no such file or not readable")
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws -> Content {
        guard let text = SubtitleText.decode(data) else { throw CaptionError.unreadable(path: path, line: 0, why: "not text in any encoding tikconv knows") }
        if text.contains("\0") { throw CaptionError.unreadable(path: path, line: 0, why: "binary data, not a subtitle file") }
        let lines = SubtitleText.lines(text)
        let firstLine = lines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        if firstLine.trimmingCharacters(in: .whitespaces).lowercased() == "[script info]" {
            guard lines.contains(where: { $0.hasPrefix("Dialogue:") }) else {
                throw CaptionError.unreadable(path: path, line: 0, why: "an ASS/SSA script with no Dialogue lines")
            }
            return .script(text)
        }
        var reader = CueReader(lines: lines, path: path)
        let cues = try reader.read()
        guard !cues.isEmpty else { throw CaptionError.unreadable(path: path, line: 0, why: "no captions found (expected SubRip, WebVTT or ASS)") }
        return .cues(cues)
    }
}

/// SubRip and WebVTT cues, leniently: blank lines may be missing between cues, numbers and
/// VTT identifiers are optional, `.` or `,` before milliseconds, any number of hour digits.
struct CueReader {
    let lines: [String]
    let path: String
    private var i = 0
    private var cues: [Cue] = []

    init(lines: [String], path: String) { self.lines = lines; self.path = path }

    mutating func read() throws -> [Cue] {
        if lines.first?.trimmingCharacters(in: .whitespaces).hasPrefix("WEBVTT") == true { skipBlock() }
        while i < lines.count {
            let line = trimmed(i)
            if line.isEmpty { i += 1; continue }
            if isVTTBlock(line) { skipBlock(); continue }
            if line.contains("-->") { try readCue(); continue }
            // A cue number or identifier: the timing must follow on the next line.
            if i + 1 < lines.count, trimmed(i + 1).contains("-->") { i += 1; continue }
            throw fail(i, "expected a cue number or a timing line like 00:00:01,000 --> 00:00:02,000")
        }
        return cues
    }

    private func trimmed(_ k: Int) -> String { lines[k].trimmingCharacters(in: .whitespaces) }

    private func isVTTBlock(_ line: String) -> Bool {
        line == "NOTE" || line.hasPrefix("NOTE ") || line.hasPrefix("NOTE\t") || line == "STYLE" || line == "REGION"
    }

    private mutating func skipBlock() { while i < lines.count && !trimmed(i).isEmpty { i += 1 } }

    private mutating func readCue() throws {
        let timing = trimmed(i)
        let parts = timing.components(separatedBy: "-->")
        guard parts.count == 2, let start = Self.seconds(parts[0]),
              let end = Self.seconds(parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? "") else {
            throw fail(i, "cannot read the timing \"\(timing)\"")
        }
        guard end >= start else { throw fail(i, "the cue ends before it starts") }
        i += 1
        var text: [String] = []
        while i < lines.count {
            let line = trimmed(i)
            if line.isEmpty || line.contains("-->") { break }
            // A missing blank line: a number followed by a timing starts the next cue.
            if Int(line) != nil, i + 1 < lines.count, trimmed(i + 1).contains("-->") { break }
            text.append(lines[i])
            i += 1
        }
        let markup = text.map(Markup.toASS).joined(separator: "\\N")
        if !markup.trimmingCharacters(in: .whitespaces).isEmpty { cues.append(Cue(start: start, end: end, text: markup)) }
    }

    private func fail(_ k: Int, _ why: String) -> CaptionError { .unreadable(path: path, line: k + 1, why: why) }

    /// "01:02:03,456", "01:02:03.456", "02:03.456" (VTT), "123:00:00,000", "0:00:01,5".
    static func seconds(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let fields = t.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count) else { return nil }
        let last = fields.last!.replacingOccurrences(of: ",", with: ".")
        let secParts = last.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(secParts.count), let sec = Int(secParts[0]), sec < 60, secParts[0].count <= 2 else { return nil }
        var frac = 0.0
        if secParts.count == 2 {
            guard !secParts[1].isEmpty, secParts[1].count <= 3, secParts[1].allSatisfy(\.isASCII), let f = Int(secParts[1]) else { return nil }
            frac = Double(f) / pow(10, Double(secParts[1].count))
        }
        let numbers = fields.dropLast().map { Int($0) }
        guard numbers.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        let hm = numbers.map { $0! }
        if hm.count == 2, hm[1] >= 60 { return nil }
        let minutes = hm.count == 2 ? hm[0] * 60 + hm[1] : hm[0]
        return Double(minutes * 60 + sec) + frac
    }
}

/// SubRip/WebVTT inline markup as ASS overrides: <i>, <b>, <u>, <font color>; other tags
/// (VTT classes, voices, ruby, karaoke timestamps) are dropped, their text kept.
enum Markup {
    static func toASS(_ line: String) -> String {
        var out = ""
        var rest = Substring(line)
        while let open = rest.firstIndex(of: "<") {
            out += CaptionScript.escapeKeepingOverrides(String(rest[..<open]))
            guard let close = rest[open...].firstIndex(of: ">") else { rest = rest[open...]; break }
            out += tag(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        out += CaptionScript.escapeKeepingOverrides(String(rest))
        return entities(out)
    }

    private static func tag(_ raw: String) -> String {
        let t = raw.trimmingCharacters(in: .whitespaces).lowercased()
        switch t {
        case "i": return "{\\i1}"
        case "/i": return "{\\i0}"
        case "b": return "{\\b1}"
        case "/b": return "{\\b0}"
        case "u": return "{\\u1}"
        case "/u": return "{\\u0}"
        case "/font": return "{\\r}"
        default: break
        }
        if t.hasPrefix("font"), let c = fontColor(raw) { return c }
        return ""
    }

    /// <font color="#RRGGBB"> or a few names → {\c&HBBGGRR&}.
    private static func fontColor(_ raw: String) -> String? {
        guard let r = raw.range(of: #"color\s*=\s*"?#?([0-9A-Za-z]+)"?"#, options: [.regularExpression, .caseInsensitive]) else { return nil }
        let value = raw[r].replacingOccurrences(of: #"(?i)color\s*=\s*"?#?"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: "\"", with: "")
        let names = ["white": "FFFFFF", "yellow": "FFFF00", "red": "FF0000", "green": "00FF00", "blue": "0000FF", "cyan": "00FFFF", "black": "000000"]
        let hex = names[value.lowercased()] ?? value
        guard hex.count == 6, UInt32(hex, radix: 16) != nil else { return nil }
        let c = Array(hex)
        return "{\\c&H\(String(c[4...5]))\(String(c[2...3]))\(String(c[0...1]))&}"
    }

    private static func entities(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&nbsp;", with: "\\h").replacingOccurrences(of: "&amp;", with: "&")
    }
}

extension CaptionScript {
    /// Text from a subtitle file: ASS overrides such as {\an8} (common in SubRip) are kept.
    static func escapeKeepingOverrides(_ s: String) -> String { s }
}

extension SubtitleFile {
    /// The cues of a file, whatever its kind: an ASS/SSA script's Dialogue lines with their
    /// override tags (for a soft track, which has no styles to keep).
    public static func cues(path: String) throws -> [Cue] {
        switch try read(path: path) {
        case let .cues(cues): return cues
        case let .script(text): return scriptCues(text)
        }
    }

    /// "Dialogue: Layer,Start,End,Style,Name,MarginL,MarginR,MarginV,Effect,Text" (ASS times H:MM:SS.cc).
    static func scriptCues(_ text: String) -> [Cue] {
        SubtitleText.lines(text).compactMap { line in
            guard line.hasPrefix("Dialogue:") else { return nil }
            let fields = line.dropFirst(9).split(separator: ",", maxSplits: 9, omittingEmptySubsequences: false)
            guard fields.count == 10, let s = CueReader.seconds(String(fields[1])), let e = CueReader.seconds(String(fields[2])),
                  e > s else { return nil }
            return Cue(start: s, end: e, text: String(fields[9]))
        }
    }
}
