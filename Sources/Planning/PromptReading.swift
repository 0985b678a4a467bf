import Foundation

/// One part of a prompt, before the planner decides what happens to it.
struct PromptPart: Sendable {
    enum What: Sendable {
        /// A table phrase (negated or not).
        case match(PhraseMatch)
        /// The time phrases and trim words together ("trim", "first 15 seconds").
        case trim
        /// Trim words with no times ("trim the boring parts"): only the agent can choose the cut.
        case untimedTrim
        /// Words the table does not know, in a language tikconv recognises: a request for the agent.
        case unknown
        /// Words in no language tikconv recognises ("asdfgh", "hazlo").
        case gibberish
        /// A file named in the prompt ("clip.mp4").
        case fileName
    }
    var what: What
    /// Normalised-character range (attached words included); parts are ordered by it.
    var chars: Range<Int>
    /// The user's own words.
    var phrase: String
    /// Unknown words that only name what an edit works on ("make the audio" + "quieter").
    var namesObject = false

    var match: PhraseMatch? { if case let .match(m) = what { return m }; return nil }
}

/// Everything a prompt says, read once: table phrases, time phrases, and the words left over,
/// clause by clause. Pure; the planner decides what happens to each part.
struct PromptReading: Sendable {
    let prompt: String
    let parts: [PromptPart]
    /// The trim the time phrases ask for (nil: none).
    let trim: PromptTrim?
    /// Un-negated table matches, in prompt order.
    let matches: [PhraseMatch]

    init(_ prompt: String) {
        self.prompt = prompt
        let text = PromptText(prompt)
        let tokens = Tokenizer.tokenize(text.chars)
        let all = PhraseMatcher.match(tokens)
        // A duration inside an edit's own phrase ("fade out over the last 3 s") is the edit's, not a trim.
        let trimMatches = TrimParser.matches(in: text.text).filter { t in
            !all.contains { $0.hasDuration && !$0.negated && $0.chars.overlaps(t.chars) }
        }
        trim = TrimParser.combine(trimMatches, text: text.text)
        matches = all.filter { !$0.negated }
        parts = Self.parts(text, tokens, all, trimMatches)
        hasWords = tokens.contains { $0.kind != .separator && ($0.kind != .symbol || !$0.text.unicodeScalars.allSatisfy(\.isASCII)) }
    }

