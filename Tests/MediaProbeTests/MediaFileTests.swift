import XCTest
@testable import MediaProbe

/// One test per TestMedia video/audio file, with the values TestMedia/make put in.
final class MediaFileTests: ProbeTestCase {
    /// The checks every ordinary clip shares.
    func assertClip(_ r: ProbeReport, format: String, container: String, codec: String, width: Int, height: Int,
                    fps: Double, audioCodec: String?, sampleRate: Int? = 48000, channels: Int? = 2,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(r.kind, .video, file: file, line: line)
        XCTAssertEqual(r.format, format, file: file, line: line)
        XCTAssertEqual(r.container, container, file: file, line: line)
        XCTAssertEqual(r.duration ?? 0, 2.0, accuracy: 0.1, file: file, line: line)
        XCTAssertGreaterThan(r.sizeBytes, 0, file: file, line: line)
        let v = try video(r, file: file, line: line)
        XCTAssertEqual(v.codec, codec, file: file, line: line)
        XCTAssertEqual(v.width, width, file: file, line: line)
        XCTAssertEqual(v.height, height, file: file, line: line)
        XCTAssertEqual(v.averageFrameRate ?? 0, fps, accuracy: 0.01, file: file, line: line)
        XCTAssertEqual(v.realFrameRate ?? 0, fps, accuracy: 0.01, file: file, line: line)
        XCTAssertEqual(v.variableFrameRate, false, file: file, line: line)
        XCTAssertEqual(v.isStill, false, file: file, line: line)
        XCTAssertTrue(v.isDefault, file: file, line: line)
        XCTAssertNil(r.text, file: file, line: line)
        if let audioCodec {
            let a = try audio(r, file: file, line: line)
            XCTAssertEqual(a.codec, audioCodec, file: file, line: line)
            XCTAssertEqual(a.sampleRate, sampleRate, file: file, line: line)
            XCTAssertEqual(a.channels, channels, file: file, line: line)
            XCTAssertTrue(a.isDefault, file: file, line: line)
        } else {
            XCTAssertTrue(r.audioStreams.isEmpty, file: file, line: line)
        }
    }

