/// Horizontal window positions for one shot. The window is full source height and
/// `windowWidth` wide, so only its left edge x moves; it stays within [0, pictureWidth - windowWidth].
/// At full height there is no vertical choice: headroom and the distance from TikTok's caption
/// area are the source's own framing. The horizontal choice keeps the subject out of the
/// button column on the right.
struct CameraPathSolver {
    let windowWidth: Double
    let pictureWidth: Double

    /// Where the subject should stay inside the window, as fractions of its width: clear of
    /// the left edge, and clear of TikTok's button column on the right (~15% of the screen).
    var leftMargin = 0.08
    var rightMargin = 0.17
    /// Where the subject's centre sits when the camera is free to choose (a little left of
    /// the middle, away from the buttons).
    var preferredCentre = 0.45
    /// Speed and acceleration limits, in picture widths per second (and per second²).
    var maxSpeed = 0.6
    var maxAcceleration = 1.2

    /// L1 weights of Grundmann et al. (velocity, acceleration, jerk), the pull towards the
    /// preferred framing, and the penalties for leaving the margins or losing the subject
    /// (per pixel per keyframe).
    var weights = (velocity: 10.0, acceleration: 1.0, jerk: 100.0, framing: 1.0, margin: 100.0, containment: 1000.0)

    var maxX: Double { max(0, pictureWidth - windowWidth) }

    /// The x that frames `subject` (a horizontal extent) as preferred, inside the picture.
    func preferredX(for subject: ClosedRange<Double>) -> Double {
        let centre = (subject.lowerBound + subject.upperBound) / 2
        return clamp(centre - preferredCentre * windowWidth)
    }

    /// One window for a whole shot whose subjects' spread is `spread`: inside the margins
    /// when they fit, else just containing the spread, else centred on it.
    func stillX(spread: ClosedRange<Double>) -> Double {
        let ideal = preferredX(for: spread), w = windowWidth
        let a = spread.lowerBound, b = spread.upperBound
        // Each candidate interval of x, best first; an interval can be empty (low > high).
        let intervals = [(b + rightMargin * w - w, a - leftMargin * w), (b - w, a)]
        for (low, high) in intervals where low <= high { return clamp(min(max(ideal, low), high)) }
        return clamp((a + b - w) / 2)
    }

    /// The L1-optimal path through keyframes `times` (evenly spaced) where `required[i]` is
    /// the extent that must be seen at times[i] (nil: nothing required there). Minimises
    /// w1|D1 x| + w2|D2 x| + w3|D3 x| plus framing and soft containment terms, under hard
    /// speed and acceleration limits, so it holds still, pans, and eases in and out.
    func solve(times: [Double], required: [ClosedRange<Double>?]) throws -> [Double] {
        guard times.count == required.count else { throw ReframingError.solver("\(times.count) keyframes but \(required.count) subject extents") }
        guard times.count > 1 else { return required.first.map { [$0.map(preferredX) ?? maxX / 2] } ?? [] }
        let dt = (times.last! - times.first!) / Double(times.count - 1)
        let lp = LinearProgram()
        let xs = times.indices.map { _ in lp.addVariable(lower: 0, upper: maxX) }
        addSmoothness(lp, xs, dt: dt)
        addLimits(lp, xs, dt: dt)
        let targets = fillGaps(required.map { $0.map(preferredX) }) ?? Array(repeating: maxX / 2, count: xs.count)
        for i in xs.indices {
            lp.addAbsolute([(xs[i], 1)], constant: -targets[i], weight: weights.framing)
            if let subject = required[i] { addContainment(lp, x: xs[i], subject: subject) }
        }
        let values = try lp.solve()
        // The simplex leaves ~1e-12 noise, which would turn a hold into a drift of nothing
        // that still counts as motion: values within a micro-pixel of the previous one are
        // the previous one, and all are rounded to hundredths of a pixel.
        var path: [Double] = []
        for variable in xs {
            let x = min(max(values[variable], 0), maxX)
            path.append(path.last.map { abs(x - $0) < 1e-6 ? $0 : x } ?? x)
        }
        return path.map { ($0 * 100).rounded() / 100 }
    }

    private func addSmoothness(_ lp: LinearProgram, _ xs: [Int], dt: Double) {
        for i in 0 ..< xs.count - 1 { lp.addAbsolute([(xs[i + 1], 1), (xs[i], -1)], weight: weights.velocity) }
        for i in 0 ..< max(0, xs.count - 2) {
            lp.addAbsolute([(xs[i + 2], 1), (xs[i + 1], -2), (xs[i], 1)], weight: weights.acceleration)
        }
        for i in 0 ..< max(0, xs.count - 3) {
            lp.addAbsolute([(xs[i + 3], 1), (xs[i + 2], -3), (xs[i + 1], 3), (xs[i], -1)], weight: weights.jerk)
        }
    }

    private func addLimits(_ lp: LinearProgram, _ xs: [Int], dt: Double) {
        let step = maxSpeed * pictureWidth * dt
        for i in 0 ..< xs.count - 1 { lp.addConstraint([(xs[i + 1], 1), (xs[i], -1)], lower: -step, upper: step) }
        let change = maxAcceleration * pictureWidth * dt * dt
        for i in 0 ..< max(0, xs.count - 2) {
            lp.addConstraint([(xs[i + 2], 1), (xs[i + 1], -2), (xs[i], 1)], lower: -change, upper: change)
        }
    }

    /// Soft constraints, two tiers: the subject inside the margins (x ≤ a - left·w and
    /// x + w ≥ b + right·w), and, costlier to break, inside the window at all.
    private func addContainment(_ lp: LinearProgram, x: Int, subject: ClosedRange<Double>) {
        let a = subject.lowerBound, b = subject.upperBound, w = windowWidth
        for (slackWeight, left, right) in [(weights.margin, leftMargin * w, rightMargin * w), (weights.containment, 0.0, 0.0)] {
            let over = lp.addVariable(lower: 0, cost: slackWeight)
            lp.addConstraint([(x, 1), (over, -1)], upper: a - left)
            let under = lp.addVariable(lower: 0, cost: slackWeight)
            lp.addConstraint([(x, 1), (under, 1)], lower: b + right - w)
        }
    }

    private func clamp(_ x: Double) -> Double { min(max(x, 0), maxX) }
}

/// Fills nil entries with the nearest non-nil value (earlier one first); nil if all are nil.
func fillGaps(_ values: [Double?]) -> [Double]? {
    guard let firstKnown = values.first(where: { $0 != nil }) ?? nil else { return nil }
    var last = firstKnown
    return values.map { value in
        if let value { last = value }
        return last
    }
}