    var isEmpty: Bool { prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    /// Intents said (negated ones left out), with `.trim` when there are times, in `Intent` order.
    var intents: [Intent] {
        var set = Set<Intent>()
        for m in matches {
            switch m.meaning {
            case let .intent(i): set.insert(i)
            case let .edit(kind, _): set.insert(kind.intent)
            case .already, .unsupported: break
            }
        }
        if trim != nil { set.insert(.trim) }
        return Intent.allCases.filter { set.contains($0) }
    }

    /// The user's words for each table match, by the match's first token.
    var wordsByMatch: [Int: String] {
        Dictionary(parts.compactMap { p in p.match.map { ($0.tokens.lowerBound, p.phrase) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The first un-negated match of an intent.
    func first(_ intent: Intent) -> PhraseMatch? {
        matches.first { if case let .intent(i) = $0.meaning { return i == intent }; return false }
    }

    /// True when the prompt has parts and none of them was understood (gibberish, file names).
    var understoodNothing: Bool {
        !parts.isEmpty && parts.allSatisfy {
            if case .gibberish = $0.what { return true }
            if case .fileName = $0.what { return true }
            return false
        }
    }

    /// True when the prompt holds no word at all (only punctuation): not an instruction either.
    let hasWords: Bool

    var gibberish: [PromptPart] { parts.filter { if case .gibberish = $0.what { return true }; return false } }
    var fileNames: [PromptPart] { parts.filter { if case .fileName = $0.what { return true }; return false } }

    // MARK: - Building the parts

    static func parts(_ text: PromptText, _ tokens: [Token], _ matches: [PhraseMatch], _ trims: [TrimMatch]) -> [PromptPart] {
        var covered = [Bool](repeating: false, count: tokens.count)
        for m in matches { for i in m.tokens { covered[i] = true } }
        for (i, t) in tokens.enumerated() where trims.contains(where: { $0.chars.overlaps(t.range) }) { covered[i] = true }
        var parts = matches.map { PromptPart(what: .match($0), chars: $0.chars, phrase: text.originalText($0.chars)) }
        for (i, t) in tokens.enumerated() where t.kind == .fileName {
            covered[i] = true
            parts.append(PromptPart(what: .fileName, chars: t.range, phrase: text.originalText(t.range)))
        }
        var leftovers = Leftovers.runs(tokens, covered: covered).compactMap { Leftovers.part($0, tokens, text) }
        attach(&leftovers, to: &parts, text)
        parts += leftovers
        parts = mergeTrim(parts, trims: trims, text)
        return parts.sorted { $0.chars.lowerBound < $1.chars.lowerBound }
    }

    /// Unknown words right before or after something only the agent does ("add captions in
    /// yellow", "trim the boring parts") are that request's details, not a request of their own;
    /// so are words that only name what a phrase works on ("make the audio" + "quieter").
    static func attach(_ leftovers: inout [PromptPart], to parts: inout [PromptPart], _ text: PromptText) {
        leftovers.removeAll { left in
            guard case .unknown = left.what else { return false }
            for (i, p) in parts.enumerated() {
                guard let m = p.match, !m.negated, takesDetails(m.meaning) || left.namesObject else { continue }
                let a = min(p.chars.upperBound, left.chars.upperBound), b = max(p.chars.lowerBound, left.chars.lowerBound)
                guard a <= b, text.chars[a..<b].allSatisfy({ $0.isWhitespace || Tokenizer.dropped.contains($0) }) else { continue }
                let union = min(p.chars.lowerBound, left.chars.lowerBound)..<max(p.chars.upperBound, left.chars.upperBound)
                parts[i].chars = union
                parts[i].phrase = text.originalText(union)
                return true
            }
            return false
        }
    }

    static func takesDetails(_ meaning: PhraseMeaning) -> Bool {
        guard case let .intent(i) = meaning else { return false }
        return i.category != .local || i == .trim
    }

    /// Time phrases and trim words become one part; trim words with no times, an untimed trim.
    static func mergeTrim(_ parts: [PromptPart], trims: [TrimMatch], _ text: PromptText) -> [PromptPart] {
        let isTrimWord: (PromptPart) -> Bool = { p in
            guard let m = p.match, !m.negated, case .intent(.trim) = m.meaning else { return false }
            return true
        }
        let words = parts.filter(isTrimWord)
        var rest = parts.filter { !isTrimWord($0) }
        if trims.isEmpty {
            rest += words.map { PromptPart(what: .untimedTrim, chars: $0.chars, phrase: $0.phrase) }
            return rest
        }
        // Pieces next to each other, or apart by filler only ("trim to the first 15 s"), read as one.
        var pieces: [Range<Int>] = []
        for r in (words.map(\.chars) + trims.map(\.chars)).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = pieces.last, r.lowerBound <= last.upperBound || onlyFiller(text.chars[last.upperBound..<r.lowerBound]) {
                pieces[pieces.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                pieces.append(r)
            }
        }
        guard let first = pieces.first, let last = pieces.last else { return rest }
        let phrase = pieces.map { text.originalText($0) }.joined(separator: " … ")
        rest.append(PromptPart(what: .trim, chars: first.lowerBound..<last.upperBound, phrase: phrase))
        return rest
    }

    static func onlyFiller(_ chars: ArraySlice<Character>) -> Bool {
        String(chars).split(separator: " ").allSatisfy { Vocabulary.filler.contains(String($0)) }
    }
}

/// The words the table leaves over, split into clauses, judged: filler, a request in words
/// tikconv knows (for the agent), or gibberish.
enum Leftovers {
    /// Maximal runs of uncovered tokens, split at separators and connectors.
    static func runs(_ tokens: [Token], covered: [Bool]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int? = nil
        for (i, t) in tokens.enumerated() {
            let breaks = covered[i] || t.kind == .separator || Vocabulary.connectors.contains(t.text)
                || (t.kind == .cjk && Chinese.connectors.contains(t.text))
            if breaks {
                if let s = start { runs.append(s..<i); start = nil }
            } else if start == nil {
                start = i
            }
        }
        if let s = start { runs.append(s..<tokens.count) }
        return runs
    }

    /// The run as a part, or nil when it is only filler.
    static func part(_ run: Range<Int>, _ tokens: [Token], _ text: PromptText) -> PromptPart? {
        let ts = Array(tokens[run])
        let english = ts.filter { $0.kind == .word || $0.kind == .number }.map(\.text)
        let chinese = chineseContent(ts.filter { $0.kind == .cjk }.map(\.text).joined())
        let symbols = ts.filter { $0.kind == .symbol && !$0.text.unicodeScalars.allSatisfy(\.isASCII) }
        let content = english.filter { !Vocabulary.filler.contains($0) }
        if content.isEmpty && chinese.isEmpty && symbols.isEmpty { return nil }
        // A request in words tikconv knows: a content word, Chinese, another script, or an
        // unknown word among English function words ("jazz it up"); numbers and letters alone are not.
        let unknownWord = english.contains { w in
            w.count >= 2 && w.allSatisfy(\.isLetter) && !Vocabulary.isKnown(w) && !PhraseMatcher.tableWords.contains(w)
        }
        let known = english.contains(where: Vocabulary.isContent) || (unknownWord && english.contains(where: Vocabulary.filler.contains))
            || !chinese.isEmpty || ts.contains { $0.kind == .word && isOtherScript($0.text) }
        let chars = ts[0].range.lowerBound..<ts[ts.count - 1].range.upperBound
        let objectOnly = chinese.isEmpty && symbols.isEmpty && content.allSatisfy(Vocabulary.objectNouns.contains)
        return PromptPart(what: known ? .unknown : .gibberish, chars: chars, phrase: text.originalText(chars), namesObject: objectOnly)
    }

    /// What is left of Chinese text without its filler words.
    static func chineseContent(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let c = rest.first {
            if let f = Chinese.filler.first(where: { rest.hasPrefix($0) }) {
                rest = rest.dropFirst(f.count)
            } else {
                out.append(c); rest = rest.dropFirst()
            }
        }
        return out
    }

    /// Letters of a script other than Latin and Chinese (Cyrillic, Greek, kana, Hangul …): a
    /// language tikconv does not read, which the agent may.
    static func isOtherScript(_ word: String) -> Bool {
        word.unicodeScalars.contains { $0.properties.isAlphabetic && $0.value >= 0x0370 }
    }
}
