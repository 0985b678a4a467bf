import XCTest
@testable import Reframing

/// Layout decisions for two people too far apart for one 9:16 window (display pixels of a
/// 1920x1080 source), from given detections, mouth motion and loudness.
final class LayoutPlannerTests: XCTestCase {
    private let planner = ShotPlanner(pictureWidth: 1920, pictureHeight: 1080, outputAspect: 9.0 / 16.0)
    private let left = Box(x: 200, y: 200, w: 200, h: 200, score: 20)
    private let right = Box(x: 1400, y: 220, w: 180, h: 180, score: 15)

    private func observations(seconds: Double) -> [Observation] {
        stride(from: 0.0, to: seconds, by: 0.2).map { Observation(t: $0, faces: [left, right]) }
    }

    /// Mouth motion every 1/30 s: the talker's mouth moves by 8 grey levels, the listener's by 0.2.
    private func mouths(seconds: Double, talker: (Double) -> Int) -> [MouthSample] {
        stride(from: 0.0, to: seconds, by: 1.0 / 30).flatMap { t in
            [MouthSample(t: t, face: left, motion: talker(t) == 0 ? 8 : 0.2),
             MouthSample(t: t, face: right, motion: talker(t) == 1 ? 8 : 0.2)]
        }
    }

    private func layouts(_ request: ShotLayout?, mouths: [MouthSample] = [], sound: SoundLevels? = nil) -> LayoutPlanner {
        LayoutPlanner(planner: planner, request: request, mouths: mouths, sound: { sound })
    }

    private let speech = SoundLevels(step: 0.05, rms: [Double](repeating: 0.2, count: 200))

    func testWithoutSoundTwoPeopleAreSplitEachInItsOwnHalf() throws {
        let shots = try layouts(nil).shots(start: 0, end: 3, observations: observations(seconds: 3))
        XCTAssertEqual(shots.count, 1)
        let shot = try XCTUnwrap(shots.first)
        XCTAssertEqual(shot.mode, .split)
        XCTAssertEqual(shot.layout, .split)
        XCTAssertTrue(shot.why?.contains("no sound tells who talks") ?? false, shot.why ?? "")
        let upper = shot.keyframes[0].rect, lower = try XCTUnwrap(shot.lower?.first).rect
        XCTAssertTrue(upper.contains(ReframeRect(x: left.x, y: left.y, w: left.w, h: left.h)))
        XCTAssertTrue(lower.contains(ReframeRect(x: right.x, y: right.y, w: right.w, h: right.h)))
        XCTAssertEqual(upper.w / upper.h, 9.0 / 8, accuracy: 0.005)
        XCTAssertEqual(upper.h, lower.h, "one zoom for both halves")
        XCTAssertNoThrow(try ReframePath(sourceWidth: 1920, sourceHeight: 1080, shots: shots).validated(sourceWidth: 1920, sourceHeight: 1080))
    }

    func testMouthsThatDoNotSeparateThePeopleGiveTheSplit() throws {
        let same = stride(from: 0.0, to: 3, by: 1.0 / 30).flatMap { t in
            [MouthSample(t: t, face: left, motion: 5), MouthSample(t: t, face: right, motion: 5)]
        }
        let shots = try layouts(nil, mouths: same, sound: speech).shots(start: 0, end: 3, observations: observations(seconds: 3))
        XCTAssertEqual(shots.map(\.layout), [.split])
        XCTAssertTrue(shots[0].why?.contains("mouth motion does not tell who talks") ?? false, shots[0].why ?? "")
    }

    func testTurnsGiveTheSpeakerLayoutOneShotPerTurn() throws {
        let turns = mouths(seconds: 8) { Int($0 / 2) % 2 }
        let shots = try layouts(nil, mouths: turns, sound: speech).shots(start: 0, end: 8, observations: observations(seconds: 8))
        XCTAssertEqual(shots.map(\.follows), ["speaker: left face", "speaker: right face", "speaker: left face", "speaker: right face"])
        XCTAssertTrue(shots.allSatisfy { $0.layout == .speaker })
        for (shot, boundary) in zip(shots.dropFirst(), [2.0, 4, 6]) { XCTAssertEqual(shot.start, boundary, accuracy: 0.25) }
        XCTAssertTrue(shots[0].keyframes[0].rect.contains(ReframeRect(x: left.x, y: left.y, w: left.w, h: left.h)))
        XCTAssertTrue(shots[1].keyframes[0].rect.contains(ReframeRect(x: right.x, y: right.y, w: right.w, h: right.h)))
        XCTAssertNoThrow(try ReframePath(sourceWidth: 1920, sourceHeight: 1080, shots: shots).validated(sourceWidth: 1920, sourceHeight: 1080))
    }

