import CFFmpeg
@testable import FFmpeg
import XCTest
@testable import LocalEngine
import MediaProbe
import Planning

/// The local edits, in both plans, each checked by decoding the output: mute, speed with
/// the pitch kept (an FFT peak on the source's 440 Hz tone), fades (dark first and last
/// pictures, ramped sound), loudness (the ffmpeg CLI's ebur128 as the reader), black and white.
final class LocalEditsTests: XCTestCase {
    override class func setUp() { FFmpegLog.setQuiet(true) }

    /// 640x360 30 fps, 2 s; AAC 48 kHz stereo, 440 Hz left and 660 Hz right throughout.
    static let clip = "h264_aac_16x9.mp4"

    func tiktok(_ file: String = media(clip), _ configure: (inout TikTokOptions) -> Void) throws -> (ConversionResult, String) {
        var o = TikTokOptions()
        o.preset = "ultrafast"
        configure(&o)
        let out = try scratchFolder().appendingPathComponent("out.mp4").path
        let r = try TikTokConverter(report: try Prober.probe(path: file), options: o, outputPath: out, overwrite: false).run()
        return (r, out)
    }

    func mp4(_ edits: LocalEdits, file: String = media(clip), start: Double? = nil, duration: Double? = nil) throws -> (ConversionResult, String) {
        var o = MP4Options()
        o.preset = "ultrafast"
        o.edits = edits
        o.start = start
        o.duration = duration
        let out = try scratchFolder().appendingPathComponent("out.mp4").path
        let r = try MP4Converter(report: try Prober.probe(path: file), options: o, outputPath: out, overwrite: false).run()
        return (r, out)
    }

    func pitch(_ path: String, line: UInt = #line) throws -> Double {
        let (samples, rate) = try EditInspection.firstChannel(path)
        XCTAssertGreaterThan(samples.count, rate / 4, "a quarter second of sound at least", line: line)
        // The middle of the sound, away from encoder priming and the end.
        let a = samples.count / 8, b = samples.count - samples.count / 8
        return EditInspection.peakFrequency(samples[a..<b], rate: rate)
    }

    func outcome(_ r: ConversionResult, _ type: StreamType) -> StreamOutcome? { r.streams.first { $0.type == type } }

    // MARK: - Mute

    func testMutedOutputHasNoAudioStream() throws {
        let (r, out) = try tiktok { $0.edits.mute = true }
        let i = try OutputInspector.read(out)
        XCTAssertNil(i.audio)
        XCTAssertEqual(i.streamCount, 1)
        XCTAssertEqual(i.video?.endSeconds ?? 0, 2.0, accuracy: 1 / 30 + 0.001)
        XCTAssertEqual(outcome(r, .audio)?.action, .dropped)
        XCTAssertEqual(outcome(r, .audio)?.reason, "muted")
    }

    func testMutedWithSilentAudioIsSilence() throws {
        let (_, out) = try tiktok { $0.edits.mute = true; $0.silentAudio = true }
        let i = try OutputInspector.read(out)
        let a = try XCTUnwrap(i.audio, "--silent-audio keeps a track")
        XCTAssertEqual(a.endSeconds, i.video!.endSeconds, accuracy: 0.03)
        let (samples, _) = try EditInspection.firstChannel(out)
        XCTAssertLessThan(samples.map { abs($0) }.max() ?? 1, 1e-4, "silence, not the source's tone")
        XCTAssertGreaterThan(EditInspection.rms(try EditInspection.firstChannel(media(Self.clip)).samples[...]), 0.05,
                             "the source is not silent")
    }

    // MARK: - Speed

