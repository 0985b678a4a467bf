import CFFmpeg
import FFmpeg
import XCTest
@testable import LocalEngine
import OutputFiles
import MediaProbe
import Planning

/// The output contract, asserted by decoding every output.
final class TikTokContractTests: XCTestCase {
    override class func setUp() { FFmpegLog.setQuiet(true) }

    /// Every video in TestMedia, with the output rate the contract demands (23–60 kept,
    /// slower raised to 30) and its source duration.
    static let videos: [(file: String, fps: Double, audio: Bool, duration: Double)] = [
        ("h264_aac_16x9.mp4", 30, true, 2.0),
        ("mpeg4_mp3.avi", 25, true, 2.04),
        ("h264_aac.mov", 30, true, 2.0),
        ("h264_ac3.mkv", 30, true, 2.016),
        ("vp9_opus.webm", 30, true, 2.008),
        ("vp8_vorbis.webm", 30, true, 2.003),
        ("portrait_rot90.mp4", 30, true, 2.0),
        ("odd_853x479.mp4", 30, true, 2.0),
        ("anamorphic_sar.mp4", 30, true, 2.0),
        ("noaudio.mp4", 30, false, 2.0),
        ("vfr.mp4", 30, true, 2.0),             // average 21.9 fps: raised to 30
        ("h264_10bit.mp4", 30, true, 2.0),
        ("hdr_hlg.mp4", 30, true, 2.0),
        ("hdr_pq.mp4", 30, true, 2.0),
        ("interlaced_tff.mkv", 25, true, 2.021),
        ("yuv422_h264.mkv", 30, true, 2.021),
        ("surround51.mkv", 30, true, 2.021),
        ("mono_44k.mp4", 30, true, 2.0),
        ("h264_aac.ts", 30, true, 2.021),
    ]

    func convert(_ file: String, _ configure: (inout TikTokOptions) -> Void = { _ in }) throws -> (ConversionResult, OutputInspector, String) {
        var o = TikTokOptions()
        o.preset = "ultrafast"
        configure(&o)
        let out = try scratchFolder().appendingPathComponent((file as NSString).deletingPathExtension + ".tiktok.mp4").path
        let report = try Prober.probe(path: media(file))
        let result = try TikTokConverter(report: report, options: o, outputPath: out, overwrite: false).run()
        return (result, try OutputInspector.read(out), out)
    }

