import CFFmpeg
@testable import FFmpeg
import XCTest
@testable import LocalEngine
import MediaProbe
import Planning

/// The mp4 plan: copy what MP4 holds (bit-exact), re-encode only the rest, keep geometry and timing.
final class MP4PlanTests: XCTestCase {
    override class func setUp() { FFmpegLog.setQuiet(true) }

    func convert(_ file: String, lossless: Bool = false) throws -> (ConversionResult, String) {
        var o = MP4Options()
        o.preset = "ultrafast"
        o.losslessAudio = lossless
        let out = try scratchFolder().appendingPathComponent("out.mp4").path
        let r = try MP4Converter(report: try Prober.probe(path: media(file)), options: o, outputPath: out, overwrite: false).run()
        return (r, out)
    }

    func actions(_ r: ConversionResult) -> [String] { r.streams.map { "\($0.type):\($0.action.rawValue):\($0.outputCodec ?? "-")" } }

    func testRemuxIsBitExact() throws {
        for file in ["h264_ac3.mkv", "h264_aac.mov", "h264_aac_16x9.mp4", "h264_10bit.mp4", "odd_853x479.mp4", "h264_aac.ts"] {
            let (r, out) = try convert(file)
            XCTAssertTrue(r.streams.filter { $0.type != .data }.allSatisfy { $0.action == .copied }, "\(file): \(actions(r))")
            XCTAssertEqual(try OutputInspector.frameHashes(out, type: .video),
                           try OutputInspector.frameHashes(media(file), type: .video), "\(file): video frames identical")
            XCTAssertEqual(try OutputInspector.frameHashes(out, type: .audio),
                           try OutputInspector.frameHashes(media(file), type: .audio), "\(file): audio frames identical")
            // Bit-exact pictures must also keep their times (players and SSIM go by timestamps).
            let source = try OutputInspector.read(media(file)), copy = try OutputInspector.read(out)
            let s0 = source.video!.ptsSeconds, c0 = copy.video!.ptsSeconds
            XCTAssertEqual(c0.count, s0.count, file)
            let shift = (c0.first ?? 0) - (s0.first ?? 0)
            XCTAssertEqual(zip(c0, s0).map { abs($0 - $1 - shift) }.max() ?? 0, 0, accuracy: 0.002, "\(file): picture times kept")
            XCTAssertTrue(copy.moovBeforeMdat, file)
        }
    }

    func testRemuxKeepsTheRotationMatrix() throws {
        let (_, out) = try convert("portrait_rot90.mp4")
        XCTAssertTrue(try OutputInspector.read(out).video!.hasDisplayMatrix)
        XCTAssertEqual(try Prober.probe(path: out).primaryVideo?.rotation, 90)
    }

    /// Streams MP4 plays poorly are re-encoded, keeping geometry, frame count and pixel format.
    func testOnlyWhatMustBeReencodedIs() throws {
        let cases: [(String, [String], String)] = [
            ("mpeg4_mp3.avi", ["video:reencoded:h264", "audio:copied:mp3"], "yuv420p"),
            ("vp9_opus.webm", ["video:reencoded:h264", "audio:reencoded:aac"], "yuv420p"),
            ("vp8_vorbis.webm", ["video:reencoded:h264", "audio:reencoded:aac"], "yuv420p"),
        ]
        for (file, expected, pixfmt) in cases {
            let (r, out) = try convert(file)
            XCTAssertEqual(actions(r), expected, file)
            let source = try OutputInspector.read(media(file)), result = try OutputInspector.read(out)
            XCTAssertEqual(result.video?.width, source.video?.width, file)
            XCTAssertEqual(result.video?.height, source.video?.height, file)
            XCTAssertEqual(result.video?.pixelFormat, pixfmt, file)
            // Every picture at its own time: none dropped, none repeated (a gap in the source's
            // timestamps stays a held picture), and the track ends where the source's does.
            let rate = source.video!.frameRate.double
            let sourceEnd = source.video!.ptsSeconds.last! + 1 / rate
            XCTAssertEqual(result.video?.ptsSeconds.count, source.video?.ptsSeconds.count, "\(file): every picture kept")
            // Millisecond container clocks (WebM) snap to the frame grid: within half a frame.
            XCTAssertEqual(result.video!.endSeconds, sourceEnd, accuracy: 0.5 / rate, file)
            XCTAssertEqual(result.audio?.sampleRate, source.audio?.sampleRate, file)
            XCTAssertEqual(result.audio?.channels, source.audio?.channels, file)
            XCTAssertEqual(result.audio!.endSeconds, source.audio!.endSeconds, accuracy: 0.05, file)
        }
    }

