import XCTest
@testable import Reframing

/// Tracks are ranked by confidence × size × sharpness × time on screen; the leader is the subject,
/// a rival is kept only when about as important.
final class SubjectRankingTests: XCTestCase {
    /// A track seen at `times` with a steady box.
    private func track(x: Double, width: Double, score: Double = 0.9, sharpness: Double, times: [Double]) -> Track {
        Track(points: times.map { ($0, Box(x: x, y: 100, w: width, h: width * 1.2, score: score, sharpness: sharpness)) })
    }

    private let shot = (0 ..< 20).map { Double($0) * 0.2 }

    func testTheSharpFaceBeatsALargerBlurredOne() throws {
        let singer = track(x: 300, width: 120, sharpness: 900, times: shot)
        let blurred = track(x: 1200, width: 180, sharpness: 20, times: shot)
        let subjects = try XCTUnwrap(SubjectRanking(pictures: shot.count).subjects([blurred, singer]))
        XCTAssertEqual(subjects.count, 1)
        XCTAssertEqual(subjects[0].points[0].box.x, 300)
    }

    func testTwoSimilarFacesAreBothKept() throws {
        let a = track(x: 200, width: 150, sharpness: 500, times: shot)
        let b = track(x: 1400, width: 140, sharpness: 450, times: shot)
        let subjects = try XCTUnwrap(SubjectRanking(pictures: shot.count).subjects([a, b]))
        XCTAssertEqual(Set(subjects.map { $0.points[0].box.x }), [200, 1400])
    }

    func testABriefFaceDoesNotLead() throws {
        let main = track(x: 500, width: 150, sharpness: 500, times: shot)
        let brief = track(x: 1300, width: 200, score: 0.95, sharpness: 600, times: Array(shot.prefix(3)))
        let subjects = try XCTUnwrap(SubjectRanking(pictures: shot.count).subjects([brief, main]))
        XCTAssertEqual(subjects.map { $0.points[0].box.x }, [500])
    }

    func testUnmeasuredSharpnessRanksBySizeAndTime() throws {
        // People and motion boxes carry no sharpness: size and time on screen decide.
        let big = track(x: 100, width: 200, score: 1, sharpness: 0, times: shot)
        let small = track(x: 900, width: 90, score: 1, sharpness: 0, times: shot)
        let subjects = try XCTUnwrap(SubjectRanking(pictures: shot.count).subjects([small, big]))
        XCTAssertEqual(subjects.map { $0.points[0].box.x }, [100])
    }
}
