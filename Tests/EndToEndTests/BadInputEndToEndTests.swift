import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Every kind of bad input: one line of error, its documented exit code (3 bad input unless
/// noted), no output, no temporary file, the input untouched, and no crash.
final class BadInputEndToEndTests: EndToEndTestCase {
    static let badInput: Int32 = 3

    func testMissingFile() throws {
        try assertRefused(dir + "/nowhere.mp4", exit: Self.badInput, message: "nowhere.mp4: no such file")
    }

    func testDirectoryWithNothingToConvert() throws {
        let folder = dir + "/folder.mp4"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try assertRefused(folder, exit: Self.badInput, message: "is a folder, not a file")
    }

    func testUnreadableFile() throws {
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "locked.mp4")
        chmod(input, 0)
        if geteuid() != 0 {
            try assertRefused(input, exit: Self.badInput, message: "cannot be read (Permission denied)")
            return
        }
        // root reads anything: run tikconv as nobody through setpriv instead.
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else { throw XCTSkip("running as root without setpriv") }
        let before = hash(input)
        let r = try tikconv(["--reuid=65534", "--regid=65534", "--clear-groups", Self.binary, input, "-o", outDir + "/"], executable: setpriv)
        XCTAssertEqual(r.status, Self.badInput, r.stderr)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("locked.mp4 cannot be read (Permission denied)"), r.stderr)
        XCTAssertEqual(entries(outDir), [])
        XCTAssertEqual(temporaries(dir), [])
        XCTAssertEqual(hash(input), before)
    }

    func testEmptyFile() throws {
        try assertRefused(try write([], as: "empty.mp4"), exit: Self.badInput, message: "empty.mp4 is empty (0 bytes)")
    }

    /// The everyday clip (index at the end) cut at 1/8 … 7/8 of its length.
    func testFileCutAtEveryEighth() throws {
        let whole = try bytes(Self.testMedia("h264_aac_16x9.mp4"))
        for k in 1...7 {
            let input = try write(Array(whole.prefix(whole.count * k / 8)), as: "cut_\(k)of8.mp4")
            try assertRefused(input, exit: Self.badInput, message: "cut_\(k)of8.mp4 looks like an MP4/MOV file but is truncated or corrupt")
        }
    }

    func testRandomBytesWithAVideoExtension() throws {
        var rng = UInt64(0x9E37_79B9_7F4A_7C15)
        let random = (0..<65536).map { _ -> UInt8 in
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return UInt8(truncatingIfNeeded: rng)
        }
        try assertRefused(try write(random, as: "noise.mov"), exit: Self.badInput, message: "is not a video, photo, audio or text file")
    }

    func testTextFileNamedMP4() throws {
        try assertRefused(try write(Array("Buy milk.\nCall Sam at 5.\n".utf8), as: "notes.mp4"), exit: Self.badInput,
                          message: "notes.mp4 looks like a text file, not a video or photo")
    }

    /// Content decides: a JPEG named .avi is a photo, and photos with --local make the offline
    /// slideshow, not a video conversion.
    func testImageNamedAVI() throws {
        let input = try copy(Self.testMedia("photo.jpg"), as: "holiday.avi")
        let r = try tikconv([input, "-o", outDir + "/", "--preset", "ultrafast", "--photo-duration", "0.5", "--progress", "none", "--local"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("✓ slideshow of 1 photo →"), r.stderr)
        XCTAssertEqual(entries(outDir), ["holiday.slideshow.mp4"])
    }

    /// An audio-only input becomes an audiogram; an edit of its sound is the agent's (exit 4 offline).
    func testAudioOnlyWithASoundEditNeedsTheCloud() throws {
        try assertRefused(try copy(Self.testMedia("tone.wav"), as: "tone.wav"), extra: ["-p", "louder", "--local"], exit: 4,
                          message: "'louder on an audio-only input (the offline audiogram keeps the sound as it is)' needs the cloud route")
    }

    func testDataOnly() throws {
        try assertRefused(try copy(Self.fixture("data_only.mkv"), as: "subtitles.mkv"), exit: Self.badInput,
                          message: "subtitles.mkv looks like a Matroska/WebM file but is truncated or corrupt (no video or audio stream)")
    }

    func testZeroLengthVideoStream() throws {
        try assertRefused(try copy(Self.fixture("zero_video.mkv"), as: "zero_video.mkv"), exit: Self.badInput,
                          message: "its h264 video stream has no decodable picture")
    }

    /// An MP4 whose sample description claims 65535x65535: refused before anything is decoded
    /// (well under a second, no multi-gigabyte allocation).
    func testHugeDimensionsInAVideoHeader() throws {
        var b = try bytes(Self.testMedia("h264_aac_16x9.mp4"))
        let avc1 = Array("avc1".utf8)
        // The sample entry (not the ftyp brand): "avc1" followed by 6 reserved zero bytes.
        guard let at = (0..<(b.count - 10)).first(where: { b[$0..<$0 + 4].elementsEqual(avc1) && b[$0 + 4..<$0 + 10].allSatisfy { $0 == 0 } }) else {
            return XCTFail("no avc1 sample entry found")
        }
        for i in 28..<32 { b[at + i] = 0xFF }      // width and height (16 bits each) after the 24 reserved bytes
        let input = try write(b, as: "huge.mp4")
        let began = Date()
        try assertRefused(input, exit: Self.badInput, message: "huge.mp4 claims a 65535x65535 picture")
        XCTAssertLessThan(Date().timeIntervalSince(began), 5)
    }

    func testHugeDimensionsInAPhotoHeader() throws {
        var b = try bytes(Self.testMedia("photo.png"))
        // IHDR width and height (big-endian) at 16 and 20: 100000 x 100000.
        for off in [16, 20] { b[off] = 0; b[off + 1] = 0x01; b[off + 2] = 0x86; b[off + 3] = 0xA0 }
        try assertRefused(try write(b, as: "huge.png"), exit: Self.badInput, message: "huge.png claims a 100000x100000 picture")
    }

    func testAbsurdTimestamps() throws {
        try assertRefused(try copy(Self.fixture("absurd_timestamps.mkv"), as: "absurd_timestamps.mkv"), exit: Self.badInput,
                          message: "absurd_timestamps.mkv has implausible timestamps (it claims to last 54.6 hours")
    }

    func testAbsurdFrameRate() throws {
        try assertRefused(try copy(Self.fixture("absurd_fps.mp4"), as: "absurd_fps.mp4"), exit: Self.badInput,
                          message: "absurd_fps.mp4 has implausible timestamps (30488 frames per second")
    }

    /// A refused file whose name has spaces, unicode and a leading dash is named as given.
    func testAwkwardNameInAnError() throws {
        try assertRefused(try write([], as: "-leer ü 空 file.mp4"), exit: Self.badInput, message: "-leer ü 空 file.mp4 is empty")
    }

    /// Spaces, unicode and a leading dash convert (after `--`), beside the input, input untouched.
    func testAwkwardNamesConvert() throws {
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "-clip ü 中 x.mp4")
        let before = hash(input)
        let r = try tikconv(["--preset", "ultrafast", "--duration", "0.5", "--progress", "none", "--", "-clip ü 中 x.mp4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = dir + "/-clip ü 中 x.tiktok.mp4"
        XCTAssertTrue(FileManager.default.fileExists(atPath: out), "\(entries(dir))")
        XCTAssertEqual(r.stdout, out + "\n")
        XCTAssertEqual(hash(input), before)
        XCTAssertEqual(temporaries(dir), [])
    }

    /// The same path as input and output (directly and through a symbolic link): exit 6, nothing touched.
    func testSamePathAsInputAndOutput() throws {
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "same.mp4")
        let before = hash(input)
        symlink(input, dir + "/link.mp4")
        for target in [input, dir + "/link.mp4", "./same.mp4"] {
            let r = try tikconv([input, "-o", target, "-y", "--to", "mp4", "--progress", "none"])
            XCTAssertEqual(r.status, 6, r.stderr)
            XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("is the input itself"), r.stderr)
            XCTAssertEqual(hash(input), before)
            XCTAssertEqual(temporaries(dir), [])
        }
    }

    /// An existing output is kept without -y (exit 6) and replaced only with -y.
    func testExistingOutputReplacedOnlyWithY() throws {
        let input = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "in.mp4")
        let existing = try write(Array("keep me".utf8), as: "out/in.tiktok.mp4")
        let args = [input, "-o", outDir + "/", "--preset", "ultrafast", "--duration", "0.5", "--progress", "none"]
        let r = try tikconv(args)
        XCTAssertEqual(r.status, 6, r.stderr)
        XCTAssertTrue(r.stderr.contains("already exists; pass -y"), r.stderr)
        XCTAssertEqual(try bytes(existing), Array("keep me".utf8))
        XCTAssertEqual(temporaries(outDir), [])
        let r2 = try tikconv(args + ["-y"])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        XCTAssertGreaterThan(try bytes(existing).count, 10_000)
        XCTAssertEqual(entries(outDir), ["in.tiktok.mp4"])
    }

    /// A batch keeps going past each bad file: exit 10, every bad file named, good ones converted.
    func testBatchKeepsGoingPastBadFiles() throws {
        let good1 = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "a_good.mp4")
        let empty = try write([], as: "b_empty.mp4")
        let text = try write(Array("hello\n".utf8), as: "c_text.mp4")
        let whole = try bytes(Self.testMedia("h264_aac_16x9.mp4"))
        let cut = try write(Array(whole.prefix(whole.count / 2)), as: "d_cut.mp4")
        let good2 = try copy(Self.testMedia("noaudio.mp4"), as: "e_good.mp4")
        let inputs = [good1, dir + "/b_missing.mp4", empty, text, cut, good2]
        let hashes = inputs.map(hash)
        let r = try tikconv(inputs + ["-o", outDir + "/", "--preset", "ultrafast", "--duration", "0.5", "--progress", "none"])
        XCTAssertEqual(r.status, 10, r.stderr)
        for name in ["b_missing.mp4: no such file", "b_empty.mp4 is empty", "c_text.mp4 looks like a text file", "d_cut.mp4 looks like an MP4/MOV file"] {
            XCTAssertTrue(r.stderr.contains(name), "want “\(name)” in \(r.stderr)")
        }
        XCTAssertTrue(r.stderr.contains("2 converted, 4 failed"), r.stderr)
        XCTAssertEqual(entries(outDir), ["a_good.tiktok.mp4", "e_good.tiktok.mp4"])
        XCTAssertEqual(inputs.map(hash), hashes)
        XCTAssertEqual(temporaries(dir), [])
    }
}
