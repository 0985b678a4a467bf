import Foundation

/// A time range read from a prompt ("first 15 seconds", "from 0:10 to 0:25", "前15秒").
public struct PromptTrim: Equatable, Sendable {
    public var start: Double?
    public var duration: Double?
    /// Seconds to keep at the end ("last 10 seconds"); resolved against the input's duration.
    public var lastSeconds: Double?
    /// The prompt text that gave it, for reasons.
    public var phrase: String

    public var isEmpty: Bool { start == nil && duration == nil && lastSeconds == nil }
}

/// Reads trim times from English and Chinese prompts. Numbers need a unit ("15s", "15 seconds",
/// "15秒", "2 minutes") or a clock form ("0:15", "1:02:03") so "9:16" or "first 2 videos" are not times.
public enum TrimParser {
    static let clock = #"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?"#
    static let withUnit = #"\d+(?:\.\d+)?\s*-?\s*(?:seconds?|secs?|s|minutes?|mins?|m)(?![a-z])|\d+\s*分(?:钟)?\s*\d+(?:\.\d+)?\s*秒(?:钟)?|\d+(?:\.\d+)?\s*(?:秒钟|秒|分钟|分)"#
    static let time = "(?:\(clock)|\(withUnit))"
    static let timeOrNumber = "(?:\(clock)|\(withUnit)|\\d+(?:\\.\\d+)?)"

    enum Kind { case range, first, last, length, start }

    static let patterns: [(Kind, String)] = [
        (.range, "(?:from|between)\\s+(\(timeOrNumber))\\s*(?:to|and|until|till|-|–|~)\\s*(\(time))"),
        (.range, "从\\s*(\(timeOrNumber))\\s*(?:到|至|-|~)\\s*(\(time))"),
        (.range, "(\(time))\\s*(?:-|–|~|to|到|至)\\s*(\(time))"),
        (.start, "(?:start(?:ing)?\\s+(?:at|from)|begin(?:ning)?\\s+at|skip(?:ping)?\\s+(?:the\\s+)?first)\\s+(\(time))"),
        (.start, "(?:从\\s*(\(time))\\s*开始|跳过前\\s*(\(time)))"),
        (.first, "(?<!skip )(?<!skip the )(?<!skipping )(?<!skipping the )(?:first|opening|initial)\\s+(\(time))"),
        (.first, "(?<!跳过)前\\s*(\(time))"),
        (.last, "(?:last|final|ending)\\s+(\(time))"),
        (.last, "(?:最后|末尾)\\s*(\(time))"),
        (.length, "(?:trim|cut|shorten|clip|limit)\\s+(?:it\\s+|this(?:\\s+video|\\s+clip)?\\s+|the\\s+(?:video|clip)\\s+)?(?:down\\s+)?to\\s+(\(time))"),
        (.length, "make\\s+it\\s+(\(time))\\s+long"),
        (.length, "(?:剪|截|裁|缩短|剪辑|控制)(?:成|到|为|在)\\s*(\(time))"),
    ]

    /// The patterns compiled once: swift-corelibs-foundation's NSRegularExpression leaks its
    /// compiled form (~700 bytes, found by the prompt fuzzer under LeakSanitizer), so compiling
    /// them on every call leaked on every plan.
    nonisolated(unsafe) static let compiled: [(Kind, NSRegularExpression)] = patterns.compactMap { kind, pattern in
        (try? NSRegularExpression(pattern: pattern, options: [])).map { (kind, $0) }
    }

    /// The trim the prompt asks for, or nil when it names no times.
    public static func parse(_ prompt: String) -> PromptTrim? {
        let text = prompt.lowercased()
        var result = PromptTrim(start: nil, duration: nil, lastSeconds: nil, phrase: "")
        var phrases: [String] = []
        var haveRange = false
        for (kind, re) in compiled {
            let ns = text as NSString
            guard let m = re.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { continue }
            var groups: [String] = []
            for g in 1..<m.numberOfRanges where m.range(at: g).location != NSNotFound {
                groups.append(ns.substring(with: m.range(at: g)))
            }
            guard let firstGroup = groups.first, let a = seconds(firstGroup) else { continue }
            switch kind {
            case .range:
                if haveRange { continue }
                guard groups.count >= 2, let bRaw = seconds(groups[1]) else { continue }
                // "from 10 to 25 seconds": a bare first number takes the second's unit.
                let b = bRaw.value
                let aValue = a.hasUnit ? a.value : a.value * bRaw.multiplier
                guard b > aValue else { continue }
                result.start = aValue; result.duration = b - aValue; haveRange = true
            case .start:
                if haveRange || result.start != nil { continue }
                result.start = a.value
            case .first:
                if haveRange || result.duration != nil { continue }
                result.duration = a.value
            case .last:
                if haveRange || result.duration != nil { continue }
                result.lastSeconds = a.value
            case .length:
                if haveRange || result.duration != nil || result.lastSeconds != nil { continue }
                result.duration = a.value
            }
            phrases.append(ns.substring(with: m.range).trimmingCharacters(in: .whitespaces))
        }
        if result.isEmpty { return nil }
        result.phrase = phrases.joined(separator: ", ")
        return result
    }

    /// Seconds in "15s", "15 seconds", "2 min", "1:30", "1:02:03", "15秒", "2分钟", "1分30秒", or a bare "15".
    static func seconds(_ raw: String) -> (value: Double, hasUnit: Bool, multiplier: Double)? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s == "9:16" || s == "16:9" { return nil }  // aspect ratios, not clock times
        if s.contains(":") {
            let parts = s.split(separator: ":").compactMap { Double($0) }
            guard parts.count == s.split(separator: ":").count, (2...3).contains(parts.count) else { return nil }
            return (parts.reduce(0) { $0 * 60 + $1 }, true, 1)
        }
        if s.contains("分"), s.contains("秒") {
            let nums = numbers(in: s)
            guard nums.count == 2 else { return nil }
            return (nums[0] * 60 + nums[1], true, 1)
        }
        guard let n = numbers(in: s).first else { return nil }
        let unit = s.drop { $0.isNumber || $0 == "." }.filter { $0.isLetter || !$0.isASCII }
        let minute = unit.hasPrefix("m") || unit.hasPrefix("分")
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
