import Foundation
import XCTest

/// Damaged photos are found by the probe before they are used: each is named and left out of a
/// slideshow made of the rest (exit 0), or refused alone (exit 3). Eight ways a JPEG is damaged.
final class DamagedPhotoEndToEndTests: EndToEndTestCase {
    /// Bytes that are never 0xFF (so they make no marker), from a fixed xorshift sequence.
    static func strayBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var r = seed
        return (0..<count).map { _ in
            r ^= r << 13; r ^= r >> 7; r ^= r << 17
            return UInt8(truncatingIfNeeded: r % 255)
        }
    }

    /// The damaged copies of TestMedia/photo.jpg (33 kB, its scan starting at byte 309), by name.
    func damagedPhotos() throws -> [String: [UInt8]] {
        let jpeg = try bytes(Self.testMedia("photo.jpg"))
        let scan = try XCTUnwrap((0..<jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDA }, "photo.jpg has no scan")
        XCTAssertGreaterThan(jpeg.count, 30_000, "photo.jpg is the 33 kB test photo")
        return [
            "cut-in-header.jpg": Array(jpeg[..<200]),
            "cut-early.jpg": Array(jpeg[..<5000]),
            "cut-late.jpg": Array(jpeg[..<30000]),
            "no-end-marker.jpg": Array(jpeg.dropLast(2)),
            "cut-plus-stray-bytes.jpg": Array(jpeg[..<20000]) + Self.strayBytes(300, seed: 1),
            "stray-marker-in-scan.jpg": Array(jpeg[..<16000]) + [0xFF, 0x3C] + Array(jpeg[16000...]),
            "corrupt-huffman-data.jpg": Array(jpeg[..<12000]) + Self.strayBytes(2000, seed: 2) + Array(jpeg[14000...]),
            "stray-bytes-before-scan.jpg": Array(jpeg[..<scan]) + Self.strayBytes(10, seed: 3) + Array(jpeg[scan...]),
        ]
    }

    func testEachDamagedPhotoAloneIsRefused() throws {
        for (name, data) in try damagedPhotos() {
            let path = try write(data, as: name)
            try assertRefused(path, exit: 3, message: "\(path) is a damaged photo (")
        }
    }

    func testDamagedPhotosAreLeftOutOfASlideshowByName() throws {
        let good = try copy(Self.testMedia("photo.jpg"), as: "good.jpg")
        var inputs = [good]
        for (name, data) in try damagedPhotos().sorted(by: { $0.key < $1.key }) { inputs.append(try write(data, as: name)) }
        let r = try tikconv(inputs + ["-o", outDir + "/", "--photo-duration", "1", "--preset", "ultrafast", "--progress", "none"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in inputs.dropFirst().map({ ($0 as NSString).lastPathComponent }) {
            XCTAssertTrue(r.stderr.contains("\(name) is a damaged photo ("), "\(name) not named: \(r.stderr)")
        }
        XCTAssertTrue(r.stderr.contains("slideshow of 1 photo"), r.stderr)
        XCTAssertEqual(entries(outDir), ["good.slideshow.mp4"])
    }

    /// A whole photo with bytes after its end marker (a phone's appended video) is not damaged.
    func testBytesAfterTheEndMarkerAreAllowed() throws {
        let photo = try write(try bytes(Self.testMedia("photo.jpg")) + Self.strayBytes(500, seed: 4), as: "with-trailer.jpg")
        let r = try tikconv(["probe", photo])
        XCTAssertEqual(r.status, 0, r.stderr)
    }
}