    func testH264AAC16x9() throws {
        let r = try probe("h264_aac_16x9.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "aac")
        let v = try video(r)
        XCTAssertEqual(v.profile, "High")
        XCTAssertEqual(v.pixelFormat, "yuv420p")
        XCTAssertEqual(v.bitDepth, 8)
        XCTAssertEqual(v.sampleAspectRatio, "1:1")
        XCTAssertEqual(v.rotation, 0)
        XCTAssertEqual(v.fieldOrder, "progressive")
        XCTAssertNil(v.hdr)
        XCTAssertNil(v.colorTransfer)
        XCTAssertEqual(try audio(r).channelLayout, "stereo")
        XCTAssertEqual(try audio(r).profile, "LC")
        XCTAssertTrue(r.cloudAccepts)
        XCTAssertEqual(v.displaySize?.width, 640)
        XCTAssertEqual(v.displaySize?.height, 360)
    }

    func testMPEG4MP3AVI() throws {
        let r = try probe("mpeg4_mp3.avi")
        try assertClip(r, format: "avi", container: "avi", codec: "mpeg4", width: 640, height: 360, fps: 25, audioCodec: "mp3", sampleRate: 44100)
    }

    func testMOVByMajorBrand() throws {
        let r = try probe("h264_aac.mov")
        try assertClip(r, format: "mov", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "aac")
    }

    func testMKVWithAC3() throws {
        let r = try probe("h264_ac3.mkv")
        try assertClip(r, format: "mkv", container: "matroska,webm", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "ac3")
    }

    func testVP9OpusWebM() throws {
        let r = try probe("vp9_opus.webm")
        try assertClip(r, format: "webm", container: "matroska,webm", codec: "vp9", width: 640, height: 360, fps: 30, audioCodec: "opus")
    }

    func testVP8VorbisWebM() throws {
        let r = try probe("vp8_vorbis.webm")
        try assertClip(r, format: "webm", container: "matroska,webm", codec: "vp8", width: 640, height: 360, fps: 30, audioCodec: "vorbis")
    }

    func testPortraitRotation90() throws {
        let r = try probe("portrait_rot90.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "aac")
        let v = try video(r)
        XCTAssertEqual(v.rotation, 90, "stored landscape, display matrix turns it 90° clockwise")
        XCTAssertEqual(v.displaySize?.width, 360)
        XCTAssertEqual(v.displaySize?.height, 640)
    }

    func testOddDimensions() throws {
        let r = try probe("odd_853x479.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 853, height: 479, fps: 30, audioCodec: "aac")
        XCTAssertEqual(try video(r).pixelFormat, "yuv444p")
        XCTAssertEqual(try video(r).profile, "High 4:4:4 Predictive")
    }

    func testAnamorphicSAR() throws {
        let r = try probe("anamorphic_sar.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 480, height: 360, fps: 30, audioCodec: "aac")
        let v = try video(r)
        XCTAssertEqual(v.sampleAspectRatio, "4:3")
        XCTAssertEqual(v.displaySize?.width, 640)
        XCTAssertEqual(v.displaySize?.height, 360)
    }

    func testNoAudio() throws {
        let r = try probe("noaudio.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: nil)
        XCTAssertNil(r.primaryAudio)
        XCTAssertEqual(r.streams.count, 1)
    }

    func testVariableFrameRate() throws {
        let r = try probe("vfr.mp4")
        XCTAssertEqual(r.kind, .video)
        XCTAssertEqual(r.format, "mp4")
        let v = try video(r)
        XCTAssertEqual(v.variableFrameRate, true)
        XCTAssertEqual(v.realFrameRate ?? 0, 30, accuracy: 0.01)
        XCTAssertLessThan(v.averageFrameRate ?? 99, 29)
    }

    func testH264TenBit() throws {
        let r = try probe("h264_10bit.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "aac")
        let v = try video(r)
        XCTAssertEqual(v.bitDepth, 10)
        XCTAssertEqual(v.pixelFormat, "yuv420p10le")
        XCTAssertEqual(v.profile, "High 10")
        XCTAssertNil(v.hdr)
    }

    func testHDRHLG() throws {
        let r = try probe("hdr_hlg.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "hevc", width: 640, height: 360, fps: 30, audioCodec: "aac")
        let v = try video(r)
        XCTAssertEqual(v.hdr, .hlg)
        XCTAssertEqual(v.bitDepth, 10)
        XCTAssertEqual(v.colorPrimaries, "bt2020")
        XCTAssertEqual(v.colorTransfer, "arib-std-b67")
        XCTAssertEqual(v.colorSpace, "bt2020nc")
        XCTAssertEqual(v.profile, "Main 10")
    }

    func testHDRPQ() throws {
        let r = try probe("hdr_pq.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "hevc", width: 640, height: 360, fps: 30, audioCodec: "aac")
        let v = try video(r)
        XCTAssertEqual(v.hdr, .pq)
        XCTAssertEqual(v.bitDepth, 10)
        XCTAssertEqual(v.colorPrimaries, "bt2020")
        XCTAssertEqual(v.colorTransfer, "smpte2084")
        XCTAssertEqual(v.colorSpace, "bt2020nc")
    }

    func testInterlacedTFF() throws {
        let r = try probe("interlaced_tff.mkv")
        try assertClip(r, format: "mkv", container: "matroska,webm", codec: "h264", width: 720, height: 576, fps: 25, audioCodec: "aac")
        XCTAssertEqual(try video(r).fieldOrder, "tt")
    }

    func testYUV422() throws {
        let r = try probe("yuv422_h264.mkv")
        try assertClip(r, format: "mkv", container: "matroska,webm", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "aac")
        XCTAssertEqual(try video(r).pixelFormat, "yuv422p")
        XCTAssertEqual(try video(r).profile, "High 4:2:2")
    }

    func testSurround51() throws {
        let r = try probe("surround51.mkv")
        try assertClip(r, format: "mkv", container: "matroska,webm", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "aac", channels: 6)
        XCTAssertEqual(try audio(r).channelLayout, "5.1")
    }

    func testMono44k() throws {
        let r = try probe("mono_44k.mp4")
        try assertClip(r, format: "mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 640, height: 360, fps: 30, audioCodec: "aac", sampleRate: 44100, channels: 1)
        XCTAssertEqual(try audio(r).channelLayout, "mono")
    }

    /// Content, not extension: an AVI named .dat is an AVI.
    func testAVINamedDat() throws {
        let r = try probe("avi_named.dat")
        try assertClip(r, format: "avi", container: "avi", codec: "mpeg4", width: 640, height: 360, fps: 25, audioCodec: "mp3", sampleRate: 44100)
        XCTAssertTrue(r.cloudAccepts)
    }

    /// Only vfr.mp4 is variable among the clips.
    func testOnlyVFRClipIsVariable() throws {
        let clips = ["h264_aac_16x9.mp4", "mpeg4_mp3.avi", "h264_aac.mov", "h264_ac3.mkv", "vp9_opus.webm", "vp8_vorbis.webm",
                     "portrait_rot90.mp4", "odd_853x479.mp4", "anamorphic_sar.mp4", "noaudio.mp4", "vfr.mp4", "h264_10bit.mp4",
                     "hdr_hlg.mp4", "hdr_pq.mp4", "interlaced_tff.mkv", "yuv422_h264.mkv", "surround51.mkv", "mono_44k.mp4"]
        for name in clips {
            let v = try video(try probe(name))
            XCTAssertEqual(v.variableFrameRate, name == "vfr.mp4", name)
        }
    }
}
