import Foundation

/// One subject followed through a shot: its detections, in time order.
struct Track {
    var points: [(t: Double, box: Box)]

    var first: Double { points.first!.t }
    var last: Double { points.last!.t }
    var hits: Int { points.count }
}

/// A track's detections with centre and size replaced by the median of their ±2 neighbours
/// (one stray detection does not move it), readable at any time.
struct SmoothTrack {
    let points: [(t: Double, box: Box)]
    let hits: Int

    init(_ track: Track) {
        let raw = track.points
        points = raw.indices.map { i in
            // Symmetric windows, shrinking at the ends, so a moving subject's ends do not lag.
            let radius = min(2, i, raw.count - 1 - i)
            let window = raw[i - radius ... i + radius].map(\.box)
            let cx = Self.median(window.map(\.centreX)), cy = Self.median(window.map(\.centreY))
            let w = Self.median(window.map(\.w)), h = Self.median(window.map(\.h))
            return (raw[i].t, Box(x: cx - w / 2, y: cy - h / 2, w: w, h: h, score: raw[i].box.score, sharpness: raw[i].box.sharpness))
        }
        hits = raw.count
    }

    var first: Double { points.first!.t }
    var last: Double { points.last!.t }
    var medianWidth: Double { Self.median(points.map(\.box.w)) }

    /// The box at `t`, interpolated between detections; nil outside [first - hold, last + hold].
    func box(at t: Double, hold: Double) -> Box? {
        guard t >= first - hold, t <= last + hold else { return nil }
        if t <= first { return points.first!.box }
        if t >= last { return points.last!.box }
        var low = 0, high = points.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if points[mid].t <= t { low = mid } else { high = mid }
        }
        let a = points[low], b = points[high]
        let f = (t - a.t) / (b.t - a.t)
        func mix(_ p: Double, _ q: Double) -> Double { p + (q - p) * f }
        return Box(x: mix(a.box.x, b.box.x), y: mix(a.box.y, b.box.y), w: mix(a.box.w, b.box.w),
                   h: mix(a.box.h, b.box.h), score: a.box.score)
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}

/// Links per-picture detections into tracks, greedily: each detection (best score first)
/// joins the track whose predicted box (constant velocity from its last two detections) it
/// overlaps or is nearest to, if the track was seen within `maxGap` seconds and the sizes
/// are similar; otherwise it starts a track.
struct Tracker {
    var maxGap = 1.0
    var minOverlap = 0.2
    /// Centre distance from the prediction, in units of the last box's larger side, that
    /// still counts as the same subject (per `step` seconds since the track was last seen).
    var maxDistance = 0.75
    var step = 0.25
    /// Allowed size change between consecutive detections (factor either way).
    var maxSizeChange = 2.0

    func tracks(_ observations: [(t: Double, boxes: [Box])]) -> [Track] {
        var tracks: [Track] = []
        for (t, boxes) in observations {
            var taken = Set<Int>()
            for box in boxes.sorted(by: { $0.score > $1.score }) {
                if let index = bestMatch(box, at: t, in: tracks, excluding: taken) {
                    tracks[index].points.append((t, box))
                    taken.insert(index)
                } else {
                    tracks.append(Track(points: [(t, box)]))
                    taken.insert(tracks.count - 1)
                }
            }
        }
        return tracks
    }

    private func bestMatch(_ box: Box, at t: Double, in tracks: [Track], excluding taken: Set<Int>) -> Int? {
        var best: (index: Int, cost: Double)?
        for (index, track) in tracks.enumerated() where !taken.contains(index) && t - track.last <= maxGap {
            let last = track.points.last!.box
            let sizeRatio = box.w / last.w
            guard sizeRatio > 1 / maxSizeChange, sizeRatio < maxSizeChange else { continue }
            let predicted = Self.predict(track, at: t)
            var distance = hypot(box.centreX - predicted.centreX, box.centreY - predicted.centreY) / max(last.w, last.h)
            // A detection that knows its velocity is also compared where it was when the track
            // was last seen (a track seen once has no velocity of its own).
            if let v = box.velocity {
                let dt = t - track.last
                distance = min(distance, hypot(box.centreX - v.x * dt - last.centreX, box.centreY - v.y * dt - last.centreY) / max(last.w, last.h))
            }
            let allowed = maxDistance * max(1, (t - track.last) / step)
            guard box.iou(predicted) >= minOverlap || distance < allowed else { continue }
            if best == nil || distance < best!.cost { best = (index, distance) }
        }
        return best?.index
    }

    /// The track's last box moved on at the velocity of its last two detections, or of its
    /// only one when measured.
    private static func predict(_ track: Track, at t: Double) -> Box {
        var box = track.points.last!.box
        guard track.points.count >= 2 else {
            if let v = box.velocity {
                box.x += v.x * (t - track.last)
                box.y += v.y * (t - track.last)
            }
            return box
        }
        let a = track.points[track.points.count - 2], b = track.points[track.points.count - 1]
        guard b.t > a.t else { return box }
        let f = (t - b.t) / (b.t - a.t)
        box.x += (b.box.centreX - a.box.centreX) * f
        box.y += (b.box.centreY - a.box.centreY) * f
        return box
    }
}
