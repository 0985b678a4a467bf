/// Finds shot cuts from the colour histograms of consecutive pictures (AutoFlip's approach):
/// a cut is a histogram change that is both large and far above the shot's recent changes,
/// at least `minShot` seconds after the previous cut.
struct ShotDetector {
    /// Histogram distance (0 = same, 1 = disjoint) a cut must exceed. Cuts between shots
    /// of one scene (same set, same light) measure only ~0.1: opencv-doc's Megamind.avi has
    /// three at 0.096–0.131, against ~0.004 between its consecutive frames.
    var threshold = 0.07
    /// How many times the shot's median change a cut must be (motion and flicker change
    /// histograms too; a cut changes them far more).
    var contrast = 5.0
    /// Seconds: a cut closer than this to the previous one is taken for a flash or a glitch.
    var minShot = 0.5

    private var previous: [Float]?
    private var recent: [Double] = []
    private var shotStart: Double?

    /// Feeds the next picture's histogram; true when it is the first picture of a new shot.
    mutating func isCut(_ histogram: [Float], at t: Double) -> Bool {
        defer { previous = histogram }
        guard let previous, let start = shotStart else {
            shotStart = t
            return false
        }
        let d = Self.distance(previous, histogram)
        let typical = median(recent)
        if d > threshold, d > contrast * typical, t - start >= minShot {
            shotStart = t
            recent.removeAll()
            return true
        }
        recent.append(d)
        if recent.count > 15 { recent.removeFirst() }
        return false
    }

    /// Half the L1 distance per plane (total variation, in [0, 1]), averaged over Y, U, V.
    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        var sum = 0.0
        for i in 0 ..< min(a.count, b.count) { sum += Double(abs(a[i] - b[i])) }
        return sum / 2 / 3
    }

    private func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
