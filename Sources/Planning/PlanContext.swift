import Foundation
import MediaProbe

/// Something in a request that only the cloud agent can do, with the error `--local` gives.
struct CloudCause: Sendable {
    /// Why, for the plan's reasons.
    var reason: String
    /// Thrown under `--local`.
    var error: PlanningError
    /// Position in the prompt (causes from inputs come after the prompt's).
    var position: Int
    /// "add captions": done locally when `--captions` gives the text.
    var isCaptions = false
}

/// Everything the decision reads, worked out once from the request.
struct PlanContext {
    let request: Request
    let flags: PlanFlags
    let prompt: String
    let reading: PromptReading
    let videos, images, texts, audios: [ProbeReport]
    let intents: [Intent]
    /// Trim in source seconds, and why.
    let start, duration: Double?
    let trimReasons: [String]
    /// The fit the prompt names, and the match that named it.
    let promptFit: (mode: FitMode, match: PhraseMatch)?
    let localPlan: LocalPlan
    let edits: EditResolution
    /// What in the prompt only the agent does (generative words, unknown requests), in the order said.
    let promptCauses: [CloudCause]
    /// Trim words with no times ("trim the boring parts"): the agent decides what to cut.
    let untimedTrimCause: CloudCause?

    /// Everything that sends a video to the cloud: the prompt's causes, an audio file beside
    /// it (background music), and an untimed trim, in that order.
    var videoCauses: [CloudCause] {
        var causes = promptCauses
        if !audios.isEmpty {
            causes.append(CloudCause(reason: "an audio file next to a video → mixed in as background music, in the cloud",
                                     error: .needsCloud(part: "background music from an audio file"), position: Int.max))
        }
        if let untimedTrimCause { causes.append(untimedTrimCause) }
        return causes
    }

    var hasPrompt: Bool { !prompt.isEmpty }
    var hasTimes: Bool { start != nil || duration != nil }
    var generative: [Intent] { intents.filter { $0.category == .generative } }
    var session: [Intent] { intents.filter { $0.category == .session } }
    var localIntents: [Intent] { intents.filter { $0.category == .local } }
    var explicitFit: FitMode? { flags.fit ?? promptFit?.mode }

    /// The table phrase that matched an intent (for reasons; for an edit, the user's words),
    /// or the intent's name.
    func phrase(_ i: Intent) -> String {
        if let m = reading.first(i) { return m.phrase }
        let edit = reading.parts.first { p in
            guard let m = p.match, !m.negated, case let .edit(k, _) = m.meaning else { return false }
            return k.intent == i
        }
        if let edit { return edit.phrase }
        return i == .trim ? reading.trim?.phrase ?? i.rawValue : i.rawValue
    }

    /// Titles typed in the prompt (quoted text), taken out of `reading`.
    let titles: [TitleParser.Found]

    init(_ request: Request, reading: PromptReading, titles: [TitleParser.Found] = []) throws {
        self.titles = titles
        self.request = request
        flags = request.flags
        prompt = request.prompt?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.reading = reading
        videos = request.inputs.filter { $0.kind == .video }
        images = request.inputs.filter { $0.kind == .image }
        texts = request.inputs.filter { $0.kind == .text }
        audios = request.inputs.filter { $0.kind == .audio }
        intents = reading.intents
        (start, duration, trimReasons) = try Self.trim(flags, reading.trim, media: videos + audios)
        promptFit = Self.promptFit(reading.matches)
        localPlan = Self.localPlan(flags, intents)
        let length = Self.outputLength(videos + audios, start: start, duration: duration)
        edits = EditResolver.resolve(reading.matches, words: reading.wordsByMatch, sourceSeconds: length)
        promptCauses = Self.promptCauses(reading, intents: intents, hasTimes: start != nil || duration != nil)
            .filter { [captionFile = request.flags.captions != nil] in !(captionFile && $0.isCaptions) }
        untimedTrimCause = Self.untimedTrim(reading, hasTimes: start != nil || duration != nil)
    }

    // MARK: - Trim

