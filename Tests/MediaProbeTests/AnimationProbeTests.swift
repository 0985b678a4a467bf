import Foundation
import XCTest
@testable import MediaProbe

/// Animated images judged by content: frames, delays and loop counts from the headers and the
/// demuxers; one frame stays a photo; a name that lies gets a note.
final class AnimationProbeTests: ProbeTestCase {
    /// A GIF with four solid frames made by ffmpeg, then its Graphic Control Extensions' delays set
    /// to `delays` (hundredths of a second).
    static func gif(delays: [Int], in dir: String) throws -> String {
        let path = dir + "/delays.gif"
        let colors = ["red", "green", "blue", "white"].prefix(delays.count)
        var args = ["-v", "error", "-y"]
        for c in colors { args += ["-f", "lavfi", "-i", "color=c=\(c):s=32x32:d=0.1:r=10"] }
        args += ["-filter_complex", (0..<colors.count).map { "[\($0)]" }.joined() + "concat=n=\(colors.count):v=1:a=0,settb=1/100,setpts=N*10",
                 "-vsync", "passthrough", "-loop", "0", path]
        try run("/usr/bin/ffmpeg", args)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var n = 0
        for i in 0..<(bytes.count - 8) where bytes[i] == 0x21 && bytes[i + 1] == 0xF9 && bytes[i + 2] == 4 && n < delays.count {
            bytes[i + 4] = UInt8(delays[n] & 0xFF); bytes[i + 5] = UInt8(delays[n] >> 8)
            n += 1
        }
        XCTAssertEqual(n, delays.count, "one graphic control extension per frame")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(tool) \(args.joined(separator: " "))")
    }

    var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "/animprobe-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Delays of 0 and 1 hundredth play as 10 (as browsers do); others as stored.
    func testGIFDelaysZeroAndOnePlayAsATenth() throws {
        let r = try Prober.probe(path: try Self.gif(delays: [0, 1, 5, 20], in: dir))
        XCTAssertEqual(r.kind, .video)
        let a = try XCTUnwrap(r.animation)
        XCTAssertEqual(a.frames, 4)
        XCTAssertEqual(a.cycleSeconds, 0.45, accuracy: 1e-9)
        XCTAssertEqual(a.shortestDelay, 0.05, accuracy: 1e-9)
        XCTAssertEqual(a.longestDelay, 0.2, accuracy: 1e-9)
        XCTAssertEqual(a.loopCount, 0, "NETSCAPE2.0 loop 0: forever")
        XCTAssertEqual(a.decoder, "ffmpeg")
        XCTAssertEqual(r.duration ?? 0, 0.45, accuracy: 1e-9)
        XCTAssertEqual(r.primaryVideo?.isStill, false)
        XCTAssertEqual(a.plays(asked: nil), 7, "7 × 0.45 s is the first whole number of plays over 3 s")
        XCTAssertEqual(a.outputFPS, 30, "20 fps at its fastest: raised to 30")
    }

