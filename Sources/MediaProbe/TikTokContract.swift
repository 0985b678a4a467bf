import FFmpeg

/// The tiktok plan's output contract in numbers: what the planner describes, what the engine's
/// encoder is told, and what the readiness check (`TikTokReadiness`) holds an input to before
/// copying it instead of encoding it. One place, so the three can never disagree.
public enum TikTokContract {
    public static let width = 1080
    public static let height = 1920
    /// TikTok's accepted frame rates (TikTok for Developers, Content Posting API, "Media
    /// Transfer Guide", video restrictions: minimum 23 fps, maximum 60 fps).
    public static let frameRates: ClosedRange<Double> = 23...60
    /// What a source below the accepted rates becomes (each frame shown more than once), and
    /// what a source without a readable rate gets.
    public static let raisedFrameRate = Rational(30, 1)
    /// The output a slideshow of photos gets: 30 fps, TikTok's most common rate and level 4.0's.
    public static let photoOutput = TikTokOutput(rate: Rational(30, 1))
    /// Longest distance between keyframes (and from the last one to the end), in seconds:
    /// TikTok's scrubbing and trimming stay responsive.
    public static let maxKeyframeGap = 2.0
    public static let profile = "high"
    public static let audioSampleRate = 48_000
    public static let audioChannels = 2
    /// What TikTok accepts as a video's length: at most 10 minutes (the longest video the
    /// Content Posting API takes, same guide) and at least 3 s (the publishing services' TikTok
    /// media guidelines, e.g. Ayrshare's; TikTok's own guide names no minimum).
    public static let durations: ClosedRange<Double> = 3...600

    /// The output for a source video stream (nil: none, or its rate unknown).
    public static func output(for video: StreamInfo?) -> TikTokOutput {
        output(average: video?.averageFrameRate, real: video?.realFrameRate)
    }

    /// The output for a source whose container states these rates (average first).
    public static func output(average: Double?, real: Double?) -> TikTokOutput {
        let source = [average, real].compactMap { $0 }.first { $0.isFinite && $0 > 0 }
        return TikTokOutput(sourceRate: source, rate: frameRate(forSource: source))
    }

    /// The frame-rate rule: a rate TikTok accepts (23–60 fps, within 0.5%) stays, snapped to the
    /// standard rate it means (a container's 29.969 is 30000/1001); a slower source becomes
    /// 30 fps by showing frames more than once (15 → 30: each frame twice); a faster one becomes
    /// 60 fps by dropping frames (120 → 60: every other one); an unknown rate gets 30.
    public static func frameRate(forSource rate: Double?) -> Rational {
        guard let rate, rate.isFinite, rate > 0 else { return raisedFrameRate }
        if rate > frameRates.upperBound * (1 + StandardFrameRate.tolerance) { return Rational(Int32(frameRates.upperBound), 1) }
        if rate < frameRates.lowerBound * (1 - StandardFrameRate.tolerance) { return raisedFrameRate }
        let snapped = StandardFrameRate.nearest(rate)
        return snapped.double > frameRates.upperBound ? Rational(Int32(frameRates.upperBound), 1) : snapped
    }
}

/// The frame rates cameras and editors write, for reading a container's measured average as
/// the exact rate it means.
public enum StandardFrameRate {
    /// How far a measured rate may be from a standard one and still mean it.
    static let tolerance = 0.005
    static let rates: [Rational] = [
        Rational(24000, 1001), Rational(24, 1), Rational(25, 1), Rational(30000, 1001), Rational(30, 1),
        Rational(48, 1), Rational(50, 1), Rational(60000, 1001), Rational(60, 1),
    ]

    /// A measured rate as an exact rational: a standard rate within 0.5%, else the nearest fraction.
    public static func nearest(_ rate: Double) -> Rational {
        let distance = { (s: Rational) in abs(rate / s.double - 1) }
        if let nearest = rates.min(by: { distance($0) < distance($1) }), distance(nearest) < tolerance { return nearest }
        return Rational.approximating(rate)
    }
}

/// The contract applied to one source: the value the planner describes (`--plan` steps and its
/// JSON's encoder settings) and the engine encodes (`TikTokSink`).
public struct TikTokOutput: Equatable, Sendable {
    /// The source's stated rate, when it has one.
    public let sourceRate: Double?
    /// The output's constant frame rate.
    public let rate: Rational

    public init(sourceRate: Double? = nil, rate: Rational) {
        self.sourceRate = sourceRate
        self.rate = rate
    }
    public var width: Int { TikTokContract.width }
    public var height: Int { TikTokContract.height }
    public var framesPerSecond: Double { rate.double }
    public var profile: String { TikTokContract.profile }
    /// The declared level, the smallest that carries 1080x1920 at this rate; its VBV numbers
    /// are the encoder's rate limits.
    public var level: H264Level { H264Level.forTikTok(fps: framesPerSecond) }
    /// Frames between keyframes: at least one every `maxKeyframeGap` seconds.
    public var keyframeInterval: Int { Int((TikTokContract.maxKeyframeGap * framesPerSecond).rounded(.down)) }
}

