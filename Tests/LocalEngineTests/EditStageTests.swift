import CPixel
@testable import FFmpeg
import XCTest
@testable import LocalEngine
import Planning

/// The parts of the edit stages that need no media: fade gains, the filter chain's text (and
/// that libavfilter accepts it), the normalisation's gain, the picture kernels.
final class EditStageTests: XCTestCase {
    override class func setUp() { FFmpegLog.setQuiet(true) }

    let stereo48k = AudioEditStage.Target(format: .fltp, rate: 48_000, layout: ChannelLayout(defaultFor: 2))

    // MARK: Fade gains

    func testFadeGainsRunFromBlackToBlack() throws {
        let fades = FadeTimes(LocalEdits(fadeIn: 1, fadeOut: 0.5), end: 3)
        let frame = 1 / 30.0
        XCTAssertEqual(fades.gain(at: 0, frameDuration: frame), 0, "the first picture is black")
        XCTAssertEqual(try XCTUnwrap(fades.gain(at: 0.25, frameDuration: frame)), 0.25, accuracy: 1e-9)
        XCTAssertNil(fades.gain(at: 1, frameDuration: frame), "full picture once the fade in is over")
        XCTAssertNil(fades.gain(at: 2.4, frameDuration: frame), "before the fade out")
        XCTAssertEqual(try XCTUnwrap(fades.gain(at: 3 - frame, frameDuration: frame)), 0, accuracy: 1e-9, "the last picture is black")
        // Half way between the fade out's start (2.5 s) and the last picture (3 s − 1/30).
        XCTAssertEqual(try XCTUnwrap(fades.gain(at: (2.5 + 3 - frame) / 2, frameDuration: frame)), 0.5, accuracy: 1e-9)
        XCTAssertEqual(fades.gain(at: 5, frameDuration: frame), 0, "past the expected end: still black, never negative")
    }

    func testNoFadeOutWithoutAKnownEnd() {
        let fades = FadeTimes(LocalEdits(fadeOut: 1), end: nil)
        XCTAssertTrue(fades.isEmpty)
        XCTAssertNil(fades.gain(at: 100, frameDuration: 1 / 30.0))
    }

    func testReportNotesSayWhatWasDoneAndWhatWasNot() {
        let edits = LocalEdits(volumeDB: 6, speed: 2, fadeOut: 1, loudnorm: true)
        XCTAssertEqual(edits.reportNotes(fades: FadeTimes(edits, end: 5), hasSound: true),
                       ["edits: speed 2× (audio pitch kept); fade out to black over 1 s (picture and sound); volume +6 dB; "
                        + "normalise loudness to -14 LUFS (TikTok's level)"])
        XCTAssertEqual(edits.reportNotes(fades: FadeTimes(edits, end: nil), hasSound: false),
                       ["edits: speed 2× (audio pitch kept); fade out to black over 1 s (picture and sound)",
                        "no audio: nothing to change for volume +6 dB; normalise loudness to -14 LUFS (TikTok's level)",
                        "no fade out: the input does not say how long it is"])
        XCTAssertEqual(LocalEdits(mute: true).reportNotes(fades: FadeTimes(LocalEdits(), end: 1), hasSound: false),
                       ["no audio: nothing to change for remove the sound (muted)"])
        XCTAssertEqual(LocalEdits().reportNotes(fades: FadeTimes(LocalEdits(), end: 1), hasSound: true), [])
    }

    // MARK: The filter chain

    func testTempoStaysWithinAtemposBestRange() {
        XCTAssertEqual(AudioEditStage.tempo(2), ["atempo=2"])
        XCTAssertEqual(AudioEditStage.tempo(0.5), ["atempo=0.5"])
        XCTAssertEqual(AudioEditStage.tempo(4), ["atempo=2", "atempo=2"])
        XCTAssertEqual(AudioEditStage.tempo(3), ["atempo=2", "atempo=1.5"])
        XCTAssertEqual(AudioEditStage.tempo(0.25), ["atempo=0.5", "atempo=0.5"])
        XCTAssertEqual(AudioEditStage.tempo(0.3), ["atempo=0.5", "atempo=0.6"])
    }

    func testFadesArePlacedInTheGraphsSamples() {
        let fades = FadeTimes(LocalEdits(fadeIn: 1, fadeOut: 0.5), end: 2)
        // The graph's first sample is output time 0.
        XCTAssertEqual(AudioEditStage.fadeFilters(fades, rate: 48_000, startSeconds: 0),
                       ["afade=t=in:ss=0:ns=48000", "afade=t=out:ss=72000:ns=24000"])
        // The sound starts 0.5 s late (silence before it): the fade in has 0.5 s left to run,
        // and the fade out ends 0.5 s sooner in the graph's samples.
        XCTAssertEqual(AudioEditStage.fadeFilters(fades, rate: 48_000, startSeconds: 0.5),
                       ["afade=t=in:ss=0:ns=24000", "afade=t=out:ss=48000:ns=24000"])
        // The graph starts 0.25 s before output zero (the part before zero is cut later).
        XCTAssertEqual(AudioEditStage.fadeFilters(fades, rate: 48_000, startSeconds: -0.25),
                       ["afade=t=in:ss=12000:ns=48000", "afade=t=out:ss=84000:ns=24000"])
    }

