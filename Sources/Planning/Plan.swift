import MediaProbe

/// Where a request runs.
public enum Route: String, Codable, Sendable {
    case local, cloud
}

/// The two offline plans.
public enum LocalPlan: String, Codable, Sendable, CaseIterable {
    /// Any video → 1080x1920 H.264 High/AAC MP4 for TikTok.
    case tiktok
    /// Any video → MP4 without losing quality (copy what MP4 can hold).
    case mp4
}

/// How a picture of another shape fills the 9:16 frame.
public enum FitMode: String, Codable, Sendable, CaseIterable {
    case blur, pad, crop
    /// Follow the subject: faces (then people, then motion) kept full-screen per shot, on a
    /// steady path; two people who cannot share one 9:16 window get a layout (split, speaker; docs/LAYOUTS.md).
    case smart
}

/// The NemoVideo skills; the value is sent as `X-Skill-Source`.
public enum CloudSkill: String, Codable, Sendable {
    case videoConverterTikTok = "video-converter-tiktok"
    case textToTikTok = "text-to-tiktok"
    case photoVideo = "tiktok-photo-video"
    case dataFormatConverter = "data-format-converter-free"
}

/// Flags that steer planning (parsed by the CLI, read by the planner).
public struct PlanFlags: Codable, Equatable, Sendable {
    /// `--local` or `--cloud`; nil lets the planner choose. One value, so a request cannot ask
    /// for both (the command line refuses the two flags together in `validate()`).
    public var routeChoice: Route?
    public var forceLocal: Bool {
        get { routeChoice == .local }
        set { routeChoice = newValue ? .local : routeChoice == .local ? nil : routeChoice }
    }
    public var forceCloud: Bool {
        get { routeChoice == .cloud }
        set { routeChoice = newValue ? .cloud : routeChoice == .cloud ? nil : routeChoice }
    }
    /// `--to mp4` / `--to tiktok`.
    public var target: LocalPlan?
    /// `--fit`, when the user gave one.
    public var fit: FitMode?
    /// `--layout`, when the user gave one.
    public var layout: LayoutMode?
    public var start: Double?
    public var duration: Double?
    /// `--captions`: where the captions come from ("talk.srt", "embedded subtitle stream #2"); nil: none.
    public var captions: String?
    /// `--loop N`: how many times an animated image plays.
    public var loop: Int?
    /// `--cover IMAGE`: the audiogram's picture.
    public var cover: String?
    public init() {}
}

/// What the user asked for.
public struct Request: Sendable {
    public var inputs: [ProbeReport]
    public var prompt: String?
    public var flags: PlanFlags
    public init(inputs: [ProbeReport], prompt: String? = nil, flags: PlanFlags = PlanFlags()) {
        self.inputs = inputs; self.prompt = prompt; self.flags = flags
    }
}

/// What will be done, and why. `--plan` prints this and stops.
public struct Plan: Codable, Equatable, Sendable {
    public var route: Route
    /// Set when route == .local.
    public var localPlan: LocalPlan?
    /// Set when route == .cloud.
    public var skill: CloudSkill?
    /// Fit mode for the tiktok plan (blur/pad/crop).
    public var fit: FitMode?
    /// Ordered human-readable steps ("decode", "rotate 90°", "scale 1920x1080→1080x608", …).
    public var steps: [String]
    /// Why this route and plan were chosen (which words or inputs decided it).
    public var reasons: [String]
    /// The instruction to send to the cloud agent (cloud route only).
    public var cloudInstruction: String?
    /// Trim start in seconds (from `--start` or a prompt phrase like "from 10s to 25s"); nil = from the beginning.
    public var start: Double?
    /// Trim length in seconds (from `--duration` or "first 15 seconds"); nil = to the end.
    public var duration: Double?
    /// Recognised intents (`Intent` raw values, in table order): "captions", "bgm", "export", …
    public var intents: [String]
    /// Every part of the prompt, in the order it was said, with what happens to it.
    public var parts: [RequestPart]
    /// The local edits the engine applies (local route only; nil when there are none).
    public var edits: LocalEdits?
    /// The tiktok plan's choice, per input, between encoding and copying an input that already
    /// meets the output contract (`Passthrough`); nil when no input was a candidate.
    public var passthrough: [PassthroughDecision]? = nil
    /// Smart reframing's layout for two people (`--layout` or the prompt); nil: auto.
    public var layout: LayoutMode? = nil
    /// Text typed in the prompt, burned into the picture (tiktok plan).
    public var titles: [TitleRequest] = []
    /// `--captions`' source, as the flags named it; nil: no captions.
    public var captions: String? = nil

