import XCTest
@testable import MediaProbe

final class AudioAndContainerTests: ProbeTestCase {
    func testMP3WithCoverArtIsAudio() throws {
        let r = try probe("tone_cover.mp3")
        XCTAssertEqual(r.kind, .audio)
        XCTAssertEqual(r.format, "mp3")
        XCTAssertTrue(r.cloudAccepts)
        XCTAssertEqual(try audio(r).codec, "mp3")
        XCTAssertEqual(try audio(r).sampleRate, 44100)
        XCTAssertNil(r.primaryVideo, "the cover is an attached picture, not video")
        let cover = try XCTUnwrap(r.streams.first { $0.type == .video })
        XCTAssertEqual(cover.isStill, true)
        XCTAssertEqual(cover.codec, "mjpeg")
        XCTAssertEqual(cover.width, 300)
    }

    func testWAV() throws {
        let r = try probe("tone.wav")
        XCTAssertEqual(r.kind, .audio)
        XCTAssertEqual(r.format, "wav")
        XCTAssertEqual(r.duration ?? 0, 1.0, accuracy: 0.01)
        XCTAssertEqual(try audio(r).codec, "pcm_s16le")
        XCTAssertEqual(try audio(r).channels, 1)
        XCTAssertEqual(try audio(r).sampleRate, 22050)
    }

    func testM4AByBrand() throws {
        let r = try probe("tone.m4a")
        XCTAssertEqual(r.kind, .audio)
        XCTAssertEqual(r.format, "m4a")
        XCTAssertEqual(try audio(r).channels, 2)
        XCTAssertTrue(r.cloudAccepts)
    }

    func testMPEGTSIsLocalOnly() throws {
        let r = try probe("h264_aac.ts")
        XCTAssertEqual(r.kind, .video)
        XCTAssertEqual(r.format, "ts")
        XCTAssertEqual(r.container, "mpegts")
        XCTAssertFalse(r.cloudAccepts, "the cloud protocol does not take MPEG-TS")
        XCTAssertEqual(try video(r).width, 320)
        XCTAssertEqual(try video(r).variableFrameRate, false)
    }

    func testCloudAcceptsOnlyItsFormats() {
        XCTAssertEqual(ProbeReport.cloudFormats, ["mp4", "mov", "avi", "webm", "mkv", "jpg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac"])
    }
}