    func testEveryChainIsOneLibavfilterAccepts() throws {
        let all = LocalEdits(volumeDB: -3, speed: 3, fadeIn: 1, fadeOut: 1, loudnorm: true)
        let n = AudioEditStage.normalisation(for: Loudness(integrated: -20, truePeak: -3))
        for edits in [all, LocalEdits(speed: 0.25), LocalEdits(volumeDB: 6), LocalEdits(fadeIn: 0.5)] {
            for target in [stereo48k, AudioEditStage.Target(format: .s16p, rate: 44_100, layout: ChannelLayout(defaultFor: 6))] {
                let chain = AudioEditStage.filterChain(edits, target: target, fades: FadeTimes(edits, end: 5),
                                                       normalisation: edits.loudnorm ? n : nil, startSeconds: 0)
                XCTAssertNoThrow(try AudioFilterGraph(format: .s16p, rate: 22_050, layout: ChannelLayout(defaultFor: 1), description: chain),
                                 chain)
            }
        }
    }

    func testChainOrderIsDownmixTempoLevelFadesFormat() {
        let edits = LocalEdits(volumeDB: 6, speed: 2, fadeIn: 1)
        let chain = AudioEditStage.filterChain(edits, target: stereo48k, fades: FadeTimes(edits, end: 4), normalisation: nil,
                                               startSeconds: 0)
        XCTAssertEqual(chain, "aformat=sample_rates=48000:channel_layouts='stereo',atempo=2,volume=6dB,asetpts=N/SR/TB,"
                       + "afade=t=in:ss=0:ns=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts='stereo'")
    }

    // MARK: Loudness normalisation

    func testNormalisationGainAndLimiter() throws {
        let quiet = try XCTUnwrap(AudioEditStage.normalisation(for: Loudness(integrated: -24, truePeak: -12)))
        XCTAssertEqual(quiet.gain, 10, accuracy: 1e-9)
        XCTAssertFalse(quiet.limited, "peaks at −2 dBTP after the gain stay under −1.5")
        let peaky = try XCTUnwrap(AudioEditStage.normalisation(for: Loudness(integrated: -24, truePeak: -11)))
        XCTAssertTrue(peaky.limited, "peaks at −1 dBTP after the gain pass −1.5")
        let loud = try XCTUnwrap(AudioEditStage.normalisation(for: Loudness(integrated: -8, truePeak: 0)))
        XCTAssertEqual(loud.gain, -6, accuracy: 1e-9)
        XCTAssertFalse(loud.limited)
        XCTAssertNil(AudioEditStage.normalisation(for: Loudness(integrated: -70, truePeak: -90)), "silence is left alone")
        XCTAssertNil(AudioEditStage.normalisation(for: nil))
        let chain = AudioEditStage.filterChain(LocalEdits(volumeDB: 6, loudnorm: true), target: stereo48k, fades: FadeTimes(LocalEdits(), end: nil),
                                               normalisation: peaky, startSeconds: 0)
        XCTAssertTrue(chain.contains("volume=10dB,alimiter=limit=0.794328:level=0"), chain)
        XCTAssertFalse(chain.contains("volume=6dB"), "the normalisation sets the level: a volume change before it would be undone")
    }

    // MARK: Picture kernels

    func testFadeKernelMovesSamplesTowardTheLevel() {
        var src: [UInt8] = [235, 16, 128, 0, 255, 100]
        var dst = [UInt8](repeating: 9, count: 6)
        tk_fade_plane8(&src, 6, &dst, 6, 6, 1, 16, 0)
        XCTAssertEqual(dst, [16, 16, 16, 16, 16, 16], "gain 0: the level")
        tk_fade_plane8(&src, 6, &dst, 6, 6, 1, 16, 32768)
        XCTAssertEqual(dst, src, "gain 1: unchanged")
        tk_fade_plane8(&src, 6, &dst, 6, 6, 1, 16, 16384)
        XCTAssertEqual(dst, [126, 16, 72, 8, 136, 58], "half way (rounded), below-black samples too")
        // In place, 16-bit: 10-bit black is 64.
        var deep: [UInt16] = [940, 64, 512, 1023]
        deep.withUnsafeMutableBytes { b in
            let p = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
            tk_fade_plane16(p, 8, p, 8, 4, 1, 64, 16384)
        }
        XCTAssertEqual(deep, [502, 64, 288, 544])
    }

    func testRemoveColourAndFadeOnFrames() throws {
        for (format, neutral, black) in [(PixelFormat.yuv420p, 128, 16), (.yuv444p10, 512, 64)] {
            let f = try Frame(width: 6, height: 4, format: format)
            for p in 0..<3 {
                let (data, ls) = f.plane(p)
                for i in 0..<(Int(ls) * 4) { data![i] = 200 }
            }
            PictureKernels.removeColour(f)
            PictureKernels.fade(f, into: f, gain: 0, fullRange: false)
            for p in 0..<3 {
                let (data, _) = f.plane(p)
                let v = format.bitDepth > 8 ? Int(UnsafeRawPointer(data!).load(as: UInt16.self)) : Int(data![0])
                XCTAssertEqual(v, p == 0 ? black : neutral, "\(format.name) plane \(p)")
            }
        }
        XCTAssertTrue(PictureKernels.canEdit(.yuv420p))
        XCTAssertFalse(PictureKernels.canEdit(PixelFormat(name: "nv12")!))
    }
}
