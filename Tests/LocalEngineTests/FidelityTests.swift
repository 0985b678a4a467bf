import XCTest
@testable import LocalEngine
import FFmpeg
import MediaProbe
import Planning

/// Fidelity of the tiktok plan, judged by independent tools: the ffmpeg/ffprobe CLIs (as
/// checkers only, never as the converter) and scripts/validate-tiktok (ffprobe + MediaInfo),
/// which checks the whole output contract including duration, A/V start/end and frame counts.
final class FidelityTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let media = root.appendingPathComponent("TestMedia")
    var tmp: URL!

    override func setUpWithError() throws {
        FFmpegLog.setQuiet(true)
        for tool in ["ffmpeg", "ffprobe", "mediainfo"] where Self.which(tool) == nil {
            throw XCTSkip("\(tool) is not installed (scripts/setup installs it)")
        }
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-fidelity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let tmp { try? FileManager.default.removeItem(at: tmp) }
    }

    // MARK: helpers

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs a tool; returns (status, stdout, stderr).
    @discardableResult
    func run(_ tool: String, _ args: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : (Self.which(tool) ?? tool))
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func convert(_ input: String, fit: FitMode = .blur, start: Double? = nil, duration: Double? = nil) throws -> (URL, ConversionResult) {
        let report = try Prober.probe(path: input)
        var o = TikTokOptions()
        o.fit = fit; o.preset = "ultrafast"; o.start = start; o.duration = duration
        let out = tmp.appendingPathComponent((input as NSString).lastPathComponent + ".tiktok.mp4")
        let r = try TikTokConverter(report: report, options: o, outputPath: out.path, overwrite: true).run()
        return (out, r)
    }

    /// The output contract + fidelity (duration, A/V alignment, frame count) by scripts/validate-tiktok.
    func assertValid(_ out: URL, source: String, start: Double? = nil, duration: Double? = nil,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        var args = [out.path, "--plan", "tiktok", "--source", source, "--json"]
        if let start { args += ["--start", String(start)] }
        if let duration { args += ["--duration", String(duration)] }
        let (status, stdout, stderr) = try run(Self.root.appendingPathComponent("scripts/validate-tiktok").path, args)
        XCTAssertEqual(status, 0, "contract: \(stdout) \(stderr)", file: file, line: line)
    }

    func path(_ name: String) -> String { Self.media.appendingPathComponent(name).path }

    /// ffmpeg's ssim filter "All" value between two videos, both cropped to `crop` (w:h:x:y),
    /// frames paired by index (timestamps of different muxers round differently).
    func ssim(_ a: URL, _ b: URL, crop: String) throws -> Double {
        let (_, _, err) = try run("ffmpeg", ["-nostdin", "-i", a.path, "-i", b.path, "-lavfi",
                                             "[0:v]setpts=N/(30*TB),crop=\(crop)[a];[1:v]setpts=N/(30*TB),crop=\(crop)[b];[a][b]ssim", "-f", "null", "-"])
        guard let r = err.range(of: "All:") else { XCTFail("no SSIM in: \(err.suffix(300))"); return 0 }
        return Double(err[r.upperBound...].prefix { $0 == "." || $0.isNumber }) ?? 0
    }

    /// Mean volume (dB) of a band of an audio file's channel, by ffmpeg's volumedetect.
    func bandVolume(_ file: URL, channel: String, frequency: Int) throws -> Double {
        let (_, _, err) = try run("ffmpeg", ["-nostdin", "-i", file.path, "-af",
                                             "pan=mono|c0=\(channel),bandpass=f=\(frequency):width_type=h:w=40,volumedetect", "-f", "null", "-"])
        guard let r = err.range(of: "mean_volume: ") else { return -200 }
        return Double(err[r.upperBound...].prefix { $0 == "-" || $0 == "." || $0.isNumber }) ?? -200
    }

    // MARK: HDR

    func testHDRToneMappingMatchesReferenceChain() throws {
        for kind in ["hlg", "pq"] {
            let src = path("hdr_\(kind).mp4")
            let (out, result) = try convert(src, fit: .pad)
            XCTAssertTrue(result.notes.contains { $0.contains("tone-mapped") }, "\(result.notes)")
            try assertValid(out, source: src)
            // The reference: FFmpeg's zscale + tonemap at the source's size, then the same pad geometry
            // (640x360 → 1080x608 at y 656), as a user would chain them.
            // agamma=0: zimg's exact transfer functions. Its approximate ones have an AVX-512 bug in
            // zimg ≤ 3.0.5 (Debian 12 ships 3.0.4; fixed upstream by clipping negative inputs, zimg
            // bug tracker, number 227) that shifts colours on CPUs with AVX-512: HLG then scored 0.80 against a
            // reference that was itself wrong (luma down to 0 in a limited-range picture).
            let ref = tmp.appendingPathComponent("ref_\(kind).mp4")
            let chain = "zscale=t=linear:npl=100:agamma=0,format=gbrpf32le,zscale=p=bt709:agamma=0,tonemap=hable,"
                + "zscale=t=bt709:m=bt709:r=tv:agamma=0,format=yuv420p,scale=1080:608:flags=bicubic,pad=1080:1920:0:656"
            let (status, _, err) = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", src, "-vf", chain,
                                                      "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-an", ref.path])
            XCTAssertEqual(status, 0, "the reference chain needs ffmpeg with zscale and tonemap (Debian's has both): \(err)")
            guard status == 0 else { return }
            let picture = try ssim(out, ref, crop: "1080:608:0:656")
            print("SSIM \(kind) vs reference (picture area): \(picture)")
            XCTAssertGreaterThanOrEqual(picture, 0.98, "\(kind): SSIM \(picture) against the zscale/tonemap=hable reference")
        }
    }

    func testHDRPhoneClipBlurAndRotation() throws {
        // A phone-style HLG clip (display matrix: turn 90°) through the default blur fit: the
        // rotated foreground and the blurred background both take the tone-mapping path.
        let src = tmp.appendingPathComponent("hlg_rot90.mp4")
        let (status, _, err) = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", path("hdr_hlg.mp4"), "-c", "copy",
                                                  "-metadata:s:v", "rotate=90", src.path])
        XCTAssertEqual(status, 0, err)
        let (out, result) = try convert(src.path)
        XCTAssertTrue(result.notes.contains { $0.contains("tone-mapped") }, "\(result.notes)")
        try assertValid(out, source: src.path)
        // Not washed out: the tone-mapped picture keeps contrast (luma spread) like the SDR reference does.
        let (_, stats, _) = try run("ffmpeg", ["-nostdin", "-i", out.path, "-vf", "select=eq(n\\,30),signalstats,metadata=print:file=-",
                                               "-frames:v", "1", "-f", "null", "-"])
        func value(_ key: String) -> Double {
            guard let r = stats.range(of: "signalstats.\(key)=") else { return -1 }
            return Double(stats[r.upperBound...].prefix { $0 == "." || $0.isNumber }) ?? -1
        }
        XCTAssertGreaterThan(value("YHIGH") - value("YLOW"), 100, "luma spread \(value("YLOW"))…\(value("YHIGH"))")
    }

    func testSDRSourceSkipsToneMapping() throws {
        let src = path("h264_aac_16x9.mp4")
        let (out, result) = try convert(src, duration: 1)
        XCTAssertFalse(result.notes.contains { $0.contains("HDR") || $0.contains("tone") }, "\(result.notes)")
        try assertValid(out, source: src, duration: 1)
    }

    // MARK: Timing

    func testTrimKeepsDurationAndSync() throws {
        let src = path("h264_aac_16x9.mp4")
        let (out, result) = try convert(src, start: 0.5, duration: 1.0)
        XCTAssertEqual(result.videoFrames, 30)
        try assertValid(out, source: src, start: 0.5, duration: 1.0)
    }

    func testNoDroppedOrDuplicatedFramesAtSameRate() throws {
        // 30 fps in, 30 fps out: every source frame appears exactly once.
        let src = path("h264_aac_16x9.mp4")
        let (out, result) = try convert(src)
        XCTAssertEqual(result.videoFrames, 60)
        try assertValid(out, source: src)
        // Frame-exact: the output's per-frame luma differences follow the source's (no repeats).
        let (_, o, _) = try run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                            "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", out.path])
        XCTAssertEqual(o.trimmingCharacters(in: .whitespacesAndNewlines), "60")
    }

    func testVariableRateSourceFillsTheClock() throws {
        // vfr.mp4 has fewer frames than 2 s x 30: the gaps are filled by repeats, exactly as many
        // as the rate change requires (output = duration x 30).
        let src = path("vfr.mp4")
        let (out, result) = try convert(src)
        let (_, o, _) = try run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                            "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", src])
        let sourceFrames = Int(o.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertEqual(result.videoFrames, 60)
        print("vfr.mp4: \(sourceFrames) source frames → \(result.videoFrames) output frames (\(result.videoFrames - sourceFrames) repeats for CFR)")
        try assertValid(out, source: src)
    }

    // MARK: Picture

    func testInterlacedSourceIsDeinterlaced() throws {
        let src = path("interlaced_tff.mkv")
        let (out, result) = try convert(src, fit: .pad)
        XCTAssertTrue(result.notes.contains { $0.contains("deinterlaced") }, "\(result.notes)")
        try assertValid(out, source: src)
        // idet on the output: frames classified interlaced must be (nearly) none.
        let (_, _, err) = try run("ffmpeg", ["-nostdin", "-i", out.path, "-vf", "idet", "-an", "-f", "null", "-"])
        guard let line = err.split(separator: "\n").last(where: { $0.contains("Multi frame detection") }) else {
            return XCTFail("no idet summary")
        }
        func count(_ key: String) -> Int {
            guard let r = line.range(of: key + ":") else { return 0 }
            return Int(line[r.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }) ?? 0
        }
        XCTAssertLessThanOrEqual(count("TFF") + count("BFF"), count("Progressive") / 10, "combing left: \(line)")
    }

    func testNonSquarePixelsShowAtDisplayShape() throws {
        // 480x360 stored with SAR 4:3 displays as 640x360: in pad mode the picture is 1080x608
        // (square-pixel reading would give 1080x810).
        let src = path("anamorphic_sar.mp4")
        let (out, _) = try convert(src, fit: .pad)
        try assertValid(out, source: src)
        let (_, _, err) = try run("ffmpeg", ["-nostdin", "-i", out.path, "-vf", "cropdetect=limit=24:round=2:reset=0", "-frames:v", "10", "-f", "null", "-"])
        guard let r = err.range(of: "crop=", options: .backwards) else { return XCTFail("no cropdetect output") }
        let parts = err[r.upperBound...].prefix { $0 != "\n" && $0 != " " }.split(separator: ":").compactMap { Int($0) }
        XCTAssertEqual(parts.count, 4)
        XCTAssertEqual(parts[0], 1080, accuracy: 4)
        XCTAssertEqual(parts[1], 608, accuracy: 6, "picture height \(parts[1]); 608 means the 4:3 pixels were honoured")
    }

    // MARK: Sound

    func testSurroundDownmixKeepsCentre() throws {
        // surround51.mkv: FL 300, FR 400, FC 500, LFE 100, BL 600, BR 700 Hz.
        let src = path("surround51.mkv")
        let (out, _) = try convert(src, duration: 1)
        try assertValid(out, source: src, duration: 1)
        for ch in ["c0", "c1"] {
            let centre = try bandVolume(out, channel: ch, frequency: 500)
            let absent = try bandVolume(out, channel: ch, frequency: 1500)
            XCTAssertGreaterThan(centre, -40, "centre channel (500 Hz) must be audible in \(ch): \(centre) dB")
            XCTAssertGreaterThan(centre - absent, 20, "\(ch): centre \(centre) dB vs empty band \(absent) dB")
        }
        XCTAssertGreaterThan(try bandVolume(out, channel: "c0", frequency: 300), -40, "front left reaches the left channel")
    }

    func testEightBitPCMAt11024HzResamplesCleanly() throws {
        // 1 s of 640x360 video + a 440 Hz tone as unsigned 8-bit PCM at 11024 Hz, in AVI.
        let src = tmp.appendingPathComponent("pcm_u8_11024.avi")
        let (status, _, err) = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25:d=1",
                                                  "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=11024:duration=1",
                                                  "-c:v", "mpeg4", "-q:v", "5", "-c:a", "pcm_u8", "-ar", "11024", src.path])
        XCTAssertEqual(status, 0, err)
        let (out, _) = try convert(src.path)
        try assertValid(out, source: src.path)
        let tone = try bandVolume(out, channel: "c0", frequency: 440)
        // Resampling artefacts (imaging above the old 5512 Hz Nyquist) must stay far below the tone.
        let (_, _, hf) = try run("ffmpeg", ["-nostdin", "-i", out.path, "-af", "pan=mono|c0=c0,highpass=f=6000,highpass=f=6000,volumedetect", "-f", "null", "-"])
        let high = hf.range(of: "mean_volume: ").flatMap { Double(hf[$0.upperBound...].prefix { $0 == "-" || $0 == "." || $0.isNumber }) } ?? -200
        XCTAssertGreaterThan(tone, -30, "the 440 Hz tone survives: \(tone) dB")
        XCTAssertLessThan(high, tone - 40, "content above 6 kHz \(high) dB vs tone \(tone) dB")
    }

    // MARK: Level

    /// The x264 settings line the encoder writes into the stream (an SEI message), e.g.
    /// "... vbv_maxrate=25000 vbv_bufsize=31250 ...", as key → value.
    func x264Settings(_ url: URL) throws -> [String: String] {
        let data = try Data(contentsOf: url)
        guard let start = data.range(of: Data("x264 - core".utf8)) else { XCTFail("no x264 settings SEI"); return [:] }
        let text = String(decoding: data[start.lowerBound...].prefix { $0 != 0 }, as: UTF8.self)
        var settings: [String: String] = [:]
        for word in text.split(separator: " ") {
            let kv = word.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { settings[String(kv[0])] = String(kv[1]) }
        }
        return settings
    }

    /// The level the stream declares is kept for bit rate too: the encoder's VBV is the level's
    /// High-profile maximum (4.0: 25 Mb/s, 31.25 Mbit buffer; 4.2: 62.5 Mb/s, 78.125 Mbit).
    func testDeclaredLevelCarriesItsRateLimits() throws {
        let src60 = tmp.appendingPathComponent("testsrc_60fps.mp4")
        let (status, _, err) = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=60:d=1",
                                                  "-c:v", "libx264", "-preset", "ultrafast", src60.path])
        XCTAssertEqual(status, 0, err)
        for (input, fps, level, maxrate, bufsize) in [(path("h264_aac_16x9.mp4"), "30/1", "40", "25000", "31250"),
                                                      (src60.path, "60/1", "42", "62500", "78125")] {
            let (out, _) = try convert(input, fit: .pad)
            let (_, probed, _) = try run("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=level,r_frame_rate",
                                                     "-of", "default=nw=1", out.path])
            XCTAssertTrue(probed.contains("level=\(level)"), "\(input): \(probed)")
            XCTAssertTrue(probed.contains("r_frame_rate=\(fps)"), "\(input): \(probed)")
            let x264 = try x264Settings(out)
            XCTAssertEqual(x264["vbv_maxrate"], maxrate, input)
            XCTAssertEqual(x264["vbv_bufsize"], bufsize, input)
        }
    }

    func testLevelFollowsTheMacroblockRate() {
        XCTAssertEqual(H264Level.forTikTok(fps: 30).idc, 40)
        XCTAssertEqual(H264Level.forTikTok(fps: 30000.0 / 1001).idc, 40)
        XCTAssertEqual(H264Level.forTikTok(fps: 30.2).idc, 42, "8160 MBs × 30.2 > 245,760 MB/s")
        XCTAssertEqual(H264Level.forTikTok(fps: 60).name, "4.2")
        XCTAssertEqual(H264Level.forTikTok(fps: 25).maxBitRate, 25_000_000)
        XCTAssertEqual(H264Level.forTikTok(fps: 50).maxBufferSize, 78_125_000)
    }

    // MARK: Photos

    func testExifOrientationIsHonouredWhenProbed() throws {
        let r = try Prober.probe(path: path("photo_exif_rot6.jpg"))
        XCTAssertEqual(r.kind, .image)
        XCTAssertEqual(r.exifOrientation, 6)
        // Stored 640x480, shown turned 90° clockwise: upright it is 480x640.
        XCTAssertEqual(r.primaryVideo?.rotation ?? r.streams.first?.rotation, 90)
        let shown = r.streams.first { $0.type == .video }?.displaySize
        XCTAssertEqual(shown?.width, 480)
        XCTAssertEqual(shown?.height, 640)
    }
}
