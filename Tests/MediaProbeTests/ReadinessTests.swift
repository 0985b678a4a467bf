import Foundation
import XCTest
@testable import MediaProbe

/// The readiness check's parts on synthetic figures, and every condition failing on a real
/// TestMedia file that breaks it. (Generated 1080x1920 clips, conforming and each breaking one
/// condition, are checked and converted in LocalEngineTests/PassthroughTests.)
final class ReadinessTests: ProbeTestCase {
    // MARK: rate check (the level's VBV)

    /// 30 fps, every picture `bits` big.
    func scan(bits: [Int], fps: Double = 30) -> PacketScan {
        var s = PacketScan()
        s.decodeTimes = bits.indices.map { Double($0) / fps }
        s.sizes = bits
        return s
    }

    func testAStreamAtTheLevelsRateNeverRunsDry() {
        // 25 Mb/s exactly, level 4.0 High: each 1/30 s picture refills what it takes.
        let s = scan(bits: Array(repeating: 25_000_000 / 30, count: 600))
        XCTAssertNil(s.bufferRunsDry(rate: 25_000_000, buffer: 31_250_000))
        XCTAssertEqual(s.peakBitRate, 25_000_000, accuracy: 25_000_000 / 30 + 1)
    }

    func testABurstWithinTheBufferIsAllowed() {
        // One 20 Mbit picture (less than 90% of 31.25 Mbit), then quiet: a peak rate over one
        // second near 20 Mb/s is not what faults a stream; the buffer is.
        let s = scan(bits: [20_000_000] + Array(repeating: 100_000, count: 60))
        XCTAssertNil(s.bufferRunsDry(rate: 25_000_000, buffer: 31_250_000))
    }

    func testTheBufferRunsDryWhenTheRateStaysAbove() {
        // 40 Mb/s against a 25 Mb/s level: 28.125 Mbit start + 25 Mb/s × t < 40 Mb/s × t after ~1.9 s.
        let s = scan(bits: Array(repeating: 40_000_000 / 30, count: 150))
        let dry = s.bufferRunsDry(rate: 25_000_000, buffer: 31_250_000)
        XCTAssertEqual(try XCTUnwrap(dry), 1.9, accuracy: 0.1)
        XCTAssertEqual(s.peakBitRate, 40_000_000, accuracy: 40_000_000 / 30 + 1)
    }

    func testAHugeFirstPictureRunsItDryAtOnce() {
        let s = scan(bits: [30_000_000, 1_000])
        XCTAssertEqual(s.bufferRunsDry(rate: 25_000_000, buffer: 31_250_000), 0)
    }

    // MARK: keyframe spacing

    func testKeyframeGapsCountTheTail() {
        var s = PacketScan()
        s.start = 0; s.end = 5
        s.keyframeTimes = [0, 2, 4]
        XCTAssertEqual(s.longestKeyframeGap, 2)
        s.keyframeTimes = [0]
        XCTAssertEqual(s.longestKeyframeGap, 5, "one keyframe in a 5 s clip: 5 s without a seek point")
        s.keyframeTimes = [0.5, 2.5]
        s.end = 3
        XCTAssertEqual(s.longestKeyframeGap, 2, accuracy: 1e-9)
    }

    // MARK: top-level boxes

    func box(_ type: String, _ payload: Int) -> [UInt8] {
        let size = UInt32(8 + payload)
        return withUnsafeBytes(of: size.bigEndian, Array.init) + Array(type.utf8) + [UInt8](repeating: 0, count: payload)
    }