    func testDoubleSpeedHalvesTheLengthAndKeepsThePitch() throws {
        let source = try pitch(media(Self.clip))
        XCTAssertEqual(source, 440, accuracy: 2, "the source's left channel is a 440 Hz tone")
        let (r, out) = try tiktok { $0.edits.speed = 2 }
        let i = try OutputInspector.read(out)
        let v = try XCTUnwrap(i.video)
        XCTAssertEqual(v.endSeconds, 1.0, accuracy: 1 / 30 + 0.001, "half of 2 s, within a frame")
        XCTAssertEqual(Double(v.ptsSeconds.count), 30, accuracy: 1)
        XCTAssertEqual(v.frameRate.double, 30, accuracy: 0.01, "the output rate stays the source's")
        XCTAssertEqual(i.audio?.endSeconds ?? 0, v.endSeconds, accuracy: 0.03, "the sound is as short as the picture")
        XCTAssertEqual(try pitch(out) / source, 1, accuracy: 0.02, "pitch kept (not 880 Hz)")
        XCTAssertEqual(r.durationSeconds, 1.0, accuracy: 1 / 30 + 0.001)
        XCTAssertTrue(outcome(r, .audio)?.reason.contains("speed 2×") ?? false, "\(r.streams)")
        XCTAssertTrue(r.notes.contains("edits: speed 2× (audio pitch kept)"), "\(r.notes)")
    }

    func testHalfSpeedDoublesTheLengthAndKeepsThePitch() throws {
        let source = try pitch(media(Self.clip))
        let (_, out) = try tiktok { $0.edits.speed = 0.5 }
        let i = try OutputInspector.read(out)
        XCTAssertEqual(i.video?.endSeconds ?? 0, 4.0, accuracy: 1 / 30 + 0.001)
        XCTAssertEqual(i.audio?.endSeconds ?? 0, 4.0, accuracy: 0.03)
        XCTAssertEqual(try pitch(out) / source, 1, accuracy: 0.02, "pitch kept (not 220 Hz)")
    }

    /// Beyond atempo's best range each way the engine chains two stages.
    func testQuarterAndFourTimesSpeed() throws {
        let source = try pitch(media(Self.clip))
        let (_, fast) = try tiktok { $0.edits.speed = 4 }
        XCTAssertEqual(try OutputInspector.read(fast).video?.endSeconds ?? 0, 0.5, accuracy: 1 / 30 + 0.001)
        XCTAssertEqual(try pitch(fast) / source, 1, accuracy: 0.02)
        // 0.5 s of source at a quarter of the speed: 2 s.
        let (_, slow) = try tiktok { $0.edits.speed = 0.25; $0.duration = 0.5 }
        let i = try OutputInspector.read(slow)
        XCTAssertEqual(i.video?.endSeconds ?? 0, 2.0, accuracy: 1 / 30 + 0.001)
        XCTAssertEqual(i.audio?.endSeconds ?? 0, 2.0, accuracy: 0.03)
        XCTAssertEqual(try pitch(slow) / source, 1, accuracy: 0.02)
    }

    // MARK: - Fades

    func testFadesDarkenTheEndsAndRampTheSound() throws {
        let (_, plain) = try tiktok { $0.duration = 2 }
        let (r, out) = try tiktok { $0.edits.fadeIn = 0.5; $0.edits.fadeOut = 0.5 }
        let lumas = try EditInspection.lumaMeans(out), plainLumas = try EditInspection.lumaMeans(plain)
        XCTAssertEqual(lumas.count, 60)
        XCTAssertEqual(lumas.first!.mean, 16, accuracy: 1.5, "the first picture is black")
        XCTAssertEqual(lumas.last!.mean, 16, accuracy: 1.5, "the last picture is black")
        XCTAssertGreaterThan(plainLumas.first!.mean, 40, "the source's first picture is not black")
        XCTAssertEqual(lumas[30].mean, plainLumas[30].mean, accuracy: 1, "the middle is untouched")
        // 0.2 s into a 0.5 s fade in: 40% of the way from black to the picture.
        let expected = 16 + (plainLumas[6].mean - 16) * 0.4
        XCTAssertEqual(lumas[6].mean, expected, accuracy: 0.05 * (plainLumas[6].mean - 16))

        let (samples, rate) = try EditInspection.firstChannel(out)
        let w = rate / 20   // 50 ms
        let middle = EditInspection.rms(samples[(samples.count / 2 - w)..<(samples.count / 2 + w)])
        let first = EditInspection.rms(samples[0..<w]), last = EditInspection.rms(samples[(samples.count - w)...])
        XCTAssertGreaterThan(middle, 0.05)
        XCTAssertLessThan(first, 0.1 * middle, "the sound starts from silence")
        XCTAssertLessThan(last, 0.1 * middle, "the sound ends in silence")
        let quarter = EditInspection.rms(samples[(rate / 4 - w / 2)..<(rate / 4 + w / 2)])
        XCTAssertEqual(quarter / middle, 0.5, accuracy: 0.1, "a linear ramp: half way at 0.25 s of a 0.5 s fade")
        XCTAssertEqual(outcome(r, .video)?.reason, "fit to 1080x1920 (blur); fade in 0.5 s, fade out 0.5 s")
    }

