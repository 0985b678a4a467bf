import XCTest
@testable import MediaProbe
#if canImport(Glibc)
import Glibc
#endif

final class BadInputTests: ProbeTestCase {
    var tempDir: String!

    override func setUpWithError() throws {
        tempDir = NSTemporaryDirectory() + "probe-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tempDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        // Restore permissions so removal works even after the unreadable-file test.
        if let items = FileManager.default.enumerator(atPath: tempDir) {
            for case let item as String in items {
                // Never through a symbolic link: that would change the mode of the committed file it points at.
                let path = tempDir + "/" + item
                var st = stat()
                if lstat(path, &st) == 0, st.st_mode & S_IFMT != S_IFLNK { chmod(path, 0o755) }
            }
        }
        try? FileManager.default.removeItem(atPath: tempDir)
    }

    func copy(_ name: String, to newName: String) throws -> String {
        let dest = tempDir + "/" + newName
        let parent = (dest as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestMedia.path(name), toPath: dest)
        return dest
    }

    // MARK: The committed bad files

    func testEmptyFile() {
        assertProbeError(TestMedia.path("empty.mp4")) { $0 == .empty(path: TestMedia.path("empty.mp4")) && $0.backendCode == nil }
    }

    func testTruncatedMP4IsCorruptNotGarbage() {
        assertProbeError(TestMedia.path("truncated.mp4")) {
            if case .corrupt(_, let container, _) = $0 { return container == "an MP4/MOV file" && $0.backendCode == nil }
            return false
        }
    }

