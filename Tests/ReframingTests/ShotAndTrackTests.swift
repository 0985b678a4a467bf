import XCTest
@testable import Reframing

final class ShotAndTrackTests: XCTestCase {
    private func histogram(_ level: Int) -> [Float] {
        var h = [Float](repeating: 0, count: 64)
        h[level] = 1; h[32 + level % 16] = 1; h[48 + level % 16] = 1
        return h
    }

    func testCutIsTheFirstPictureOfTheNewContent() {
        var detector = ShotDetector()
        let cuts = (0 ..< 60).filter { i in detector.feed(histogram(i < 30 ? 3 : 20), at: Double(i) / 30) == .cut }
        XCTAssertEqual(cuts, [30])
    }

    func testAFlashIsTakenBackAndARealCutStands() {
        var detector = ShotDetector()
        // A one-picture flash at 1 s, a three-picture one at 2 s, then a real cut at 3 s.
        let levels = (0 ..< 120).map { i in i == 30 || (60 ..< 63).contains(i) ? 25 : (i < 90 ? 3 : 20) }
        let events = levels.indices.map { detector.feed(histogram(levels[$0]), at: Double($0) / 30) }
        let happened = events.indices.filter { events[$0] != .same }.map { ($0, events[$0]) }
        XCTAssertEqual(happened.map(\.0), [30, 31, 60, 63, 90])
        XCTAssertEqual(happened.map(\.1), [.cut, .flash(at: 1), .cut, .flash(at: 2), .cut])
    }

    func testCutsCloserThanTheMinimumShotAreIgnored() {
        var detector = ShotDetector()
        // A new shot at 1 s, another picture 0.4 s later (too soon to be a shot of its own),
        // then a real cut at 2 s; none returns to the picture before it, so none is a flash.
        let levels = (0 ..< 90).map { i in i < 30 ? 3 : (i < 42 ? 25 : (i < 60 ? 10 : 20)) }
        let cuts = levels.indices.filter { detector.feed(histogram(levels[$0]), at: Double($0) / 30) == .cut }
        XCTAssertEqual(cuts, [30, 60])
    }

    func testANewShotLikeTheOldOneInColourButNotInLayoutIsNoFlash() {
        // Same set, new angle: the histogram comes back near the old shot's, the layout does not.
        let a: [Float] = (0 ..< 144).map { i in i % 16 < 8 ? 40 : 200 }
        let b: [Float] = (0 ..< 144).map { i in i % 16 < 8 ? 200 : 40 }
        var detector = ShotDetector()
        let levels = (0 ..< 60).map { i in i == 30 ? 20 : 3 }
        let events = levels.indices.map { detector.feed(histogram(levels[$0]), layout: $0 < 30 ? a : b, at: Double($0) / 30) }
        XCTAssertEqual(events.filter { $0 != .same }, [.cut])
    }

    func testHistogramJumpWithAStillLayoutIsNotACut() {
        // A grainy clip's keyframe: the histogram changes like a cut, the layout does not.
        let still = [Float](repeating: 120, count: 144)
        let nudged: [Float] = (0 ..< 144).map { i in i % 2 == 0 ? 120.8 : 119.2 }
        var keyframes = ShotDetector()
        let falseCuts = (0 ..< 90).filter { (i: Int) -> Bool in
            let even = i / 30 % 2 == 0
            return keyframes.feed(histogram(even ? 3 : 20), layout: even ? still : nudged, at: Double(i) / 30) == .cut
        }
        XCTAssertEqual(falseCuts, [])
        // The same histogram change with the layout moved by a new shot is a cut.
        let other: [Float] = (0 ..< 144).map { i in i % 16 < 8 ? 40 : 200 }
        var shots = ShotDetector()
        let cuts = (0 ..< 60).filter { i in shots.feed(histogram(i < 30 ? 3 : 20), layout: i < 30 ? still : other, at: Double(i) / 30) == .cut }
        XCTAssertEqual(cuts, [30])
    }

    func testStageLightIsNotACutButANewShotUnderItIs() {
        // A concert: the colours change every picture (a wash), a strobe lights every tenth
        // picture (brighter, flatter, its highlights clipped), and at 1.5 s the shot changes
        // from a left-to-right gradient to a top-to-bottom one while the light goes on.
        let shotA: [Float] = (0 ..< 144).map { i in Float(40 + (i % 16) * 10) }
        let shotB: [Float] = (0 ..< 144).map { i in Float(40 + (i / 16) * 25) }
        var detector = ShotDetector()
        let events = (0 ..< 90).map { i -> ShotDetector.Event in
            let base = i < 45 ? shotA : shotB
            let layout = i % 10 == 5 ? base.map { min(255, $0 * 0.5 + 160) } : base
            return detector.feed(histogram((i < 45 ? 3 : 20) + i % 3), layout: layout, at: Double(i) / 30)
        }
        XCTAssertEqual(events.indices.filter { events[$0] != .same }, [45])
        XCTAssertEqual(events[45], .cut)
        // The strobe's pattern barely moves; the new shot's moves far past the threshold.
        XCTAssertLessThan(detector.structureChange(shotA, shotA.map { min(255, $0 * 0.5 + 160) }) ?? 1, 0.1)
        XCTAssertGreaterThan(detector.structureChange(shotA, shotB) ?? 0, 0.5)
    }

