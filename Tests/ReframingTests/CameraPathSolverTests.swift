import XCTest
@testable import Reframing

final class CameraPathSolverTests: XCTestCase {
    private let solver = CameraPathSolver(windowWidth: 607.5, pictureWidth: 1920)
    private let times = stride(from: 0.0, through: 6, by: 0.2).map { $0 }

    func testLinearProgramFindsTheKnownOptimum() throws {
        // min x + y  s.t. x + 2y ≥ 4, x - y ≤ 1, x, y ≥ 0  →  x = 0, y = 2.
        let lp = LinearProgram()
        let x = lp.addVariable(lower: 0, cost: 1), y = lp.addVariable(lower: 0, cost: 1)
        lp.addConstraint([(x, 1), (y, 2)], lower: 4)
        lp.addConstraint([(x, 1), (y, -1)], upper: 1)
        let values = try lp.solve()
        XCTAssertEqual(values[x], 0, accuracy: 1e-9)
        XCTAssertEqual(values[y], 2, accuracy: 1e-9)
    }

    func testLinearProgramRejectsInconsistentBoundsInsteadOfAborting() {
        let lp = LinearProgram()
        lp.addVariable(lower: 5, upper: 1, cost: 1)
        XCTAssertThrowsError(try lp.solve()) { error in
            guard case ReframingError.solver = error else { return XCTFail("\(error)") }
        }
    }

    func testStationarySubjectGivesAConstantPath() throws {
        let xs = try solver.solve(times: times, required: times.map { _ in 300.0 ... 500.0 })
        XCTAssertEqual(Set(xs).count, 1, "\(xs)")
        XCTAssertLessThanOrEqual(xs[0], 300 - 0.08 * 607.5 + 1e-6)
        XCTAssertGreaterThanOrEqual(xs[0] + 607.5, 500 + 0.17 * 607.5 - 1e-6)
    }

    func testSubjectThatMovesThenStopsIsFollowedAndHeld() throws {
        // Walks right at 300 px/s for 2 s, then stands still.
        let required: [ClosedRange<Double>?] = times.map { t in
            let c = 300 + 300 * min(max(t - 1, 0), 2)
            return (c - 100) ... (c + 100)
        }
        let xs = try solver.solve(times: times, required: required)
        for (x, r) in zip(xs, required) {
            XCTAssertLessThanOrEqual(x, r!.lowerBound + 1e-6)
            XCTAssertGreaterThanOrEqual(x + 607.5, r!.upperBound - 1e-6)
        }
        // Holds at the end: the last second does not move (no drift once the subject stops).
        let tail = xs.suffix(5)
        XCTAssertLessThan(tail.max()! - tail.min()!, 1e-6, "\(xs)")
        // Holds at the start too: the subject moves inside the dead zone before the camera does.
        XCTAssertLessThan(abs(xs[1] - xs[0]), 1e-6, "\(xs)")
    }

    func testSpeedLimitHoldsWhenTheSubjectJumps() throws {
        let required: [ClosedRange<Double>?] = times.map { $0 < 3 ? 100 ... 300 : 1500 ... 1700 }
        let xs = try solver.solve(times: times, required: required)
        let limit = 0.6 * 1920 * 0.2
        for (a, b) in zip(xs, xs.dropFirst()) { XCTAssertLessThanOrEqual(abs(b - a), limit + 1e-6) }
        XCTAssertLessThanOrEqual(xs.last!, 1500 + 1e-6)
        XCTAssertGreaterThanOrEqual(xs.last! + 607.5, 1700 - 1e-6)
    }

    func testStillWindowKeepsTheSubjectClearOfTheButtonColumn() {
        let x = solver.stillX(spread: 700 ... 900)
        XCTAssertLessThanOrEqual(x, 700 - 0.08 * 607.5 + 1e-9)
        XCTAssertGreaterThanOrEqual(x + 607.5 * (1 - 0.17), 900 - 1e-9)
        XCTAssertEqual(solver.stillX(spread: 1850 ... 1900), 1920 - 607.5, "clamped inside the picture")
        XCTAssertEqual(solver.stillX(spread: 10 ... 60), 0)
    }

    func testStillWindowForASpreadTooWideForTheMarginsStillContainsIt() {
        // Found on opencv-doc's vtest.avi: a spread that fits the window but not its margins.
        let x = solver.stillX(spread: 700 ... 1200)
        XCTAssertLessThanOrEqual(x, 700)
        XCTAssertGreaterThanOrEqual(x + 607.5, 1200)
        // Wider than the window: centred on it.
        XCTAssertEqual(solver.stillX(spread: 600 ... 1400), 1000 - 607.5 / 2, accuracy: 1e-9)
    }

    func testPruneKeepsCornersAndDropsCollinearKeyframes() {
        let xs: [Double] = [0, 0, 0, 10, 20, 30, 30, 30]
        let keys = xs.enumerated().map { Keyframe(t: Double($0.offset), x: $0.element, y: 0, w: 1, h: 1) }
        XCTAssertEqual(ShotPlanner.prune(keys).map(\.t), [0, 2, 5, 7])
    }
}
