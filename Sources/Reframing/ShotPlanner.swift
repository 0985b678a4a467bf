/// What the detectors found in one analysed picture, in display pixels.
struct Observation {
    var t: Double
    /// False when the face detector was skipped for this picture (see SceneAnalyzer).
    var facesChecked = true
    var faces: [Box] = []
    var people: [Box] = []
    /// The moving region between the previous analysed picture and this one, dated at the
    /// midpoint of the two (where the difference is centred).
    var motion: (t: Double, box: Box)?
}

/// The subjects a shot is framed on: one kind (faces before people before motion) and its
/// tracks that last.
struct Subjects {
    enum Kind { case faces, people, motion }
    var kind: Kind
    var tracks: [SmoothTrack]

    /// The horizontal extent that must be seen of a subject whose detected box is `box`,
    /// with a window `window` pixels wide.
    func extent(of box: Box, window: Double) -> ClosedRange<Double> {
        switch kind {
        // Cascades box the face from brows to chin; hair and ears stick out on each side. In
        // a close-up where they cannot fit, the face itself must, so the window can hold
        // still while the head moves a little.
        case .faces:
            let half = 1.5 * box.w <= window ? 0.75 * box.w : 0.5 * box.w
            return (box.centreX - half) ... (box.centreX + half)
        // HOG's box has a margin around the body of about a quarter of its width each side.
        case .people: return (box.centreX - 0.3 * box.w) ... (box.centreX + 0.3 * box.w)
        case .motion: return box.x ... box.right
        }
    }

    /// What the shot follows, for people; `n` subjects at once at most.
    func label(_ n: Int) -> String {
        switch kind {
        case .faces: return n == 1 ? "face" : "\(n) faces"
        case .people: return n == 1 ? "person" : "\(n) people"
        case .motion: return "motion"
        }
    }
}

/// Turns one shot's observations into its mode and keyframes.
struct ShotPlanner {
    let pictureWidth: Double
    let pictureHeight: Double
    let outputAspect: Double
    /// Keyframes per second for a pan (the engine interpolates between them).
    var keyframeRate = 5.0
    /// Keyframes in one path solve at most: longer shots get sparser keyframes.
    var maxKeyframes = 400
    /// Share of a shot's keyframes where the subjects may not fit one window before the shot
    /// is shown whole (blurred fill) instead of cutting someone off.
    var maxMisfit = 0.1

    var windowWidth: Double { pictureHeight * outputAspect }
    var solver: CameraPathSolver { CameraPathSolver(windowWidth: windowWidth, pictureWidth: pictureWidth) }

    func plan(start: Double, end: Double, observations: [Observation]) throws -> Shot {
        guard let subjects = Self.subjects(in: observations) else {
            return fill(start, end, follows: "nothing salient")
        }
        return try plan(start: start, end: end, subjects: subjects)
    }

    /// One full-height window on `subjects` (still, or a pan), or the fill when they cannot share it.
    func plan(start: Double, end: Double, subjects: Subjects) throws -> Shot {
        let times = keyframeTimes(start, end)
        let hold = subjects.kind == .motion ? 0.3 : 0.5
        var required: [ClosedRange<Double>?] = []
        var misfits = 0, together = 1
        for t in times {
            let extents = subjects.tracks.compactMap { $0.box(at: t, hold: hold) }.map { subjects.extent(of: $0, window: windowWidth) }
            together = max(together, extents.count)
            guard let low = extents.map(\.lowerBound).min(), let high = extents.map(\.upperBound).max() else {
                required.append(nil)
                continue
            }
            guard high - low > windowWidth else {
                required.append(low ... high)
                continue
            }
            // One subject wider than the window (a close-up) is cropped around its centre;
            // several that cannot share the window are a misfit.
            if extents.count > 1 { misfits += 1 }
            let centre = (low + high) / 2
            required.append((centre - windowWidth / 2) ... (centre + windowWidth / 2))
        }
        if Double(misfits) > maxMisfit * Double(times.count) {
            return fill(start, end, follows: "\(subjects.label(together)), too far apart for one window")
        }
        // Sparse keyframes (very long shots) can all miss a brief subject.
        let present = required.compactMap { $0 }
        guard let low = present.map(\.lowerBound).min(), let high = present.map(\.upperBound).max() else {
            return fill(start, end, follows: "nothing salient")
        }
        let spread = low ... high
        if spread.upperBound - spread.lowerBound <= windowWidth {
            let x = solver.stillX(spread: spread)
            return Shot(start: start, end: end, mode: .still, follows: subjects.label(together), keyframes: [keyframe(start, x)])
        }
        let xs = try solver.solve(times: times, required: required)
        let keys = Self.prune(zip(times, xs).map { keyframe($0, $1) })
        return Shot(start: start, end: end, mode: .pan, follows: subjects.label(together), keyframes: keys)
    }