    func testSteadyChangeIsNotACut() {
        var detector = ShotDetector()
        var h = histogram(0)
        var cuts = 0
        for i in 0 ..< 90 {
            // A slow pan: a little mass moves between bins each picture.
            h[i % 32] += 0.02; h[(i + 1) % 32] -= 0.02
            if detector.feed(h, at: Double(i) / 30) == .cut { cuts += 1 }
        }
        XCTAssertEqual(cuts, 0)
    }

    func testSingleHitFalsePositiveIsDropped() {
        let face = Box(x: 100, y: 100, w: 80, h: 80, score: 5)
        let ghost = Box(x: 1500, y: 200, w: 60, h: 60, score: 3)
        let observations = (0 ..< 15).map { i -> (t: Double, boxes: [Box]) in
            (Double(i) * 0.2, i == 7 ? [face, ghost] : [face])
        }
        let tracks = ShotPlanner.lasting(Tracker().tracks(observations), times: observations.map(\.t))
        XCTAssertEqual(tracks?.count, 1)
        XCTAssertEqual(tracks?.first?.hits, 15)
    }

    func testInALongShotBurstsAreDroppedAndAReturningSubjectIsKept() {
        // 80 s at 5 pictures/s: a face seen for 5 s at 10 s and again at 60 s; a false find
        // in a burst of 5 pictures at 40 s.
        let face = Box(x: 600, y: 200, w: 150, h: 150, score: 9)
        let ghost = Box(x: 1500, y: 100, w: 150, h: 150, score: 4)
        let observations = (0 ..< 400).map { i -> (t: Double, boxes: [Box]) in
            let t = Double(i) * 0.2
            var boxes: [Box] = []
            if (10 ..< 15).contains(t) || (60 ..< 65).contains(t) { boxes.append(face) }
            if (40 ..< 41).contains(t) { boxes.append(ghost) }
            return (t, boxes)
        }
        let tracks = ShotPlanner.lasting(Tracker().tracks(observations), times: observations.map(\.t)) ?? []
        XCTAssertEqual(tracks.map(\.hits), [25, 25])
        XCTAssertTrue(tracks.allSatisfy { $0.points[0].box.x == 600 })
    }

    func testMovingSubjectKeepsOneTrackAcrossAMissedDetection() {
        let observations = (0 ..< 15).map { i -> (t: Double, boxes: [Box]) in
            (Double(i) * 0.2, i == 5 ? [] : [Box(x: 100 + Double(i) * 60, y: 100, w: 120, h: 120, score: 5)])
        }
        let tracks = Tracker().tracks(observations)
        XCTAssertEqual(tracks.count, 1)
        XCTAssertEqual(tracks.first?.hits, 14)
        // The smoothed track interpolates over the gap.
        let box = SmoothTrack(tracks[0]).box(at: 1.0, hold: 0.5)
        XCTAssertEqual(box?.x ?? 0, 400, accuracy: 1e-9)
    }

    /// A face crossing the picture faster than its own width per detection (a man walking
    /// past the camera): the gap between two detections is too large for one track, unless
    /// each detection carries the velocity measured over the frame before it.
    func testAFastFaceIsOneTrackWhenItsDetectionsKnowTheirVelocity() {
        let xs = [263.0, 345, 467]
        func faces(velocity: Box.Velocity?) -> [(t: Double, boxes: [Box])] {
            xs.indices.map { i in
                var face = Box(x: xs[i], y: 10, w: 58, h: 76, score: 0.9)
                // The first picture of a shot has no picture before it: no velocity.
                face.velocity = i == 0 ? nil : velocity
                return (1.2 + 0.2 * Double(i), [face])
            }
        }
        XCTAssertEqual(Tracker().tracks(faces(velocity: nil)).count, 3, "over a face width a detection apart")
        let tracks = Tracker().tracks(faces(velocity: Box.Velocity(x: 500, y: 0)))
        XCTAssertEqual(tracks.map(\.hits), [3])
        // A velocity pointing the other way does not join them.
        XCTAssertEqual(Tracker().tracks(faces(velocity: Box.Velocity(x: -500, y: 0))).count, 3)
    }

    func testTwoSubjectsStayTwoTracks() {
        let observations = (0 ..< 10).map { i -> (t: Double, boxes: [Box]) in
            (Double(i) * 0.2, [Box(x: 100, y: 100, w: 80, h: 80, score: 5), Box(x: 1400, y: 120, w: 80, h: 80, score: 4)])
        }
        let tracks = ShotPlanner.lasting(Tracker().tracks(observations), times: observations.map(\.t))
        XCTAssertEqual(tracks?.count, 2)
    }
}
