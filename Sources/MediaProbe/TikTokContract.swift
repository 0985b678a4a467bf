/// The tiktok plan's output contract in numbers: what the engine's encoder is told, and what
/// the readiness check (`TikTokReadiness`) holds an input to before copying it instead of
/// encoding it. One place, so the two can never disagree.
public enum TikTokContract {
    public static let width = 1080
    public static let height = 1920
    /// TikTok's accepted frame rates (TikTok for Developers, Content Posting API, "Media
    /// Transfer Guide", video restrictions: minimum 23 fps, maximum 60 fps).
    public static let frameRates: ClosedRange<Double> = 23...60
    /// Longest distance between keyframes (and from the last one to the end), in seconds:
    /// TikTok's scrubbing and trimming stay responsive.
    public static let maxKeyframeGap = 2.0
    public static let audioSampleRate = 48_000
    public static let audioChannels = 2
    /// What TikTok accepts as a video's length: at most 10 minutes (the longest video the
    /// Content Posting API takes, same guide) and at least 3 s (the publishing services' TikTok
    /// media guidelines, e.g. Ayrshare's; TikTok's own guide names no minimum).
    public static let durations: ClosedRange<Double> = 3...600
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