    func testFadeOutFollowsTrimAndSpeed() throws {
        // 1.5 s from 0.5 s, at 1.5×: 1 s of output whose last 0.3 s fade out.
        let (_, out) = try tiktok { $0.start = 0.5; $0.duration = 1.5; $0.edits.speed = 1.5; $0.edits.fadeOut = 0.3 }
        let lumas = try EditInspection.lumaMeans(out)
        XCTAssertEqual(Double(lumas.count), 30, accuracy: 1)
        XCTAssertEqual(lumas.last!.mean, 16, accuracy: 1.5)
        XCTAssertGreaterThan(lumas[lumas.count - 10].mean, 40, "0.33 s before the end is before the fade")
        let (samples, rate) = try EditInspection.firstChannel(out)
        XCTAssertEqual(Double(samples.count) / Double(rate), 1.0, accuracy: 0.05)
        XCTAssertLessThan(EditInspection.rms(samples[(samples.count - rate / 20)...]), 0.01)
    }

    // MARK: - Loudness and volume

    func testLoudnessIsNormalisedToTikToksLevel() throws {
        // A steady tone, and sound whose level jumps by 20 dB every half second.
        for file in [media(Self.clip), try EditInspection.unevenClip(in: try scratchFolder())] {
            let before = try EditInspection.loudness(file)
            XCTAssertGreaterThan(abs(before - LocalEdits.loudnessTarget), 4, "\(file) starts away from the target")
            let (r, out) = try tiktok(file) { $0.edits.loudnorm = true }
            XCTAssertEqual(try EditInspection.loudness(out), LocalEdits.loudnessTarget, accuracy: 1, file)
            XCTAssertTrue(r.notes.contains { $0.hasPrefix("loudness ") && $0.contains("→ -14.0 LUFS") }, "\(r.notes)")
            XCTAssertEqual(try OutputInspector.read(out).audio?.sampleRate, 48_000, file)
        }
    }

    /// Loud short peaks: the gain is limited at the true-peak ceiling, and the report says where
    /// the loudness ended up instead of claiming the target.
    func testPeaksLimitTheGainAndTheReportSaysSo() throws {
        let (r, out) = try tiktok(try EditInspection.peakyClip(in: try scratchFolder())) { $0.edits.loudnorm = true }
        let measured = try EditInspection.loudnessAndPeak(out)
        XCTAssertLessThanOrEqual(measured.truePeak, -1.0, "true peak held under the ceiling (−1.5 dBTP, AAC may overshoot a little)")
        let note = try XCTUnwrap(r.notes.first { $0.hasPrefix("loudness ") }, "\(r.notes)")
        XCTAssertTrue(note.contains("peaks limited to -1.5 dBTP"), note)
        XCTAssertTrue(note.contains("the peaks keep it below the target"), note)
        // The reached figure in the note is the output's own loudness.
        let reached = try XCTUnwrap(note.components(separatedBy: "→ ").last?.split(separator: " ").first.flatMap { Double($0) }, note)
        XCTAssertEqual(reached, measured.integrated, accuracy: 0.5, note)
        XCTAssertLessThan(measured.integrated, LocalEdits.loudnessTarget - 1)
    }

