import Foundation

/// Chooses how a shot shows two people who cannot share one full-height 9:16 window:
/// `split` (two stacked 1080x960 halves, one person each) or `speaker` (one full-frame
/// window on whoever talks), or forces the layout `--layout` names.
///
/// Auto: when the sound and the mouths tell who talks, speaker (a talker at full height reads
/// far better on a phone than a half, and the switches follow the conversation); when they do
/// not (no sound, silence, or both mouths move alike), split, which shows both and cannot pick
/// the wrong one.
struct LayoutPlanner {
    let planner: ShotPlanner
    /// nil: auto.
    let request: ShotLayout?
    let mouths: [MouthSample]
    /// The source's loudness, read when a shot first needs it (nil: no sound).
    let sound: () throws -> SoundLevels?
    /// The talker timeline's step, the half width of its smoothing, and the shortest turn kept.
    var step = 0.1
    var smoothing = 0.25
    var minHold = 1.0
    /// The talker must move its mouth this many times more than the other (loudness-weighted).
    var lead = 1.5
    /// Auto chooses speaker only when at least this share of the decided steps name the talker
    /// of the turn they fall in (forced `--layout speaker` follows the turns whatever it is).
    var clearTurns = 0.8

    /// The shot's planned window, or when its two people cannot share one, the layout's shots.
    /// Shots with one subject, or two that fit one window, keep their window whatever the request.
    func shots(start: Double, end: Double, observations: [Observation]) throws -> [Shot] {
        let base = try planner.plan(start: start, end: end, observations: observations)
        // The planner shows a pair it cannot fit in one window whole (the fill).
        guard base.mode == .fill, let subjects = ShotPlanner.subjects(in: observations), let pair = pair(subjects, start, end) else {
            return [labelled(base)]
        }
        switch request {
        case nil:
            return try auto(pair, start, end)
        case .fill?:
            return [labelled(base, why: "--layout fill: two people too far apart for one window, shown whole")]
        case .single?:
            var shot = try planner.plan(start: start, end: end, subjects: Subjects(kind: pair.kind, tracks: [pair.main]))
            (shot.layout, shot.why) = (.single, "--layout single: the main one of two people too far apart for one window")
            return [shot]
        case .split?:
            return [split(pair, start, end, why: "--layout split")]
        case .speaker?:
            let talk = try talkTimeline(pair, start, end)
            return try speaker(pair, segments: talk.segments ?? [(pair.mainIndex, start, end)], why: "--layout speaker" + talk.note)
        }
    }

    private func labelled(_ shot: Shot, why: String? = nil) -> Shot {
        var s = shot
        s.layout = shot.mode == .fill ? .fill : .single
        s.why = why
        return s
    }

    private func auto(_ pair: Pair, _ start: Double, _ end: Double) throws -> [Shot] {
        let talk = try talkTimeline(pair, start, end)
        guard let segments = talk.segments, talk.agreement >= clearTurns else {
            // Unclear turns: the split shows both and cannot show the wrong one.
            let unclear = talk.segments == nil ? "" : "; the mouths agree with those turns at only \(Int((talk.agreement * 100).rounded()))% of the steps"
            return [split(pair, start, end, why: "two people side by side, too far apart for one window" + talk.note + unclear + " → split")]
        }
        return try speaker(pair, segments: segments, why: "two people too far apart for one window" + talk.note + " → speaker")
    }

    // MARK: the two people

    struct Pair {
        let kind: Subjects.Kind
        /// Left and right in the picture.
        let tracks: [SmoothTrack]
        let mainIndex: Int
        var main: SmoothTrack { tracks[mainIndex] }
        func name(_ i: Int) -> String { (i == 0 ? "left " : "right ") + (kind == .faces ? "face" : kind == .people ? "person" : "subject") }
    }

    /// The shot's two main subjects (faces or people, the most seen), when both are in the
    /// picture for most of the shot.
    private func pair(_ subjects: Subjects, _ start: Double, _ end: Double) -> Pair? {
        guard subjects.kind != .motion, subjects.tracks.count >= 2 else { return nil }
        let two = Array(subjects.tracks.sorted { $0.hits > $1.hits }.prefix(2))
        let times = planner.keyframeTimes(start, end)
        let together = times.filter { t in two.allSatisfy { $0.box(at: t, hold: 0.5) != nil } }.count
        guard Double(together) >= 0.6 * Double(times.count) else { return nil }
        let ordered = two.sorted { centre($0) < centre($1) }
        return Pair(kind: subjects.kind, tracks: ordered, mainIndex: ordered[0].hits >= ordered[1].hits ? 0 : 1)
    }

