import FFmpeg
import Foundation

/// What an input is, judged by its content (never by its name).
public enum InputKind: String, Codable, Sendable {
    case video, image, audio, text
}

/// High dynamic range transfer functions the engine must tone-map.
public enum HDRKind: String, Codable, Sendable {
    case pq   // SMPTE ST 2084
    case hlg  // ARIB STD-B67
}

/// What a stream carries (the JSON keeps FFmpeg's names: "video", "audio", …).
public enum StreamType: String, Codable, Sendable {
    case video, audio, subtitle, data, attachment
}

/// One stream inside a media file. Fields that do not apply to the stream's type are nil.
public struct StreamInfo: Codable, Equatable, Sendable {
    public var index: Int
    public var type: StreamType
    public var codec: String
    public var profile: String?
    public var isDefault: Bool
    public var bitRate: Int?
    /// Seconds from the container's zero to the stream's first timestamp (nil when unknown).
    public var startTime: Double?
    // Video
    public var width: Int?
    public var height: Int?
    /// Sample (pixel) aspect ratio as "num:den"; "1:1" for square pixels.
    public var sampleAspectRatio: String?
    /// Degrees clockwise the picture must be turned to display upright (0, 90, 180, 270).
    public var rotation: Int?
    public var averageFrameRate: Double?
    /// The container's guess at the base rate (FFmpeg's r_frame_rate).
    public var realFrameRate: Double?
    public var variableFrameRate: Bool?
    public var pixelFormat: String?
    public var bitDepth: Int?
    public var colorPrimaries: String?
    public var colorTransfer: String?
    public var colorSpace: String?
    public var hdr: HDRKind?
    /// "progressive", "tt", "bb", "tb", "bt" or nil when unknown.
    public var fieldOrder: String?
    /// Picture is a still (an image format, or a single-frame attached picture).
    public var isStill: Bool?
    // Audio
    public var sampleRate: Int?
    public var channels: Int?
    public var channelLayout: String?
    public var language: String?

    public init(index: Int, type: StreamType, codec: String) {
        self.index = index; self.type = type; self.codec = codec; self.isDefault = false
    }

    /// Width and height as shown to a viewer: rotation and pixel shape applied.
    public var displaySize: (width: Int, height: Int)? {
        guard let w = width, let h = height, w > 0, h > 0 else { return nil }
        var dw = Double(w)
        if let r = sampleAspectRatioValue { dw *= r.double }
        let rotated = (rotation ?? 0) % 180 != 0
        let width = Int(dw.rounded()), height = h
        return rotated ? (height, width) : (width, height)
    }

