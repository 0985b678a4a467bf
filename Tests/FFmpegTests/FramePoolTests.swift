import XCTest
@testable import FFmpeg

final class FramePoolTests: XCTestCase {
    func testPictureBufferComesBackOnceEveryReferenceIsGone() throws {
        let pool = try FramePool(width: 1080, height: 1920, format: .yuv420p)
        var first: Frame? = try pool.frame()
        let address = first?.dataPointers[0]
        var kept: Frame? = try first?.reference()
        first = nil
        // Still referenced (as the encoder would hold it): the next picture gets another buffer.
        let second = try pool.frame()
        XCTAssertNotEqual(second.dataPointers[0], address)
        kept = nil
        XCTAssertNil(kept)
        let third = try pool.frame()
        XCTAssertEqual(third.dataPointers[0], address, "the released buffer is reused")
    }

    func testPooledPictureHasTheGeometryOfAFreshOne() throws {
        let pooled = try FramePool(width: 180, height: 320, format: .yuv420p).frame()
        let fresh = try Frame(width: 180, height: 320, format: .yuv420p)
        XCTAssertEqual(pooled.width, 180)
        XCTAssertEqual(pooled.height, 320)
        XCTAssertEqual(pooled.pixelFormat, .yuv420p)
        for p in 0..<3 {
            XCTAssertGreaterThanOrEqual(pooled.linesizes[p], fresh.linesizes[p] > 0 ? (p == 0 ? 180 : 90) : 0)
            XCTAssertEqual(Int(pooled.linesizes[p]) % 64, 0)
            XCTAssertNotNil(pooled.dataPointers[p])
        }
        XCTAssertNil(pooled.dataPointers[3])
    }
}
