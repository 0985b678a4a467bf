import MediaProbe
import XCTest

/// The frame-rate rule and the values derived from it, stated once in `TikTokContract`.
final class FrameRateRuleTests: XCTestCase {
    func outputRate(_ fps: Double?) -> Double { TikTokContract.output(average: fps, real: nil).framesPerSecond }

    func testAcceptedRatesStaySnappedToTheStandardOnes() {
        XCTAssertEqual(outputRate(29.97), 30000.0 / 1001, accuracy: 1e-6)
        XCTAssertEqual(outputRate(29.969), 30000.0 / 1001, accuracy: 1e-6)
        XCTAssertEqual(outputRate(30), 30)
        XCTAssertEqual(outputRate(23.976), 24000.0 / 1001, accuracy: 1e-6)
        XCTAssertEqual(outputRate(24), 24)
        XCTAssertEqual(outputRate(25), 25)
        XCTAssertEqual(outputRate(50), 50)
        XCTAssertEqual(outputRate(59.94), 60000.0 / 1001, accuracy: 1e-6)
        XCTAssertEqual(outputRate(60.1), 60)
        XCTAssertEqual(outputRate(23), 23)
    }

    func testSlowerSourcesAreRaisedToThirtyAndFasterOnesCappedAtSixty() {
        XCTAssertEqual(outputRate(8), 30)
        XCTAssertEqual(outputRate(15), 30)
        XCTAssertEqual(outputRate(22), 30)
        XCTAssertEqual(outputRate(120), 60)
        XCTAssertEqual(outputRate(187), 60)
    }

    func testUnknownRateGetsThirtyAndTheRealRateIsTheFallback() {
        XCTAssertEqual(outputRate(nil), 30)
        XCTAssertEqual(outputRate(0), 30)
        XCTAssertEqual(TikTokContract.output(average: nil, real: 25).framesPerSecond, 25)
    }

    func testLevelAndKeyframeIntervalFollowTheRate() {
        let thirty = TikTokContract.output(average: 30, real: nil)
        XCTAssertEqual(thirty.level.name, "4.0")
        XCTAssertEqual(thirty.keyframeInterval, 60)
        let sixty = TikTokContract.output(average: 120, real: nil)
        XCTAssertEqual(sixty.level.name, "4.2")
        XCTAssertEqual(sixty.keyframeInterval, 120)
        XCTAssertEqual(sixty.sourceRate, 120)
    }
}
