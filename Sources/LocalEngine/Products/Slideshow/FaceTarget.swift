import FFmpeg
import Foundation
import Reframing

/// Aims each photo's Ken Burns move at its faces, with the smart-reframing face detector: one
/// detection per photo, on a grey copy at most 480 px wide (the size the video analysis uses;
/// the cascade's cost grows with the area).
final class FaceTargetFinder: MotionTargetFinder {
    /// A face move zooms in further than the default moves (12%): enough to bring a face off
    /// the centre towards the upper middle of the screen.
    static let faceZoom = 1.25
    var closestZoom: Double { Self.faceZoom }

    private let cascadeDirectory: String?
    /// Photos searched, photos with a face to move to, and the CPU time of the search (the
    /// detector's plus the downscale's), for the report.
    private(set) var searched = 0, found = 0
    private(set) var cpuMilliseconds = 0.0

    /// Loads the cascades once, so that missing ones are reported before the show starts.
    init(cascadeDirectory: String? = nil) throws {
        self.cascadeDirectory = cascadeDirectory
        _ = try Self.reframing { try PhotoFaceFinder(cascadeDirectory: cascadeDirectory) }
    }

    func target(inPlate plate: PhotoPicture) throws -> MotionTarget? {
        let started = threadMilliseconds()
        defer { cpuMilliseconds += threadMilliseconds() - started }
        let grey = try greyCopy(plate)
        let (base, stride) = grey.plane(0)
        guard let base else { return nil }
        let picture = AnalysisPicture(width: grey.width, height: grey.height, planes: [(UnsafePointer(base), Int(stride))])
        // A detector per photo: OpenCV keeps a classifier's image pyramid (over 10 MB for a
        // 480-px photo) until the classifier goes, and the show's peak is a later photo's decode;
        // loading the two small LBP cascades again takes about 2 ms.
        let faces = try Self.reframing { try PhotoFaceFinder(cascadeDirectory: cascadeDirectory).faces(in: picture) }
        searched += 1
        guard let subject = FaceAim.subject(faces, closestZoom: closestZoom) else { return nil }
        let target = FaceAim.target(for: subject, closestZoom: closestZoom)
        if target != nil { found += 1 }
        return target
    }

    private func greyCopy(_ plate: PhotoPicture) throws -> Frame {
        let scale = min(1, Double(AnalysisReader.maxWidth) / Double(plate.width))
        let w = max(16, Int((Double(plate.width) * scale).rounded())), h = max(16, Int((Double(plate.height) * scale).rounded()))
        return try stage("downscale photo for face search") {
            let scaler = try Scaler(sourceWidth: plate.width, sourceHeight: plate.height, sourceFormat: .yuv420p,
                                    destinationWidth: w, destinationHeight: h, destinationFormat: .gray, filter: .area)
            let grey = try Frame(width: w, height: h, format: .gray)
            scaler.scale(plate.frame, into: grey)
            return grey
        }
    }

    /// This thread's CPU time: the search runs on the filming thread, beside nothing else.
    private func threadMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
    }

    private static func reframing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ReframingError { throw LocalEngineError.reframing(e.localizedDescription) }
    }
}

/// Where a move towards faces ends (pure: fractions of the photo).
enum FaceAim {
    /// Where the eyes are in a detector's face box, from its top (the cascades' boxes run from
    /// the brow to the mouth; measured on the fixture photograph as about 0.4).
    static let eyeLine = 0.4

    /// What to move to: the largest face, together with the faces of similar size (at least half
    /// its width) near enough to share the closest window with it — a couple, a small group.
    static func subject(_ faces: [FaceRegion], closestZoom: Double) -> FaceRegion? {
        guard let largest = faces.max(by: { $0.width * $0.height < $1.width * $1.height }) else { return nil }
        let window = 1 / closestZoom
        func distance(_ f: FaceRegion) -> Double { hypot(f.centreX - largest.centreX, f.centreY - largest.centreY) }
        var group = largest
        for face in faces.sorted(by: { distance($0) < distance($1) }) where face != largest && face.width >= 0.5 * largest.width {
            let union = group.union(face)
            if union.width <= 0.8 * window && union.height <= 0.6 * window { group = union }
        }
        return group
    }

    /// The end of the zoom-in for `subject`: the eyes near the upper third of the final window,
    /// the face in its upper middle and wholly inside it. The zoom is the closest one that still
    /// leaves the face at most 45% of the window's height and 70% of its width; nil when even
    /// the whole photo is barely larger than that (a close-up portrait: the default moves).
    static func target(for subject: FaceRegion, closestZoom: Double) -> MotionTarget? {
        let zoom = min(closestZoom, 0.45 / subject.height, 0.7 / subject.width)
        guard zoom >= 1.04 else { return nil }
        let w = 1 / zoom, h = 1 / zoom
        let margin = 0.03 * h
        let eyes = subject.y + eyeLine * subject.height
        // Eyes at a third of the window's height: its centre is h/2 − h/3 = h/6 below them.
        var cy = eyes + h / 6
        cy = min(max(cy, subject.bottom + margin - h / 2), subject.y - margin + h / 2)
        let cx = min(max(subject.centreX, subject.right + margin - w / 2), subject.x - margin + w / 2)
        return MotionTarget(centre: UnitPoint(x: cx, y: cy), zoom: zoom)
    }
}