    /// SubRip in MKV becomes mov_text in MP4 with the same words and times, read back by decoding.
    func testTextSubtitlesBecomeMovText() throws {
        let (r, out) = try convert("h264_srt.mkv")
        XCTAssertEqual(actions(r), ["video:copied:h264", "subtitle:reencoded:mov_text"])
        let d = try Demuxer(path: out)
        let index = d.bestStream(.subtitle)!
        XCTAssertEqual(String(cString: avcodec_get_name(d.stream(at: index).pointee.codecpar.pointee.codec_id)), "mov_text")
        let dec = try Decoder(demuxer: d, stream: index, threads: 1)
        let packet = try Packet()
        var cues: [(start: Double, end: Double, text: String)] = []
        while try d.read(into: packet) {
            defer { packet.unref() }
            guard packet.streamIndex == index else { continue }
            var sub = AVSubtitle(); var got: Int32 = 0
            XCTAssertGreaterThanOrEqual(avcodec_decode_subtitle2(dec.context, &sub, &got, packet.pointer), 0)
            if got != 0, sub.num_rects > 0, let ass = sub.rects[0]!.pointee.ass {
                let tb = d.stream(at: index).pointee.time_base.double
                let start = Double(packet.pointer.pointee.pts) * tb
                cues.append((start, start + Double(packet.pointer.pointee.duration) * tb, String(cString: ass)))
            }
            avsubtitle_free(&sub)
        }
        XCTAssertEqual(cues.count, 2)
        XCTAssertTrue(cues.first?.text.hasSuffix("Hello from tikconv") == true, "\(cues)")
        XCTAssertEqual(cues.first?.start ?? 0, 0.2, accuracy: 0.001)
        XCTAssertEqual(cues.first?.end ?? 0, 0.9, accuracy: 0.001)
        XCTAssertTrue(cues.last?.text.hasSuffix("Second line") == true)
        XCTAssertEqual(cues.last?.start ?? 0, 1.0, accuracy: 0.001)
    }

    func testLosslessAudioUsesALAC() throws {
        let (r, out) = try convert("vp8_vorbis.webm", lossless: true)
        XCTAssertEqual(actions(r), ["video:reencoded:h264", "audio:reencoded:alac"])
        XCTAssertEqual(try OutputInspector.read(out).audio?.codec, "alac")
    }

    func testPixelFormatsH264CanCarryAreKept() {
        XCTAssertEqual(StreamTranscoder.x264Format(for: .yuv422p, width: 640, height: 360), .yuv422p)
        XCTAssertEqual(StreamTranscoder.x264Format(for: .yuv420p10, width: 640, height: 360), .yuv420p10)
        // Odd sizes cannot be 4:2:0: every pixel is kept as 4:4:4 instead of cropping.
        XCTAssertEqual(StreamTranscoder.x264Format(for: .yuv420p, width: 853, height: 479), .yuv444p)
        XCTAssertEqual(StreamTranscoder.x264Format(for: .rgb24, width: 640, height: 360), .yuv444p)
        XCTAssertEqual(StreamTranscoder.x264Format(for: PixelFormat(AV_PIX_FMT_PAL8), width: 640, height: 360), .yuv444p)
    }
}
