import FFmpeg
import Foundation
@testable import LocalEngine
import MediaProbe
import Reframing
import XCTest

/// The Ken Burns move heads for faces. Photos are composed by the ffmpeg CLI from the
/// reframing fixtures: the astronaut photograph (`face.ppm`, a real photographed face) on a
/// photographed gravel texture, at a known place.
final class SlideshowFacesTests: SlideshowTestCase {
    static let fixtures = FidelityTests.root.appendingPathComponent("Tests/Fixtures/reframe")
    /// The head (hair to chin) inside face.ppm (128x192), measured by eye (the fixtures' README).
    static let head = (x: 18.0, y: 10.0, w: 96.0, h: 98.0)

    /// A `width` x `height` JPEG of gravel with face.ppm scaled by `scale` at (`x`, `y`), or
    /// gravel alone when `x` is nil. Returns the path and the head's box in unit coordinates.
    func facePhoto(_ name: String, width: Int, height: Int, faceAt x: Int?, y: Int = 0, scale: Int = 2) throws
        -> (path: String, head: FaceRegion?) {
        let path = dir.appendingPathComponent(name).path
        let gravel = Self.fixtures.appendingPathComponent("gravel.pgm").path, face = Self.fixtures.appendingPathComponent("face.ppm").path
        var graph = "[0]scale=\(width):\(height):flags=bicubic,format=rgb24"
        if let x { graph += "[bg];[1]scale=\(128 * scale):\(192 * scale):flags=bicubic[f];[bg][f]overlay=\(x):\(y)" }
        let r = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", gravel, "-i", face, "-filter_complex", graph,
                                   "-frames:v", "1", "-q:v", "2", "-update", "1", path])
        XCTAssertEqual(r.status, 0, r.err)
        guard let x else { return (path, nil) }
        let s = Double(scale), w = Double(width), h = Double(height)
        let head = FaceRegion(x: (Double(x) + Self.head.x * s) / w, y: (Double(y) + Self.head.y * s) / h,
                              width: Self.head.w * s / w, height: Self.head.h * s / h)
        return (path, head)
    }

    /// The plate the slideshow would film for `path`, and the finder's target in it.
    func target(_ path: String) throws -> (target: MotionTarget?, plate: PhotoPicture) {
        let report = try Prober.probe(path: path)
        let finder = try FaceTargetFinder()
        let display = try XCTUnwrap(PhotoReader.displaySize(report))
        let size = PhotoPlate.plateSize(display: display, zoom: finder.closestZoom)
        let plate = try PhotoReader.read(report, width: size.width, height: size.height)
        let target = try finder.target(inPlate: plate)
        XCTAssertEqual(finder.searched, 1, "one detection per photo")
        return (target, plate)
    }

    /// A face right of centre: the move ends zoomed in with the whole head inside the window,
    /// its eyes near the upper third, the head larger and nearer the middle than in the whole
    /// photo.
    func testFaceOffCentreIsTheTarget() throws {
        let (path, head) = try facePhoto("face.jpg", width: 1600, height: 1200, faceAt: 900, y: 300)
        let h = try XCTUnwrap(head)
        let (found, plate) = try target(path)
        let t = try XCTUnwrap(found, "the astronaut's face is found")
        XCTAssertGreaterThan(t.zoom, 1.15)
        XCTAssertLessThanOrEqual(t.zoom, FaceTargetFinder.faceZoom)
        let move = KenBurnsMove.forPhoto(index: 0, landscape: true, target: t)
        let pw = Double(plate.width), ph = Double(plate.height)
        let end = move.window(at: 1, plateWidth: pw, plateHeight: ph)
        // The head, in the final window's own fractions.
        let left = (h.x * pw - end.x) / end.width, right = (h.right * pw - end.x) / end.width
        let top = (h.y * ph - end.y) / end.height, bottom = (h.bottom * ph - end.y) / end.height
        XCTAssertTrue(left >= 0 && right <= 1 && top >= 0 && bottom <= 1, "head inside the final window: \(left)…\(right), \(top)…\(bottom)")
        let eyes = top + 0.45 * (bottom - top)
        XCTAssertTrue((0.2...0.45).contains(eyes), "eyes near the upper third of the window: \(eyes)")
        // Sideways it comes towards the middle (upwards it is meant to stay above it: headroom).
        XCTAssertLessThan(abs((left + right) / 2 - 0.5), abs(h.centreX - 0.5) - 0.05, "the head comes towards the middle")
        XCTAssertGreaterThan(right - left, 1.15 * h.width, "the head is larger on screen")
    }

    /// The detector's face is the astronaut's head (it overlaps the measured box), on either side.
    func testFinderReturnsAPointOnTheFace() throws {
        for (name, x) in [("left.jpg", 120), ("right.jpg", 1250)] {
            let (path, head) = try facePhoto(name, width: 1600, height: 900, faceAt: x, y: 200)
            let h = try XCTUnwrap(head)
            let report = try Prober.probe(path: path)
            let plate = try PhotoReader.read(report, width: 1600, height: 900)
            let finder = try PhotoFaceFinder()
            let scaler = try Scaler(sourceWidth: 1600, sourceHeight: 900, sourceFormat: .yuv420p,
                                    destinationWidth: 480, destinationHeight: 270, destinationFormat: .gray, filter: .area)
            let grey = try Frame(width: 480, height: 270, format: .gray)
            scaler.scale(plate.frame, into: grey)
            let (base, stride) = grey.plane(0)
            let faces = try finder.faces(in: AnalysisPicture(width: 480, height: 270, planes: [(UnsafePointer(base!), Int(stride))]))
            let subject = try XCTUnwrap(FaceAim.subject(faces, closestZoom: FaceTargetFinder.faceZoom), "\(name): a face")
            XCTAssertTrue(subject.centreX > h.x && subject.centreX < h.right && subject.centreY > h.y && subject.centreY < h.bottom,
                          "\(name): the face found (\(subject)) is on the head (\(h))")
        }
    }

    /// Gravel and a smooth gradient have no face: no target, so the default moves stay.
    func testPhotoWithoutAFaceHasNoTarget() throws {
        let (gravel, _) = try facePhoto("gravel.jpg", width: 1600, height: 1200, faceAt: nil)
        XCTAssertNil(try target(gravel).target)
        let gradient = try photo("gradient.png", "gradients=s=1200x1600:c0=0x203040:c1=0xE0C090:x0=0:y0=0:x1=1200:y1=1600")
        XCTAssertNil(try target(gradient).target)
    }

    /// Two faces of a size side by side are framed together; a small face far away is not.
    func testNearbyFacesAreFramedTogether() {
        let a = FaceRegion(x: 0.30, y: 0.30, width: 0.12, height: 0.16), b = FaceRegion(x: 0.46, y: 0.32, width: 0.10, height: 0.13)
        let far = FaceRegion(x: 0.90, y: 0.80, width: 0.06, height: 0.08)
        XCTAssertEqual(FaceAim.subject([b, far, a], closestZoom: 1.25), a.union(b))
        XCTAssertEqual(FaceAim.subject([far, a], closestZoom: 1.25), a)
        XCTAssertNil(FaceAim.subject([], closestZoom: 1.25))
        // A face filling the photo leaves no room to zoom: the default moves.
        XCTAssertNil(FaceAim.target(for: FaceRegion(x: 0.1, y: 0.1, width: 0.8, height: 0.6), closestZoom: 1.25))
    }

    /// Through the converter: the face search is on by default, once per photo, and reported.
    func testSlideshowSummaryCountsTheFace() throws {
        let (path, _) = try facePhoto("face.jpg", width: 1600, height: 1200, faceAt: 900, y: 300)
        let (gravel, _) = try facePhoto("gravel.jpg", width: 1600, height: 1200, faceAt: nil)
        let (result, _) = try slideshow([path, gravel]) { $0.photoDuration = 0.5; $0.transition = .none }
        XCTAssertEqual(result.slideshow?.photosWithFaces, 1)
        XCTAssertNotNil(result.slideshow?.faceSearchMilliseconds)
        XCTAssertTrue(result.notes.contains { $0.hasPrefix("moves towards faces in 1 of 2 photos") }, "\(result.notes)")
    }
}
