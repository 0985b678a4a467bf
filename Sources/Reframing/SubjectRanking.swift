import Foundation

/// Which of a shot's lasting tracks are its subjects: tracks are ranked, not single detections,
/// by confidence × size × sharpness × time on screen, so the singer in focus beats a blurred
/// crowd of larger or more numerous faces, and a one-picture false find never leads.
///
/// The decision holds for the whole shot (the window never flips between two faces inside a
/// shot): the leader is kept, and a rival only when it is about as important — then the window
/// holds both, or the shot is laid out for both. A subject that wins only briefly does not move
/// the window; a cut starts the ranking afresh.
struct SubjectRanking {
    /// Analysed pictures in the shot (time on screen is a share of them).
    let pictures: Int
    /// A rival is kept when its rank is at least this share of the leader's.
    var rivalShare = 0.5
    /// Faces or people under this share of the leader's width are in the background: seen if
    /// they happen to be in the window, not a reason to show the whole picture.
    var backgroundWidth = 0.6

    /// The leader first, then the rivals kept, smoothed.
    func subjects(_ tracks: [Track]) -> [SmoothTrack]? {
        let smooth = tracks.map(SmoothTrack.init)
        guard !smooth.isEmpty else { return nil }
        let sharpest = smooth.map { Self.median($0.points.map(\.box.sharpness)) }.max() ?? 0
        let ranked = smooth.map { ($0, rank($0, sharpest: sharpest)) }.sorted { $0.1 > $1.1 }
        let (leader, best) = ranked[0]
        let width = leader.medianWidth
        // Width against the leader's own, so a large blurred face behind a sharp singer stays background.
        let largest = max(width, ranked.filter { $0.1 >= rivalShare * best }.map(\.0.medianWidth).max() ?? width)
        return ranked.filter { $0.1 >= rivalShare * best && $0.0.medianWidth >= backgroundWidth * largest }.map(\.0)
    }

    /// Mean confidence × median width × relative sharpness (square root: a face half as sharp
    /// is not half as important) × share of the shot's pictures the track is seen in.
    func rank(_ track: SmoothTrack, sharpest: Double) -> Double {
        let confidence = track.points.map(\.box.score).reduce(0, +) / Double(track.points.count)
        let sharpness = sharpest > 0 ? (Self.median(track.points.map(\.box.sharpness)) / sharpest).squareRoot() : 1
        let onScreen = Double(track.hits) / Double(max(pictures, track.hits))
        return max(confidence, 1e-3) * track.medianWidth * max(sharpness, 0.05) * onScreen
    }

    private static func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }
}
