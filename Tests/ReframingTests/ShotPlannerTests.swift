import XCTest
@testable import Reframing

/// Mode decisions from given detections (display pixels of a 1920x1080 source).
final class ShotPlannerTests: XCTestCase {
    private let planner = ShotPlanner(pictureWidth: 1920, pictureHeight: 1080, outputAspect: 9.0 / 16.0)

    private func observations(_ faces: [Box], seconds: Double = 3) -> [Observation] {
        stride(from: 0.0, to: seconds, by: 0.2).map { Observation(t: $0, faces: faces) }
    }

    func testCloseUpWhoseHairCannotFitKeepsTheFaceItself() throws {
        // A 500-pixel face: with hair and ears it needs 750 > 607.5 pixels, the face alone fits.
        let face = Box(x: 800, y: 200, w: 500, h: 500, score: 20)
        let shot = try planner.plan(start: 0, end: 3, observations: observations([face]))
        XCTAssertEqual(shot.mode, .still)
        XCTAssertEqual(shot.follows, "face")
        XCTAssertTrue(shot.keyframes[0].rect.contains(ReframeRect(x: 800, y: 200, w: 500, h: 500)))
    }

    func testFaceWiderThanTheWindowIsCentred() throws {
        let face = Box(x: 700, y: 100, w: 700, h: 700, score: 20)
        let shot = try planner.plan(start: 0, end: 3, observations: observations([face]))
        XCTAssertEqual(shot.mode, .still)
        let window = shot.keyframes[0]
        XCTAssertEqual(window.x + window.w / 2, face.centreX, accuracy: 0.01)
    }

    func testSubjectWhoLeavesAndComesBackIsOneFace() throws {
        let face = Box(x: 600, y: 200, w: 200, h: 200, score: 9)
        let seen = stride(from: 0.0, to: 6, by: 0.2).map { t in Observation(t: t, faces: (2 ..< 4).contains(t) ? [] : [face]) }
        let shot = try planner.plan(start: 0, end: 6, observations: seen)
        XCTAssertEqual(shot.follows, "face")
        XCTAssertEqual(shot.mode, .still)
    }

    func testSmallBackgroundFaceDoesNotForceTheFill() throws {
        let speaker = Box(x: 300, y: 200, w: 240, h: 240, score: 20)
        let passer = Box(x: 1500, y: 300, w: 80, h: 80, score: 6)
        let shot = try planner.plan(start: 0, end: 3, observations: observations([speaker, passer]))
        XCTAssertEqual(shot.mode, .still)
        XCTAssertEqual(shot.follows, "face")
        XCTAssertTrue(shot.keyframes[0].rect.contains(ReframeRect(x: 300, y: 200, w: 240, h: 240)))
    }

    func testTwoSpeakersOfSimilarSizeFarApartGetTheFill() throws {
        let left = Box(x: 200, y: 200, w: 200, h: 200, score: 20)
        let right = Box(x: 1400, y: 220, w: 180, h: 180, score: 15)
        let shot = try planner.plan(start: 0, end: 3, observations: observations([left, right]))
        XCTAssertEqual(shot.mode, .fill)
        XCTAssertEqual(shot.follows, "2 faces, too far apart for one window")
    }

    func testTwoSpeakersCloseTogetherShareOneStillWindow() throws {
        let left = Box(x: 700, y: 200, w: 140, h: 140, score: 20)
        let right = Box(x: 900, y: 220, w: 140, h: 140, score: 15)
        let shot = try planner.plan(start: 0, end: 3, observations: observations([left, right]))
        XCTAssertEqual(shot.mode, .still)
        XCTAssertEqual(shot.follows, "2 faces")
        let window = shot.keyframes[0].rect
        XCTAssertTrue(window.contains(ReframeRect(x: 700, y: 200, w: 140, h: 140)))
        XCTAssertTrue(window.contains(ReframeRect(x: 900, y: 220, w: 140, h: 140)))
    }
}
