import Foundation
@testable import TikconvCLI
import XCTest

/// The probe's size column reads as Foundation's ByteCountFormatter (file style) would write it.
final class ProbeCommandTests: XCTestCase {
    func testFileSizeMatchesByteCountFormatter() {
        for bytes: Int64 in [1, 999, 1_000, 617_400, 123_456, 1_234_567, 12_345_678, 456_789_012, 2_345_678_901] {
            XCTAssertEqual(ProbeCommand.fileSize(bytes), ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file), "\(bytes)")
        }
    }
}