    func testVolumeChangesTheLoudnessByItsDecibels() throws {
        let before = try EditInspection.loudness(media(Self.clip))
        let (_, louder) = try tiktok { $0.edits.volumeDB = 6 }
        XCTAssertEqual(try EditInspection.loudness(louder) - before, 6, accuracy: 0.5)
        let (_, quieter) = try tiktok { $0.edits.volumeDB = -10 }
        XCTAssertEqual(try EditInspection.loudness(quieter) - before, -10, accuracy: 0.5)
    }

    // MARK: - Black and white

    func testBlackAndWhiteFlattensTheChroma() throws {
        let (_, out) = try tiktok { $0.edits.grayscale = true; $0.duration = 0.5 }
        for plane in [1, 2] {
            let range = try EditInspection.planeRange(out, plane: plane)
            XCTAssertEqual(range.pictures, 15)
            XCTAssertGreaterThanOrEqual(range.min, 127, "plane \(plane)")
            XCTAssertLessThanOrEqual(range.max, 129, "plane \(plane)")
        }
        let luma = try EditInspection.planeRange(out, plane: 0)
        XCTAssertGreaterThan(luma.max - luma.min, 100, "the picture is kept in its luma")
        let source = try EditInspection.planeRange(media(Self.clip), plane: 1)
        XCTAssertGreaterThan(source.max - source.min, 50, "the source has colour")
    }

    // MARK: - Combined with trims and fits

    func testFirstSecondsMutedVerticalAtDoubleSpeed() throws {
        let (r, out) = try tiktok { $0.start = 0.5; $0.duration = 1; $0.fit = .crop; $0.edits.mute = true; $0.edits.speed = 2 }
        let i = try OutputInspector.read(out)
        XCTAssertNil(i.audio)
        XCTAssertEqual(i.video?.width, 1080)
        XCTAssertEqual(i.video?.height, 1920)
        XCTAssertEqual(i.video?.endSeconds ?? 0, 0.5, accuracy: 1 / 30 + 0.001)
        XCTAssertEqual(outcome(r, .video)?.reason, "fit to 1080x1920 (crop); speed 2×")
    }

    // MARK: - The mp4 plan

    func testMP4DoubleSpeedKeepsEveryPictureAndThePitch() throws {
        let source = try pitch(media(Self.clip))
        let (r, out) = try mp4(LocalEdits(speed: 2))
        XCTAssertEqual(r.streams.map(\.action), [.reencoded, .reencoded])
        let i = try OutputInspector.read(out)
        let v = try XCTUnwrap(i.video)
        XCTAssertEqual(v.ptsSeconds.count, 60, "every picture, twice as often")
        XCTAssertEqual(v.ptsSeconds.first ?? -1, 0, accuracy: 0.001)
        XCTAssertEqual(v.endSeconds, 1.0, accuracy: 1 / 60 + 0.001)
        XCTAssertEqual(v.frameRate.double, 60, accuracy: 0.01)
        XCTAssertEqual(v.width, 640, "the mp4 plan keeps the picture's size")
        XCTAssertEqual(i.audio?.endSeconds ?? 0, 1.0, accuracy: 0.03)
        XCTAssertEqual(try pitch(out) / source, 1, accuracy: 0.02)
        XCTAssertEqual(r.durationSeconds, 1.0, accuracy: 0.01)
    }

    func testMP4FourTimesSpeedKeepsAtMost60PicturesASecond() throws {
        let (_, out) = try mp4(LocalEdits(speed: 4))
        let v = try XCTUnwrap(try OutputInspector.read(out).video)
        XCTAssertEqual(v.ptsSeconds.count, 30, "120 a second would be every picture; every other one is kept")
        let steps = zip(v.ptsSeconds.dropFirst(), v.ptsSeconds).map { $0 - $1 }
        XCTAssertEqual(steps.min() ?? 0, 1 / 60, accuracy: 0.001)
        XCTAssertEqual(steps.max() ?? 0, 1 / 60, accuracy: 0.001)
    }

    func testMP4SlowMotionKeepsThePitch() throws {
        let source = try pitch(media(Self.clip))
        let (_, out) = try mp4(LocalEdits(speed: 0.5))
        let i = try OutputInspector.read(out)
        XCTAssertEqual(i.video?.endSeconds ?? 0, 4.0, accuracy: 1 / 15 + 0.001)
        XCTAssertEqual(i.audio?.endSeconds ?? 0, 4.0, accuracy: 0.05)
        XCTAssertEqual(try pitch(out) / source, 1, accuracy: 0.02)
    }