    /// Flags win over the prompt; "last N s" and "cut the last N s" need the input's length.
    static func trim(_ flags: PlanFlags, _ pt: PromptTrim?, media: [ProbeReport]) throws -> (Double?, Double?, [String]) {
        var start = flags.start ?? pt?.start
        var duration = flags.duration ?? pt?.duration
        if let pt, pt.needsLength, flags.start == nil, flags.duration == nil, let total = media.compactMap(\.duration).first {
            if let last = pt.lastSeconds { start = max(0, total - last); duration = min(last, total) }
            if let cut = pt.dropLastSeconds {
                let from = start ?? 0
                guard total - cut > from else {
                    throw PlanningError.invalidTrim("cutting the last \(Planner.seconds(cut)) leaves nothing of \(Planner.seconds(total))")
                }
                duration = total - cut - from
            }
        }
        // Unknown length: "last N s" stays a trim without times (the agent can still do it).
        for t in [start, duration].compactMap({ $0 }) where !t.isFinite {
            throw PlanningError.invalidTrim("'\(pt?.phrase ?? "")' is not a usable time")
        }
        var reasons: [String] = []
        if flags.start != nil || flags.duration != nil {
            reasons.append("trim from flags: \(Planner.rangeText(start: flags.start, duration: flags.duration))")
        }
        if let pt, start != flags.start || duration != flags.duration {
            reasons.append("prompt asks to trim ('\(pt.phrase)') → \(Planner.rangeText(start: start, duration: duration))")
        }
        if let s = start {
            for r in media {
                if let d = r.duration, s >= d {
                    throw PlanningError.invalidTrim("start \(Planner.seconds(s)) is past the end of \(Planner.name(r)) (\(Planner.seconds(d)))")
                }
            }
        }
        return (start, duration, reasons)
    }

    /// Seconds of source the output is made of (the shortest input), when known.
    static func outputLength(_ media: [ProbeReport], start: Double?, duration: Double?) -> Double? {
        let lengths = media.compactMap { r -> Double? in
            guard let total = r.duration else { return duration }
            let rest = max(0, total - (start ?? 0))
            return duration.map { min($0, rest) } ?? rest
        }
        return lengths.min()
    }

    // MARK: - Fit and plan

    /// Fit words that only hint at a mode; a named mode in the same prompt wins over them.
    static let looseFitPhrases: Set<String> = Set(["fill", "zoom in"]).union(Chinese.looseFitPhrases)

    /// Several fit words: a named mode beats a loose word ("fill the background with blur" → blur),
    /// then the one said first wins ("pad it, or crop if you must" → pad).
    static func promptFit(_ matches: [PhraseMatch]) -> (mode: FitMode, match: PhraseMatch)? {
        let fits = matches.compactMap { m -> (FitMode, PhraseMatch)? in
            guard case let .intent(i) = m.meaning, let f = i.fitMode else { return nil }
            return (f, m)
        }
        let named = fits.filter { !looseFitPhrases.contains($0.1.phrase) }
        return (named.isEmpty ? fits : named).first.map { (mode: $0.0, match: $0.1) }
    }

    /// `--to`, else mp4 when the prompt asks for MP4/lossless/remux without 9:16 shaping words.
    static func localPlan(_ flags: PlanFlags, _ intents: [Intent]) -> LocalPlan {
        if let t = flags.target { return t }
        if intents.contains(.mp4) && !intents.contains(where: \.isShaping) && flags.fit == nil { return .mp4 }
        return .tiktok
    }

    // MARK: - What needs the cloud

    static func promptCauses(_ reading: PromptReading, intents: [Intent], hasTimes: Bool) -> [CloudCause] {
        var causes: [CloudCause] = []
        // "edit the first 15 s": with times, editing alone is a local trim.
        let editIsTrim = hasTimes && intents.filter { $0.category == .generative } == [.edit]
        for p in reading.parts {
            switch p.what {
            case let .match(m):
                guard !m.negated, case let .intent(i) = m.meaning, i.category == .generative, !(editIsTrim && i == .edit) else { continue }
                var cause = CloudCause(reason: "prompt mentions '\(m.phrase)' (\(i.displayName)) with no caption file or quoted text → cloud (speech to text)",
                                       error: .needsCloud(part: i.displayName), position: p.chars.lowerBound)
                if i != .captions { cause.reason = "prompt mentions '\(m.phrase)' (\(i.displayName)) → cloud" }
                cause.isCaptions = i == .captions
                causes.append(cause)
            case .unknown:
                causes.append(CloudCause(reason: "'\(p.phrase)' is not something the local engine does → cloud (the agent gets the whole instruction)",
                                         error: .needsCloud(part: p.phrase), position: p.chars.lowerBound))
            default: continue
            }
        }
        return causes
    }

    /// "trim the boring parts", or "last 10 s" of an input of unknown length.
    static func untimedTrim(_ reading: PromptReading, hasTimes: Bool) -> CloudCause? {
        let trimPart = reading.parts.first { p in
            if case .untimedTrim = p.what { return true }
            if case .trim = p.what { return true }
            return false
        }
        guard let p = trimPart, !hasTimes else { return nil }
        return CloudCause(reason: "prompt asks to '\(p.phrase)' but names no times → the agent decides what to cut",
                          error: .trimNeedsTimes, position: p.chars.lowerBound)
    }
}