    /// - Parameter realSound: the bitrate band only applies to real sound (silence encodes to ~2 kb/s).
    func assertContract(_ i: OutputInspector, fps: Double, audio: Bool, duration: Double?, file: String,
                        realSound: Bool = true, line: UInt = #line) {
        let ctx = "\(file): "
        guard let v = i.video else { return XCTFail(ctx + "no video", line: line) }
        XCTAssertEqual(v.codec, "h264", ctx, line: line)
        XCTAssertEqual(v.profile, 100, ctx + "H.264 High", line: line)
        XCTAssertLessThanOrEqual(v.level, 42, ctx, line: line)
        XCTAssertEqual(v.width, 1080, ctx, line: line)
        XCTAssertEqual(v.height, 1920, ctx, line: line)
        XCTAssertTrue(v.sar.num == v.sar.den || v.sar.num == 0, ctx + "square pixels, got \(v.sar.num):\(v.sar.den)", line: line)
        XCTAssertEqual(v.pixelFormat, "yuv420p", ctx, line: line)
        XCTAssertEqual(v.primaries, AVCOL_PRI_BT709, ctx, line: line)
        XCTAssertEqual(v.transfer, AVCOL_TRC_BT709, ctx, line: line)
        XCTAssertEqual(v.space, AVCOL_SPC_BT709, ctx, line: line)
        XCTAssertFalse(v.hasDisplayMatrix, ctx + "no rotation metadata", line: line)
        XCTAssertEqual(v.frameRate.double, fps, accuracy: 0.01, ctx + "frame rate", line: line)
        XCTAssertTrue(i.moovBeforeMdat, ctx + "index first", line: line)
        // Constant frame rate: every step is one frame, none missing, none repeated.
        let steps = zip(v.ptsSeconds.dropFirst(), v.ptsSeconds).map { $0 - $1 }
        XCTAssertTrue(steps.allSatisfy { abs($0 - 1 / fps) < 0.001 }, ctx + "CFR steps \(Set(steps.map { ($0 * 1000).rounded() }))", line: line)
        XCTAssertEqual(v.ptsSeconds.first ?? -1, 0, accuracy: 0.001, ctx + "video starts at 0", line: line)
        XCTAssertEqual(Double(v.ptsSeconds.count) / fps, v.endSeconds, accuracy: 0.001, ctx + "frame count vs duration", line: line)
        if let duration {
            XCTAssertEqual(v.endSeconds, duration, accuracy: 1 / fps + 0.001, ctx + "duration kept within a frame", line: line)
        }
        // Keyframes at least every 2 s.
        let keys = v.keyframeSeconds + [v.endSeconds]
        XCTAssertEqual(keys.first ?? -1, 0, accuracy: 0.001, ctx, line: line)
        XCTAssertLessThanOrEqual(zip(keys.dropFirst(), keys).map { $0 - $1 }.max() ?? 0, 2.0001, ctx + "keyframe gap", line: line)
        if audio {
            guard let a = i.audio else { return XCTFail(ctx + "no audio", line: line) }
            XCTAssertEqual(a.codec, "aac", ctx, line: line)
            XCTAssertEqual(a.profile, 1, ctx + "AAC-LC", line: line)
            XCTAssertEqual(a.sampleRate, 48_000, ctx, line: line)
            XCTAssertEqual(a.channels, 2, ctx, line: line)
            if realSound { XCTAssertTrue((120_000...200_000).contains(a.bitRate), ctx + "bitrate \(a.bitRate)", line: line) }
            XCTAssertEqual(a.startSeconds, 0, accuracy: 1 / fps, ctx + "A/V start", line: line)
            XCTAssertEqual(a.endSeconds, v.endSeconds, accuracy: 1 / fps, ctx + "A/V end", line: line)
            XCTAssertEqual(i.streamCount, 2, ctx, line: line)
        } else {
            XCTAssertNil(i.audio, ctx + "video-only output", line: line)
            XCTAssertEqual(i.streamCount, 1, ctx, line: line)
        }
    }

    func testEveryTestMediaVideoMeetsTheContract() throws {
        for v in Self.videos {
            let (result, inspected, _) = try convert(v.file)
            assertContract(inspected, fps: v.fps, audio: v.audio, duration: v.duration, file: v.file)
            XCTAssertEqual(result.videoFrames, inspected.video?.ptsSeconds.count, v.file)
        }
    }

    func testPadBarsAreBlack() throws {
        let (_, i, out) = try convert("h264_aac_16x9.mp4") { $0.fit = .pad }
        assertContract(i, fps: 30, audio: true, duration: 2, file: "pad")
        // 640x360 fits as 1080x608 at y=656: rows above and below are bars.
        for y in [40, 1700] {
            let m = try OutputInspector.planeMeans(out, atSeconds: 1, x: 0, y: y, width: 1080, height: 160)
            XCTAssertEqual(m.y, 16, accuracy: 1, "bar luma at y=\(y)")
            XCTAssertEqual(m.u, 128, accuracy: 1); XCTAssertEqual(m.v, 128, accuracy: 1)
        }
    }

    func testPadColourIsHonoured() throws {
        let (_, _, out) = try convert("h264_aac_16x9.mp4") { $0.fit = .pad; $0.padColor = (255, 255, 255) }
        let m = try OutputInspector.planeMeans(out, atSeconds: 1, x: 0, y: 40, width: 1080, height: 160)
        XCTAssertEqual(m.y, 235, accuracy: 2, "white bars")
    }