    func testMP4MuteDropsTheSoundAndCopiesThePicture() throws {
        let (r, out) = try mp4(LocalEdits(mute: true))
        XCTAssertEqual(r.streams.map(\.action), [.copied, .dropped])
        let i = try OutputInspector.read(out)
        XCTAssertEqual(i.streamCount, 1)
        XCTAssertNil(i.audio)
        XCTAssertEqual(i.video?.ptsSeconds.count, 60, "the picture copied whole (MP4PlanTests checks copies are bit-exact)")
    }

    func testMP4VolumeAndLoudnessReencodeOnlyTheSound() throws {
        let (r, out) = try mp4(LocalEdits(volumeDB: 6))
        XCTAssertEqual(r.streams.map(\.action), [.copied, .reencoded])
        XCTAssertEqual(try EditInspection.loudness(out) - EditInspection.loudness(media(Self.clip)), 6, accuracy: 0.5)
        let uneven = try EditInspection.unevenClip(in: try scratchFolder())
        let (n, normalised) = try mp4(LocalEdits(loudnorm: true), file: uneven)
        XCTAssertEqual(n.streams.map(\.action), [.copied, .reencoded])
        XCTAssertEqual(try EditInspection.loudness(normalised), LocalEdits.loudnessTarget, accuracy: 1)
        XCTAssertEqual(try OutputInspector.read(normalised).audio?.sampleRate, 44_100, "the mp4 plan keeps the source's rate")
    }

    /// 10-bit 4:2:0: black is 64 in 10 bits, and the pixel format is kept.
    func testMP4FadesOnTenBitVideo() throws {
        let (r, out) = try mp4(LocalEdits(fadeIn: 0.5, fadeOut: 0.5), file: media("h264_10bit.mp4"))
        XCTAssertEqual(r.streams.map(\.action), [.reencoded, .reencoded])
        var first: (Int, Int)?, last = (0, 0), count = 0
        try EditInspection.forEachPicture(out) { f, _ in
            XCTAssertEqual(f.pixelFormat, .yuv420p10)
            let (data, ls) = f.plane(0)
            let row = UnsafeRawPointer(data! + (f.height / 2) * Int(ls))
            let y = (0..<f.width).map { Int(row.load(fromByteOffset: 2 * $0, as: UInt16.self)) }
            let range = (y.min()!, y.max()!)
            if first == nil { first = range }
            last = range
            count += 1
        }
        XCTAssertEqual(count, 60)
        XCTAssertEqual(Double(first!.0), 64, accuracy: 3, "first picture black (10-bit)")
        XCTAssertEqual(Double(first!.1), 64, accuracy: 3)
        XCTAssertEqual(Double(last.0), 64, accuracy: 3, "last picture black")
        XCTAssertEqual(Double(last.1), 64, accuracy: 3)
    }

    /// 4:4:4 at an odd size: chroma neutral everywhere, the sound copied bit for bit.
    func testMP4BlackAndWhiteOn444() throws {
        let (r, out) = try mp4(LocalEdits(grayscale: true), file: media("odd_853x479.mp4"))
        XCTAssertEqual(r.streams.map(\.action), [.reencoded, .copied])
        for plane in [1, 2] {
            let range = try EditInspection.planeRange(out, plane: plane)
            XCTAssertEqual(range.pictures, 60)
            XCTAssertGreaterThanOrEqual(range.min, 127)
            XCTAssertLessThanOrEqual(range.max, 129)
        }
        XCTAssertEqual(try OutputInspector.read(out).video?.pixelFormat, "yuv444p")
        XCTAssertEqual(try OutputInspector.frameHashes(out, type: .audio), try OutputInspector.frameHashes(media("odd_853x479.mp4"), type: .audio))
    }

