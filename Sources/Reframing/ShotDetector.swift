/// Finds shot cuts from the colour histograms of consecutive pictures (AutoFlip's approach):
/// a cut is a histogram change that is both large and far above the shot's recent changes,
/// at least `minShot` seconds after the previous cut — and, when the pictures' layouts are
/// given, one that also moves the picture's coarse layout. A "cut" whose pictures return to
/// the old shot within `flashWindow` (a camera flash, a glitched or inserted frame) is taken
/// back: cutting the path there would jump the window away and back for nothing.
struct ShotDetector {
    /// What a picture did to the shots.
    enum Event: Equatable {
        case same
        /// This picture starts a new shot.
        case cut
        /// The cut at this time was a flash: the shot before it goes on.
        case flash(at: Double)
    }

    /// Histogram distance (0 = same, 1 = disjoint) a cut must exceed. Cuts between shots
    /// of one scene (same set, same light) measure only ~0.1: opencv-doc's Megamind.avi has
    /// three at 0.096–0.131, against ~0.004 between its consecutive frames.
    var threshold = 0.07
    /// How many times the shot's median change a cut must be (motion and flicker change
    /// histograms too; a cut changes them far more).
    var contrast = 5.0
    /// Seconds: a cut closer than this to the previous one is taken for a flash or a glitch.
    var minShot = 0.5
    /// Seconds after a cut in which a return to the old shot's picture makes it a flash.
    /// Camera flashes and glitches last 1–3 frames; a real shot lasts at least `minShot`.
    var flashWindow = 0.25
    /// Mean change (luma levels) of the 16 x 9 layout a cut must exceed. A keyframe of a grainy
    /// clip changes the histogram like a cut (0.09–0.11 on a 4 Mb/s 960x540 clip: the grain's
    /// spread resets) but its layout by under 1 level; Megamind.avi's same-set cuts move it
    /// 30–35 levels.
    var layoutThreshold = 6.0

    private var previous: [Float]?
    private var previousLayout: [Float]?
    private var recent: [Double] = []
    private var shotStart: Double?
    /// The last cut while it may still turn out a flash: when, and the old shot's last picture,
    /// start and recent changes (restored if it does).
    private var pending: (t: Double, histogram: [Float], layout: [Float]?, start: Double, recent: [Double])?

    /// Feeds the next picture's histogram (and its `luma layout`, see `lumaLayout`).
    mutating func feed(_ histogram: [Float], layout: [Float]? = nil, at t: Double) -> Event {
        defer { previous = histogram; previousLayout = layout }
        guard let previous, let start = shotStart else {
            shotStart = t
            return .same
        }
        if let event = checkPending(histogram, layout: layout, at: t) { return event }
        let d = Self.distance(previous, histogram)
        let typical = median(recent)
        if d > threshold, d > contrast * typical, t - start >= minShot, Self.moves(previousLayout, to: layout, by: layoutThreshold) {
            pending = (t, previous, previousLayout, start, recent)
            shotStart = t
            recent.removeAll()
            return .cut
        }
        recent.append(d)
        if recent.count > 15 { recent.removeFirst() }
        return .same
    }

    /// `.flash` when this picture is back to the one before the pending cut; nil otherwise
    /// (the cut stands once the window has passed).
    private mutating func checkPending(_ histogram: [Float], layout: [Float]?, at t: Double) -> Event? {
        guard let cut = pending else { return nil }
        guard t - cut.t <= flashWindow else {
            pending = nil
            return nil
        }
        guard Self.distance(cut.histogram, histogram) <= threshold else { return nil }
        if let layout, let old = cut.layout, Self.moves(old, to: layout, by: layoutThreshold) { return nil }
        pending = nil
        shotStart = cut.start
        recent = cut.recent
        return .flash(at: cut.t)
    }

    /// True when the layout changed by more than `limit`, or when there is no layout to compare.
    private static func moves(_ old: [Float]?, to layout: [Float]?, by limit: Double) -> Bool {
        guard let layout, let old, layout.count == old.count, !layout.isEmpty else { return true }
        var sum = 0.0
        for i in layout.indices { sum += Double(abs(layout[i] - old[i])) }
        return sum / Double(layout.count) > limit
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