    private func centre(_ track: SmoothTrack) -> Double { median(track.points.map(\.box.centreX)) }

    // MARK: split

    private func split(_ pair: Pair, _ start: Double, _ end: Double, why: String) -> Shot {
        // One zoom for both halves: the two people appear the same size.
        let faceHeight = pair.tracks.map { median($0.points.map(\.box.h)) }.max() ?? 0
        let upper = halfWindow(pair.tracks[0], kind: pair.kind, faceHeight: faceHeight, start, end)
        let lower = halfWindow(pair.tracks[1], kind: pair.kind, faceHeight: faceHeight, start, end)
        let follows = pair.kind == .faces ? "2 faces (left above, right below)" : "2 people (left above, right below)"
        return Shot(start: start, end: end, mode: .split, follows: follows, keyframes: upper, layout: .split, why: why, lower: lower)
    }

    /// The 9:8 window of one half on `track`: about three face heights tall (the head and
    /// shoulders; a person's whole height for bodies), still unless the subject moves.
    private func halfWindow(_ track: SmoothTrack, kind: Subjects.Kind, faceHeight: Double, _ start: Double, _ end: Double) -> [Keyframe] {
        let W = planner.pictureWidth, H = planner.pictureHeight
        let wanted = kind == .faces ? 3.2 * faceHeight : H
        // Whole pixels: the renderer's scaler depends on the window's size.
        var h = min(H, max(0.4 * H, wanted)).rounded(), w = h * 9 / 8
        if w > W { (w, h) = (W, W * 8 / 9) }
        // A face sits a little above the middle (room for the shoulders); a body in the middle.
        let rise = kind == .faces ? 0.42 : 0.5
        let times = planner.keyframeTimes(start, end)
        let places = times.compactMap { t in track.box(at: t, hold: end - start) }.map { b in
            (x: min(max(0, b.centreX - w / 2), W - w), y: min(max(0, b.centreY - rise * h), H - h))
        }
        func round(_ v: Double) -> Double { (v * 100).rounded() / 100 }
        let xs = places.map(\.x), ys = places.map(\.y)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else {
            return [Keyframe(t: start, x: round((W - w) / 2), y: round((H - h) / 2), w: w, h: h)]
        }
        // Small drift (a head nodding) is held still: the middle of its range keeps it inside.
        if x1 - x0 <= 0.15 * w, y1 - y0 <= 0.15 * h {
            return [Keyframe(t: start, x: round((x0 + x1) / 2), y: round((y0 + y1) / 2), w: w, h: h)]
        }
        return zip(times, places).map { Keyframe(t: $0, x: round($1.x), y: round($1.y), w: w, h: h) }
    }

    // MARK: speaker

    private func speaker(_ pair: Pair, segments: [(talker: Int, start: Double, end: Double)], why: String) throws -> [Shot] {
        try segments.map { segment in
            var shot = try planner.plan(start: segment.start, end: segment.end,
                                        subjects: Subjects(kind: pair.kind, tracks: [pair.tracks[segment.talker]]))
            shot.layout = .speaker
            shot.follows = "speaker: " + pair.name(segment.talker)
            shot.why = why
            return shot
        }
    }

    /// Who talks when: mouth motion (each on its own scale) × loudness per step, smoothed, the
    /// louder-moving mouth winning by `lead`; undecided steps keep the last talker; turns under `minHold` join
    /// the one before. `segments` is nil when the sound or the mouths do not tell (with the
    /// reason in `note`); `agreement` is the share of decided steps that name their turn's talker.
    func talkTimeline(_ pair: Pair, _ start: Double, _ end: Double) throws -> (segments: [(talker: Int, start: Double, end: Double)]?, note: String, agreement: Double) {
        guard let sound = try sound(), sound.rms.contains(where: { $0 > 1e-4 }) else { return (nil, "; no sound tells who talks", 0) }
        let n = max(1, Int(((end - start) / step).rounded(.up)))
        let times = (0 ..< n).map { start + (Double($0) + 0.5) * step }
        let loud = smooth(times.map { sound.level(at: $0) })
        guard let peak = loud.max(), peak > 1e-4 else { return (nil, "; silent, nothing tells who talks", 0) }
        let local = self.mouths.filter { $0.t >= start - step && $0.t < end + step }
        let mouths = ownScale(pair.tracks.map { track in smooth(times.map { mouthMotion(of: track, at: $0, in: local) }) })
        var talker: [Int?] = []
        var voiced = 0
        for k in 0 ..< n {
            let weight = loud[k] / peak
            guard weight > 0.15 else { talker.append(nil); continue }
            voiced += 1
            let a = mouths[0][k] * weight, b = mouths[1][k] * weight
            talker.append(max(a, b) > 0.3 && max(a, b) > lead * min(a, b) ? (a > b ? 0 : 1) : nil)
        }
        let decided = talker.compactMap { $0 }
        guard Double(voiced) * step >= 1, Double(decided.count) >= 0.5 * Double(voiced) else {
            return (nil, "; mouth motion does not tell who talks", 0)
        }
        let shares = (0 ..< 2).map { i in Int((100 * Double(decided.filter { $0 == i }.count) / Double(n)).rounded()) }
        let note = "; \(pair.name(0)) talks \(shares[0])%, \(pair.name(1)) \(shares[1])% of the shot"
        let turns = segments(talker, times: times, start: start, end: end)
        // Whole milliseconds: the path is read and edited by people.
        let rounded = turns.map { s in
            (s.talker, s.start == start ? start : (s.start * 1000).rounded() / 1000, s.end == end ? end : (s.end * 1000).rounded() / 1000)
        }
        return (rounded, note, agreement(talker, times: times, turns: turns))
    }

