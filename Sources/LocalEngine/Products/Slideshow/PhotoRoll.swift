import MediaProbe

/// The photos of a slideshow as it is filmed: which are still in it, when each is on screen,
/// and the prepared plates of the one or two being shown plus the next one — never more, so
/// memory does not grow with the number of photos.
///
/// A photo is prepared before its first frame (one photo ahead), so one that cannot be decoded
/// is found before anything of it is shown: it is left out, and the photos after it are planned
/// again from its cut on, while every time already filmed stays as it was.
final class PhotoRoll {
    private(set) var reports: [ProbeReport]
    private(set) var timeline: SlideshowTimeline
    private(set) var skipped: [SlideshowSummary.SkippedPhoto] = []
    /// Photos shown so far (for the summary), in order.
    private(set) var shown: [String] = []
    private let originalCount: Int
    private var plates: [Int: PhotoPlate] = [:]
    private let replan: (_ count: Int, _ locked: [Double]) throws -> SlideshowTimeline
    private let prepare: (_ report: ProbeReport, _ index: Int) throws -> PhotoPlate

    init(reports: [ProbeReport], timeline: SlideshowTimeline,
         replan: @escaping (Int, [Double]) throws -> SlideshowTimeline,
         prepare: @escaping (ProbeReport, Int) throws -> PhotoPlate) {
        self.reports = reports
        self.timeline = timeline
        originalCount = reports.count
        self.replan = replan
        self.prepare = prepare
    }

    /// What `frame` shows, with the plates it needs — and the next photo's — ready.
    func shot(atFrame frame: Int) throws -> (shot: SlideshowTimeline.Shot, plate: PhotoPlate, next: PhotoPlate?) {
        while true {
            let shot = timeline.shot(atFrame: frame)
            plates = plates.filter { $0.key >= shot.photo }
            guard try ready(shot.photo), try ready(shot.photo + 1) else { continue }   // a photo was left out: plan again
            if let next = shot.next, plates[next] == nil { continue }
            return (shot, plates[shot.photo]!, shot.next.flatMap { plates[$0] })
        }
    }

    /// Prepares photo `index` if needed; false when it could not be read and was left out.
    private func ready(_ index: Int) throws -> Bool {
        guard index < reports.count, plates[index] == nil else { return true }
        do {
            plates[index] = try prepare(reports[index], index)
            shown.append(reports[index].path)
            return true
        } catch let LocalEngineError.photoUnreadable(path, reason) {
            try leaveOut(index, path: path, reason: reason)
            return false
        }
    }

    private func leaveOut(_ index: Int, path: String, reason: String) throws {
        skipped.append(.init(path: path, reason: reason))
        reports.remove(at: index)
        if reports.isEmpty { throw LocalEngineError.noReadablePhotos(count: originalCount) }
        var moved: [Int: PhotoPlate] = [:]
        for (k, p) in plates { moved[k > index ? k - 1 : k] = p }
        plates = moved
        timeline = try replan(reports.count, Array(timeline.cuts.prefix(index + 1)))
    }
}