    func write(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "tikconv-boxes-\(UUID().uuidString).mp4"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testBoxOrder() throws {
        let first = try write(box("ftyp", 16) + box("moov", 100) + box("mdat", 1000))
        XCTAssertEqual(TopLevelBoxes.order(path: first), ["ftyp", "moov", "mdat"])
        XCTAssertTrue(TopLevelBoxes.indexFirst(["ftyp", "moov", "mdat"]))
        let last = try write(box("ftyp", 16) + box("free", 8) + box("mdat", 1000) + box("moov", 100))
        XCTAssertEqual(TopLevelBoxes.order(path: last), ["ftyp", "free", "mdat", "moov"])
        XCTAssertFalse(TopLevelBoxes.indexFirst(["ftyp", "free", "mdat", "moov"]))
        XCTAssertFalse(TopLevelBoxes.indexFirst(["ftyp", "mdat"]), "no index at all")
    }

    func testLargeSizeBoxesAreFollowed() throws {
        // size 1: the real size is the 64-bit field after the type.
        let large: [UInt8] = [0, 0, 0, 1] + Array("mdat".utf8) + withUnsafeBytes(of: UInt64(16 + 40).bigEndian, Array.init)
            + [UInt8](repeating: 0, count: 40)
        let path = try write(box("ftyp", 16) + large + box("moov", 20))
        XCTAssertEqual(TopLevelBoxes.order(path: path), ["ftyp", "mdat", "moov"])
    }

    func testADamagedBoxSizeStopsTheWalk() throws {
        let path = try write(box("ftyp", 16) + [0, 0, 0, 3] + Array("mdat".utf8))
        XCTAssertEqual(TopLevelBoxes.order(path: path), ["ftyp", "mdat"])
    }

    // MARK: levels

    func testLevelTable() throws {
        let high40 = try XCTUnwrap(H264Level(idc: 40))
        XCTAssertEqual(high40.maxBitRate, 25_000_000)
        XCTAssertEqual(high40.maxBufferSize, 31_250_000)
        XCTAssertEqual(H264Level(idc: 40, profile: "Main")?.maxBitRate, 20_000_000, "Table A-1 itself for Main")
        XCTAssertEqual(H264Level(idc: 42)?.maxBitRate, 62_500_000)
        XCTAssertTrue(high40.carriesTikTokFrames(fps: 30))
        XCTAssertFalse(high40.carriesTikTokFrames(fps: 60), "8160 MBs × 60 > 245,760 MB/s")
        XCTAssertTrue(try XCTUnwrap(H264Level(idc: 42)).carriesTikTokFrames(fps: 60))
        XCTAssertFalse(try XCTUnwrap(H264Level(idc: 32)).carriesTikTokFrames(fps: 24), "MaxFS 5120 < 8160")
        XCTAssertNil(H264Level(idc: 43))
        XCTAssertEqual(H264Level.forTikTok(fps: 30), high40)
    }

    // MARK: each condition, failing on a real file

    func failed(_ name: String) throws -> [ReadinessCondition.Name: ReadinessCondition] {
        let r = try TikTokReadiness.check(try probe(name))
        XCTAssertEqual(r.conditions.count, ReadinessCondition.Name.allCases.count, name)
        return Dictionary(uniqueKeysWithValues: r.failed.map { ($0.name, $0) })
    }

    func testSmallLandscapeClip() throws {
        let f = try failed("h264_aac_16x9.mp4")
        XCTAssertEqual(f[.size]?.found, "640x360")
        XCTAssertEqual(f[.level]?.found, "3.0 (too low for 1080x1920 at 30 fps)")
        XCTAssertEqual(f[.index]?.found, "moov after mdat")
        XCTAssertEqual(f[.index]?.fix, .remux)
        XCTAssertEqual(f[.duration]?.fix, ReadinessCondition.Fix.none, "2 s: shorter than TikTok takes")
        XCTAssertNil(f[.codec], "x264 High"); XCTAssertNil(f[.audio]); XCTAssertNil(f[.keyframes]); XCTAssertNil(f[.container])
        XCTAssertNil(f[.bitrate], "small clip, far below level 3.0's VBV")
    }

    func testEachVideoConditionFailsOnTheFileThatBreaksIt() throws {
        XCTAssertEqual(try failed("portrait_rot90.mp4")[.rotation]?.found, "turn 90° to show")
        XCTAssertEqual(try failed("anamorphic_sar.mp4")[.pixelAspect]?.found, "4:3")
        XCTAssertEqual(try failed("h264_10bit.mp4")[.codec]?.found, "H.264 High 10")
        XCTAssertEqual(try failed("h264_10bit.mp4")[.pixelFormat]?.found, "yuv420p10le")
        XCTAssertEqual(try failed("yuv422_h264.mkv")[.pixelFormat]?.found, "yuv422p")
        XCTAssertEqual(try failed("interlaced_tff.mkv")[.pixelFormat]?.found, "yuv420p, interlaced (tt)")
        XCTAssertEqual(try failed("vfr.mp4")[.frameRate]?.found, "variable (average 21.905 fps)")
        let hdr = try failed("hdr_hlg.mp4")
        XCTAssertEqual(hdr[.colour]?.found, "HDR (HLG)")
        XCTAssertEqual(hdr[.codec]?.found, "HEVC Main 10")
        XCTAssertEqual(hdr[.level]?.found, "not H.264")
    }

    func testAudioAndContainerConditions() throws {
        let mono = try failed("mono_44k.mp4")[.audio]
        XCTAssertEqual(mono?.found, "AAC-LC 44.1 kHz mono")
        XCTAssertEqual(mono?.fix, .audio)
        XCTAssertEqual(try failed("h264_ac3.mkv")[.audio]?.found, "AC-3 48 kHz stereo")
        XCTAssertEqual(try failed("surround51.mkv")[.audio]?.found, "AAC-LC 48 kHz 6 channels")
        let mov = try failed("h264_aac.mov")[.container]
        XCTAssertEqual(mov?.found, "MOV")
        XCTAssertEqual(mov?.fix, .remux, "MOV's streams copy into MP4")
        let mkv = try failed("h264_ac3.mkv")
        XCTAssertEqual(mkv[.container]?.fix, .video, "MKV is encoded, not copied")
        XCTAssertEqual(mkv[.index]?.found, "not an MP4 file")
        let silent = try TikTokReadiness.check(try probe("noaudio.mp4"))
        XCTAssertEqual(silent.condition(.audio)?.passed, true, "no audio is allowed")
        XCTAssertFalse(silent.hasAudio)
    }

    func testAPhotoIsNotAVideo() throws {
        let r = try TikTokReadiness.check(try probe("photo.jpg"))
        XCTAssertFalse(r.ready)
        XCTAssertFalse(r.videoCopyable, "nothing to copy")
        XCTAssertEqual(r.conditions.map(\.name), [.codec])
        XCTAssertEqual(r.conditions.first?.found, "no video: image")
    }

    func testEveryLineIsOneLine() throws {
        for name in ["h264_aac_16x9.mp4", "hdr_pq.mp4", "h264_ac3.mkv", "vfr.mp4"] {
            for c in try TikTokReadiness.check(try probe(name)).conditions {
                for text in [c.found, c.required, c.remedy] {
                    XCTAssertFalse(text.isEmpty || text.contains("\n"), "\(name) \(c.name): “\(text)”")
                }
            }
        }
    }
}