/// An H.264 level's limits (ITU-T H.264 Table A-1), scaled for a profile.
///
/// Declaring a level is a promise about the whole stream, bit rate included; x264 keeps the
/// frame-size and reference limits by itself but keeps the rate limit only when told the
/// level's VBV numbers. Those are the level's own maxima (Table A-1 × 1.25 for High), not a
/// lower cap: a tighter VBV only throws away quality on detailed clips.
public struct H264Level: Equatable, Sendable {
    /// level_idc: 40 for level 4.0, 42 for 4.2.
    public let idc: Int
    /// The x264/FFmpeg level option, e.g. "4.0".
    public var name: String { "\(idc / 10).\(idc % 10)" }
    /// MaxBR and MaxCPB for the profile, in bits per second and bits.
    public let maxBitRate: Int
    public let maxBufferSize: Int
    /// MaxMBPS and MaxFS: macroblocks a second and a frame.
    public let maxMacroblocksPerSecond: Int
    public let maxFrameMacroblocks: Int

    /// Table A-1: level_idc → (MaxMBPS, MaxFS, MaxBR in 1000 bit/s, MaxCPB in 1000 bit).
    /// Level 1b is left out: no 1080x1920 stream can be that small.
    static let table: [Int: (mbps: Int, fs: Int, br: Int, cpb: Int)] = [
        10: (1_485, 99, 64, 175), 11: (3_000, 396, 192, 500), 12: (6_000, 396, 384, 1_000),
        13: (11_880, 396, 768, 2_000), 20: (11_880, 396, 2_000, 2_000), 21: (19_800, 792, 4_000, 4_000),
        22: (20_250, 1_620, 4_000, 4_000), 30: (40_500, 1_620, 10_000, 10_000), 31: (108_000, 3_600, 14_000, 14_000),
        32: (216_000, 5_120, 20_000, 20_000), 40: (245_760, 8_192, 20_000, 25_000), 41: (245_760, 8_192, 50_000, 62_500),
        42: (522_240, 8_704, 50_000, 62_500), 50: (589_824, 22_080, 135_000, 135_000),
        51: (983_040, 36_864, 240_000, 240_000), 52: (2_073_600, 36_864, 240_000, 240_000),
        60: (4_177_920, 139_264, 240_000, 240_000), 61: (8_355_840, 139_264, 480_000, 480_000),
        62: (16_711_680, 139_264, 800_000, 800_000),
    ]

    /// The level's limits for a profile (by FFmpeg's profile name, e.g. "High"); nil for a
    /// level_idc the table does not know.
    public init?(idc: Int, profile: String = "High") {
        guard let row = Self.table[idc] else { return nil }
        self.init(idc: idc, row: row, profile: profile)
    }

    private init(idc: Int, row: (mbps: Int, fs: Int, br: Int, cpb: Int), profile: String) {
        // cpbBrVclFactor (Table A-2 and the High profiles' A.3.3): how far the profile raises
        // MaxBR and MaxCPB above the Baseline/Main values.
        let factor = Self.rateFactor(profile: profile)
        self.idc = idc
        maxMacroblocksPerSecond = row.mbps
        maxFrameMacroblocks = row.fs
        maxBitRate = row.br * factor
        maxBufferSize = row.cpb * factor
    }

    static func rateFactor(profile: String) -> Int {
        switch profile {
        case "High": return 1_250
        case "High 10", "High 10 Intra": return 3_000
        case let p where p.hasPrefix("High 4:2:2") || p.hasPrefix("High 4:4:4"): return 4_000
        default: return 1_000
        }
    }

    /// Macroblocks in one 1080x1920 picture (1088 rows are coded): 8160.
    public static var tiktokFrameMacroblocks: Int {
        ((TikTokContract.width + 15) / 16) * ((TikTokContract.height + 15) / 16)
    }

    /// The level the tiktok plan declares: 4.0 carries 245,760 macroblocks a second (30.1 fps
    /// of 1080x1920), 4.2 carries 522,240 (64 fps, above the plan's 60 fps cap).
    public static func forTikTok(fps: Double) -> H264Level {
        let macroblocksPerSecond = fps * Double(tiktokFrameMacroblocks)
        return macroblocksPerSecond <= 245_760
            ? H264Level(idc: 40, row: (245_760, 8_192, 20_000, 25_000), profile: "High")
            : H264Level(idc: 42, row: (522_240, 8_704, 50_000, 62_500), profile: "High")
    }

    /// Whether a stream of this level can carry 1080x1920 pictures at `fps`.
    public func carriesTikTokFrames(fps: Double) -> Bool {
        maxFrameMacroblocks >= Self.tiktokFrameMacroblocks
            && Double(maxMacroblocksPerSecond) >= fps * Double(Self.tiktokFrameMacroblocks) * 0.999
    }
}
