import Foundation

/// A compiled table phrase.
struct PhrasePattern: Sendable {
    enum Slot: String, Sendable { case n, x, sec, pct, db, lufs }
    enum Element: Equatable, Sendable {
        case literal(Token.Kind, String)
        /// Up to `Vocabulary.maxGap` filler words.
        case gap
        case slot(Slot)
    }
    let source: String
    let elements: [Element]
    var hasDuration: Bool { elements.contains(.slot(.sec)) }

    init(_ source: String) {
        self.source = source
        var elements: [Element] = []
        var rest = Substring(source)
        while !rest.isEmpty {
            if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}"),
               let slot = Slot(rawValue: String(rest[rest.index(after: rest.startIndex)..<close])) {
                elements.append(.slot(slot)); rest = rest[rest.index(after: close)...]; continue
            }
            if rest.hasPrefix("…") { elements.append(.gap); rest = rest.dropFirst(); continue }
            let end = rest.firstIndex { $0 == "{" || $0 == "…" } ?? rest.endIndex
            let chunk = Array(rest[rest.startIndex..<end]).map(PromptText.fold)
            elements += Tokenizer.tokenize(chunk).map { .literal($0.kind, $0.text) }
            rest = rest[end...]
        }
        self.elements = elements
    }
}

/// One table phrase found in a prompt.
struct PhraseMatch: Equatable, Sendable {
    /// Index into `PhraseTable.rows`.
    var row: Int
    var meaning: PhraseMeaning
    /// The table phrase that matched ("speed … up {x}").
    var phrase: String
    /// Token range, negation included ("don't mute").
    var tokens: Range<Int>
    /// Normalised-character range of `tokens`.
    var chars: Range<Int>
    var negated: Bool
    /// The slot's value, converted to seconds for {sec}.
    var value: Double?
    var hasDuration: Bool
    /// Words read as typos: (typed, table word).
    var typos: [Typo]

    struct Typo: Equatable, Sendable { var typed: String; var meant: String }
}

/// Finds the table's phrases in tokens, negation-aware, keeping the longest where they overlap.
enum PhraseMatcher {
    static let patterns: [(row: Int, pattern: PhrasePattern)] = PhraseTable.rows.enumerated().flatMap { i, row in
        row.phrases.map { (i, PhrasePattern($0)) }
    }

    /// Every word of every table phrase: never read as a typo of another.
    static let tableWords: Set<String> = Set(patterns.flatMap { $0.pattern.elements.compactMap { e -> String? in
        if case let .literal(.word, w) = e { return w }
        return nil
    } })

    /// Patterns by their first literal's text; those that start with a slot, apart.
    static let byFirst: [String: [(row: Int, pattern: PhrasePattern)]] = Dictionary(grouping: patterns.filter {
        if case .literal = $0.pattern.elements.first { return true }
        return false
    }) { entry -> String in
        if case let .literal(_, text) = entry.pattern.elements.first { return text }
        return ""
    }
    static let slotFirst = patterns.filter { if case .slot = $0.pattern.elements.first { return true }; return false }
    static let wordFirst = patterns.filter { if case .literal(.word, _) = $0.pattern.elements.first { return true }; return false }

    /// The patterns that can start at this token: by its text or a stem of it, any word-first
    /// pattern when the token is an unknown word (it may be a typo), and the slot-first ones.
    static func candidates(for token: Token) -> [(row: Int, pattern: PhrasePattern)] {
        var keys = [token.text]
        if token.kind == .word { keys += Words.stems(of: token.text) }
        var out = keys.flatMap { byFirst[$0] ?? [] }
        if token.kind == .word, token.text.count >= 4, !tableWords.contains(token.text), !Vocabulary.isKnown(token.text) {
            out = wordFirst
        }
        if token.kind == .number || token.text == "x" { out += slotFirst }
        return out
    }

    /// Matches chosen so that none overlap: more tokens first, then earlier, then earlier row.
    static func match(_ tokens: [Token]) -> [PhraseMatch] {
        var all: [PhraseMatch] = []
        for start in tokens.indices where tokens[start].kind != .separator {
            for (row, pattern) in candidates(for: tokens[start]) {
                if let m = matchAt(pattern, row: row, start: start, tokens) { all.append(m) }
            }
        }
        all.sort { a, b in
            if a.tokens.count != b.tokens.count { return a.tokens.count > b.tokens.count }
            if a.tokens.lowerBound != b.tokens.lowerBound { return a.tokens.lowerBound < b.tokens.lowerBound }
            return a.row < b.row
        }
        var taken = [Bool](repeating: false, count: tokens.count)
        var chosen: [PhraseMatch] = []
        for m in all where !m.tokens.contains(where: { taken[$0] }) {
            for i in m.tokens { taken[i] = true }
            chosen.append(m)
        }
        return chosen.sorted { $0.tokens.lowerBound < $1.tokens.lowerBound }
    }

