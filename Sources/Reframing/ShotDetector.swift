/// Finds shot cuts from the colour histograms of consecutive pictures (AutoFlip's approach):
/// a cut is a histogram change that is both large and far above the shot's recent changes,
/// at least `minShot` seconds after the previous cut — and, when the pictures' layouts are
/// given, one that also moves the picture's coarse layout.
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
    /// Mean change (luma levels) of the 16 x 9 layout a cut must exceed. A keyframe of a grainy
    /// clip changes the histogram like a cut (0.09–0.11 on a 4 Mb/s 960x540 clip: the grain's
    /// spread resets) but its layout by under 1 level; Megamind.avi's same-set cuts move it
    /// 30–35 levels.
    var layoutThreshold = 6.0

    private var previous: [Float]?
    private var previousLayout: [Float]?
    private var recent: [Double] = []
    private var shotStart: Double?

    /// Feeds the next picture's histogram (and its `luma layout`, see `lumaLayout`); true when
    /// it is the first picture of a new shot.
    mutating func isCut(_ histogram: [Float], layout: [Float]? = nil, at t: Double) -> Bool {
        defer { previous = histogram; previousLayout = layout }
        guard let previous, let start = shotStart else {
            shotStart = t
            return false
        }
        let d = Self.distance(previous, histogram)
        let typical = median(recent)
        if d > threshold, d > contrast * typical, t - start >= minShot, movesLayout(layout) {
            shotStart = t
            recent.removeAll()
            return true
        }
        recent.append(d)
        if recent.count > 15 { recent.removeFirst() }
        return false
    }

    /// True when the layout changed enough for a cut, or when there is no layout to compare.
    private func movesLayout(_ layout: [Float]?) -> Bool {
        guard let layout, let previousLayout, layout.count == previousLayout.count, !layout.isEmpty else { return true }
        var sum = 0.0
        for i in layout.indices { sum += Double(abs(layout[i] - previousLayout[i])) }
        return sum / Double(layout.count) > layoutThreshold
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
