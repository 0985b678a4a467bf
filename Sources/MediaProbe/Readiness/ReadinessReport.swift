/// One condition of the tiktok output contract, checked on an input.
public struct ReadinessCondition: Codable, Equatable, Sendable {
    public enum Name: String, Codable, Sendable, CaseIterable {
        case size, codec, level, bitrate
        case pixelFormat = "pixel-format"
        case pixelAspect = "pixel-aspect"
        case colour
        case frameRate = "frame-rate"
        case keyframes, rotation, audio, container, index, duration
    }

    /// What making a failing condition hold takes. The passthrough copies the video only when
    /// every failing condition is `remux` or `audio` (or `none`, which no conversion changes).
    public enum Fix: String, Codable, Sendable {
        /// Copying the streams into a new MP4 fixes it (container, index position).
        case remux
        /// Re-encoding the audio fixes it; the video can still be copied.
        case audio
        /// Only encoding the video fixes it.
        case video
        /// Nothing tikconv does changes it (a clip shorter than TikTok takes).
        case none
    }

    public var name: Name
    public var passed: Bool
    /// What the contract asks for ("H.264 High").
    public var required: String
    /// What the input has ("H.264 Main").
    public var found: String
    public var fix: Fix
    /// What tikconv does about it, in words ("re-encoded as H.264 High").
    public var remedy: String

    public init(_ name: Name, passed: Bool, required: String, found: String, fix: Fix, remedy: String) {
        self.name = name; self.passed = passed; self.required = required; self.found = found
        self.fix = fix; self.remedy = remedy
    }
}

/// Whether one input already meets the tiktok output contract, condition by condition. Made by
/// `TikTokReadiness.check`; shown by `tikconv check` and used by the tiktok plan to copy a
/// conforming input instead of encoding it again.
public struct ReadinessReport: Codable, Equatable, Sendable {
    public var path: String
    public var conditions: [ReadinessCondition]
    /// Every condition passes.
    public var ready: Bool
    /// Every condition on the video passes: its packets can be copied as they are.
    public var videoCopyable: Bool
    /// The audio (or its absence) already meets the contract.
    public var audioCopyable: Bool
    /// The input has an audio stream (the one the plan keeps).
    public var hasAudio: Bool

    public init(path: String, conditions: [ReadinessCondition], hasAudio: Bool) {
        self.path = path
        self.conditions = conditions
        self.hasAudio = hasAudio
        ready = conditions.allSatisfy(\.passed)
        videoCopyable = conditions.allSatisfy { $0.passed || $0.fix != .video }
        audioCopyable = conditions.allSatisfy { $0.passed || $0.fix != .audio }
    }

    public var failed: [ReadinessCondition] { conditions.filter { !$0.passed } }

    public func condition(_ name: ReadinessCondition.Name) -> ReadinessCondition? {
        conditions.first { $0.name == name }
    }
}
