import MediaProbe

/// How the tiktok plan makes one input's output.
public enum TikTokMode: String, Codable, Sendable {
    /// Decode, fit and encode (the plan as always).
    case encode
    /// The input already meets the contract: video and audio packets copied into a new MP4.
    case copy
    /// Only the audio misses the contract: the video is copied, the audio re-encoded.
    case copyVideo = "copy-video"
}

/// Which mode one input gets, and why (`--plan` and `--json` show it).
public struct PassthroughDecision: Codable, Equatable, Sendable {
    public var input: String
    public var mode: TikTokMode
    public var reasons: [String]
    public init(input: String, mode: TikTokMode, reasons: [String]) {
        self.input = input; self.mode = mode; self.reasons = reasons
    }
}

/// What the command line asked that bears on copying (the planner's flags do not carry
/// encoder settings).
public struct PassthroughFlags: Sendable {
    /// `--reencode`: always encode.
    public var reencode = false
    /// Video encoder settings the user gave ("--crf", "--preset"): they asked for an encode.
    public var videoSettings: [String] = []
    /// Audio encoder settings the user gave ("--audio-bitrate"): they asked for the audio to be encoded.
    public var audioSettings: [String] = []
    /// `--silent-audio`: a source without sound gets a silent AAC track.
    public var silentAudio = false
    public init() {}
}

/// The tiktok plan's choice between encoding and copying an input that already meets the
/// output contract. Pure, like the planner: the readiness reports (which read the files) are
/// made before and passed in; the planner's own plan is amended afterwards.
public enum Passthrough {
    /// Whether a tiktok-plan input can be copied, judged only from its probe report: an
    /// H.264 1080x1920 video in an MP4/MOV file. Only those are worth reading packet by packet.
    public static func isCandidate(_ r: ProbeReport) -> Bool {
        guard r.kind == .video, let v = r.primaryVideo else { return false }
        return r.container.hasPrefix("mov,mp4") && v.codec == "h264"
            && v.width == TikTokContract.width && v.height == TikTokContract.height
    }

    /// `--reencode`: encoded without reading the input's packets.
    public static func forcedEncode(_ path: String) -> PassthroughDecision {
        PassthroughDecision(input: path, mode: .encode, reasons: ["\(fileName(path)): encoded: --reencode forces it"])
    }

    static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    public static func decide(_ readiness: ReadinessReport, plan: Plan, flags: PassthroughFlags) -> PassthroughDecision {
        let name = fileName(readiness.path)
        func encode(_ why: String) -> PassthroughDecision {
            PassthroughDecision(input: readiness.path, mode: .encode, reasons: ["\(name): encoded: " + why])
        }
        if flags.reencode { return forcedEncode(readiness.path) }
        guard readiness.videoCopyable else {
            let failed = readiness.failed.filter { $0.fix == .video }.map { "\($0.name.rawValue) \($0.found)" }
            return encode("not TikTok-ready (\(failed.joined(separator: "; ")))")
        }
        if plan.start != nil || plan.duration != nil { return encode("a trim is encoded (copied video can only be cut at keyframes)") }
        if let edits = plan.edits, !edits.isEmpty { return encode("the request edits the video or sound, so it is encoded") }
        if plan.captions != nil || !plan.titles.isEmpty { return encode("text is burned into the picture, so it is encoded") }
        if let given = flags.videoSettings.first { return encode("\(given) was given (without it the TikTok-ready video would be copied)") }

        let (mode, audioReason) = audioMode(readiness, flags: flags, name: name)
        var reasons = [mode == .copy
            ? "\(name) already meets the tiktok contract: copied bit for bit into a new MP4, not re-encoded (--reencode encodes it)"
            : "\(name): its video already meets the tiktok contract: copied bit for bit, not re-encoded (--reencode encodes it)"]
        reasons += audioReason.map { [$0] } ?? []
        reasons += readiness.failed.filter { $0.fix == .remux }.map { "\(name): \($0.name.rawValue) \($0.found) → \($0.remedy)" }
        reasons += readiness.failed.filter { $0.fix == .none }.map {
            "\(name): \($0.name.rawValue) \($0.found) is outside \($0.required); \($0.remedy)"
        }
        return PassthroughDecision(input: readiness.path, mode: mode, reasons: reasons)
    }

    /// The video is copied: is the audio too? Not when it misses the contract, when the user
    /// gave audio settings, or when `--silent-audio` asks for a track the source lacks.
    static func audioMode(_ readiness: ReadinessReport, flags: PassthroughFlags, name: String) -> (TikTokMode, String?) {
        if !readiness.audioCopyable, let audio = readiness.condition(.audio)?.found {
            return (.copyVideo, "\(name): audio \(audio) → re-encoded to AAC-LC 48 kHz stereo")
        }
        if let given = flags.audioSettings.first, readiness.hasAudio {
            return (.copyVideo, "\(name): \(given) was given → audio re-encoded to AAC-LC 48 kHz stereo")
        }
        if flags.silentAudio, !readiness.hasAudio {
            return (.copyVideo, "\(name): --silent-audio → a silent AAC-LC 48 kHz stereo track is added")
        }
        return (.copy, nil)
    }

    /// `plan` with the decisions: their reasons, and for each input that is copied, the copy's
    /// steps in place of decode/fit/encode. Steps of encoded inputs are the planner's own.
    public static func apply(_ decisions: [PassthroughDecision], to plan: Plan, request: Request) throws -> Plan {
        guard !decisions.isEmpty else { return plan }
        var amended = plan
        amended.passthrough = decisions
        amended.reasons += decisions.flatMap(\.reasons)
        guard decisions.contains(where: { $0.mode != .encode }) else { return amended }
        let videos = request.inputs.filter { $0.kind == .video }
        var steps: [String] = []
        for r in videos {
            let prefix = videos.count > 1 ? fileName(r.path) + ": " : ""
            let own: [String]
            if let d = decisions.first(where: { $0.input == r.path }), d.mode != .encode {
                own = copySteps(r, mode: d.mode)
            } else {
                own = try Planner.plan(Request(inputs: [r], prompt: request.prompt, flags: request.flags)).steps
            }
            steps += own.map { prefix + $0 }
        }
        amended.steps = steps
        return amended
    }

    static func copySteps(_ r: ProbeReport, mode: TikTokMode) -> [String] {
        var steps = ["read \(r.format.uppercased()) container"]
        if let v = r.primaryVideo { steps.append("copy video \(v.codec) \(v.width ?? 0)x\(v.height ?? 0) as it is (no decoding)") }
        if let a = r.primaryAudio {
            steps.append(mode == .copy ? "copy audio \(a.codec) as it is" : "re-encode audio \(a.codec) → AAC-LC 48 kHz stereo")
        } else if mode == .copyVideo {
            steps.append("add a silent AAC-LC 48 kHz stereo track")
        }
        steps.append("mux MP4 (index first)")
        return steps
    }
}

extension Plan {
    /// The tiktok mode decided for one input (`.encode` when none was).
    public func tiktokMode(for input: String) -> TikTokMode {
        passthrough?.first { $0.input == input }?.mode ?? .encode
    }
}
