import Captions
import MediaProbe
import Planning
import Reframing
import Synchronization

/// Settings for the tiktok plan. Defaults are chosen for upload quality at speed (README).
public struct TikTokOptions: Sendable {
    public var fit: FitMode = .blur
    /// Bar colour for `--fit pad` as 8-bit RGB.
    public var padColor: (r: UInt8, g: UInt8, b: UInt8) = (0, 0, 0)
    /// Crop mode's centre of interest, 0…1 on each axis of the upright picture.
    public var focus: (x: Double, y: Double) = (0.5, 0.5)
    /// x264 preset. veryfast keeps 1080x1920 near real time on two cores.
    public var preset = "veryfast"
    /// x264 constant rate factor. 21 leaves headroom for TikTok's own re-encode.
    public var crf = 21
    public var audioBitrate = 160_000
    /// 0 lets the codecs pick one thread per core.
    public var threads = 0
    public var start: Double?
    public var duration: Double?
    /// Add a silent AAC track when the source has none (or when `edits.mute` removes its sound).
    public var silentAudio = false
    /// `--fit smart` with `--reframe-in`: render this (edited) path instead of analysing.
    public var reframePath: ReframePath?
    /// `--fit smart` with `--preview`: write a contact sheet of the reframe here.
    public var previewPath: String?
    /// `--layout`: how smart reframing shows two people too far apart for one window (nil: it chooses).
    public var layout: ShotLayout?
    /// Encode (the default), or copy an input that already meets the contract
    /// (`Passthrough.decide` chooses; the CLI passes the plan's choice in).
    public var mode: TikTokMode = .encode
    /// Mute, volume, speed, fades, loudness, black and white (`Plan.edits`).
    public var edits = LocalEdits()
    /// Captions burned into the picture (`--captions`), in this look (`--caption-style`).
    public var captions: CaptionInput?
    public var captionStyle: CaptionStyle = .tiktok
    /// Titles typed in the prompt (`Plan.titles`).
    public var titles: [TitleRequest] = []
    /// An animated image: how many times it plays (`--loop N`); nil plays whole cycles up to 3 s.
    public var loop: Int?
    public init() {}

    /// Playback rate (1 when the edits keep it).
    public var speed: Double { edits.speed ?? 1 }
    /// The trim's length on the output clock: `duration` is in source time, before the speed change.
    public var outputDuration: Double? { duration.map { $0 / speed } }
}

/// Where captions come from.
public enum CaptionInput: Equatable, Sendable {
    /// A subtitle file (.srt, .vtt, .ass, .ssa).
    case file(String)
    /// The input's own text subtitle stream: the nth subtitle stream (0-based), or the first.
    case embedded(Int?)
}

/// Settings for the mp4 ("without losing quality") plan.
public struct MP4Options: Sendable {
    /// CRF for video that must be re-encoded; 18 is visually lossless for x264.
    public var crf = 18
    public var preset = "veryfast"
    /// ALAC instead of AAC 256k for audio that must be re-encoded.
    public var losslessAudio = false
    public var audioBitrate = 256_000
    public var threads = 0
    /// Trim, in source seconds: copied streams start at the keyframe at or before `start`
    /// (the MP4 edit list hides the pictures before it), re-encoded ones at `start` itself.
    public var start: Double?
    public var duration: Double?
    /// Mute, volume, speed, fades, loudness, black and white (`Plan.edits`): only the streams
    /// they change are re-encoded.
    public var edits = LocalEdits()
    /// `--captions FILE`: added as a soft mov_text track.
    public var captionsFile: String?
    /// An animated image: how many times it plays (`--loop N`); nil plays whole cycles up to 3 s.
    public var loop: Int?
    public init() {}
}

/// A conversion's progress, as values: the CLI decides how to draw them.
public struct ConversionProgress: Sendable {
    /// What the seconds count: the analysis pass of `--fit smart`, or the conversion itself.
    public enum Phase: String, Sendable { case analysing, converting }
    public var phase: Phase = .converting
    /// Seconds of output written so far.
    public var seconds: Double
    /// Expected output length, when known.
    public var totalSeconds: Double?
    public var frames: Int
    /// Output frames per second of wall time so far.
    public var framesPerSecond: Double
    /// Output seconds per wall second.
    public var speed: Double
    public var fraction: Double? { totalSeconds.map { $0 > 0 ? min(1, seconds / $0) : 0 } }
}

/// Set from a signal handler or another thread; the engine checks it between packets.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// What happened to one source stream.
public struct StreamOutcome: Codable, Equatable, Sendable {
    public enum Action: String, Codable, Sendable { case copied, reencoded, dropped }
    public var index: Int
    public var type: StreamType
    public var codec: String
    public var action: Action
    /// The codec written (same as `codec` when copied).
    public var outputCodec: String?
    public var reason: String
}

/// What a finished local conversion reports (the CLI's `--json` prints it).
public struct ConversionResult: Codable, Sendable {
    public var input: String
    public var output: String
    public var plan: LocalPlan
    public var streams: [StreamOutcome]
    public var notes: [String]
    public var durationSeconds: Double
    public var videoFrames: Int
    public var wallSeconds: Double
    public var encodeFPS: Double
    /// `--fit smart`: each shot's time range, mode and subject.
    public var shots: [ShotSummary]?

    public init(input: String, output: String, plan: LocalPlan, streams: [StreamOutcome], notes: [String],
                durationSeconds: Double, videoFrames: Int, wallSeconds: Double, encodeFPS: Double, shots: [ShotSummary]? = nil,
                slideshow: SlideshowSummary? = nil) {
        self.input = input; self.output = output; self.plan = plan; self.streams = streams; self.notes = notes
        self.durationSeconds = durationSeconds; self.videoFrames = videoFrames; self.wallSeconds = wallSeconds
        self.encodeFPS = encodeFPS; self.shots = shots; self.slideshow = slideshow
    }
    /// The slideshow's photos, skipped photos and music (slideshows only).
    public var slideshow: SlideshowSummary? = nil
}
