/// Finds shot cuts from the colour histograms of consecutive pictures (AutoFlip's approach): a cut
/// is a histogram change that is both large and far above the shot's recent changes, at least
/// `minShot` seconds after the previous cut. When the pictures' coarse luma layouts are given, a
/// cut must also change the picture's *structure* — the layout's pattern, each layout taken
/// relative to its own mean and spread — and either its colours or its structure must change far
/// more than in the shot's recent pictures. Stage light — a strobe, a colour wash, a fade of the
/// brightness — changes every histogram and the raw layout but not that pattern; a new shot changes
/// it. A "cut" whose pictures return to the old shot within `flashWindow` (a camera flash, a
/// glitched or inserted frame) is taken back: cutting the path there would jump the window away and
/// back for nothing.
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
    /// Mean change of the 16 x 9 layout's pattern (each cell in its layout's standard
    /// deviations from the layout's mean) a cut must exceed. Megamind.avi's same-set cuts
    /// measure 0.88–0.94, its pictures within a shot at most 0.06; a +50% brightness strobe
    /// (clipping the highlights) at most 0.22, a ±40° hue wash 0.06. A grainy clip's keyframe
    /// (which changes the histogram like a cut) moves it by a few hundredths.
    var structureThreshold = 0.3
    /// A layout flatter than this (luma levels of spread: a flash to white, a fade to black)
    /// is measured against this spread, so its pattern reads as flat rather than as noise.
    var flatSpread: Float = 8

    private var previous: [Float]?
    private var previousLayout: [Float]?
    /// The shot's last changes: colour (histogram distance) and structure (nil without layouts).
    private var recent: [(colour: Double, structure: Double?)] = []
    private var shotStart: Double?
    /// The last cut while it may still turn out a flash: when, and the old shot's last picture,
    /// start and recent changes (restored if it does).
    private var pending: (t: Double, histogram: [Float], layout: [Float]?, start: Double, recent: [(colour: Double, structure: Double?)])?

    /// Feeds the next picture's histogram (and its `luma layout`, see `lumaLayout`).
    mutating func feed(_ histogram: [Float], layout: [Float]? = nil, at t: Double) -> Event {
        defer { previous = histogram; previousLayout = layout }
        guard let previous, let start = shotStart else {
            shotStart = t
            return .same
        }
        if let event = checkPending(histogram, layout: layout, at: t) { return event }
        let d = Self.distance(previous, histogram)
        // The colours' change or the structure's must stand out from the shot's recent ones (a
        // colour wash raises the first, fast motion the second); the structure must change.
        let structure = structureChange(previousLayout, layout)
        let standsOut = d > contrast * median(recent.map(\.colour)) || structure.map { $0 > contrast * median(recent.compactMap(\.structure)) } ?? false
        if d > threshold, standsOut, (structure ?? .infinity) > structureThreshold, t - start >= minShot {
            pending = (t, previous, previousLayout, start, recent)
            shotStart = t
            recent.removeAll()
            return .cut
        }
        recent.append((d, structure))
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
        // Back to the old shot: its structure when layouts are given (the light may have changed
        // meanwhile), else its colours.
        if let back = structureChange(cut.layout, layout) {
            guard back <= structureThreshold else { return nil }
        } else {
            guard Self.distance(cut.histogram, histogram) <= threshold else { return nil }
        }
        pending = nil
        shotStart = cut.start
        recent = cut.recent
        return .flash(at: cut.t)
    }

    /// The mean change of the layout's pattern: each layout less its mean, over its spread
    /// (at least `flatSpread`); nil when there are not two layouts to compare.
    func structureChange(_ old: [Float]?, _ layout: [Float]?) -> Double? {
        guard let layout, let old, layout.count == old.count, !layout.isEmpty else { return nil }
        let a = pattern(old), b = pattern(layout)
        var sum = 0.0
        for i in a.indices { sum += Double(abs(a[i] - b[i])) }
        return sum / Double(a.count)
    }

    private func pattern(_ layout: [Float]) -> [Float] {
        let mean = layout.reduce(0, +) / Float(layout.count)
        let spread = (layout.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(layout.count)).squareRoot()
        return layout.map { ($0 - mean) / max(spread, flatSpread) }
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
