import FFmpeg
import Foundation
import XCTest
@testable import LocalEngine
import MediaProbe
import Planning

/// 1080x1920 clips made by the ffmpeg CLI (an encoder independent of tikconv's code), made once
/// per test run: one that meets the tiktok contract, and one breaking each condition.
enum ReadyClips {
    static let dir: URL = {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-ready-clips-\(getpid())")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }()
    private static let lock = NSLock()

    /// testsrc2 at 1080x1920 30 fps for `seconds`, H.264 (x264 ultrafast, High through 8x8dct,
    /// level 4.0, a keyframe every 2 s, BT.709 tags) and AAC-LC 48 kHz stereo, index first —
    /// with `video`/`x264`/`filter` changing one thing.
    static func encoded(_ name: String, seconds: Double = 2.5, video: [String] = [], x264: String = "",
                        filter: String? = nil) throws -> String {
        try make(name) { out in
            ["-f", "lavfi", "-i", "testsrc2=size=1080x1920:rate=30:duration=\(seconds)",
             "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)"]
                + (filter.map { ["-vf", $0] } ?? [])
                + ["-c:v", "libx264", "-preset", "ultrafast", "-x264-params", "8x8dct=1" + x264, "-level", "4.0", "-g", "60",
                   "-pix_fmt", "yuv420p", "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]
                + video + ["-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart", out]
        }
    }

    /// A copy of the conforming clip with `args` applied (stream copy unless they say otherwise).
    static func derived(_ name: String, _ args: [String]) throws -> String {
        let ready = try self.ready()
        return try make(name) { out in ["-i", ready] + args + ["-movflags", "+faststart", out] }
    }

    static func ready() throws -> String { try encoded("ready.mp4") }

    /// MD5 of every decoded frame of the first video ("v") or audio ("a") stream, by the ffmpeg
    /// CLI: bit-exact frames read by another tool, and fast (1080x1920 frames hashed in Swift
    /// take seconds each in a debug build).
    static func frameMD5s(_ path: String, stream: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-v", "error", "-i", path, "-map", "0:\(stream):0", "-f", "framemd5", "-"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let hashes = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: ",").last.map(String.init) }
        guard p.terminationStatus == 0, !hashes.isEmpty else { throw NSError(domain: "ffmpeg framemd5", code: Int(p.terminationStatus)) }
        return hashes
    }

    private static func make(_ name: String, _ arguments: (String) -> [String]) throws -> String {
        lock.lock(); defer { lock.unlock() }
        let out = dir.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: out) { return out }
        let tmp = dir.appendingPathComponent("part-" + name).path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-v", "error", "-y"] + arguments(tmp)
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw NSError(domain: "ffmpeg", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: message]) }
        try FileManager.default.moveItem(atPath: tmp, toPath: out)
        return out
    }
}

/// The tiktok plan copies a TikTok-ready input instead of encoding it: bit-exact
/// frames when it copies, an encode for every single broken condition, only the audio
/// re-encoded when only the audio misses — and tikconv's own output passes the check.
final class PassthroughTests: XCTestCase {
    override class func setUp() { FFmpegLog.setQuiet(true) }
    override class func tearDown() { try? FileManager.default.removeItem(at: ReadyClips.dir) }

    /// Readiness → decision → conversion, as the CLI runs them.
    func convert(_ path: String, _ configure: (inout TikTokOptions, inout PassthroughFlags) -> Void = { _, _ in })
        throws -> (ReadinessReport, PassthroughDecision, ConversionResult, String) {
        var options = TikTokOptions(), flags = PassthroughFlags()
        options.preset = "ultrafast"
        configure(&options, &flags)
        let report = try Prober.probe(path: path)
        let readiness = try TikTokReadiness.check(report)
        let decision = Passthrough.decide(readiness, plan: Plan(route: .local, localPlan: .tiktok), flags: flags)
        options.mode = decision.mode
        let out = try scratchFolder().appendingPathComponent("out.mp4").path
        let result = try TikTokConverter(report: report, options: options, outputPath: out, overwrite: false).run()
        return (readiness, decision, result, out)
    }

    /// Names of the failing conditions, leaving out the clip's length (the test clips are
    /// shorter than TikTok's 3 s; no conversion changes that).
    func failing(_ r: ReadinessReport) -> Set<ReadinessCondition.Name> {
        Set(r.failed.map(\.name)).subtracting([.duration])
    }

    func action(_ result: ConversionResult, _ type: StreamType) -> StreamOutcome.Action? {
        result.streams.first { $0.type == type }?.action
    }

    func testAConformingClipIsCopiedBitForBit() throws {
        let src = try ReadyClips.ready()
        let (readiness, decision, result, out) = try convert(src)
        XCTAssertEqual(failing(readiness), [], "\(readiness.failed)")
        XCTAssertEqual(decision.mode, .copy)
        XCTAssertEqual(action(result, .video), .copied)
        XCTAssertEqual(action(result, .audio), .copied)
        XCTAssertEqual(try ReadyClips.frameMD5s(out, stream: "v"), try ReadyClips.frameMD5s(src, stream: "v"))
        XCTAssertEqual(try ReadyClips.frameMD5s(out, stream: "a"), try ReadyClips.frameMD5s(src, stream: "a"))
        let i = try OutputInspector.read(out)
        XCTAssertTrue(i.moovBeforeMdat)
        XCTAssertEqual(i.streamCount, 2)
        XCTAssertEqual(i.video?.ptsSeconds.first ?? -1, 0, accuracy: 0.001)
        XCTAssertEqual(i.video?.ptsSeconds.count, 75)
        XCTAssertEqual(failing(try TikTokReadiness.check(try Prober.probe(path: out))), [], "the copy is as ready as its source")
    }

