import Foundation

/// Text typed in the prompt to show on the picture: `add the title "Summer Trip" for the first
/// 3 seconds`, `write "link in bio" at the end`. Only quoted text counts: without it, "add
/// captions" means captions from speech, which only the cloud agent makes.
public struct TitleRequest: Codable, Equatable, Sendable {
    public enum When: String, Codable, Sendable {
        /// From the start of the output, for `seconds` (nil: the whole video).
        case start
        /// Ending with the output, for `seconds`.
        case end
    }
    public var text: String
    public var when: When
    public var seconds: Double?
    public init(text: String, when: When = .start, seconds: Double? = nil) { self.text = text; self.when = when; self.seconds = seconds }

    /// How long a title "at the end" or "at the start" stays when no length is said.
    public static let defaultSeconds = 3.0

    /// The output time range, given the output's length (nil when unknown).
    public func range(outputLength: Double?) -> (start: Double, end: Double) {
        let total = outputLength ?? .greatestFiniteMagnitude
        switch when {
        case .start: return (0, min(total, seconds ?? total))
        case .end:
            let d = seconds ?? Self.defaultSeconds
            return outputLength.map { (max(0, $0 - d), $0) } ?? (0, 0)
        }
    }

    /// For steps and reasons: `"Summer Trip" for the first 3 s`.
    public var summary: String {
        let q = "\"\(text)\""
        switch (when, seconds) {
        case (.start, nil): return "\(q) for the whole video"
        case let (.start, s?): return "\(q) for the first \(Planner.seconds(s))"
        case let (.end, s): return "\(q) for the last \(Planner.seconds(s ?? Self.defaultSeconds))"
        }
    }
}

/// Finds typed titles in a prompt and takes them out of it, so the rest is read as usual
/// (the title's own "first 3 seconds" is not a trim).
enum TitleParser {
    struct Found {
        var request: TitleRequest
        /// The user's words, for the plan's parts.
        var phrase: String
    }

    // MARK: Phrasings (English, then Chinese). Kept together so they can move to a language's phrase file.
    static let quoted = #"["“”「『]([^"“”「」『』]{1,200})["“”」』]"#
    static let lead = #"(?:(?:add|put|write|show|display|overlay|place|with|type)\s+(?:a\s+|an\s+|the\s+)?(?:big\s+|small\s+)?"#
        + #"(?:title|text|caption|headline|words?|label)?\s*(?:card\s+)?(?:saying\s+|that\s+says\s+|reading\s+|of\s+)?"#
        + #"|(?:a\s+|an\s+|the\s+)?(?:title|text|caption|headline|label)\s+(?:card\s+)?(?:saying\s+|that\s+says\s+|reading\s+)?"#
        + #"|(?:加上?|添加|写上?|显示)(?:标题|文字|字幕)?\s*)"#
    static let timing = #"(?:\s*(?:(?:for|during|in|over)\s+the\s+first\s+(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)\b"#
        + #"|for\s+(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)\b"#
        + #"|(?:for|during|in|over)\s+the\s+last\s+(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)\b"#
        + #"|(?:at|in)\s+the\s+(end)\b|(?:at|in)\s+the\s+(start|beginning)\b"#
        + #"|前\s*(\d+(?:\.\d+)?)\s*秒|最后\s*(\d+(?:\.\d+)?)\s*秒|(结尾)|(开头)))?"#

    /// The titles, and the prompt without them.
    static func extract(_ prompt: String) -> (found: [Found], rest: String) {
        guard let re = try? NSRegularExpression(pattern: lead + quoted + timing, options: [.caseInsensitive]) else { return ([], prompt) }
        let ns = prompt as NSString
        var found: [Found] = []
        var rest = prompt
        for m in re.matches(in: prompt, range: NSRange(location: 0, length: ns.length)).reversed() {
            func group(_ i: Int) -> String? { m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i)) }
            let text = group(1)!.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            var request = TitleRequest(text: text)
            if let s = group(2) ?? group(3) ?? group(7) { request.seconds = Double(s) }
            if let s = group(4) ?? group(8) { request.when = .end; request.seconds = Double(s) }
            if group(5) != nil || group(9) != nil { request.when = .end }
            if group(6) != nil || group(10) != nil { request.seconds = TitleRequest.defaultSeconds }
            found.insert(Found(request: request, phrase: ns.substring(with: m.range).trimmingCharacters(in: .whitespaces)), at: 0)
            rest = (rest as NSString).replacingCharacters(in: m.range, with: " ")
        }
        return (found, rest)
    }
}