    /// A trim in the mp4 plan: copied video starts at the keyframe before the start, its
    /// pictures before the start hidden (the edit list), so what plays is the source from 0.5 s.
    func testMP4TrimCopiesTheSourceFromItsStart() throws {
        let (r, out) = try mp4(LocalEdits(), start: 0.5, duration: 1)
        XCTAssertEqual(r.streams.map(\.action), [.copied, .copied])
        let i = try OutputInspector.read(out)
        let v = try XCTUnwrap(i.video)
        XCTAssertEqual(v.ptsSeconds.first ?? -1, 0, accuracy: 0.001, "plays from zero")
        // Copied pictures end where decoding order does: up to the reordering delay past the end.
        XCTAssertEqual(v.endSeconds, 1.0, accuracy: 0.15)
        XCTAssertEqual(i.audio?.endSeconds ?? 0, 1.0, accuracy: 0.03)
        let source = try OutputInspector.frameHashes(media(Self.clip), type: .video)
        let copied = try OutputInspector.frameHashes(out, type: .video)
        XCTAssertEqual(Array(copied.prefix(30)), Array(source[15..<45]), "the pictures from 0.5 s, bit for bit")
        XCTAssertEqual(r.durationSeconds, 1, accuracy: 0.001)
    }

    func testMP4TrimWithSpeedAndBlackAndWhite() throws {
        let source = try pitch(media(Self.clip))
        let (r, out) = try mp4(LocalEdits(speed: 2, grayscale: true), start: 0.5, duration: 1)
        XCTAssertEqual(r.streams.map(\.action), [.reencoded, .reencoded])
        let i = try OutputInspector.read(out)
        let v = try XCTUnwrap(i.video)
        XCTAssertEqual(v.ptsSeconds.count, 30, "the 30 pictures of the second, twice as often")
        XCTAssertEqual(v.ptsSeconds.first ?? -1, 0, accuracy: 0.001)
        XCTAssertEqual(v.endSeconds, 0.5, accuracy: 1 / 60 + 0.001)
        XCTAssertEqual(i.audio?.endSeconds ?? 0, 0.5, accuracy: 0.03)
        XCTAssertEqual(try pitch(out) / source, 1, accuracy: 0.02)
        let u = try EditInspection.planeRange(out, plane: 1)
        XCTAssertGreaterThanOrEqual(u.min, 127)
        XCTAssertLessThanOrEqual(u.max, 129)
    }

    /// Cues are cut to the trim: [0.2, 0.9) and [1.0, 1.8) in the source, [0.5, 1.5) kept.
    func testMP4TrimCutsSubtitleCues() throws {
        let (_, out) = try mp4(LocalEdits(), file: media("h264_srt.mkv"), start: 0.5, duration: 1)
        let d = try Demuxer(path: out)
        let index = try XCTUnwrap(d.bestStream(.subtitle))
        let tb = d.stream(at: index).pointee.time_base.double
        var cues: [(Double, Double)] = []
        let packet = try Packet()
        while try d.read(into: packet) {
            if packet.streamIndex == index, packet.pointer.pointee.size > 2 {   // mov_text gaps are empty samples
                let start = Double(packet.pts ?? 0) * tb
                cues.append((start, start + Double(packet.duration) * tb))
            }
            packet.unref()
        }
        XCTAssertEqual(cues.count, 2)
        XCTAssertEqual(cues.first?.0 ?? -1, 0, accuracy: 0.001)
        XCTAssertEqual(cues.first?.1 ?? -1, 0.4, accuracy: 0.001)
        XCTAssertEqual(cues.last?.0 ?? -1, 0.5, accuracy: 0.001)
        XCTAssertEqual(cues.last?.1 ?? -1, 1.0, accuracy: 0.001)
    }

    func testMP4SubtitlesAreDroppedOnASpeedChange() throws {
        let (r, out) = try mp4(LocalEdits(speed: 2), file: media("h264_srt.mkv"))
        XCTAssertEqual(r.streams.map(\.type), [.video, .subtitle])
        XCTAssertEqual(r.streams.map(\.action), [.reencoded, .dropped])
        XCTAssertEqual(try OutputInspector.read(out).streamCount, 1)
    }
}