    /// The share of the decided steps whose talker is the talker of the turn they fall in.
    private func agreement(_ talker: [Int?], times: [Double], turns: [(talker: Int, start: Double, end: Double)]) -> Double {
        var agree = 0, decided = 0
        for (k, who) in talker.enumerated() {
            guard let who, let turn = turns.first(where: { times[k] < $0.end }) ?? turns.last else { continue }
            decided += 1
            agree += turn.talker == who ? 1 : 0
        }
        return decided == 0 ? 0 : Double(agree) / Double(decided)
    }

    private func segments(_ talker: [Int?], times: [Double], start: Double, end: Double) -> [(talker: Int, start: Double, end: Double)] {
        var current = talker.compactMap { $0 }.first ?? 0
        var runs: [(talker: Int, start: Double, end: Double)] = []
        for (k, who) in talker.enumerated() {
            current = who ?? current
            let t0 = k == 0 ? start : times[k] - step / 2, t1 = k == talker.count - 1 ? end : times[k] + step / 2
            if let last = runs.last, last.talker == current { runs[runs.count - 1].end = t1 } else { runs.append((current, t0, t1)) }
        }
        // A turn shorter than the hold is the other's pause or a cough: it joins its neighbour.
        while runs.count > 1, let short = runs.indices.min(by: { runs[$0].end - runs[$0].start < runs[$1].end - runs[$1].start }),
              runs[short].end - runs[short].start < minHold {
            if short > 0 { runs[short - 1].end = runs[short].end } else { runs[1].start = runs[0].start }
            runs.remove(at: short)
            var merged: [(talker: Int, start: Double, end: Double)] = []
            for r in runs {
                if let last = merged.last, last.talker == r.talker { merged[merged.count - 1].end = r.end } else { merged.append(r) }
            }
            runs = merged
        }
        return runs
    }

    /// The mean mouth motion measured within half a step of `t` in the face that is `track`'s.
    private func mouthMotion(of track: SmoothTrack, at t: Double, in mouths: [MouthSample]) -> Double {
        guard let box = track.box(at: t, hold: 0.5) else { return 0 }
        let near = mouths.filter { abs($0.t - t) <= step / 2 && hypot($0.face.centreX - box.centreX, $0.face.centreY - box.centreY) < 0.5 * box.w }
        return near.isEmpty ? 0 : near.map(\.motion).reduce(0, +) / Double(near.count)
    }

    /// Each mouth's motion as a multiple of its own mean over the shot. Two cameras, two face
    /// sizes or two compressions give two noise levels, and a listener who nods on a grainy
    /// webcam can out-move a talker on a clean one; compared with itself, a mouth talks where
    /// it moves more than it usually does. The floor, half the two mouths' mean, keeps a mouth
    /// that hardly moves all shot (a still listener) from being magnified into a talker.
    func ownScale(_ motions: [[Double]]) -> [[Double]] {
        let usual = motions.map { $0.isEmpty ? 0 : $0.reduce(0, +) / Double($0.count) }
        let floor = max(1e-6, 0.5 * usual.reduce(0, +) / Double(max(1, usual.count)))
        return zip(motions, usual).map { motion, usual in motion.map { $0 / max(usual, floor) } }
    }

    /// Centred moving average over ±`smoothing` seconds (the analysis sees the whole shot).
    private func smooth(_ values: [Double]) -> [Double] {
        let r = Int((smoothing / step).rounded())
        return values.indices.map { i in
            let window = values[max(0, i - r) ... min(values.count - 1, i + r)]
            return window.reduce(0, +) / Double(window.count)
        }
    }

    private func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }
}
