import XCTest
@testable import Reframing

/// What the analyzer does with input that breaks its contract: one clear error each.
final class SceneAnalyzerInputTests: XCTestCase {
    func testPicturesOutOfOrderAreRejected() throws {
        let analyzer = try SceneAnalyzer(displayWidth: 1920, displayHeight: 1080)
        let planes = Planes(width: 480, height: 270)
        try planes.withPicture { try analyzer.add($0, at: 1) }
        XCTAssertThrowsError(try planes.withPicture { try analyzer.add($0, at: 0.5) }) { error in
            XCTAssertEqual(error as? ReframingError, .outOfOrder(previous: 1, given: 0.5))
            XCTAssertTrue(error.localizedDescription.contains("time order"), error.localizedDescription)
        }
    }

    func testPictureOfTheWrongShapeOrSizeIsRejected() throws {
        let analyzer = try SceneAnalyzer(displayWidth: 1920, displayHeight: 1080)
        // Portrait pictures for a landscape display: rotation not applied.
        XCTAssertThrowsError(try Planes(width: 270, height: 480).withPicture { try analyzer.add($0, at: 0) }) { error in
            XCTAssertTrue(error.localizedDescription.contains("rotation"), error.localizedDescription)
        }
        XCTAssertThrowsError(try Planes(width: 960, height: 540).withPicture { try analyzer.add($0, at: 0) }) { error in
            XCTAssertTrue(error.localizedDescription.contains("480"), error.localizedDescription)
        }
        let planes = Planes(width: 480, height: 270)
        try planes.y.withUnsafeBufferPointer { y in
            let picture = AnalysisPicture(width: 480, height: 270, planes: [(y.baseAddress!, 480)])
            XCTAssertThrowsError(try analyzer.add(picture, at: 0)) { error in
                XCTAssertTrue(error.localizedDescription.contains("3 planes"), error.localizedDescription)
            }
        }
    }

    func testNothingAddedGivesOneFillShot() throws {
        let analyzer = try SceneAnalyzer(displayWidth: 1920, displayHeight: 1080)
        let path = try analyzer.finish(duration: 3)
        XCTAssertEqual(path.shots.map(\.mode), [.fill])
        XCTAssertEqual(path.shots.first?.end, 3)
        XCTAssertNoThrow(try path.validated(sourceWidth: 1920, sourceHeight: 1080))
    }

    func testBadDisplaySizeIsRejected() {
        XCTAssertThrowsError(try SceneAnalyzer(displayWidth: 0, displayHeight: 1080))
    }
}
