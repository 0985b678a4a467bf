import Foundation

/// A time range read from a prompt ("first 15 seconds", "from 0:10 to 0:25"; Chinese: `Chinese.Trim`).
public struct PromptTrim: Equatable, Sendable {
    public var start: Double?
    public var duration: Double?
    /// Seconds to keep at the end ("last 10 seconds"); resolved against the input's duration.
    public var lastSeconds: Double?
    /// Seconds to cut off the end ("cut the last 5 seconds"); resolved against the input's duration.
    public var dropLastSeconds: Double?
    /// The prompt text that gave it, for reasons.
    public var phrase: String

    public init(start: Double? = nil, duration: Double? = nil, lastSeconds: Double? = nil,
                dropLastSeconds: Double? = nil, phrase: String = "") {
        self.start = start; self.duration = duration; self.lastSeconds = lastSeconds
        self.dropLastSeconds = dropLastSeconds; self.phrase = phrase
    }

    public var isEmpty: Bool { start == nil && duration == nil && lastSeconds == nil && dropLastSeconds == nil }
    /// True when the times depend on the input's length ("last 10 seconds").
    public var needsLength: Bool { lastSeconds != nil || dropLastSeconds != nil }
}

/// One time phrase found in a prompt.
public struct TrimMatch: Equatable, Sendable {
    enum Kind: Equatable, Sendable { case range, first, last, length, start, dropLast, bothEnds }
    var kind: Kind
    var a: Double
    var b: Double?
    /// Character offsets in the text given to `TrimParser.matches`.
    public var chars: Range<Int>
    public var phrase: String
}

/// Reads trim times from English and Chinese prompts (Chinese phrasings: `Chinese.Trim`). Numbers
/// need a unit ("15s", "15 seconds", "2 minutes") or a clock form ("0:15", "1:02:03") so "9:16" or "first 2 videos" are not times.
public enum TrimParser {
    static let clock = #"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?"#
    static let withUnit = #"\d+(?:\.\d+)?\s*-?\s*(?:seconds?|secs?|s|minutes?|mins?|m)(?![a-z])|"# + Chinese.Trim.duration
    static let time = "(?:\(clock)|\(withUnit))"
    static let timeOrNumber = "(?:\(clock)|\(withUnit)|\\d+(?:\\.\\d+)?)"
    static let removeVerb = "(?:cut|remove|drop|delete|trim|chop|lose)(?:\\s+(?:off|out|away))?\\s+(?:the\\s+)?"

    typealias Kind = TrimMatch.Kind

    /// In priority order: a phrase inside an earlier one's match is not read again
    /// ("cut the first 3 seconds" is a start, not "first 3 seconds").
    static let patterns: [(Kind, String)] = [
        (.range, "(?:from|between)\\s+(\(timeOrNumber))\\s*(?:to|and|until|till|-|–|~)\\s*(\(time))"),
        (.range, Chinese.Trim.range(timeOrNumber, time)),
        (.range, "(\(time))\\s*(?:-|–|~|to|\(Chinese.Trim.to))\\s*(\(time))"),
        (.bothEnds, "\(removeVerb)(?:first|opening|initial)\\s+(\(time))\\s*(?:and|&|,)\\s*(?:the\\s+)?(?:last|final|ending)\\s+(\(time))"),
        (.bothEnds, Chinese.Trim.bothEnds(time)),
        (.start, "\(removeVerb)(?:first|opening|initial)\\s+(\(time))"),
        (.dropLast, "\(removeVerb)(?:last|final|ending)\\s+(\(time))"),
        (.start, Chinese.Trim.dropFirst(time)),
        (.dropLast, Chinese.Trim.dropLast(time)),
        (.start, "(?:start(?:ing)?\\s+(?:at|from)|begin(?:ning)?\\s+at|skip(?:ping)?\\s+(?:the\\s+)?first)\\s+(\(time))"),
        (.start, Chinese.Trim.startAt(time)),
        (.first, "(?:first|opening|initial)\\s+(\(time))"),
        (.first, Chinese.Trim.first(time)),
        (.last, "(?:last|final|ending)\\s+(\(time))"),
        (.last, Chinese.Trim.last(time)),
        (.length, "(?:trim|cut|shorten|clip|limit)\\s+(?:it\\s+|this(?:\\s+video|\\s+clip)?\\s+|the\\s+(?:video|clip)\\s+)?(?:down\\s+)?to\\s+(\(time))"),
        (.length, "make\\s+it\\s+(\(time))\\s+long"),
        (.length, Chinese.Trim.length(time)),
    ]

    /// The patterns compiled once: swift-corelibs-foundation's NSRegularExpression leaks its
    /// compiled form (~700 bytes, found by the prompt fuzzer under LeakSanitizer), so compiling
    /// them on every call leaked on every plan.
    static let compiled: [(Kind, NSRegularExpression)] = patterns.compactMap { kind, pattern in
        (try? NSRegularExpression(pattern: pattern, options: [])).map { (kind, $0) }
    }

