import Foundation

/// The everyday edits the local engine applies on top of a tiktok or mp4 conversion.
///
/// Times: a trim (`Plan.start`/`duration`) is in source time and is applied first; `speed`
/// then changes the playback rate (audio pitch kept); `fadeIn`/`fadeOut` are in output time,
/// from the first and to the last output frame, on the picture (from/to black) and the sound.
/// Volume and loudness apply to the sound after the speed change.
public struct LocalEdits: Codable, Equatable, Sendable {
    /// No sound in the output (no audio stream; silence with `--silent-audio`).
    public var mute = false
    /// Gain in dB (+ louder, − quieter), within `volumeRange`.
    public var volumeDB: Double?
    /// Playback rate (2 = twice as fast), within `speedRange`; audio pitch kept.
    public var speed: Double?
    /// Fade from black and from silence over this many seconds at the start.
    public var fadeIn: Double?
    /// Fade to black and to silence over this many seconds at the end.
    public var fadeOut: Double?
    /// Loudness-normalise to `loudnessTarget` (TikTok's level).
    public var loudnorm = false
    /// Black and white picture.
    public var grayscale = false

    public static let speedRange: ClosedRange<Double> = 0.25...4
    public static let volumeRange: ClosedRange<Double> = -30...30
    public static let fadeRange: ClosedRange<Double> = 0.1...30
    /// Integrated loudness in LUFS that `loudnorm` aims for (TikTok normalises to about −14).
    public static let loudnessTarget = -14.0
    /// Default fade length when the prompt names none ("fade in").
    public static let defaultFade = 1.0

    public init(mute: Bool = false, volumeDB: Double? = nil, speed: Double? = nil, fadeIn: Double? = nil,
                fadeOut: Double? = nil, loudnorm: Bool = false, grayscale: Bool = false) {
        self.mute = mute; self.volumeDB = volumeDB; self.speed = speed; self.fadeIn = fadeIn
        self.fadeOut = fadeOut; self.loudnorm = loudnorm; self.grayscale = grayscale
    }

    public var isEmpty: Bool { self == LocalEdits() }

    /// True when the pictures change (speed, fades, black and white): copied video is not possible.
    public var changesPicture: Bool { speed != nil || fadeIn != nil || fadeOut != nil || grayscale }

    /// True when the sound changes but is kept (volume, speed, fades, loudness).
    public var changesSound: Bool {
        !mute && (volumeDB != nil || speed != nil || fadeIn != nil || fadeOut != nil || loudnorm)
    }

    /// The edits as plan steps, in the order the engine applies them.
    public var steps: [String] {
        var s: [String] = []
        if let speed { s.append(Self.speedStep(speed)) }
        if grayscale { s.append(Self.grayscaleStep) }
        if let fadeIn { s.append(Self.fadeInStep(fadeIn)) }
        if let fadeOut { s.append(Self.fadeOutStep(fadeOut)) }
        if mute { s.append(Self.muteStep) }
        if let volumeDB { s.append(Self.volumeStep(volumeDB)) }
        if loudnorm { s.append(Self.loudnormStep) }
        return s
    }

    /// What changes in a video stream, for the mp4 plan's re-encode reason.
    public var pictureSummary: String {
        var s: [String] = []
        if let speed { s.append("speed \(Self.times(speed))") }
        if grayscale { s.append("black and white") }
        if let fadeIn { s.append("fade in \(Self.seconds(fadeIn))") }
        if let fadeOut { s.append("fade out \(Self.seconds(fadeOut))") }
        return s.joined(separator: ", ")
    }

    /// What changes in an audio stream, for the mp4 plan's re-encode reason.
    public var soundSummary: String {
        var s: [String] = []
        if let speed { s.append("speed \(Self.times(speed))") }
        if let fadeIn { s.append("fade in \(Self.seconds(fadeIn))") }
        if let fadeOut { s.append("fade out \(Self.seconds(fadeOut))") }
        if let volumeDB { s.append("volume \(Self.decibels(volumeDB))") }
        if loudnorm { s.append("loudness \(Self.number(Self.loudnessTarget)) LUFS") }
        return s.joined(separator: ", ")
    }

    // MARK: - Step texts (shared by steps and request parts)

    static func speedStep(_ x: Double) -> String { "speed \(times(x)) (audio pitch kept)" }
    static let grayscaleStep = "black and white"
    static func fadeInStep(_ d: Double) -> String { "fade in from black over \(seconds(d)) (picture and sound)" }
    static func fadeOutStep(_ d: Double) -> String { "fade out to black over \(seconds(d)) (picture and sound)" }
    static let muteStep = "remove the sound (muted)"
    static func volumeStep(_ db: Double) -> String { "volume \(decibels(db))" }
    static let loudnormStep = "normalise loudness to \(number(loudnessTarget)) LUFS (TikTok's level)"

    static func times(_ x: Double) -> String { "\(number(x))×" }
    static func seconds(_ x: Double) -> String { "\(number(x)) s" }
    static func decibels(_ db: Double) -> String { (db > 0 ? "+" : "") + "\(number(db)) dB" }

    static func number(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        if r == r.rounded() && abs(r) < 1e12 { return String(Int(r)) }
        return String(r)
    }

    // MARK: - Tolerant decoding: fields missing from older JSON keep their defaults.

    private enum CodingKeys: String, CodingKey { case mute, volumeDB, speed, fadeIn, fadeOut, loudnorm, grayscale }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mute = try c.decodeIfPresent(Bool.self, forKey: .mute) ?? false
        volumeDB = try c.decodeIfPresent(Double.self, forKey: .volumeDB)
        speed = try c.decodeIfPresent(Double.self, forKey: .speed)
        fadeIn = try c.decodeIfPresent(Double.self, forKey: .fadeIn)
        fadeOut = try c.decodeIfPresent(Double.self, forKey: .fadeOut)
        loudnorm = try c.decodeIfPresent(Bool.self, forKey: .loudnorm) ?? false
        grayscale = try c.decodeIfPresent(Bool.self, forKey: .grayscale) ?? false
    }
}
