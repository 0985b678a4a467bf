@testable import LocalEngine
import XCTest

/// When each photo is on screen, and how its Ken Burns window moves.
final class SlideshowTimelineTests: XCTestCase {
    func testEvenCutsAndCentredCrossfades() {
        let t = SlideshowTimeline.plan(count: 12, photoDuration: 3, transition: 0.5)
        XCTAssertEqual(t.cuts.count, 13)
        XCTAssertEqual(t.duration, 36)
        XCTAssertEqual(t.frameCount, 1080)
        XCTAssertEqual(t.shot(atFrame: 0), .init(photo: 0, next: nil, weight: 0))
        XCTAssertEqual(t.shot(atFrame: 90), .init(photo: 0, next: 1, weight: 0.5), "the middle of the crossfade is on the cut")
        XCTAssertEqual(t.shot(atFrame: 83), .init(photo: 0, next: 1, weight: (83.0 / 30 - 2.75) / 0.5))
        XCTAssertEqual(t.shot(atFrame: 82), .init(photo: 0, next: nil, weight: 0), "before the crossfade")
        XCTAssertEqual(t.shot(atFrame: 98), .init(photo: 1, next: nil, weight: 0), "after it")
        XCTAssertEqual(t.shot(atFrame: 1079).photo, 11)
        XCTAssertEqual(t.visible(0).start, 0); XCTAssertEqual(t.visible(0).end, 3.25)
        XCTAssertEqual(t.visible(5).start, 14.75); XCTAssertEqual(t.visible(5).end, 18.25)
        XCTAssertEqual(t.visible(11).end, 36)
    }

    func testHardCutsAndShortSlots() {
        let none = SlideshowTimeline.plan(count: 3, photoDuration: 1, transition: 0)
        XCTAssertEqual(none.shot(atFrame: 29), .init(photo: 0, next: nil, weight: 0))
        XCTAssertEqual(none.shot(atFrame: 30), .init(photo: 1, next: nil, weight: 0))
        // A transition longer than a slot is shortened to it.
        let long = SlideshowTimeline.plan(count: 3, photoDuration: 1, transition: 5)
        XCTAssertEqual(long.transitionLength(at: 1), 1)
    }

    /// A photo left out re-plans only what follows; what is already filmed keeps its times.
    func testReplanKeepsLockedCuts() {
        let fixed = SlideshowTimeline.plan(count: 4, photoDuration: 2, transition: 0.5, locked: [0, 2])
        XCTAssertEqual(fixed.cuts, [0, 2, 4, 6, 8])
        let song = SlideshowTimeline.plan(count: 3, photoDuration: 2, transition: 0.5, total: 12, locked: [0, 3])
        XCTAssertEqual(song.cuts, [0, 3, 7.5, 12], "the rest of the song is shared by the photos left")
    }

    /// Beat sync: each inner cut moves to the nearest beat, never dragged further than half a share.
    func testCutsSnapToBeats() {
        let beats = stride(from: 0.37, to: 20, by: 0.5).map { $0 }
        let t = SlideshowTimeline.plan(count: 4, photoDuration: 3, transition: 0.5, beats: beats)
        XCTAssertEqual(t.cuts.first, 0); XCTAssertEqual(t.cuts.last, 12)
        for (k, cut) in t.cuts.dropFirst().dropLast().enumerated() {
            XCTAssertTrue(beats.contains(cut), "cut \(cut) is a beat")
            XCTAssertEqual(cut, Double(k + 1) * 3, accuracy: 0.25)
        }
        let sparse = SlideshowTimeline.plan(count: 3, photoDuration: 3, transition: 0.5, beats: [100])
        XCTAssertEqual(sparse.cuts, [0, 3, 6, 9], "no beat near: the even cut stays")
    }

    /// The window's centre and size (its zoom) move monotonically and smoothly, by fractions of a
    /// pixel per frame — never in whole-pixel steps — and it always lies inside the plate.
    func testKenBurnsWindowsMoveSmoothlyInsideThePlate() {
        let pw = 1210.0, ph = 680.0
        for index in 0..<4 {
            let move = KenBurnsMove.forPhoto(index: index, landscape: true)
            let frames = 105
            let windows = (0...frames).map { move.window(at: Double($0) / Double(frames), plateWidth: pw, plateHeight: ph) }
            for w in windows {
                XCTAssertGreaterThanOrEqual(w.x, -1e-9); XCTAssertGreaterThanOrEqual(w.y, -1e-9)
                XCTAssertLessThanOrEqual(w.x + w.width, pw + 1e-9); XCTAssertLessThanOrEqual(w.y + w.height, ph + 1e-9)
            }
            // What the eye follows: the window's centre and its size (the zoom).
            let tracks: [(PlateWindow) -> Double] = [{ $0.x + $0.width / 2 }, { $0.y + $0.height / 2 }, { $0.width }]
            for track in tracks {
                let d = zip(windows.dropFirst(), windows).map { track($0) - track($1) }
                XCTAssertTrue(d.allSatisfy { $0 >= -1e-9 } || d.allSatisfy { $0 <= 1e-9 }, "move \(index): monotonic")
                XCTAssertLessThan(d.map(abs).max() ?? 0, 1.5, "move \(index): under 1.5 px a frame")
                let dd = zip(d.dropFirst(), d).map { abs($0 - $1) }
                XCTAssertLessThan(dd.max() ?? 0, 0.01, "move \(index): steady speed, no jerks")
            }
            XCTAssertTrue(windows.contains { $0.x != $0.x.rounded() || $0.width != $0.width.rounded() }, "sub-pixel positions")
            XCTAssertNotEqual(windows.first, windows.last, "move \(index) moves")
        }
        XCTAssertEqual(KenBurnsMove.still.window(at: 0.7, plateWidth: pw, plateHeight: ph), PlateWindow(x: 0, y: 0, width: pw, height: ph))
    }
}