    /// The trim the prompt asks for, or nil when it names no times.
    public static func parse(_ prompt: String) -> PromptTrim? {
        let text = prompt.lowercased()
        return combine(matches(in: text), text: text)
    }

    /// Every time phrase in `text` (already lower-cased), in pattern order, none inside another.
    public static func matches(in text: String) -> [TrimMatch] {
        let ns = text as NSString
        var found: [TrimMatch] = []
        for (kind, re) in compiled {
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                guard let r = Range(m.range, in: text) else { continue }
                let a = text.distance(from: text.startIndex, to: r.lowerBound)
                let chars = a..<(a + text[r].count)
                if found.contains(where: { $0.chars.overlaps(chars) }) { continue }
                var groups: [String] = []
                for g in 1..<m.numberOfRanges where m.range(at: g).location != NSNotFound {
                    groups.append(ns.substring(with: m.range(at: g)))
                }
                guard let match = reading(kind, groups, chars: chars, phrase: String(text[r])) else { continue }
                found.append(match)
                break
            }
        }
        return found
    }

    /// One match's values; nil when its times cannot be used ("from 25 to 10 s").
    static func reading(_ kind: Kind, _ groups: [String], chars: Range<Int>, phrase: String) -> TrimMatch? {
        guard let first = groups.first, let a = seconds(first) else { return nil }
        let trimmed = phrase.trimmingCharacters(in: .whitespaces)
        if kind == .bothEnds, groups.count >= 2, let b = seconds(groups[1]) {
            return TrimMatch(kind: kind, a: a.value, b: b.value, chars: chars, phrase: trimmed)
        }
        guard kind == .range else { return TrimMatch(kind: kind, a: a.value, b: nil, chars: chars, phrase: trimmed) }
        // "from 10 to 25 seconds": a bare first number takes the second's unit.
        guard groups.count >= 2, let b = seconds(groups[1]) else { return nil }
        let aValue = a.hasUnit ? a.value : a.value * b.multiplier
        guard b.value > aValue else { return nil }
        return TrimMatch(kind: kind, a: aValue, b: b.value, chars: chars, phrase: trimmed)
    }

    /// The trim the matches ask for together; a range wins over everything else.
    public static func combine(_ matches: [TrimMatch], text: String) -> PromptTrim? {
        var result = PromptTrim()
        var phrases: [String] = []
        let haveRange = matches.contains { $0.kind == .range }
        for m in matches {
            switch m.kind {
            case .range:
                if result.start != nil { continue }
                result.start = m.a; result.duration = (m.b ?? m.a) - m.a
            case .start:
                if haveRange || result.start != nil { continue }
                result.start = m.a
            case .first, .length:
                if haveRange || result.duration != nil || result.lastSeconds != nil { continue }
                result.duration = m.a
            case .last:
                if haveRange || result.duration != nil || result.lastSeconds != nil { continue }
                result.lastSeconds = m.a
            case .dropLast:
                if haveRange || result.dropLastSeconds != nil { continue }
                result.dropLastSeconds = m.a
            case .bothEnds:
                if haveRange || result.start != nil { continue }
                result.start = m.a; result.dropLastSeconds = m.b
            }
            phrases.append(m.phrase)
        }
        if result.isEmpty { return nil }
        result.phrase = phrases.joined(separator: ", ")
        return result
    }

    /// Seconds in "15s", "15 seconds", "2 min", "1:30", "1:02:03", their Chinese forms, or a bare "15".
    static func seconds(_ raw: String) -> (value: Double, hasUnit: Bool, multiplier: Double)? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s == "9:16" || s == "16:9" { return nil }  // aspect ratios, not clock times
        if s.contains(":") {
            let parts = s.split(separator: ":").compactMap { Double($0) }
            guard parts.count == s.split(separator: ":").count, (2...3).contains(parts.count) else { return nil }
            return (parts.reduce(0) { $0 * 60 + $1 }, true, 1)
        }
        if s.contains(Chinese.minute), s.contains(Chinese.second) {
            let nums = numbers(in: s)
            guard nums.count == 2 else { return nil }
            return (nums[0] * 60 + nums[1], true, 1)
        }
        guard let n = numbers(in: s).first else { return nil }
        let unit = s.drop { $0.isNumber || $0 == "." }.filter { $0.isLetter || !$0.isASCII }
        let minute = unit.hasPrefix("m") || unit.hasPrefix(Chinese.minute)
        if unit.isEmpty { return (n, false, 1) }
        return (minute ? n * 60 : n, true, minute ? 60 : 1)
    }

    static func numbers(in s: String) -> [Double] {
        var out: [Double] = []
        var cur = ""
        for ch in s {
            if ch.isASCII && (ch.isNumber || ch == ".") { cur.append(ch) }
            else if !cur.isEmpty { if let d = Double(cur) { out.append(d) }; cur = "" }
        }
        if let d = Double(cur) { out.append(d) }
        return out
    }
}
