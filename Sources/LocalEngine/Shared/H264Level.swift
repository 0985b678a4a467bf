/// The H.264 level the tiktok plan declares, and the rate limits that come with it.
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
    /// MaxBR and MaxCPB for High profile, in bits per second and bits.
    public let maxBitRate: Int
    public let maxBufferSize: Int

    /// 1080x1920 is 8160 macroblocks a frame: level 4.0 carries 245,760 a second (30.1 fps),
    /// level 4.2 carries 522,240 (64 fps, above the plan's 60 fps cap).
    public static func forTikTok(fps: Double) -> H264Level {
        let macroblocksPerSecond = fps * Double(((FitGeometry.outputWidth + 15) / 16) * ((FitGeometry.outputHeight + 15) / 16))
        return macroblocksPerSecond <= 245_760
            ? H264Level(idc: 40, maxBitRate: 25_000_000, maxBufferSize: 31_250_000)
            : H264Level(idc: 42, maxBitRate: 62_500_000, maxBufferSize: 78_125_000)
    }
}
