import Foundation

/// A point in a picture as fractions of its width and height (0…1 from the top left).
struct UnitPoint: Equatable {
    var x: Double, y: Double
    static let centre = UnitPoint(x: 0.5, y: 0.5)
}

/// Where a photo's zoom-in should end: the window's centre and its zoom (1: the whole photo).
struct MotionTarget: Equatable {
    var centre: UnitPoint
    var zoom: Double
}

/// Where a photo's motion should head (faces: `FaceTargetFinder`). The slideshow asks it once
/// per photo with the upright picture it will show; nil keeps the default moves.
protocol MotionTargetFinder {
    /// The closest zoom a target may ask for: the plate is made this much larger than its
    /// place on screen, so even that view is sampled 1:1.
    var closestZoom: Double { get }
    func target(inPlate plate: PhotoPicture) throws -> MotionTarget?
}

/// A window into the photo, in plate pixels (top left corner and size; fractional).
struct PlateWindow: Equatable {
    var x: Double, y: Double, width: Double, height: Double
}

/// One photo's Ken Burns move: a zoom (geometric, so it looks steady) and a pan (linear),
/// sampled at any instant — never rounded to whole pixels, which is what makes the ffmpeg
/// `zoompan` recipe step and shake.
///
/// Zoom 1 shows the whole photo; the plate is `maxZoom` times the size of its place on screen,
/// so the closest view is still sampled 1:1 (sharp) and the widest is a mild reduction.
struct KenBurnsMove: Equatable {
    static let maxZoom = 1.12

    var startZoom: Double, endZoom: Double
    var startCentre: UnitPoint, endCentre: UnitPoint

    static let still = KenBurnsMove(startZoom: 1, endZoom: 1, startCentre: .centre, endCentre: .centre)

    /// The move for the `index`-th photo: four gentle moves in turn (zoom in, zoom out from the
    /// upper third, zoom in towards the left, pan across at a fixed zoom), or — when a target
    /// is known — a zoom in to it. `landscape`: the picture on screen is wider than tall,
    /// so a pan runs sideways rather than downwards.
    static func forPhoto(index: Int, landscape: Bool, target: MotionTarget? = nil) -> KenBurnsMove {
        let z = maxZoom
        if let target { return KenBurnsMove(startZoom: 1, endZoom: target.zoom, startCentre: .centre, endCentre: target.centre) }
        switch index % 4 {
        case 0: return KenBurnsMove(startZoom: 1, endZoom: z, startCentre: .centre, endCentre: .centre)
        case 1: return KenBurnsMove(startZoom: z, endZoom: 1, startCentre: UnitPoint(x: 0.5, y: 0.35), endCentre: .centre)
        case 2: return KenBurnsMove(startZoom: 1, endZoom: z, startCentre: .centre, endCentre: UnitPoint(x: 0.3, y: 0.4))
        default:
            let mid = (1 + z) / 2
            return landscape
                ? KenBurnsMove(startZoom: mid, endZoom: mid, startCentre: UnitPoint(x: 0, y: 0.5), endCentre: UnitPoint(x: 1, y: 0.5))
                : KenBurnsMove(startZoom: mid, endZoom: mid, startCentre: UnitPoint(x: 0.5, y: 0), endCentre: UnitPoint(x: 0.5, y: 1))
        }
    }

    /// The window at progress `u` (0 at the photo's first visible instant, 1 at its last) in a
    /// plate of `plateWidth` x `plateHeight` pixels. The centre moves in a straight line between
    /// its two ends, each first clamped so its window lies inside the plate; since the window
    /// size changes convexly with u, every window in between lies inside too.
    func window(at u: Double, plateWidth: Double, plateHeight: Double) -> PlateWindow {
        let p = min(max(u, 0), 1)
        let zoom = startZoom * pow(endZoom / startZoom, p)
        let w = plateWidth / zoom, h = plateHeight / zoom
        let a = Self.centre(startCentre, zoom: startZoom, plateWidth: plateWidth, plateHeight: plateHeight)
        let b = Self.centre(endCentre, zoom: endZoom, plateWidth: plateWidth, plateHeight: plateHeight)
        let cx = a.x + (b.x - a.x) * p, cy = a.y + (b.y - a.y) * p
        return PlateWindow(x: cx - w / 2, y: cy - h / 2, width: w, height: h)
    }

    /// A unit centre in plate pixels, moved just enough that the window at `zoom` stays inside.
    static func centre(_ c: UnitPoint, zoom: Double, plateWidth: Double, plateHeight: Double) -> (x: Double, y: Double) {
        let w = plateWidth / zoom, h = plateHeight / zoom
        return (min(max(c.x * plateWidth, w / 2), plateWidth - w / 2), min(max(c.y * plateHeight, h / 2), plateHeight - h / 2))
    }
}