    /// Each clip breaks one condition of the contract (two where one implies the other: High
    /// 4:2:2 and High 10 are other profiles *and* other pixel formats). Each is encoded, and
    /// the encode meets every condition.
    func testEachSingleViolationIsEncoded() throws {
        let cases: [(String, () throws -> String, Set<ReadinessCondition.Name>)] = [
            ("GOP 5 s", { try ReadyClips.encoded("gop5.mp4", video: ["-g", "150"], x264: ":scenecut=0") }, [.keyframes]),
            ("4:2:2", { try ReadyClips.encoded("yuv422.mp4", video: ["-pix_fmt", "yuv422p"]) }, [.codec, .pixelFormat]),
            ("25 Mb/s at level 4.0", { try ReadyClips.encoded("25mbps.mp4", seconds: 1.5, video: ["-b:v", "25M"],
                                                              filter: "noise=alls=40:allf=t") }, [.bitrate]),
            ("rotation flag", { try ReadyClips.derived("rotated.mp4", ["-c", "copy", "-metadata:s:v:0", "rotate=90"]) }, [.rotation]),
            ("VFR", { try ReadyClips.encoded("vfr.mp4", video: ["-g", "30", "-fps_mode", "vfr"],
                                             filter: "select='not(between(n\\,20\\,35))'") }, [.frameRate]),
            ("High 10", { try ReadyClips.encoded("high10.mp4", video: ["-pix_fmt", "yuv420p10le"]) }, [.codec, .pixelFormat]),
        ]
        for (label, make, broken) in cases {
            let src = try make()
            let (readiness, decision, result, out) = try convert(src)
            XCTAssertEqual(failing(readiness), broken, "\(label): \(readiness.failed.map { "\($0.name) \($0.found)" })")
            XCTAssertEqual(decision.mode, .encode, label)
            XCTAssertEqual(action(result, .video), .reencoded, label)
            XCTAssertEqual(failing(try TikTokReadiness.check(try Prober.probe(path: out))), [], "\(label): the encode meets the contract")
        }
    }

    /// The GOP clip's keyframe x264 was told to place every 5 s: the clip has one, at 0.
    func testGOPClipReallyHasOneKeyframe() throws {
        let i = try OutputInspector.read(try ReadyClips.encoded("gop5.mp4", video: ["-g", "150"], x264: ":scenecut=0"))
        XCTAssertEqual(i.video?.keyframeSeconds, [0])
    }

    func testOnlyTheAudioFailingReencodesOnlyTheAudio() throws {
        let src = try ReadyClips.derived("mono44k.mp4", ["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=2.5",
                                                         "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-ac", "1"])
        let (readiness, decision, result, out) = try convert(src)
        XCTAssertEqual(failing(readiness), [.audio])
        XCTAssertEqual(decision.mode, .copyVideo)
        XCTAssertEqual(action(result, .video), .copied)
        XCTAssertEqual(action(result, .audio), .reencoded)
        XCTAssertEqual(try ReadyClips.frameMD5s(out, stream: "v"), try ReadyClips.frameMD5s(src, stream: "v"))
        let i = try OutputInspector.read(out)
        let a = try XCTUnwrap(i.audio), v = try XCTUnwrap(i.video)
        XCTAssertEqual(a.codec, "aac"); XCTAssertEqual(a.profile, 1, "LC")
        XCTAssertEqual(a.sampleRate, 48_000); XCTAssertEqual(a.channels, 2)
        XCTAssertEqual(a.startSeconds, 0, accuracy: 1.0 / 30)
        XCTAssertEqual(a.endSeconds, v.endSeconds, accuracy: 1.0 / 30, "the audio ends with the picture")
        XCTAssertEqual(failing(try TikTokReadiness.check(try Prober.probe(path: out))), [])
    }

    func testSilentAudioIsAddedToACopiedVideo() throws {
        let src = try ReadyClips.derived("noaudio.mp4", ["-an", "-c", "copy"])
        let (_, decision, result, out) = try convert(src) { o, f in o.silentAudio = true; f.silentAudio = true }
        XCTAssertEqual(decision.mode, .copyVideo)
        XCTAssertEqual(action(result, .video), .copied)
        let i = try OutputInspector.read(out)
        XCTAssertEqual(i.audio?.sampleRate, 48_000)
        XCTAssertEqual(try XCTUnwrap(i.audio).endSeconds, try XCTUnwrap(i.video).endSeconds, accuracy: 1.0 / 30)
        XCTAssertEqual(try ReadyClips.frameMD5s(out, stream: "v"), try ReadyClips.frameMD5s(src, stream: "v"))
    }

    func testReencodeForcesAnEncode() throws {
        let src = try ReadyClips.ready()
        let (_, decision, result, out) = try convert(src) { _, f in f.reencode = true }
        XCTAssertEqual(decision.mode, .encode)
        XCTAssertEqual(action(result, .video), .reencoded)
        XCTAssertNotEqual(try ReadyClips.frameMD5s(out, stream: "v"), try ReadyClips.frameMD5s(src, stream: "v"))
    }

    /// tikconv's own tiktok output meets every condition of the check (but the test clips'
    /// length): the contract and the check agree.
    func testTikTokOutputIsItselfReady() throws {
        for name in ["h264_aac_16x9.mp4", "vfr.mp4", "portrait_rot90.mp4"] {
            let (readiness, decision, _, out) = try convert(media(name))
            XCTAssertEqual(decision.mode, .encode, name)
            XCTAssertFalse(readiness.videoCopyable, name)
            let after = try TikTokReadiness.check(try Prober.probe(path: out))
            XCTAssertEqual(failing(after), [], "\(name): \(after.failed.map { "\($0.name) \($0.found)" })")
        }
    }
}
