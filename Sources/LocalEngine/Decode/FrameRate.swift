import FFmpeg

/// The output frame rate rule of the tiktok plan: keep 23.976–60 fps sources' rate,
/// raise slower ones to 30, cap faster ones at 60; snap near-misses to the standard rates
/// (a container's average of 29.969 means 30000/1001).
public enum OutputFrameRate {
    static let standard: [Rational] = [
        Rational(24000, 1001), Rational(24, 1), Rational(25, 1), Rational(30000, 1001), Rational(30, 1),
        Rational(48, 1), Rational(50, 1), Rational(60000, 1001), Rational(60, 1),
    ]

    public static func choose(average: Double?, real: Double?) -> Rational {
        let candidates = [average, real].compactMap { $0 }.filter { $0.isFinite && $0 > 0 }
        guard let rate = candidates.first else { return Rational(30, 1) }
        if rate > 60.5 { return Rational(60, 1) }
        if rate < 23.5 { return Rational(30, 1) }
        return nearestStandard(rate)
    }

    /// A measured rate as an exact rational: a standard rate within 0.5%, else the nearest fraction.
    public static func nearestStandard(_ rate: Double) -> Rational {
        let distance = { (s: Rational) in abs(rate / s.double - 1) }
        if let nearest = standard.min(by: { distance($0) < distance($1) }), distance(nearest) < 0.005 { return nearest }
        return Rational.approximating(rate)
    }
}