    func testRandomBytesAreUnrecognisedAndFast() {
        let start = Date()
        assertProbeError(TestMedia.path("random.mp4")) { $0 == .unrecognized(path: TestMedia.path("random.mp4")) && $0.backendCode == 4001 }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2.0)
    }

    func testTextNamedMP4IsRejected() {
        assertProbeError(TestMedia.path("text_named.mp4")) { $0 == .textNotMedia(path: TestMedia.path("text_named.mp4")) }
        let message = ProbeError.textNotMedia(path: "x.mp4").errorDescription!
        XCTAssertTrue(message.contains("looks like a text file, not a video"))
    }

    // MARK: Paths

    func testMissingPath() {
        let p = tempDir + "/nope.mp4"
        assertProbeError(p) { $0 == .notFound(path: p) }
    }

    func testDirectoryPath() {
        assertProbeError(tempDir) { $0 == .isDirectory(path: self.tempDir) }
    }

    func testDeviceIsNotRead() {
        // /dev/zero would never end if read as a stream: refused by type, instantly.
        assertProbeError("/dev/zero") { $0 == .notRegularFile(path: "/dev/zero") }
    }

    func testSpacesAndUnicodeInPath() throws {
        let p = try copy("h264_aac_16x9.mp4", to: "my clips 视频 ünï/clip #1 (final) 🎬.mp4")
        let r = try Prober.probe(path: p)
        XCTAssertEqual(r.kind, .video)
        XCTAssertEqual(r.path, p)
        XCTAssertEqual(r.primaryVideo?.width, 640)
    }

    func testNameThatLooksLikeAProtocolOrOption() throws {
        let p = try copy("photo.png", to: "-concat:x|y.png")
        XCTAssertEqual(try Prober.probe(path: p).format, "png")
    }

    func testSymlinkIsFollowed() throws {
        let link = tempDir + "/link.mov"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: TestMedia.path("h264_aac.mov"))
        let r = try Prober.probe(path: link)
        XCTAssertEqual(r.format, "mov")
        XCTAssertEqual(r.path, link)
    }

    func testBrokenSymlinkIsMissing() throws {
        let link = tempDir + "/broken.mp4"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tempDir + "/gone.mp4")
        assertProbeError(link) { $0 == .notFound(path: link) }
    }

    func testUnreadableFile() throws {
        let p = try copy("h264_aac_16x9.mp4", to: "locked.mp4")
        XCTAssertEqual(chmod(p, 0), 0)
        // root opens any file whatever its mode. As root, drop the effective uid to nobody for
        // the duration of the probe (the saved uid stays 0, so it can be taken back).
        var dropped = false
        if geteuid() == 0 {
            guard chmod(tempDir, 0o755) == 0, seteuid(65534) == 0 else {
                throw XCTSkip("running as root and cannot switch the effective uid to nobody")
            }
            dropped = true
        }
        defer { if dropped { _ = seteuid(0) } }
        let fd = open(p, O_RDONLY)
        if fd >= 0 {
            close(fd)
            throw XCTSkip("mode 000 does not stop this user from reading, so the unreadable error cannot happen here")
        }
        assertProbeError(p) {
            if case let .unreadable(_, reason) = $0 { return reason == String(cString: strerror(EACCES)) }
            return false
        }
    }

    // MARK: Limits

    func testVideoOverLimit() {
        let p = TestMedia.path("h264_aac_16x9.mp4")
        let limits = ProbeLimits(videoMaxBytes: 50_000)
        assertProbeError(p, limits: limits) {
            guard case let .tooLarge(_, size, limit, kind) = $0 else { return false }
            return size > 50_000 && limit == 50_000 && kind == "video" && $0.backendCode == 4002
        }
        let message = ProbeError.tooLarge(path: p, sizeBytes: 600_000_000, limitBytes: 500_000_000, kind: "video").errorDescription!
        XCTAssertTrue(message.contains("600 MB"), message)
        XCTAssertTrue(message.contains("500 MB"), message)
        XCTAssertTrue(message.contains("--max-size"), message)
    }

    func testPhotoUsesPhotoLimit() throws {
        let p = TestMedia.path("photo.png")
        assertProbeError(p, limits: ProbeLimits(videoMaxBytes: 10_000_000, photoMaxBytes: 10_000)) {
            if case .tooLarge(_, _, 10_000, let kind) = $0 { return kind == "photo" }
            return false
        }
        // The video limit does not apply to photos.
        XCTAssertEqual(try Prober.probe(path: p, limits: ProbeLimits(videoMaxBytes: 10, photoMaxBytes: 10_000_000)).kind, .image)
    }

    func testTextUsesTextLimit() {
        let p = TestMedia.path("script.txt")
        assertProbeError(p, limits: ProbeLimits(textMaxBytes: 100)) {
            if case .tooLarge(_, _, 100, let kind) = $0 { return kind == "text" }
            return false
        }
    }

    // MARK: Headers claiming huge pictures

    func testPNGClaimingHugeDimensionsIsRefusedBeforeDecoding() throws {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        png += [0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0, 0, 0, 0, 0]  // 100000 x 100000, fake CRC
        png += [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]
        let p = tempDir + "/huge.png"
        try Data(png).write(to: URL(fileURLWithPath: p))
        assertProbeError(p) {
            if case .dimensionsTooLarge(_, 100_000, 100_000, _, _) = $0 { return true }
            return false
        }
    }

    func testJPEGWithPatchedHugeSOFIsRefused() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestMedia.path("photo.jpg"))))
        // Find SOF0 (FF C0) and set height and width to 60000.
        let i = try XCTUnwrap((0..<bytes.count - 9).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[i + 5] = 0xEA; bytes[i + 6] = 0x60; bytes[i + 7] = 0xEA; bytes[i + 8] = 0x60
        let p = tempDir + "/huge.jpg"
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        assertProbeError(p) {
            if case .dimensionsTooLarge(_, 60000, 60000, _, _) = $0 { return true }
            return false
        }
    }

    func testContainerDimensionsCheckedWithCustomLimit() {
        // The same check applies to what a container header declares (here with a tiny limit).
        let p = TestMedia.path("h264_aac_16x9.mp4")
        assertProbeError(p, limits: ProbeLimits(maxDimension: 320)) {
            if case .dimensionsTooLarge(_, 640, 360, 320, _) = $0 { return true }
            return false
        }
    }

    // MARK: Text edge cases

    func testTextWithoutExtensionIsAScript() throws {
        let p = try copy("script.txt", to: "SCRIPT")
        XCTAssertEqual(try Prober.probe(path: p).kind, .text)
    }

    func testLatin1TxtIsNotUTF8() throws {
        let p = tempDir + "/latin1.txt"
        try Data("Caf\u{E9} cr\u{E8}me br\u{FB}l\u{E9}e, 20% off today!\n".data(using: .isoLatin1)!).write(to: URL(fileURLWithPath: p))
        assertProbeError(p) { $0 == .textNotUTF8(path: p) }
    }

    func testBinaryNamedTxtIsJudgedByContent() throws {
        let p = try copy("vp9_opus.webm", to: "actually_video.txt")
        let r = try Prober.probe(path: p)
        XCTAssertEqual(r.kind, .video)
        XCTAssertEqual(r.format, "webm")
    }

    func testTruncatedMKVIsCorruptOrStillUsable() throws {
        // Matroska cut in half still has its header: it must not crash, and either opens or is .corrupt.
        let data = try Data(contentsOf: URL(fileURLWithPath: TestMedia.path("h264_ac3.mkv")))
        let p = tempDir + "/half.mkv"
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: p))
        do {
            _ = try Prober.probe(path: p)
        } catch let e as ProbeError {
            if case .corrupt = e {} else { XCTFail("\(e)") }
        }
    }

    // MARK: Error JSON

    func testErrorJSONShape() throws {
        let e = ProbeError.unrecognized(path: "/tmp/a b.mp4")
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(e.jsonString().utf8)) as? [String: Any])
        XCTAssertEqual(obj["path"] as? String, "/tmp/a b.mp4")
        XCTAssertEqual(obj["code"] as? Int, 4001)
        XCTAssertEqual(obj["error"] as? String, e.errorDescription)
        XCTAssertTrue(e.jsonString().hasPrefix("{\"code\":4001,\"error\":"))
        XCTAssertTrue(ProbeError.empty(path: "e.mp4").jsonString().hasPrefix("{\"code\":null,"))
        let shape = ProbeError.tooLarge(path: "big.mp4", sizeBytes: 2, limitBytes: 1, kind: "video").jsonShape()
        XCTAssertEqual(shape.code, 4002)
        XCTAssertEqual(shape.path, "big.mp4")
    }

    func testEveryMessageIsOneLineNamingTheFile() {
        let p = "/x/clip.mp4"
        let all: [ProbeError] = [
            .notFound(path: p), .isDirectory(path: p), .notRegularFile(path: p), .unreadable(path: p, reason: "Permission denied"),
            .empty(path: p), .textNotMedia(path: p), .textNotUTF8(path: p), .unrecognized(path: p),
            .unsupportedFormat(path: p, format: "tty"), .unsupportedCodec(path: p, codec: "cinepak"),
            .corrupt(path: p, container: "an MP4/MOV file", detail: "x"),
            .tooLarge(path: p, sizeBytes: 2, limitBytes: 1, kind: "video"),
            .dimensionsTooLarge(path: p, width: 1, height: 1, maxDimension: 1, maxPixels: 1),
        ]
        for e in all {
            let m = e.errorDescription!
            XCTAssertFalse(m.contains("\n"))
            XCTAssertTrue(m.hasPrefix(p), m)
            XCTAssertEqual(e.path, p)
        }
        XCTAssertEqual(all.filter { $0.backendCode == 4001 }.count, 4)
        XCTAssertEqual(all.filter { $0.backendCode == 4002 }.count, 1)
        XCTAssertTrue(ProbeError.unrecognized(path: p).errorDescription!.contains("mp4, mov, avi, webm, mkv"))
    }
}
