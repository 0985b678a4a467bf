/// When each photo is on screen. Photo i owns the slot [cuts[i], cuts[i+1]); a crossfade is
/// centred on each inner cut, so the slideshow lasts exactly as long as its slots and a photo
/// is visible from half a transition before its slot to half a transition after.
struct SlideshowTimeline: Equatable {
    /// photoCount + 1 times: 0, the inner cuts, the end.
    let cuts: [Double]
    /// The transition asked for (0: hard cuts); each cut may get less (`transitionLength(at:)`).
    let transition: Double
    let fps: Int

    var photoCount: Int { cuts.count - 1 }
    var duration: Double { cuts.last ?? 0 }
    var frameCount: Int { Int((duration * Double(fps)).rounded()) }
    var photoSeconds: [Double] { zip(cuts.dropFirst(), cuts).map { $0 - $1 } }

    /// What frame `frame` shows: one photo, or two blending (`weight` of the later one, 0…1).
    struct Shot: Equatable {
        var photo: Int
        var next: Int?
        var weight: Double
    }

    /// Plans `count` photos. The cuts in `locked` (at least the first, 0) are kept as they are —
    /// photos already shown keep their times when a later photo turns out unreadable and the
    /// rest is planned again. Then the remaining photos get `photoDuration` each, or share
    /// what is left of `total` (the song's length, for --fit-to-music); with `beats`, each inner
    /// cut moves to the nearest beat that keeps every photo at least half its share.
    static func plan(count: Int, photoDuration: Double, transition: Double, total: Double? = nil,
                     beats: [Double]? = nil, locked: [Double] = [0], fps: Int = SlideshowOptions.frameRate) -> SlideshowTimeline {
        var cuts = Array(locked.prefix(count + 1))
        if cuts.isEmpty { cuts = [0] }
        let remaining = count + 1 - cuts.count
        guard remaining > 0, let start = cuts.last else { return SlideshowTimeline(cuts: cuts, transition: transition, fps: fps) }
        let end = total.map { max($0, start) } ?? start + Double(remaining) * photoDuration
        let step = (end - start) / Double(remaining)
        var previous = start
        for k in 1..<remaining {
            let target = start + Double(k) * step
            var cut = target
            if let beats, let beat = nearestBeat(to: target, in: beats, after: previous + step / 2, before: end - Double(remaining - k) * step / 2) {
                cut = beat
            }
            cuts.append(cut)
            previous = cut
        }
        cuts.append(end)
        return SlideshowTimeline(cuts: cuts, transition: transition, fps: fps)
    }

    /// The beat closest to `target` strictly inside (after, before), if any lies within half a
    /// share of it (a cut is never dragged far from where the even spacing puts it).
    static func nearestBeat(to target: Double, in beats: [Double], after: Double, before: Double) -> Double? {
        var best: Double?
        for b in beats where b > after && b < before {
            if best.map({ abs(b - target) < abs($0 - target) }) ?? true { best = b }
        }
        return best
    }

    /// The crossfade at inner cut `k` (1…photoCount-1): the transition asked for, shortened so it
    /// never takes more than half of either neighbouring slot.
    func transitionLength(at k: Int) -> Double {
        guard k > 0, k < photoCount, transition > 0 else { return 0 }
        let before = cuts[k] - cuts[k - 1], after = cuts[k + 1] - cuts[k]
        return min(transition, before, after)
    }

    /// The seconds photo `i` is visible: its slot, widened by half of each adjacent crossfade.
    func visible(_ i: Int) -> (start: Double, end: Double) {
        (cuts[i] - transitionLength(at: i) / 2, cuts[i + 1] + transitionLength(at: i + 1) / 2)
    }

    /// The output frame's picture time.
    func seconds(ofFrame frame: Int) -> Double { Double(frame) / Double(fps) }

    func shot(atFrame frame: Int) -> Shot {
        let t = seconds(ofFrame: frame)
        // The slot holding t (the last one also holds the end).
        var i = 0
        while i < photoCount - 1 && t >= cuts[i + 1] { i += 1 }
        let before = transitionLength(at: i)
        if before > 0 && t < cuts[i] + before / 2 {
            return Shot(photo: i - 1, next: i, weight: (t - (cuts[i] - before / 2)) / before)
        }
        let after = transitionLength(at: i + 1)
        if after > 0 && t >= cuts[i + 1] - after / 2 {
            return Shot(photo: i, next: i + 1, weight: (t - (cuts[i + 1] - after / 2)) / after)
        }
        return Shot(photo: i, next: nil, weight: 0)
    }
}
