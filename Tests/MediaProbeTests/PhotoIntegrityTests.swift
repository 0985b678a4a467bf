@testable import MediaProbe
import XCTest

/// The JPEG marker walk on small hand-made byte sequences: what is whole, and each way of damage.
final class PhotoIntegrityTests: XCTestCase {
    /// SOI, an APP0 segment, an SOS header, `scan` as entropy-coded data, then `end`.
    func jpeg(scan: [UInt8], end: [UInt8] = [0xFF, 0xD9]) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46] + [0xFF, 0xDA, 0x00, 0x04, 0x01, 0x00] + scan + end
    }

    func testAWholeJPEGIsNotDamaged() {
        XCTAssertNil(PhotoIntegrity.jpegDamage(jpeg(scan: [0x12, 0x34, 0xFF, 0x00, 0x56])), "FF 00 is a stuffed byte")
        XCTAssertNil(PhotoIntegrity.jpegDamage(jpeg(scan: [0x12, 0xFF, 0xD3, 0x56])), "RSTn restarts inside the scan")
        XCTAssertNil(PhotoIntegrity.jpegDamage(jpeg(scan: [0x12]) + [0x00, 0x01, 0x02]), "bytes after the end marker are allowed")
    }

    func testEachDamageIsNamed() {
        XCTAssertEqual(PhotoIntegrity.jpegDamage(jpeg(scan: [0x12, 0x34], end: [])), "cut short: the end-of-image marker is missing")
        XCTAssertEqual(PhotoIntegrity.jpegDamage(Array(jpeg(scan: [0x12]).prefix(11))), "cut short inside a header")
        XCTAssertEqual(PhotoIntegrity.jpegDamage(Array(jpeg(scan: [0x12]).prefix(9))), "cut short before its picture data")
        XCTAssertEqual(PhotoIntegrity.jpegDamage(jpeg(scan: [0x12, 0xFF, 0x3C, 0x34])), "an invalid marker 0x3C at byte 16")
        XCTAssertEqual(PhotoIntegrity.jpegDamage([0xFF, 0xD8, 0x00, 0x00, 0xFF, 0xD9]), "stray bytes at byte 2 where a marker should be")
        XCTAssertEqual(PhotoIntegrity.jpegDamage([0xFF, 0xD8, 0xFF, 0xD9]), "it ends before any picture data")
        XCTAssertEqual(PhotoIntegrity.jpegDamage([0x89, 0x50, 0x4E, 0x47]), "no JPEG start marker")
    }
}
