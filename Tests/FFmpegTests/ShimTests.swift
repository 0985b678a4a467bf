import XCTest
import CFFmpeg
@testable import FFmpeg
#if canImport(Glibc)
import Glibc
#endif

/// Each wrapper in Sources/CFFmpeg/shim.h against the C value it stands for.
final class ShimTests: XCTestCase {
    /// FFERRTAG(a, b, c, d) = -MKTAG(a, b, c, d), MKTAG = a | b<<8 | c<<16 | d<<24.
    func fferrtag(_ a: Character, _ b: Character, _ c: Character, _ d: Character) -> Int32 {
        let v = UInt32(a.asciiValue!) | UInt32(b.asciiValue!) << 8 | UInt32(c.asciiValue!) << 16 | UInt32(d.asciiValue!) << 24
        return -Int32(bitPattern: v)
    }

    func testAVERRORIsNegatedErrno() {
        XCTAssertEqual(tk_averror(EAGAIN), -EAGAIN)
        XCTAssertEqual(tk_averror(ENOMEM), -ENOMEM)
        XCTAssertEqual(tk_averror(EINVAL), -EINVAL)
        XCTAssertEqual(tk_avunerror(tk_averror(EAGAIN)), EAGAIN)
        XCTAssertEqual(tk_averror_eagain(), -EAGAIN)
        XCTAssertEqual(tk_averror_enomem(), -ENOMEM)
        XCTAssertEqual(AVError.posix(EIO), -EIO)
    }

    func testTaggedErrors() {
        XCTAssertEqual(tk_averror_eof(), fferrtag("E", "O", "F", " "))
        XCTAssertEqual(tk_averror_invaliddata(), fferrtag("I", "N", "D", "A"))
        XCTAssertEqual(tk_averror_decoder_not_found(), -Int32(bitPattern: 0x4345_44F8))   // FFERRTAG(0xF8,'D','E','C')
        XCTAssertEqual(tk_averror_encoder_not_found(), -Int32(bitPattern: 0x434E_45F8))   // FFERRTAG(0xF8,'E','N','C')
        XCTAssertEqual(AVError.eof, tk_averror_eof())
        XCTAssertEqual(AVError.again, -EAGAIN)
        XCTAssertEqual(AVError.invalidData, tk_averror_invaliddata())
    }

    func testTimestampsAndTimeBase() {
        XCTAssertEqual(tk_nopts_value(), Int64.min)
        XCTAssertEqual(noPTS, Int64.min)
        XCTAssertEqual(tk_time_base(), 1_000_000)
        let q = tk_time_base_q()
        XCTAssertEqual(q.num, 1)
        XCTAssertEqual(q.den, 1_000_000)
    }

    func testErrorStrings() {
        XCTAssertEqual(AVError.message(AVError.eof), "End of file")
        XCTAssertEqual(AVError.message(AVError.invalidData), "Invalid data found when processing input")
        XCTAssertEqual(AVError.message(tk_averror(ENOENT)), String(cString: strerror(ENOENT)))
        var small = [CChar](repeating: 0, count: 4)
        let s = small.withUnsafeMutableBufferPointer { String(cString: tk_err2str(AVError.eof, $0.baseAddress, $0.count)) }
        XCTAssertEqual(s, "End", "truncated into a small buffer, still terminated")
    }

    func testLogPassesMessageThroughPercentS() {
        av_log_set_level(AV_LOG_QUIET)
        defer { av_log_set_level(AV_LOG_ERROR) }
        // With the message used as a format these would read varargs that are not there (and %n writes).
        tk_log(nil, AV_LOG_ERROR, "%s%n%s%n %x %p 100%")
        tk_log(nil, AV_LOG_INFO, "")
    }

    func testVersion() {
        XCTAssertEqual(tk_avformat_version_major(), avformat_version() >> 16)
        XCTAssertGreaterThanOrEqual(tk_avformat_version_major(), 59)
    }

    func testRationalHelpers() {
        XCTAssertEqual(Rational(30000, 1001).double, 29.97, accuracy: 0.001)
        XCTAssertEqual(Rational(1, 0).double, 0)
        XCTAssertFalse(Rational(0, 1).isValid)
        XCTAssertTrue(Rational(4, 3).isValid)
        XCTAssertEqual(Rational(30000, 1001).inverse, Rational(1001, 30000))
        // The Swift value and the C struct round-trip, and rescaling is FFmpeg's own.
        XCTAssertEqual(Rational(Rational(25, 1).av), Rational(25, 1))
        XCTAssertEqual(Rational.rescale(3, from: Rational(1, 25), to: Rational(1, 90000)), av_rescale_q(3, AVRational(num: 1, den: 25), AVRational(num: 1, den: 90000)))
        XCTAssertEqual(Rational.approximating(29.97), Rational(av_d2q(29.97, 60000)))
    }