    func testAOneFrameGIFIsAPhoto() throws {
        let path = dir + "/one.gif"
        try Self.run("/usr/bin/ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1", path])
        let r = try Prober.probe(path: path)
        XCTAssertEqual(r.kind, .image)
        XCTAssertEqual(r.format, "gif")
        XCTAssertNil(r.animation)
        XCTAssertNil(r.nameNote)
    }

    func testPlaysReachThreeSecondsInWholeCycles() {
        func info(_ cycle: Double) -> AnimationInfo {
            AnimationInfo(frames: 10, cycleSeconds: cycle, shortestDelay: 0.1, longestDelay: 0.1, loopCount: 0, decoder: "ffmpeg")
        }
        XCTAssertEqual(info(0.9999999999999999).plays(asked: nil), 3, "ten 0.1 s delays sum to just under 1 s")
        XCTAssertEqual(info(1.2).plays(asked: nil), 3)
        XCTAssertEqual(info(3).plays(asked: nil), 1)
        XCTAssertEqual(info(4).plays(asked: nil), 1)
        XCTAssertEqual(info(4).plays(asked: 2), 2)
        XCTAssertEqual(info(0.5).plays(asked: 1), 1, "--loop 1 wins, even under 3 s")
    }

    func testHeadersSayWhetherTheyAnimate() {
        // PNG: an acTL chunk before IDAT is APNG (num_plays 0); none is a still PNG.
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            [0, 0, 0, UInt8(data.count)] + Array(type.utf8) + data + [0, 0, 0, 0]
        }
        let sig: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr = chunk("IHDR", [0, 0, 0, 8, 0, 0, 0, 4, 8, 6, 0, 0, 0])
        let apng = ImageHeader.parse(sig + ihdr + chunk("acTL", [0, 0, 0, 3, 0, 0, 0, 0]) + chunk("IDAT", [1]))
        XCTAssertEqual(apng?.animated, true)
        XCTAssertEqual(apng?.loopCount, 0)
        let still = ImageHeader.parse(sig + ihdr + chunk("IDAT", [1]) + chunk("acTL", [0, 0, 0, 3, 0, 0, 0, 2]))
        XCTAssertEqual(still?.animated, false, "an acTL after IDAT is not APNG")
        // WebP: VP8X flags bit 1 is animation.
        var webp = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8X".utf8) + [10, 0, 0, 0] + [0x02, 0, 0, 0] + [9, 0, 0, 7, 0, 0]
        XCTAssertEqual(ImageHeader.parse(webp)?.animated, true)
        XCTAssertEqual(ImageHeader.parse(webp)?.width, 10)
        webp[20] = 0x10
        XCTAssertEqual(ImageHeader.parse(webp)?.animated, false)
    }

    /// A photo named .avi, a GIF named .mp4: judged by content, with one line saying so.
    func testANameThatLiesGetsANote() throws {
        let jpeg = dir + "/holiday.avi"
        try FileManager.default.copyItem(atPath: TestMedia.path("photo.jpg"), toPath: jpeg)
        let photo = try Prober.probe(path: jpeg)
        XCTAssertEqual(photo.kind, .image)
        XCTAssertEqual(photo.nameNote, "holiday.avi is really a JPEG photo, not .avi: handled by its content")
        let gif = dir + "/clip.mp4"
        try FileManager.default.moveItem(atPath: try Self.gif(delays: [10, 10], in: dir), toPath: gif)
        XCTAssertEqual(try Prober.probe(path: gif).nameNote, "clip.mp4 is really an animated GIF image (2 frames), not .mp4: handled by its content")
        XCTAssertNil(try probe("photo.jpg").nameNote)
        XCTAssertNil(try probe("h264_aac.mov").nameNote, "MOV and MP4 are one family")
        XCTAssertNil(try probe("avi_named.dat").nameNote, "an extension that names no format says nothing")
    }

    /// A cut-off animated WebP is refused by the probe (libwebp cannot parse it), as corrupt.
    func testATruncatedAnimatedWebPIsCorrupt() throws {
        let path = dir + "/cut.webp"
        try Self.run("/usr/bin/ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=s=64x48:r=10:d=1", "-c:v", "libwebp_anim", "-loop", "0", path])
        let whole = try Prober.probe(path: path)
        XCTAssertEqual(whole.animation?.frames, 10)
        XCTAssertEqual(whole.animation?.decoder, "libwebp")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Prober.probe(path: path)) { error in
            guard case let ProbeError.corrupt(_, container, detail) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(container, "a WebP image")
            XCTAssertEqual(detail, "libwebp cannot parse the animation")
            XCTAssertTrue(error.localizedDescription.hasSuffix("cut.webp looks like a WebP image but is truncated or corrupt (libwebp cannot parse the animation): re-export or re-download it"),
                          error.localizedDescription)
        }
    }
}
