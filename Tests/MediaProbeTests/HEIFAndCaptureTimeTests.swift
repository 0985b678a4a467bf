import Foundation
@testable import MediaProbe
import XCTest

/// HEIC photos (read by libheif) and EXIF capture times (for --order time). The HEIC files are
/// made at test time by `heif-enc` (Debian's libheif-examples, installed by scripts/setup).
final class HEIFAndCaptureTimeTests: ProbeTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-heif-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    func tool(_ name: String, _ args: [String]) throws {
        let path = ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return XCTFail("\(name) is missing: run scripts/setup (it installs ffmpeg and libheif-examples)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(name) \(args)")
    }

    /// A JPEG carrying EXIF DateTimeOriginal (through an Exif sub-IFD), big-endian TIFF.
    func jpeg(_ name: String, date: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try tool("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "color=teal:s=320x240", "-frames:v", "1", path])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func be32(_ v: Int) -> [UInt8] { be16(v >> 16) + be16(v & 0xFFFF) }
        let text = Array(date.utf8) + [0]
        let ifd0End = 8 + 2 + 12 + 4
        let tiff = Array("MM".utf8) + be16(42) + be32(8) + be16(1) + be16(0x8769) + be16(4) + be32(1) + be32(ifd0End) + be32(0)
            + be16(1) + be16(0x9003) + be16(2) + be32(text.count) + be32(ifd0End + 18) + be32(0) + text
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        bytes.insert(contentsOf: [0xFF, 0xE1] + be16(payload.count + 2) + payload, at: 2)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testJPEGCaptureTime() throws {
        let r = try Prober.probe(path: try jpeg("dated.jpg", date: "2019:12:31 23:59:58"))
        XCTAssertEqual(r.captureTime, "2019-12-31T23:59:58")
        XCTAssertNil(try probe("photo.jpg").captureTime)
        XCTAssertNil(try Prober.probe(path: try jpeg("noclock.jpg", date: "0000:00:00 00:00:00")).captureTime, "a camera without a clock")
        XCTAssertNil(try Prober.probe(path: try jpeg("garbage.jpg", date: "yesterday at noon!!")).captureTime)
    }

    /// IFD0's DateTime is the fallback, little-endian TIFF too.
    func testDateTimeFallbackLittleEndian() {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }
        let text = Array("2020:02:29 12:00:01".utf8) + [0]
        let tiff = Array("II".utf8) + le16(42) + le32(8) + le16(2) + le16(0x0112) + le16(3) + le32(1) + le16(8) + le16(0)
            + le16(0x0132) + le16(2) + le32(text.count) + le32(8 + 2 + 24 + 4) + le32(0) + text
        let fields = ImageHeader.exifFields(tiff: tiff)
        XCTAssertEqual(fields.orientation, 8)
        XCTAssertEqual(fields.captureTime, "2020-02-29T12:00:01")
    }

    /// heif-enc keeps the JPEG's EXIF; libheif reports the picture and its size.
    func testHEICIsAPhoto() throws {
        let source = try jpeg("src.jpg", date: "2021:07:04 10:20:30")
        let heic = dir.appendingPathComponent("IMG_0001.HEIC").path
        try tool("heif-enc", ["-q", "80", source, "-o", heic])
        let r = try Prober.probe(path: heic)
        XCTAssertEqual(r.kind, .image)
        XCTAssertEqual(r.format, "heic")
        XCTAssertEqual(r.container, "heif")
        XCTAssertEqual(r.streams.first?.codec, "hevc")
        XCTAssertEqual(r.streams.first?.width, 320)
        XCTAssertEqual(r.streams.first?.height, 240)
        XCTAssertEqual(r.streams.first?.isStill, true)
        XCTAssertEqual(r.captureTime, "2021-07-04T10:20:30")
        XCTAssertNil(r.exifOrientation, "libheif applies the file's own transforms; EXIF orientation is not used")
        XCTAssertFalse(r.cloudAccepts, "the cloud takes no HEIC: the offline slideshow is the way")
    }

    /// A HEIC cut short: one clear line naming the file.
    func testTruncatedHEICIsCorrupt() throws {
        let source = try jpeg("src.jpg", date: "2021:07:04 10:20:30")
        let heic = dir.appendingPathComponent("cut.heic").path
        try tool("heif-enc", ["-q", "80", source, "-o", heic])
        let whole = try Data(contentsOf: URL(fileURLWithPath: heic))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: heic))
        assertProbeError(heic) { if case .corrupt = $0 { return true }; return false }
    }
}
