import XCTest
@testable import MediaProbe
import FFmpeg

final class PhotoAndTextTests: ProbeTestCase {
    func assertPhoto(_ name: String, format: String, codec: String, width: Int, height: Int,
                     file: StaticString = #filePath, line: UInt = #line) throws -> ProbeReport {
        let r = try probe(name)
        XCTAssertEqual(r.kind, .image, file: file, line: line)
        XCTAssertEqual(r.format, format, file: file, line: line)
        XCTAssertNil(r.duration, file: file, line: line)
        XCTAssertTrue(r.cloudAccepts, file: file, line: line)
        XCTAssertTrue(r.videoStreams.isEmpty, "a photo has no moving video", file: file, line: line)
        let s = try XCTUnwrap(r.streams.first, file: file, line: line)
        XCTAssertEqual(s.codec, codec, file: file, line: line)
        XCTAssertEqual(s.width, width, file: file, line: line)
        XCTAssertEqual(s.height, height, file: file, line: line)
        XCTAssertEqual(s.isStill, true, file: file, line: line)
        XCTAssertNil(s.variableFrameRate, file: file, line: line)
        return r
    }

    func testJPEG() throws {
        let r = try assertPhoto("photo.jpg", format: "jpg", codec: "mjpeg", width: 800, height: 600)
        XCTAssertNil(r.exifOrientation)
    }

    func testJPEGWithEXIFOrientation6() throws {
        let r = try assertPhoto("photo_exif_rot6.jpg", format: "jpg", codec: "mjpeg", width: 640, height: 480)
        XCTAssertEqual(r.exifOrientation, 6)
    }

    func testPNG() throws { _ = try assertPhoto("photo.png", format: "png", codec: "png", width: 800, height: 600) }
    func testWebP() throws { _ = try assertPhoto("photo.webp", format: "webp", codec: "webp", width: 800, height: 600) }

    func testTextScript() throws {
        let r = try probe("script.txt")
        XCTAssertEqual(r.kind, .text)
        XCTAssertEqual(r.format, "txt")
        XCTAssertEqual(r.container, "text")
        XCTAssertTrue(r.streams.isEmpty)
        XCTAssertFalse(r.cloudAccepts, "scripts go to the cloud as prompts, not uploads")
        let t = try XCTUnwrap(r.text)
        XCTAssertEqual(t.lines, 10)
        XCTAssertGreaterThan(t.words, 50)
        XCTAssertGreaterThan(t.characters, 300)
    }

    func testChineseMarkdownScript() throws {
        let r = try probe("script_zh.md")
        XCTAssertEqual(r.kind, .text)
        XCTAssertEqual(r.format, "md")
        XCTAssertEqual(r.text?.lines, 6)
    }

    // MARK: EXIF parser, both byte orders

    func tiff(littleEndian: Bool, orientation: UInt16, type: UInt16 = 3) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] {
            let b = [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
            return littleEndian ? b.reversed() : b
        }
        let value: [UInt8] = type == 3 ? u16(orientation) + [0, 0] : u32(UInt32(orientation))
        return (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8) + u16(2)
            + u16(0x010F) + u16(2) + u32(4) + [0x41, 0x42, 0x43, 0]      // Make = "ABC"
            + u16(0x0112) + u16(type) + u32(1) + value
            + u32(0)
    }

    func testEXIFBothByteOrders() {
        for o in 1...8 {
            XCTAssertEqual(ImageHeader.exifOrientation(tiff: tiff(littleEndian: true, orientation: UInt16(o))), o)
            XCTAssertEqual(ImageHeader.exifOrientation(tiff: tiff(littleEndian: false, orientation: UInt16(o))), o)
        }
        XCTAssertEqual(ImageHeader.exifOrientation(tiff: tiff(littleEndian: true, orientation: 3, type: 4)), 3)
        XCTAssertNil(ImageHeader.exifOrientation(tiff: tiff(littleEndian: true, orientation: 9)))
        XCTAssertNil(ImageHeader.exifOrientation(tiff: [0x49, 0x49, 42]))
        XCTAssertNil(ImageHeader.exifOrientation(tiff: Array(tiff(littleEndian: false, orientation: 6).prefix(20))))
    }

    func testLittleEndianEXIFInRealJPEG() throws {
        let jpeg = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestMedia.path("photo.jpg"))))
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff(littleEndian: true, orientation: 8)
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        let path = NSTemporaryDirectory() + "exif_le_\(UUID().uuidString).jpg"
        try Data(Array(jpeg[0..<2]) + app1 + Array(jpeg[2...])).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Prober.probe(path: path)
        XCTAssertEqual(r.kind, .image)
        XCTAssertEqual(r.exifOrientation, 8)
    }

    func testRotationSignConvention() {
        // av_display_rotation_get is counter-clockwise; the report is clockwise.
        XCTAssertEqual(StreamParameters.clockwiseQuarterTurns(fromCounterClockwise: -90), 90)
        XCTAssertEqual(StreamParameters.clockwiseQuarterTurns(fromCounterClockwise: 90), 270)
        XCTAssertEqual(StreamParameters.clockwiseQuarterTurns(fromCounterClockwise: 180), 180)
        XCTAssertEqual(StreamParameters.clockwiseQuarterTurns(fromCounterClockwise: -180), 180)
        XCTAssertEqual(StreamParameters.clockwiseQuarterTurns(fromCounterClockwise: 0), 0)
        XCTAssertEqual(StreamParameters.clockwiseQuarterTurns(fromCounterClockwise: -89.6), 90)
    }

    func testReportJSONRoundTripsWithSortedKeys() throws {
        let r = try probe("portrait_rot90.mp4")
        let json = try r.toJSON()
        XCTAssertTrue(json.contains("\"rotation\":90"))
        let decoded = try JSONDecoder().decode(ProbeReport.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, r)
        // Sorted keys: "container" < "duration" < "format" < "kind" < "path".
        let keys = ["\"container\"", "\"duration\"", "\"format\"", "\"kind\"", "\"path\""].map { json.range(of: $0)!.lowerBound }
        XCTAssertEqual(keys, keys.sorted())
        XCTAssertEqual(try r.toJSON(), json, "stable output")
    }
}
