import Foundation

/// The local edits a prompt asks for, and what happens to each edit phrase.
struct EditResolution: Sendable {
    var edits = LocalEdits()
    /// By the match's first token: what the phrase means ("speed 2×") and what happens to it.
    var outcomes: [Int: (meaning: String, disposition: RequestPart.Disposition)] = [:]
}

/// Turns edit phrases into `LocalEdits`: values read and range-checked, the first of two
/// conflicting values kept and the other refused with a reason, and edits that cancel
/// each other (volume on a muted output) refused.
enum EditResolver {
    /// A value read from one phrase.
    enum Edit: Equatable {
        case mute, volume(Double), speed(Double), fadeIn(Double), fadeOut(Double), fade(Double)
        case loudnorm(lufs: Double?), grayscale
    }

    /// `words`: the user's words for each match, by its first token (for reasons).
    static func resolve(_ matches: [PhraseMatch], words: [Int: String], sourceSeconds: Double?) -> EditResolution {
        var r = EditResolution()
        var said: [(key: Int, edit: Edit, phrase: String)] = []
        for m in matches where !m.negated {
            guard case let .edit(kind, value) = m.meaning else { continue }
            let edit = read(kind, value, m.value)
            said.append((m.tokens.lowerBound, edit, words[m.tokens.lowerBound] ?? m.phrase))
            r.outcomes[m.tokens.lowerBound] = apply(edit, to: &r.edits, said: said.dropLast())
        }
        cancelOut(&r, said)
        checkFades(&r, said, sourceSeconds: sourceSeconds)
        return r
    }

    /// The edit one phrase asks for; a volume of 0% (−∞ dB) is a mute.
    static func read(_ kind: EditKind, _ value: EditValue, _ n: Double?) -> Edit {
        let v = number(value, n)
        switch kind {
        case .mute: return .mute
        case .volume: return v == -.infinity ? .mute : .volume(v ?? 0)
        case .speed: return .speed(speedValue(value, n) ?? 1)
        case .fadeIn: return .fadeIn(v ?? LocalEdits.defaultFade)
        case .fadeOut: return .fadeOut(v ?? LocalEdits.defaultFade)
        case .fade: return .fade(v ?? LocalEdits.defaultFade)
        case .loudnorm: return .loudnorm(lufs: value == .slot ? n : nil)
        case .grayscale: return .grayscale
        }
    }

    /// The value for volume (dB), fades (s) and anything read as it is.
    static func number(_ value: EditValue, _ n: Double?) -> Double? {
        switch value {
        case .none: return nil
        case let .fixed(v): return v
        case .slot: return n
        case .inverse: return n.map { 1 / $0 }
        case .percent: return n.map { $0 / 100 }
        case .up: return n.map { abs($0) }
        case .down: return n.map { -abs($0) }
        case .percentLevel: return n.map { $0 <= 0 ? -.infinity : 20 * log10($0 / 100) }
        case .percentUp: return n.map { 20 * log10(1 + abs($0) / 100) }
        case .percentDown: return n.map { abs($0) >= 100 ? -.infinity : 20 * log10(1 - abs($0) / 100) }
        }
    }

    static func speedValue(_ value: EditValue, _ n: Double?) -> Double? {
        if case .inverse = value { return n.map { $0 == 0 ? .infinity : 1 / abs($0) } }
        return number(value, n).map(abs)
    }

    /// Sets the edit unless it is out of range or conflicts with an earlier phrase.
    static func apply(_ edit: Edit, to e: inout LocalEdits, said: ArraySlice<(key: Int, edit: Edit, phrase: String)>)
        -> (meaning: String, disposition: RequestPart.Disposition) {
        let meaning = describe(edit)
        if let why = outOfRange(edit) { return (meaning, .refused(reason: why)) }
        if case let .speed(x) = edit, x == 1 { return (meaning, .nothing(reason: "normal speed: nothing to change")) }
        if let earlier = said.first(where: { conflicts($0.edit, edit) }) {
            return (meaning, .refused(reason: "conflicts with '\(earlier.phrase)' (\(describe(earlier.edit))), said first"))
        }
        switch edit {
        case .mute: e.mute = true
        case let .volume(db): e.volumeDB = db
        case let .speed(x): e.speed = x
        case let .fadeIn(d): e.fadeIn = d
        case let .fadeOut(d): e.fadeOut = d
        case let .fade(d): e.fadeIn = e.fadeIn ?? d; e.fadeOut = e.fadeOut ?? d
        case .loudnorm: e.loudnorm = true
        case .grayscale: e.grayscale = true
        }
        return (meaning, .local(step: step(edit)))
    }