    static func matchAt(_ pattern: PhrasePattern, row: Int, start: Int, _ tokens: [Token]) -> PhraseMatch? {
        var state = MatchState()
        guard let end = elements(pattern.elements[...], tokens, at: start, &state) else { return nil }
        let negator = Negation.start(before: start, tokens)
        let first = negator ?? start
        let chars = tokens[first].range.lowerBound..<tokens[end - 1].range.upperBound
        return PhraseMatch(row: row, meaning: PhraseTable.rows[row].meaning, phrase: pattern.source, tokens: first..<end,
                           chars: chars, negated: negator != nil, value: state.value, hasDuration: pattern.hasDuration,
                           typos: state.typos)
    }

    struct MatchState { var value: Double?; var typos: [PhraseMatch.Typo] = [] }

    /// Matches `elements` from token `i`; returns the end token index.
    static func elements(_ elements: ArraySlice<PhrasePattern.Element>, _ tokens: [Token], at i: Int,
                         _ state: inout MatchState) -> Int? {
        guard let e = elements.first else { return i }
        let rest = elements.dropFirst()
        switch e {
        case .gap:
            var j = i
            while true {
                var trial = state
                if let end = self.elements(rest, tokens, at: j, &trial) { state = trial; return end }
                guard j < tokens.count, j - i < Vocabulary.maxGap, tokens[j].kind == .word,
                      Vocabulary.gapWords.contains(tokens[j].text) else { return nil }
                j += 1
            }
        case let .slot(slot):
            guard let (value, next) = Slots.read(slot, tokens, at: i) else { return nil }
            state.value = value
            return self.elements(rest, tokens, at: next, &state)
        case let .literal(kind, text):
            guard i < tokens.count, tokens[i].kind == kind else { return nil }
            if kind == .word {
                guard let typo = Words.matches(text, tokens[i].text) else { return nil }
                if let typo { state.typos.append(typo) }
            } else if tokens[i].text != text {
                return nil
            }
            return self.elements(rest, tokens, at: i + 1, &state)
        }
    }
}

/// Word comparison: exact, inflected, or a typo.
enum Words {
    /// nil: no match; .some(nil): exact or inflected; .some(typo): read as a typo of `word`.
    static func matches(_ word: String, _ token: String) -> PhraseMatch.Typo?? {
        if token == word || isInflection(of: word, token) { return .some(nil) }
        if isTypo(of: word, token) || isTypo(of: word + "s", token) { return .some(PhraseMatch.Typo(typed: token, meant: word)) }
        return nil
    }

    /// The words `token` may inflect: "captions" → caption, "fading" → fade, "trimmed" → trim.
    static func stems(of token: String) -> [String] {
        var out: [String] = []
        for suffix in ["s", "es", "ed", "d", "ing"] where token.hasSuffix(suffix) && token.count > suffix.count + 2 {
            let stem = String(token.dropLast(suffix.count))
            out.append(stem)
            if suffix == "ing" || suffix == "ed" {
                out.append(stem + "e")
                if let l = stem.last, stem.dropLast().last == l { out.append(String(stem.dropLast())) }
            }
        }
        if token.hasSuffix("ies") || token.hasSuffix("ied") { out.append(token.dropLast(3) + "y") }
        return out
    }

    /// caption → captions, captioned, captioning; fade → fading; trim → trimmed, trimming.
    static func isInflection(of word: String, _ token: String) -> Bool {
        guard word.count >= 3, token.count > word.count, token.hasPrefix(word) || token.hasPrefix(word.dropLast()) else { return false }
        let last = word.last.map(String.init) ?? ""
        var forms = ["s", "es", "ed", "d", "ing"].map { word + $0 }
        forms += [word + last + "ed", word + last + "ing"]
        if word.hasSuffix("e") { forms.append(word.dropLast() + "ing") }
        if word.hasSuffix("y") { forms += [word.dropLast() + "ies", word.dropLast() + "ied"] }
        return forms.contains(token)
    }

