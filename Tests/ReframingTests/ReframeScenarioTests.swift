import XCTest
@testable import Reframing

/// Ground-truth clips (a real face photograph composited on photographed textures at known
/// positions) through the whole analysis: shots, subjects, modes, and where the window is.
final class ReframeScenarioTests: XCTestCase {
    /// The fixtures are in the repository: failing to read them is a failure, not a skip.
    private func fixtures() throws -> (face: PNM, gravel: PNM, brick: PNM) {
        (try PNM(path: Fixtures.path("face.ppm")), try PNM(path: Fixtures.path("gravel.pgm")), try PNM(path: Fixtures.path("brick.pgm")))
    }

    /// Every path the analyzer makes passes the same validation as an edited one and
    /// survives a JSON round trip unchanged.
    private func assertUsable(_ path: ReframePath, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try path.validated(sourceWidth: 1920, sourceHeight: 1080), file: file, line: line)
        XCTAssertEqual(try ReframePath.decode(path.jsonData()), path, file: file, line: line)
    }

    /// Share of frames whose every head lies wholly inside that frame's window.
    private func retention(_ path: ReframePath, _ truth: [(t: Double, heads: [ReframeRect])]) -> Double {
        let kept = truth.filter { frame in
            let window = path.window(at: frame.t)
            return frame.heads.allSatisfy { window.rect.contains($0) }
        }
        return Double(kept.count) / Double(truth.count)
    }

    func testStillOffCentreFaceGetsOneWindowThatHoldsIt() throws {
        let f = try fixtures()
        let sprite = Planes.sprite(f.face)
        let background = Planes.background(f.gravel, width: 480, height: 270, tint: (110, 140))
        let clip = SyntheticClip(duration: 3) { _ in
            var p = background
            p.paste(sprite, x: 40, y: 40)
            return (p, [headRect(spriteAt: 40, 40, factor: 1)])
        }
        let (path, truth, _) = try clip.analyse()
        assertUsable(path)
        XCTAssertEqual(path.shots.count, 1)
        let shot = try XCTUnwrap(path.shots.first)
        XCTAssertEqual(shot.mode, .still)
        XCTAssertEqual(shot.follows, "face")
        XCTAssertEqual(retention(path, truth), 1.0)
        // Still means still: the window at every frame is the same rectangle, to the bit.
        let windows = Set(truth.map { path.window(at: $0.t).rect.x })
        XCTAssertEqual(windows.count, 1)
        XCTAssertEqual(path.window(at: 0).rect.h, 1080)
        XCTAssertEqual(path.window(at: 0).rect.w, 1080 * 9 / 16, accuracy: 1e-9)
        // The face is off-centre left: the window must not be the centre crop, which misses it.
        XCTAssertFalse(ReframeRect(x: (1920 - 607.5) / 2, y: 0, w: 607.5, h: 1080).contains(truth[0].heads[0]))
    }

    func testFaceWalkingAcrossIsFollowed() throws {
        let f = try fixtures()
        let sprite = Planes.sprite(f.face, factor: 2)
        let background = Planes.background(f.gravel, width: 480, height: 270, tint: (110, 140))
        // 20 analysis px per second = 80 display px/s… too slow to need a pan; 80 px/s in
        // analysis pixels (320 display px/s) crosses the frame in 5 s.
        let position = { (t: Double) in Int(20 + 80 * t) }
        let clip = SyntheticClip(duration: 5) { t in
            var p = background
            p.paste(sprite, x: position(t), y: 100)
            return (p, [headRect(spriteAt: position(t), 100, factor: 2)])
        }
        let (path, truth, _) = try clip.analyse()
        assertUsable(path)
        XCTAssertEqual(path.shots.count, 1)
        XCTAssertEqual(path.shots.first?.mode, .pan)
        XCTAssertEqual(path.shots.first?.follows, "face")
        XCTAssertGreaterThanOrEqual(retention(path, truth), 0.95)
        // Bounded speed: no jump between consecutive frames larger than the limit allows.
        let xs = truth.map { path.window(at: $0.t).rect.x }
        let steps = zip(xs, xs.dropFirst()).map { abs($1 - $0) }
        XCTAssertLessThanOrEqual(steps.max() ?? 0, 0.6 * 1920 / 30 + 1e-6)
    }

    func testCutMovesTheWindowOnTheFirstFrameOfTheNewShot() throws {
        let f = try fixtures()
        // A close face, then after the cut a face half that size (the smallest face searched
        // for follows the shot's main face; the small one must still be found and framed).
        let close = Planes.sprite(f.face), far = Planes.sprite(f.face, factor: 2)
        let first = Planes.background(f.gravel, width: 480, height: 270, tint: (110, 140))
        let second = Planes.background(f.brick, width: 480, height: 270, tint: (150, 110))
        let cut = 2.0
        let clip = SyntheticClip(duration: 4) { t in
            var p = t < cut ? first : second
            let (x, y, factor) = t < cut ? (30, 40, 1) : (340, 100, 2)
            p.paste(t < cut ? close : far, x: x, y: y)
            return (p, [headRect(spriteAt: x, y, factor: factor)])
        }
        let (path, truth, _) = try clip.analyse()
        assertUsable(path)
        XCTAssertEqual(path.shots.count, 2)
        XCTAssertEqual(path.shots.map(\.mode), [.still, .still])
        XCTAssertEqual(try XCTUnwrap(path.shots.last).start, cut, accuracy: 1.0 / 30 + 1e-9)
        let newFirstFrame = try XCTUnwrap(truth.first { $0.t >= cut - 1e-9 })
        let lastOldFrame = try XCTUnwrap(truth.last { $0.t < cut - 1e-9 })
        XCTAssertTrue(path.window(at: newFirstFrame.t).rect.contains(newFirstFrame.heads[0]), "window on the cut frame still the old one")
        XCTAssertTrue(path.window(at: lastOldFrame.t).rect.contains(lastOldFrame.heads[0]), "window moved before the cut")
        XCTAssertEqual(retention(path, truth), 1.0)
    }

    func testCameraFlashIsNotACut() throws {
        // Two white frames at 1.5 s (a flash, a glitch): cutting there would re-plan the shot
        // and could move the window away and back; the shot must go on, still and unmoved.
        let f = try fixtures()
        let sprite = Planes.sprite(f.face)
        let background = Planes.background(f.gravel, width: 480, height: 270, tint: (110, 140))
        var white = Planes(width: 480, height: 270)
        white.y = Array(repeating: 235, count: white.y.count)
        let clip = SyntheticClip(duration: 3) { t in
            if t > 1.5 - 1e-9, t < 1.5 + 1.5 / 30 { return (white, []) }
            var p = background
            p.paste(sprite, x: 40, y: 40)
            return (p, [headRect(spriteAt: 40, 40, factor: 1)])
        }
        let (path, truth, _) = try clip.analyse()
        assertUsable(path)
        XCTAssertEqual(truth.filter { $0.heads.isEmpty }.count, 2, "the clip has its two-frame flash")
        XCTAssertEqual(path.shots.count, 1)
        XCTAssertEqual(path.shots.first?.mode, .still)
        XCTAssertEqual(Set(truth.map { path.window(at: $0.t).rect.x }).count, 1)
        XCTAssertEqual(retention(path, truth), 1.0)
    }

    private func twoFacesFarApart() throws -> SyntheticClip {
        let f = try fixtures()
        let sprite = Planes.sprite(f.face, factor: 2)
        let background = Planes.background(f.gravel, width: 480, height: 270, tint: (110, 140))
        return SyntheticClip(duration: 3) { _ in
            var p = background
            p.paste(sprite, x: 30, y: 80)
            p.paste(sprite, x: 380, y: 90)
            return (p, [headRect(spriteAt: 30, 80, factor: 2), headRect(spriteAt: 380, 90, factor: 2)])
        }
    }

    /// Two faces too far apart for one window, no sound: auto splits, each head inside its half's window.
    func testTwoFacesTooFarApartAreSplitWithoutSound() throws {
        let (path, truth, _) = try twoFacesFarApart().analyse()
        assertUsable(path)
        XCTAssertEqual(path.shots.map(\.mode), [.split])
        for (t, heads) in truth {
            let halves = try XCTUnwrap(path.splitWindows(at: t))
            XCTAssertTrue(halves.upper.contains(heads[0]) && halves.lower.contains(heads[1]), "at \(t) s")
        }
    }

    func testTwoFacesTooFarApartAreShownWholeWithTheFill() throws {
        let (path, truth, _) = try twoFacesFarApart().analyse(layout: .fill)
        assertUsable(path)
        XCTAssertEqual(path.shots.count, 1)
        XCTAssertEqual(path.shots.first?.mode, .fill)
        XCTAssertTrue(path.shots.first?.follows.hasPrefix("2 faces") ?? false, path.shots.first?.follows ?? "")
        // Fill shows the whole picture, so both heads are visible in every frame.
        XCTAssertEqual(retention(path, truth), 1.0)
    }

    func testMovingObjectWithoutFaceIsFollowed() throws {
        let f = try fixtures()
        let ball = Planes.ball(radius: 24)
        let background = Planes.background(f.gravel, width: 480, height: 270, tint: (110, 140))
        let position = { (t: Double) in Int(30 + 90 * t) }
        let clip = SyntheticClip(duration: 4) { t in
            var p = background
            p.paste(ball, x: position(t), y: 120)
            let s = SyntheticClip.scale
            return (p, [ReframeRect(x: Double(position(t) & ~1) * s, y: 120 * s, w: 48 * s, h: 48 * s)])
        }
        let (path, truth, _) = try clip.analyse()
        assertUsable(path)
        XCTAssertEqual(path.shots.count, 1)
        XCTAssertEqual(path.shots.first?.follows, "motion")
        XCTAssertEqual(path.shots.first?.mode, .pan)
        XCTAssertGreaterThanOrEqual(retention(path, truth), 0.95)
    }

    func testTextureAloneIsNothingSalient() throws {
        let f = try fixtures()
        let background = Planes.background(f.brick, width: 480, height: 270, tint: (128, 128))
        let clip = SyntheticClip(duration: 2) { _ in (background, []) }
        let (path, _, _) = try clip.analyse()
        assertUsable(path)
        XCTAssertEqual(path.shots.map(\.mode), [.fill])
        XCTAssertEqual(path.shots.first?.follows, "nothing salient")
    }

    func testPortraitSourceIsNotReframed() throws {
        let analyzer = try SceneAnalyzer(displayWidth: 1080, displayHeight: 1920)
        XCTAssertFalse(analyzer.needsReframe)
        let planes = Planes(width: 270, height: 480)
        try planes.withPicture { try analyzer.add($0, at: 0) }
        let path = try analyzer.finish(duration: 2)
        XCTAssertEqual(path.shots.count, 1)
        XCTAssertEqual(path.shots[0].mode, .still)
        XCTAssertEqual(path.window(at: 1).rect, ReframeRect(x: 0, y: 0, w: 1080, h: 1920))
        XCTAssertNoThrow(try path.validated(sourceWidth: 1080, sourceHeight: 1920))
    }
}