    func testEachMouthIsJudgedAgainstItsOwnUsualMotion() throws {
        // The right person sits before a grainy camera and nods: his mouth region moves by 6
        // grey levels listening and 9 talking; the left one's, on a clean camera, by 1 and 3.
        // Compared across the two, the right one would win every turn.
        let turns = stride(from: 0.0, to: 8, by: 1.0 / 30).flatMap { t -> [MouthSample] in
            let leftTalks = Int(t / 2) % 2 == 0
            return [MouthSample(t: t, face: left, motion: leftTalks ? 3 : 1), MouthSample(t: t, face: right, motion: leftTalks ? 6 : 9)]
        }
        let shots = try layouts(.speaker, mouths: turns, sound: speech).shots(start: 0, end: 8, observations: observations(seconds: 8))
        XCTAssertEqual(shots.map(\.follows), ["speaker: left face", "speaker: right face", "speaker: left face", "speaker: right face"])
        // On their own scales the two differ by 1.5 against 0.5 and 1.2 against 0.8: less than
        // in the test above, so the smoothed motion reaches the lead a little later.
        for (shot, boundary) in zip(shots.dropFirst(), [2.0, 4, 6]) { XCTAssertEqual(shot.start, boundary, accuracy: 0.4) }
    }

    func testTurnsTheMouthsOftenContradictGiveTheSplitUnlessSpeakerIsAskedFor() throws {
        // Two 4 s turns, but in nearly half of every second the other mouth moves more: each
        // burst is shorter than the hold, so the turns stand, yet they are not clear.
        let muddled = mouths(seconds: 8) { t in
            let turn = t < 4 ? 0 : 1
            return t.truncatingRemainder(dividingBy: 1) >= 0.5 && t.truncatingRemainder(dividingBy: 1) < 0.95 ? 1 - turn : turn
        }
        let auto = try layouts(nil, mouths: muddled, sound: speech).shots(start: 0, end: 8, observations: observations(seconds: 8))
        XCTAssertEqual(auto.map(\.layout), [.split])
        XCTAssertTrue(auto[0].why?.contains("the mouths agree with those turns at only") ?? false, auto[0].why ?? "")
        let forced = try layouts(.speaker, mouths: muddled, sound: speech).shots(start: 0, end: 8, observations: observations(seconds: 8))
        XCTAssertFalse(forced.isEmpty)
        XCTAssertTrue(forced.allSatisfy { $0.layout == .speaker }, "asked for, the speaker layout follows the turns it found")
    }

    func testAShortInterjectionDoesNotMoveTheWindow() throws {
        // The right person says something for 0.4 s in the middle of the left one's 4 s.
        let turns = mouths(seconds: 4) { $0 >= 1.8 && $0 < 2.2 ? 1 : 0 }
        let shots = try layouts(.speaker, mouths: turns, sound: speech).shots(start: 0, end: 4, observations: observations(seconds: 4))
        XCTAssertEqual(shots.map(\.follows), ["speaker: left face"])
    }

    func testForcedLayouts() throws {
        let seen = observations(seconds: 3)
        XCTAssertEqual(try layouts(.fill).shots(start: 0, end: 3, observations: seen).map(\.mode), [.fill])
        let single = try layouts(.single).shots(start: 0, end: 3, observations: seen)
        XCTAssertEqual(single.map(\.mode), [.still])
        XCTAssertTrue(single[0].keyframes[0].rect.contains(ReframeRect(x: left.x, y: left.y, w: left.w, h: left.h)), "the main (most seen, then left) face")
        XCTAssertEqual(try layouts(.split).shots(start: 0, end: 3, observations: seen).map(\.mode), [.split])
    }

    func testOnePersonOrTwoThatShareAWindowKeepTheSingleWindowWhateverTheRequest() throws {
        let alone = stride(from: 0.0, to: 3, by: 0.2).map { Observation(t: $0, faces: [left]) }
        let close = Box(x: 480, y: 200, w: 180, h: 180, score: 15)
        let together = stride(from: 0.0, to: 3, by: 0.2).map { Observation(t: $0, faces: [left, close]) }
        for request in [nil, ShotLayout.split, .speaker, .fill, .single] {
            for seen in [alone, together] {
                let shots = try layouts(request).shots(start: 0, end: 3, observations: seen)
                XCTAssertEqual(shots.map(\.layout), [.single], "\(String(describing: request))")
                XCTAssertEqual(shots.map(\.mode), [.still])
            }
        }
    }

    func testSplitPathsRoundTripAndAreChecked() throws {
        let shots = try layouts(.split).shots(start: 0, end: 3, observations: observations(seconds: 3))
        let path = ReframePath(sourceWidth: 1920, sourceHeight: 1080, shots: shots)
        XCTAssertEqual(try ReframePath.decode(try path.jsonData()), path)
        XCTAssertNotNil(path.splitWindows(at: 1))
        var broken = path
        broken.shots[0].lower = nil
        XCTAssertThrowsError(try broken.validated(sourceWidth: 1920, sourceHeight: 1080))
        var squashed = path
        squashed.shots[0].keyframes[0].w = 600
        XCTAssertThrowsError(try squashed.validated(sourceWidth: 1920, sourceHeight: 1080)) { error in
            XCTAssertTrue("\(error.localizedDescription)".contains("9:8"), error.localizedDescription)
        }
    }
}
