import CFFmpeg

/// The output frame rate rule of the tiktok plan: keep 23.976–60 fps sources' rate,
/// raise slower ones to 30, cap faster ones at 60; snap near-misses to the standard rates
/// (a container's average of 29.969 means 30000/1001).
public enum OutputFrameRate {
    static let standard: [AVRational] = [
        AVRational(num: 24000, den: 1001), AVRational(num: 24, den: 1), AVRational(num: 25, den: 1),
        AVRational(num: 30000, den: 1001), AVRational(num: 30, den: 1), AVRational(num: 48, den: 1),
        AVRational(num: 50, den: 1), AVRational(num: 60000, den: 1001), AVRational(num: 60, den: 1),
    ]

    public static func choose(average: Double?, real: Double?) -> AVRational {
        let candidates = [average, real].compactMap { $0 }.filter { $0.isFinite && $0 > 0 }
        guard let rate = candidates.first else { return AVRational(num: 30, den: 1) }
        if rate > 60.5 { return AVRational(num: 60, den: 1) }
        if rate < 23.5 { return AVRational(num: 30, den: 1) }
        return nearestStandard(rate)
    }

    /// A measured rate as an exact rational: a standard rate within 0.5%, else the nearest fraction.
    public static func nearestStandard(_ rate: Double) -> AVRational {
        let distance = { (s: AVRational) in abs(rate / (Double(s.num) / Double(s.den)) - 1) }
        if let nearest = standard.min(by: { distance($0) < distance($1) }), distance(nearest) < 0.005 { return nearest }
        return av_d2q(rate, 60000)
    }
}