    func fill(_ start: Double, _ end: Double, follows: String) -> Shot {
        Shot(start: start, end: end, mode: .fill, follows: follows,
             keyframes: [Keyframe(t: start, x: 0, y: 0, w: pictureWidth, h: pictureHeight)])
    }

    private func keyframe(_ t: Double, _ x: Double) -> Keyframe {
        Keyframe(t: t, x: (x * 100).rounded() / 100, y: 0, w: windowWidth, h: pictureHeight)
    }

    /// Evenly spaced times from start to end inclusive.
    func keyframeTimes(_ start: Double, _ end: Double) -> [Double] {
        let count = min(maxKeyframes, max(2, Int(((end - start) * keyframeRate).rounded(.up)) + 1))
        return (0 ..< count).map { start + (end - start) * Double($0) / Double(count - 1) }
    }

    /// Drops keyframes that linear interpolation between their neighbours reproduces within
    /// a quarter pixel: the L1 path is piecewise linear, so holds and steady pans shrink to
    /// their ends.
    static func prune(_ keys: [Keyframe]) -> [Keyframe] {
        guard keys.count > 2 else { return keys }
        var kept = [keys[0]]
        var anchor = 0
        for next in 2 ..< keys.count {
            let a = keys[anchor], b = keys[next]
            let fits = (anchor + 1 ..< next).allSatisfy { i in
                let f = (keys[i].t - a.t) / (b.t - a.t)
                return abs(a.x + (b.x - a.x) * f - keys[i].x) <= 0.25
            }
            if !fits {
                kept.append(keys[next - 1])
                anchor = next - 1
            }
        }
        kept.append(keys[keys.count - 1])
        return kept
    }
}

extension ShotPlanner {
    /// The shot's subjects: faces if any face track lasts, else people, else motion.
    static func subjects(in observations: [Observation]) -> Subjects? {
        let times = observations.map(\.t)
        let checked = observations.filter(\.facesChecked)
        let faces = checked.map { ($0.t, $0.faces) }
        if let tracks = lasting(Tracker().tracks(faces), times: checked.map(\.t)) { return Subjects(kind: .faces, tracks: tracks) }
        let people = observations.map { ($0.t, $0.people) }
        if let tracks = lasting(Tracker().tracks(people), times: times) { return Subjects(kind: .people, tracks: tracks) }
        let motion = observations.compactMap { o in o.motion.map { ($0.t, [$0.box]) } }
        let loose = Tracker(maxGap: 0.6, minOverlap: 0.05, maxDistance: 1.5, maxSizeChange: 3)
        if let tracks = lasting(loose.tracks(motion), times: times) { return Subjects(kind: .motion, tracks: tracks) }
        return nil
    }

    /// Tracks that are real subjects rather than detector noise: seen in enough pictures
    /// (a sixth of the shot's, or 10 — two seconds — in long shots: false detections on a
    /// background pattern come back in bursts of 3-6, as in opencv-doc's vtest.avi), in a
    /// quarter of the pictures of their own span, and not far rarer than the shot's main subject.
    static func lasting(_ tracks: [Track], times: [Double]) -> [SmoothTrack]? {
        let n = times.count
        let minHits = n <= 3 ? 1 : max(2, min(n / 6, 10))
        let solid = tracks.filter { track in
            let span = times.filter { $0 >= track.first - 1e-9 && $0 <= track.last + 1e-9 }.count
            // 0.25: a face seen only in profile is looked for in every third picture.
            return track.hits >= minHits && Double(track.hits) >= 0.25 * Double(max(span, 1))
        }
        guard let most = solid.map(\.hits).max() else { return nil }
        let frequent = solid.filter { Double($0.hits) >= 0.35 * Double(most) }
        return SubjectRanking(pictures: n).subjects(frequent)
    }
}