    func testPixelFormatValuesMatchFFmpeg() {
        XCTAssertEqual(PixelFormat.yuv420p.av, AV_PIX_FMT_YUV420P)
        XCTAssertEqual(PixelFormat(name: "yuv422p10le"), .yuv422p10)
        XCTAssertNil(PixelFormat(name: "no-such-format"))
        XCTAssertEqual(PixelFormat.yuv420p10.bitDepth, 10)
        XCTAssertEqual(PixelFormat.yuv422p.chromaShift.x, 1)
        XCTAssertEqual(PixelFormat.yuv422p.chromaShift.y, 0)
        XCTAssertFalse(PixelFormat(AV_PIX_FMT_PAL8).isAddressable)
        XCTAssertFalse(PixelFormat(AV_PIX_FMT_MONOBLACK).isAddressable)
        XCTAssertTrue(PixelFormat.yuv420p.isAddressable)
        XCTAssertTrue(PixelFormat.rgb24.isRGB)
        XCTAssertEqual(PixelFormat.rgb24.planeLayout[0].step, 3)
        XCTAssertEqual(PixelFormat.yuv420p.planeLayout[1].shiftX, 1)
    }
}

final class OwnerTypeTests: XCTestCase {
    override class func setUp() { super.setUp(); FFmpegLog.setQuiet(true) }

    func testCheckPassesAndThrows() throws {
        XCTAssertEqual(try check(0, "f"), 0)
        XCTAssertEqual(try check(7, "f"), 7)
        XCTAssertThrowsError(try check(AVError.invalidData, "avformat_open_input")) { error in
            let e = error as? FFmpegError
            XCTAssertEqual(e, .call(function: "avformat_open_input", code: AVError.invalidData,
                                    message: "Invalid data found when processing input"))
            XCTAssertEqual(e?.code, AVError.invalidData)
            XCTAssertEqual(e?.errorDescription, "avformat_open_input failed: Invalid data found when processing input")
            XCTAssertEqual(e?.isEndOfFile, false)
        }
        XCTAssertThrowsError(try check(AVError.eof, "av_read_frame")) { XCTAssertEqual(($0 as? FFmpegError)?.isEndOfFile, true) }
        XCTAssertNil(FFmpegError.decoderMissing(codec: "x").code)
    }

    func testPacketAndFrameAllocation() throws {
        let p = try Packet()
        XCTAssertEqual(p.size, 0)
        XCTAssertEqual(p.pointer.pointee.pts, noPTS)
        XCTAssertNil(p.pts, "no timestamp reads as nil")
        p.pts = 42
        XCTAssertEqual(p.pointer.pointee.pts, 42)
        p.dts = nil
        XCTAssertEqual(p.pointer.pointee.dts, noPTS)
        p.unref()
        let f = try Frame(width: 64, height: 36, format: .yuv420p)
        XCTAssertEqual(f.width, 64)
        XCTAssertEqual(f.height, 36)
        XCTAssertEqual(f.pixelFormat, .yuv420p)
        XCTAssertNotNil(f.plane(0).data)
        XCTAssertGreaterThanOrEqual(f.plane(0).linesize, 64)
        let r = try f.reference()
        XCTAssertEqual(r.plane(0).data, f.plane(0).data, "a reference shares the buffers")
        r.unref()
        XCTAssertNil(r.plane(0).data)
        XCTAssertThrowsError(try Frame(width: -1, height: 10, format: .yuv420p))
    }

    func testDemuxerThrowsForMissingFile() {
        XCTAssertThrowsError(try Demuxer(path: "/nonexistent/dir/clip.mp4")) { error in
            XCTAssertEqual((error as? FFmpegError)?.code, tk_averror(ENOENT))
        }
    }

    func testDemuxerReadsTestClip() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TestMedia/h264_aac_16x9.mp4").path
        let d = try Demuxer(path: path)
        XCTAssertEqual(d.streamCount, 2)
        XCTAssertEqual(d.duration ?? 0, 2.0, accuracy: 0.05)
        let v = try XCTUnwrap(d.bestStream(.video))
        XCTAssertEqual(d.parameters(of: v).codecName, "h264")
        XCTAssertEqual(d.parameters(of: v).timeBase, Rational(d.stream(at: v).pointee.time_base))
        let dec = try Decoder(demuxer: d, stream: v)
        let packet = try Packet(), frame = try Frame()
        var frames = 0
        while try d.read(into: packet) {
            defer { packet.unref() }
            guard packet.streamIndex == v else { continue }
            try dec.send(packet)
            while try dec.receive(into: frame) == .got { frames += 1; frame.unref() }
        }
        try dec.send(nil)
        while try dec.receive(into: frame) == .got { frames += 1; frame.unref() }
        XCTAssertEqual(frames, 60)
    }

    func testDemuxerBeforeStreamInfoHookCanRefuse() {
        struct Refused: Error {}
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TestMedia/h264_aac_16x9.mp4").path
        XCTAssertThrowsError(try Demuxer(path: path) { _ in throw Refused() }) { XCTAssertTrue($0 is Refused) }
    }
}