    public init(route: Route, localPlan: LocalPlan? = nil, skill: CloudSkill? = nil, fit: FitMode? = nil,
                steps: [String] = [], reasons: [String] = [], cloudInstruction: String? = nil,
                start: Double? = nil, duration: Double? = nil, intents: [String] = [],
                parts: [RequestPart] = [], edits: LocalEdits? = nil) {
        self.route = route; self.localPlan = localPlan; self.skill = skill; self.fit = fit
        self.steps = steps; self.reasons = reasons; self.cloudInstruction = cloudInstruction
        self.start = start; self.duration = duration; self.intents = intents
        self.parts = parts; self.edits = edits
    }

    /// The edits to apply; empty when there are none.
    public var localEdits: LocalEdits { edits ?? LocalEdits() }

    /// Parts of the request that will not be done, as lines for the summary after a run.
    public var notDone: [String] {
        parts.compactMap { p in
            guard case let .refused(why) = p.disposition else { return nil }
            return "not done: '\(p.phrase)' (\(p.meaning)): \(why)"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case route, localPlan, skill, fit, steps, reasons, cloudInstruction, start, duration, intents, parts, edits, passthrough, layout, titles, captions
    }

    /// Tolerant decoding: list fields missing from older JSON decode as empty.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        route = try c.decode(Route.self, forKey: .route)
        localPlan = try c.decodeIfPresent(LocalPlan.self, forKey: .localPlan)
        skill = try c.decodeIfPresent(CloudSkill.self, forKey: .skill)
        fit = try c.decodeIfPresent(FitMode.self, forKey: .fit)
        steps = try c.decodeIfPresent([String].self, forKey: .steps) ?? []
        reasons = try c.decodeIfPresent([String].self, forKey: .reasons) ?? []
        cloudInstruction = try c.decodeIfPresent(String.self, forKey: .cloudInstruction)
        start = try c.decodeIfPresent(Double.self, forKey: .start)
        duration = try c.decodeIfPresent(Double.self, forKey: .duration)
        intents = try c.decodeIfPresent([String].self, forKey: .intents) ?? []
        parts = try c.decodeIfPresent([RequestPart].self, forKey: .parts) ?? []
        edits = try c.decodeIfPresent(LocalEdits.self, forKey: .edits)
        passthrough = try c.decodeIfPresent([PassthroughDecision].self, forKey: .passthrough)
        layout = try c.decodeIfPresent(LayoutMode.self, forKey: .layout)
        titles = try c.decodeIfPresent([TitleRequest].self, forKey: .titles) ?? []
        captions = try c.decodeIfPresent(String.self, forKey: .captions)
    }
}

/// One thing the prompt asks for, and what happens to it.
public struct RequestPart: Codable, Equatable, Sendable {
    /// The user's own words ("speed it up 2x", "add a title card saying Hello").
    public var phrase: String
    /// What tikconv understood ("speed 2×", "captions", "not a local edit").
    public var meaning: String
    public var disposition: Disposition

    public init(phrase: String, meaning: String, disposition: Disposition) {
        self.phrase = phrase; self.meaning = meaning; self.disposition = disposition
    }

    public enum Disposition: Equatable, Sendable {
        /// Done offline, by this step.
        case local(step: String)
        /// Sent to the cloud agent with the whole instruction, for this reason.
        case cloud(reason: String)
        /// Not done, for this reason (out of range, conflicting, not understood).
        case refused(reason: String)
        /// Understood, and nothing needs doing ("don't mute", "keep the quality").
        case nothing(reason: String)

        /// "local", "cloud", "refused" or "nothing" (the JSON's `disposition`).
        public var kind: String {
            switch self {
            case .local: return "local"
            case .cloud: return "cloud"
            case .refused: return "refused"
            case .nothing: return "nothing"
            }
        }

        /// The step or the reason.
        public var detail: String {
            switch self {
            case let .local(s), let .cloud(s), let .refused(s), let .nothing(s): return s
            }
        }

        init(kind: String, detail: String) {
            switch kind {
            case "local": self = .local(step: detail)
            case "cloud": self = .cloud(reason: detail)
            case "refused": self = .refused(reason: detail)
            default: self = .nothing(reason: detail)
            }
        }
    }

    // Flat JSON: {"phrase", "meaning", "disposition": "local", "detail": "speed 2× (audio pitch kept)"}.
    private enum CodingKeys: String, CodingKey { case phrase, meaning, disposition, detail }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        phrase = try c.decodeIfPresent(String.self, forKey: .phrase) ?? ""
        meaning = try c.decodeIfPresent(String.self, forKey: .meaning) ?? ""
        disposition = Disposition(kind: try c.decodeIfPresent(String.self, forKey: .disposition) ?? "nothing",
                                  detail: try c.decodeIfPresent(String.self, forKey: .detail) ?? "")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(phrase, forKey: .phrase)
        try c.encode(meaning, forKey: .meaning)
        try c.encode(disposition.kind, forKey: .disposition)
        try c.encode(disposition.detail, forKey: .detail)
    }
}