    /// A likely typo: the same first letter, not itself a word the planner knows, and one edit
    /// away (insert, delete, substitute, swap two neighbours) from a word of five letters or
    /// more, two from a word of eight or more ("verticle" → vertical).
    static func isTypo(of word: String, _ token: String) -> Bool {
        guard word.count >= 5, token.count >= 4, word.first == token.first, abs(word.count - token.count) <= 2,
              word.allSatisfy({ $0.isLetter }), token.allSatisfy({ $0.isLetter }),
              !Vocabulary.isKnown(token), !PhraseMatcher.tableWords.contains(token) else { return false }
        return distance(Array(word), Array(token), limit: word.count >= 8 ? 2 : 1) <= (word.count >= 8 ? 2 : 1)
    }

    /// Damerau–Levenshtein distance (adjacent swaps count one), or `limit + 1` once it is sure to exceed `limit`.
    static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...max(a.count, 1) where i <= a.count {
            for j in 1...max(b.count, 1) where j <= b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

/// Reads a slot's value from the tokens at `i`.
enum Slots {
    static let secondUnits: Set<String> = ["s", "sec", "secs", "second", "seconds", Chinese.second]
    static let minuteUnits: Set<String> = ["m", "min", "mins", "minute", "minutes"]

    static func read(_ slot: PhrasePattern.Slot, _ t: [Token], at i: Int) -> (Double, Int)? {
        func word(_ k: Int, _ set: Set<String>) -> Bool { k < t.count && (t[k].kind == .word || t[k].kind == .cjk) && set.contains(t[k].text) }
        func text(_ k: Int, _ s: String) -> Bool { k < t.count && t[k].text == s }
        let numberHere = i < t.count && t[i].kind == .number
        let n = numberHere ? t[i].value : nil
        switch slot {
        case .n:
            return n.map { ($0, i + 1) }
        case .x:
            // "1920 x 1080" is a size, not a factor.
            if let n, word(i + 1, ["x"]), !(i + 2 < t.count && t[i + 2].kind == .number) { return (n, i + 2) }
            if text(i, "x"), i + 1 < t.count, t[i + 1].kind == .number, let v = t[i + 1].value,
               !(i > 0 && t[i - 1].kind == .number) { return (v, i + 2) }
            return nil
        case .sec:
            guard let n else { return nil }
            if word(i + 1, secondUnits) { return (n, text(i + 2, Chinese.unitTail) ? i + 3 : i + 2) }
            if word(i + 1, minuteUnits) { return (n * 60, i + 2) }
            if text(i + 1, Chinese.minute), text(i + 2, Chinese.unitTail) { return (n * 60, i + 3) }
            return nil
        case .pct:
            guard let n else { return nil }
            if text(i + 1, "%") || word(i + 1, ["percent", "pct"]) { return (n, i + 2) }
            return nil
        case .db:
            guard let n else { return nil }
            if word(i + 1, ["db", "decibel", "decibels"]) { return (n, i + 2) }
            if text(i + 1, Chinese.decibel.first), text(i + 2, Chinese.decibel.second) { return (n, i + 3) }
            return nil
        case .lufs:
            guard let n, word(i + 1, ["lufs", "lkfs"]) else { return nil }
            return (n, i + 2)
        }
    }
}

/// "no music", "don't add music", "without captions" (Chinese: `Chinese.negators`).
enum Negation {
    /// Index of the negating token before `start`, if the phrase there is negated.
    static func start(before start: Int, _ t: [Token]) -> Int? {
        guard start > 0 else { return nil }
        if t[start].kind == .cjk || t[start - 1].kind == .cjk { return chinese(before: start, t) }
        var j = start - 1
        var skipped = 0
        while j >= 0, t[j].kind == .word, skipped <= 3 {
            if Vocabulary.negators.contains(t[j].text) { return j }
            guard Vocabulary.negationTransparent.contains(t[j].text) else { return nil }
            j -= 1; skipped += 1
        }
        return nil
    }

    /// Skips transparent characters (`Chinese.negationTransparent`) back from `start`, then looks
    /// for a negator ending there.
    static func chinese(before start: Int, _ t: [Token]) -> Int? {
        var j = start - 1
        while j >= 0, t[j].kind == .cjk, Chinese.negationTransparent.contains(t[j].text) { j -= 1 }
        guard j >= 0, t[j].kind == .cjk else { return nil }
        var tail = ""
        var k = j
        while k >= 0, t[k].kind == .cjk, tail.count < 3 {
            tail = t[k].text + tail
            if Chinese.negators.contains(tail) { return k }
            k -= 1
        }
        return nil
    }
}
