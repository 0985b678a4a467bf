import MediaProbe
import XCTest
@testable import Planning

/// `--plan` for animated images (frames, delays, plays) and audiograms (cover source, length).
final class AnimationAndAudiogramPlanTests: XCTestCase {
    static func animation(cycle: Double, frames: Int = 10, format: String = "gif", decoder: String = "ffmpeg") -> ProbeReport {
        var s = StreamInfo(index: 0, type: .video, codec: format)
        s.width = 320; s.height = 240; s.isStill = false; s.isDefault = true
        var r = ProbeReport(path: "/in/walk.\(format)", kind: .video, container: format == "webp" ? "webp" : format, format: format,
                            sizeBytes: 1_000_000, duration: cycle, streams: [s])
        r.animation = AnimationInfo(frames: frames, cycleSeconds: cycle, shortestDelay: cycle / Double(frames),
                                    longestDelay: cycle / Double(frames), loopCount: 0, decoder: decoder)
        return r
    }

    func plan(_ inputs: [ProbeReport], _ flags: PlanFlags = PlanFlags()) throws -> Plan {
        try Planner.plan(Request(inputs: inputs, flags: flags))
    }

    func testAnAnimationIsPlannedAsAVideoWithItsFramesAndPlays() throws {
        let p = try plan([Self.animation(cycle: 4, frames: 40, format: "webp", decoder: "libwebp")])
        XCTAssertEqual(p.route, .local)
        XCTAssertEqual(p.fit, .blur, "an animation is not smart-reframed")
        XCTAssertEqual(p.steps[0], "decode animated WEBP 320x240: 40 frames, delays 0.10 s each (libwebp's animation decoder: frame offsets, disposal and blending)")
        XCTAssertTrue(p.steps.contains("play it once: 4 s (its own length)"), "\(p.steps)")
        XCTAssertTrue(p.steps.contains { $0.hasPrefix("encode H.264 High 1080x1920 30 fps, no audio") }, "\(p.steps)")
    }

    func testAShortAnimationPlaysWholeCyclesToThreeSeconds() throws {
        let p = try plan([Self.animation(cycle: 1.2, frames: 12)])
        XCTAssertTrue(p.steps.contains("play it 3 times: 3.6 s (one play (1.2 s) is under TikTok's 3-second minimum; --loop N chooses)"), "\(p.steps)")
        var flags = PlanFlags()
        flags.loop = 5
        XCTAssertTrue(try plan([Self.animation(cycle: 1.2, frames: 12)], flags).steps.contains("play it 5 times: 6 s (--loop 5)"))
    }

    func testAnAudiogramNamesItsCover() throws {
        var song = ProbeReport(path: "/in/memo.m4a", kind: .audio, container: "mov,mp4,m4a,3gp,3g2,mj2", format: "m4a", sizeBytes: 100_000,
                               duration: 42)
        var a = StreamInfo(index: 0, type: .audio, codec: "aac")
        a.sampleRate = 44100; a.channels = 1
        song.streams = [a]
        song.tags = ["title": "Monday notes", "artist": "Ana"]
        XCTAssertTrue(try plan([song]).steps.contains("picture: a plain dark background (no --cover given, no cover art in the file)"))
        XCTAssertTrue(try plan([song]).steps.contains("tagged title 'Monday notes' by Ana: drawn above the picture (libass, once: the plate is the same in every frame) and kept as the MP4's tags"))
        var art = StreamInfo(index: 1, type: .video, codec: "mjpeg")
        art.isStill = true; art.width = 600; art.height = 600
        song.streams.append(art)
        XCTAssertTrue(try plan([song]).steps.contains("picture: the file's embedded cover art (600x600 mjpeg), whole over its own blurred fill"))
        var flags = PlanFlags()
        flags.cover = "/photos/cover.jpg"
        let given = try plan([song], flags)
        XCTAssertTrue(given.steps.contains("picture: the cover cover.jpg (--cover), whole over its own blurred fill"), "\(given.steps)")
        XCTAssertEqual(given.steps[0], "decode aac 44.1 kHz mono, 42 s")
    }

    func testAudioOverTenMinutesIsRefusedUnlessTrimmed() throws {
        var long = ProbeReport(path: "/in/podcast.mp3", kind: .audio, container: "mp3", format: "mp3", sizeBytes: 10_000_000, duration: 1_384)
        long.streams = [StreamInfo(index: 0, type: .audio, codec: "mp3")]
        XCTAssertThrowsError(try plan([long])) { error in
            XCTAssertEqual(error as? PlanningError, .audioTooLong(name: "podcast.mp3", seconds: 1_384))
            XCTAssertEqual((error as? LocalizedError)?.errorDescription,
                           "podcast.mp3 lasts 23 min 4 s, over TikTok's 10-minute limit: choose a part with --start/--duration (e.g. --duration 10:00)")
        }
        var flags = PlanFlags()
        flags.start = 60; flags.duration = 300
        XCTAssertEqual(try plan([long], flags).route, .local)
        flags.duration = nil
        XCTAssertThrowsError(try plan([long], flags), "from 60 s to the end is still 22 minutes")
    }
}
