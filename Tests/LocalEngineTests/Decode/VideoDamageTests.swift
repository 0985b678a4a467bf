@testable import LocalEngine
import XCTest

final class VideoDamageTests: XCTestCase {
    func testNothingDamagedSaysNothing() {
        var d = VideoDamage()
        d.packets = 60; d.pictures = 60
        XCTAssertNil(d.summary)
        XCTAssertEqual(d.fraction, 0)
        XCTAssertFalse(d.isTooMuch)
    }

    func testTheLargerShareDecides() {
        var d = VideoDamage()
        d.packets = 100; d.damagedPackets = 5; d.pictures = 50; d.repairedPictures = 15
        XCTAssertEqual(d.fraction, 0.3, accuracy: 1e-9)
        XCTAssertTrue(d.isTooMuch)
        XCTAssertEqual(d.summary, "5 of 100 video packets were damaged and skipped; 15 of 50 pictures had damage the decoder covered up")
        d.repairedPictures = 10
        XCTAssertFalse(d.isTooMuch, "exactly 20% is still converted")
    }
}