    func testBlurFillIsNotBlackAndNotTheBars() throws {
        let (_, i, out) = try convert("h264_aac_16x9.mp4") { $0.fit = .blur }
        assertContract(i, fps: 30, audio: true, duration: 2, file: "blur")
        for y in [40, 1700] {
            let m = try OutputInspector.planeMeans(out, atSeconds: 1, x: 0, y: y, width: 1080, height: 160)
            XCTAssertGreaterThan(m.y, 40, "blurred picture, not black, at y=\(y)")
        }
    }

    func testCropFillsTheFrame() throws {
        let (_, i, out) = try convert("h264_aac_16x9.mp4") { $0.fit = .crop }
        assertContract(i, fps: 30, audio: true, duration: 2, file: "crop")
        for y in [0, 1760] {
            for x in [0, 920] {
                let m = try OutputInspector.planeMeans(out, atSeconds: 1, x: x, y: y, width: 160, height: 160)
                XCTAssertGreaterThan(abs(m.y - 16) + abs(m.u - 128) + abs(m.v - 128), 20, "picture, not a bar, at \(x),\(y)")
            }
        }
    }

    /// The phone clip is stored landscape with a 90° display matrix; its upright picture has a
    /// red band on top and a green square bottom-left. It must come out upright and full-frame.
    func testRotatedPhoneClipIsUpright() throws {
        for fit in FitMode.allCases {
            let (_, i, out) = try convert("portrait_rot90.mp4") { $0.fit = fit }
            assertContract(i, fps: 30, audio: true, duration: 2, file: "rot90 \(fit)")
            let top = try OutputInspector.planeMeans(out, atSeconds: 1, x: 100, y: 100, width: 880, height: 300)
            XCTAssertGreaterThan(top.v, 200, "\(fit): red band on top (Cr)")
            XCTAssertLessThan(top.y, 100, "\(fit): red band on top (Y)")
            let bottomLeft = try OutputInspector.planeMeans(out, atSeconds: 1, x: 40, y: 1680, width: 160, height: 160)
            XCTAssertLessThan(bottomLeft.u, 80, "\(fit): green square bottom-left (Cb)")
            XCTAssertLessThan(bottomLeft.v, 80, "\(fit): green square bottom-left (Cr)")
            let bottomRight = try OutputInspector.planeMeans(out, atSeconds: 1, x: 880, y: 1680, width: 160, height: 160)
            XCTAssertEqual(bottomRight.u, 128, accuracy: 8, "\(fit): gray bottom-right")
        }
    }

    func testTrimKeepsTheRequestedSpan() throws {
        let (_, i, _) = try convert("h264_aac_16x9.mp4") { $0.start = 0.5; $0.duration = 1.0 }
        assertContract(i, fps: 30, audio: true, duration: 1.0, file: "trim")
        XCTAssertEqual(i.video?.ptsSeconds.count, 30)
    }

    func testSilentAudioIsAddedOnRequest() throws {
        let (_, i, _) = try convert("noaudio.mp4") { $0.silentAudio = true }
        assertContract(i, fps: 30, audio: true, duration: 2, file: "silent", realSound: false)
    }

    func testOutputIsNotOverwrittenWithoutPermission() throws {
        let out = try scratchFolder().appendingPathComponent("x.mp4").path
        _ = FileManager.default.createFile(atPath: out, contents: Data("keep".utf8))
        let report = try Prober.probe(path: media("h264_aac_16x9.mp4"))
        XCTAssertThrowsError(try TikTokConverter(report: report, options: TikTokOptions(), outputPath: out, overwrite: false)) {
            guard case OutputFileError.exists = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep")
    }

    func testNoTemporaryFileIsLeftBehind() throws {
        let (_, _, out) = try convert("h264_aac_16x9.mp4")
        let dir = (out as NSString).deletingLastPathComponent
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(OutputFile.temporarySuffix) }
        XCTAssertEqual(left, [])
    }
}