    /// The pixel aspect ratio as a number pair; nil when unknown or not a valid "num:den".
    /// The one reader of `sampleAspectRatio`: every layer asks this instead of parsing the text.
    public var sampleAspectRatioValue: Rational? {
        guard let text = sampleAspectRatio else { return nil }
        let parts = text.split(separator: ":").compactMap { Int32($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
        return Rational(parts[0], parts[1])
    }
}

/// An animated image's frames and timing, as played (GIF delays of 0 or 1 hundredth play as
/// 10, as browsers do; WebP durations under 20 ms play as 100 ms).
public struct AnimationInfo: Codable, Equatable, Sendable {
    public var frames: Int
    /// One play of every frame, in seconds.
    public var cycleSeconds: Double
    public var shortestDelay: Double
    public var longestDelay: Double
    /// How many times the file asks to be played (0: forever); nil when it does not say.
    public var loopCount: Int?
    /// Who decodes it: "ffmpeg" (GIF, APNG) or "libwebp" (animated WebP).
    public var decoder: String

    public init(frames: Int, cycleSeconds: Double, shortestDelay: Double, longestDelay: Double, loopCount: Int?, decoder: String) {
        self.frames = frames; self.cycleSeconds = cycleSeconds; self.shortestDelay = shortestDelay
        self.longestDelay = longestDelay; self.loopCount = loopCount; self.decoder = decoder
    }

    /// The delays for `--plan`: "0.10 s each" or "0.04–0.50 s".
    public var delaysText: String {
        abs(longestDelay - shortestDelay) < 0.0005 ? String(format: "%.2f s each", shortestDelay)
                                                   : String(format: "%.2f–%.2f s", shortestDelay, longestDelay)
    }

    /// A WebP duration under 20 ms plays as 100 ms (as browsers play 0 and 10 ms).
    public static func playedDelay(webpMilliseconds ms: Int) -> Double { ms < 20 ? 0.1 : Double(ms) / 1000 }

    /// How many whole plays reach TikTok's 3-second minimum (`asked` wins when given).
    public func plays(asked: Int?, minimum: Double = 3) -> Int {
        if let asked { return max(1, asked) }
        guard cycleSeconds > 0, cycleSeconds < minimum - 1e-6 else { return 1 }
        // The delays' sum carries rounding (ten 0.1 s frames add up to 0.9999…).
        return Int((minimum / cycleSeconds - 1e-6).rounded(.up))
    }

    /// The output rate: 1 / the shortest delay when that is 23.5–60 fps, 60 when faster, else 30
    /// (the tiktok plan's rule), so a fast part of the animation is not dropped by a slow average.
    public var outputFPS: Double {
        guard shortestDelay > 0 else { return 30 }
        let rate = 1 / shortestDelay
        return rate > 60.5 ? 60 : rate < 23.5 ? 30 : rate
    }
}

/// Facts about a text script input.
public struct TextInfo: Codable, Equatable, Sendable {
    public var characters: Int
    public var lines: Int
    public var words: Int
    public init(characters: Int, lines: Int, words: Int) {
        self.characters = characters; self.lines = lines; self.words = words
    }
}

/// Everything the planner, the engine and the cloud client need to know about one input.
/// Produced once per input by the probe layer; every later layer reads this, not the file.
public struct ProbeReport: Codable, Equatable, Sendable {
    public var path: String
    public var kind: InputKind
    /// The container as FFmpeg names it ("mov,mp4,m4a,3gp,3g2,mj2", "avi", "matroska,webm", …),
    /// or "text" for scripts.
    public var container: String
    /// The short accepted-format name ("mp4", "mov", "avi", "webm", "mkv", "jpg", "png", …).
    public var format: String
    public var sizeBytes: Int64
    public var duration: Double?
    public var streams: [StreamInfo]
    public var text: TextInfo?
    /// EXIF orientation tag (1–8) for photos, when present.
    public var exifOrientation: Int?
    /// When a photo was taken, from EXIF (DateTimeOriginal, else DateTime), as
    /// "YYYY-MM-DDTHH:MM:SS" in the camera's local time (so it sorts as text); nil when absent.
    public var captureTime: String?
    /// An animated GIF, WebP or PNG (more than one frame): a video made of timed pictures.
    public var animation: AnimationInfo?
    /// One line when the file's name says another format than its content (a photo named
    /// `.avi`); nil when the name agrees or says nothing.
    public var nameNote: String?
    /// The container's title and artist tags (audio inputs), when set.
    public var tags: [String: String]?
    /// True when the file carries tikconv's own mark (`MadeByTikconv`): one of its outputs.
    public var madeByTikconv: Bool?

    public init(path: String, kind: InputKind, container: String, format: String, sizeBytes: Int64,
                duration: Double? = nil, streams: [StreamInfo] = [], text: TextInfo? = nil, exifOrientation: Int? = nil) {
        self.path = path; self.kind = kind; self.container = container; self.format = format
        self.sizeBytes = sizeBytes; self.duration = duration; self.streams = streams
        self.text = text; self.exifOrientation = exifOrientation
    }

    public var videoStreams: [StreamInfo] { streams.filter { $0.type == .video && $0.isStill != true } }
    public var audioStreams: [StreamInfo] { streams.filter { $0.type == .audio } }
    /// The stream the engine converts: the default video stream, else the first.
    public var primaryVideo: StreamInfo? { videoStreams.first { $0.isDefault } ?? videoStreams.first }
    /// The default audio stream, else the first.
    public var primaryAudio: StreamInfo? { audioStreams.first { $0.isDefault } ?? audioStreams.first }

    /// Containers whose header alone describes every stream completely, so a reader that has
    /// this report need not analyse (decode the start of) the file again.
    public var headerIsComplete: Bool {
        container.hasPrefix("mov,mp4") || container.hasPrefix("matroska")
    }
}