    static func outOfRange(_ edit: Edit) -> String? {
        switch edit {
        case let .speed(x) where !LocalEdits.speedRange.contains(x):
            return "speed \(LocalEdits.times(x)) is outside the local range 0.25×–4×"
        case let .volume(db) where !LocalEdits.volumeRange.contains(db):
            return "a volume change of \(LocalEdits.decibels(db)) is outside the local range -30 dB to +30 dB"
        case let .fadeIn(d) where !LocalEdits.fadeRange.contains(d), let .fadeOut(d) where !LocalEdits.fadeRange.contains(d),
             let .fade(d) where !LocalEdits.fadeRange.contains(d):
            return "a fade of \(LocalEdits.seconds(d)) is outside the local range 0.1–30 s"
        case let .loudnorm(lufs?) where abs(lufs - LocalEdits.loudnessTarget) > 0.5:
            return "local loudness normalisation aims at TikTok's \(LocalEdits.number(LocalEdits.loudnessTarget)) LUFS; \(LocalEdits.number(lufs)) LUFS is not offered"
        default:
            return nil
        }
    }

    /// Two phrases for the same setting with different values.
    static func conflicts(_ a: Edit, _ b: Edit) -> Bool {
        switch (a, b) {
        case let (.volume(x), .volume(y)), let (.speed(x), .speed(y)): return x != y
        case let (.fadeIn(x), .fadeIn(y)), let (.fadeOut(x), .fadeOut(y)): return x != y
        case let (.fade(x), .fadeIn(y)), let (.fade(x), .fadeOut(y)), let (.fadeIn(x), .fade(y)), let (.fadeOut(x), .fade(y)):
            return x != y
        default: return false
        }
    }

    /// Volume or loudness on a muted output, or volume beside loudness normalisation: refused.
    static func cancelOut(_ r: inout EditResolution, _ said: [(key: Int, edit: Edit, phrase: String)]) {
        let mutePhrase = said.first { $0.edit == .mute }?.phrase
        let normPhrase = said.first { if case .loudnorm = $0.edit { return r.outcomes[$0.key]?.disposition.kind == "local" }; return false }?.phrase
        for s in said {
            guard r.outcomes[s.key]?.disposition.kind == "local" else { continue }
            var why: String? = nil
            switch s.edit {
            case .volume, .loudnorm:
                if let mutePhrase { why = "the sound is removed ('\(mutePhrase)')" }
                if why == nil, case .volume = s.edit, let normPhrase {
                    why = "loudness normalisation ('\(normPhrase)') sets the level to \(LocalEdits.number(LocalEdits.loudnessTarget)) LUFS"
                }
            default: continue
            }
            guard let why else { continue }
            r.outcomes[s.key]?.disposition = .refused(reason: why)
            if case .volume = s.edit { r.edits.volumeDB = nil } else { r.edits.loudnorm = false }
        }
    }

    /// Fades that together last longer than the output: the phrase that asked for the fade-out
    /// is refused (for "fade in and out", both fades go).
    static func checkFades(_ r: inout EditResolution, _ said: [(key: Int, edit: Edit, phrase: String)], sourceSeconds: Double?) {
        guard let source = sourceSeconds, let fadeIn = r.edits.fadeIn, let fadeOut = r.edits.fadeOut else { return }
        let out = source / (r.edits.speed ?? 1)
        guard fadeIn + fadeOut > out else { return }
        let why = "fades of \(LocalEdits.seconds(fadeIn)) + \(LocalEdits.seconds(fadeOut)) are longer than the \(LocalEdits.seconds(out)) output"
        var separateFadeIn = false
        for s in said where r.outcomes[s.key]?.disposition.kind == "local" {
            switch s.edit {
            case .fadeOut, .fade: r.outcomes[s.key]?.disposition = .refused(reason: why)
            case .fadeIn: separateFadeIn = true
            default: continue
            }
        }
        r.edits.fadeOut = nil
        if !separateFadeIn { r.edits.fadeIn = nil }
    }

    // MARK: - Texts

    static func describe(_ edit: Edit) -> String {
        switch edit {
        case .mute: return "mute"
        case let .volume(db): return "volume \(LocalEdits.decibels(db))"
        case let .speed(x): return "speed \(LocalEdits.times(x))"
        case let .fadeIn(d): return "fade in \(LocalEdits.seconds(d))"
        case let .fadeOut(d): return "fade out \(LocalEdits.seconds(d))"
        case let .fade(d): return "fade in and out \(LocalEdits.seconds(d))"
        case let .loudnorm(lufs): return "loudness \(LocalEdits.number(lufs ?? LocalEdits.loudnessTarget)) LUFS"
        case .grayscale: return "black and white"
        }
    }

    static func step(_ edit: Edit) -> String {
        switch edit {
        case .mute: return LocalEdits.muteStep
        case let .volume(db): return LocalEdits.volumeStep(db)
        case let .speed(x): return LocalEdits.speedStep(x)
        case let .fadeIn(d): return LocalEdits.fadeInStep(d)
        case let .fadeOut(d): return LocalEdits.fadeOutStep(d)
        case let .fade(d): return LocalEdits.fadeInStep(d) + "; " + LocalEdits.fadeOutStep(d)
        case .loudnorm: return LocalEdits.loudnormStep
        case .grayscale: return LocalEdits.grayscaleStep
        }
    }
}
