import Foundation
import TestSupport
import XCTest

/// Captions and titles burned into real footage, read back by independent tools: tesseract
/// reads the text from frames ffmpeg extracts at each cue's time, and a frame-by-frame
/// difference with the same conversion without captions measures where the text lies.
final class CaptionsEndToEndTests: EndToEndTestCase {
    /// A real clip nobody on the team made (scripts/caption-media fetches it from Debian).
    func realClip() throws -> String {
        let path = try tool(Self.repoRoot.path + "/scripts/caption-media", []).trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("scripts/caption-media did not provide the clip (\(path))")
            throw XCTSkip("no clip")
        }
        return path
    }

    /// SubRip as an editor on Windows writes it: UTF-8 with a BOM, CRLF line ends.
    static let talk = "\u{FEFF}1\r\n00:00:01,000 --> 00:00:02,500\r\nHELLO WORLD\r\n\r\n2\r\n00:00:03,500 --> 00:00:06,000\r\n"
        + "This caption is much longer than one line so it must wrap onto two lines\r\n\r\n3\r\n"
        + "00:00:06,500 --> 00:00:08,000\r\n<i>Goodbye</i> friends\r\n"

    func writeText(_ text: String, as name: String) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func convert(_ input: String, _ extra: [String], name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let out = outDir + "/" + name
        let r = try tikconv([input, "-o", out, "-y", "--preset", "ultrafast", "--progress", "none"] + extra, timeout: 240, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return out
    }

    /// The frame at `t` seconds as 8-bit luma, 1080x1920.
    func luma(_ video: String, at t: Double) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-v", "error", "-ss", String(t), "-i", video, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(data.count, 1080 * 1920, "frame at \(t) s of \(video)")
        return [UInt8](data)
    }

    /// Where two frames differ by more than encoding noise: the text's bounding box, or nil.
    func inkBox(_ a: [UInt8], _ b: [UInt8]) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        guard a.count == b.count, a.count == 1080 * 1920 else { return nil }
        var box: (Int, Int, Int, Int)?
        var count = 0
        for i in 0..<a.count where abs(Int(a[i]) - Int(b[i])) > 60 {
            let x = i % 1080, y = i / 1080
            count += 1
            box = box.map { (min($0.0, x), min($0.1, y), max($0.2, x), max($0.3, y)) } ?? (x, y, x, y)
        }
        // A few stray pixels are the encoder's, not text.
        return count < 40 ? nil : box.map { (minX: $0.0, minY: $0.1, maxX: $0.2, maxY: $0.3) }
    }

    /// tesseract's reading of a band of the frame at `t` (inverted: dark text on light reads best).
    func ocr(_ video: String, at t: Double, top: Int = 1150, height: Int = 520, language: String = "eng", half: Bool = false) throws -> String {
        let png = dir + "/ocr-\(t)-\(top)-\(half).png"
        try ffmpeg(["-ss", String(t), "-i", video, "-frames:v", "1", "-vf", "crop=1080:\(height):0:\(top),format=gray,negate" + (half ? ",scale=540:-2" : ""), png])
        return try tool("/usr/bin/tesseract", [png, "-", "--psm", "6", "-l", language])
    }

    /// Whether tesseract reads `words` in the band at `t`, in any of three renderings of it
    /// (inverted, inverted at half size, only the brightest pixels), ignoring case and punctuation.
    func reads(_ video: String, _ words: String, at t: Double, top: Int = 1150, height: Int = 520) throws -> Bool {
        func plain(_ s: String) -> String {
            String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }).split(separator: " ").joined(separator: " ")
        }
        let want = plain(words)
        for (i, filter) in ["negate", "negate,scale=540:-2", "lutyuv=y='if(gt(val,245),0,255)'"].enumerated() {
            let png = dir + "/reads-\(t)-\(top)-\(i).png"
            try ffmpeg(["-ss", String(t), "-i", video, "-frames:v", "1", "-vf", "crop=1080:\(height):0:\(top),format=gray," + filter, png])
            if plain(try tool("/usr/bin/tesseract", [png, "-", "--psm", "6"])).contains(want) { return true }
        }
        return false
    }

    func assertInSafeZone(_ box: (minX: Int, minY: Int, maxX: Int, maxY: Int)?, at t: Double, file: StaticString = #filePath, line: UInt = #line) {
        guard let b = box else { return XCTFail("no text at \(t) s", file: file, line: line) }
        XCTAssert(b.minX >= 40 && b.maxX <= 960 && b.minY >= 150 && b.maxY <= 1620, "text at \(t) s outside the safe zone: \(b)", file: file, line: line)
    }

    func testSubRipWithBOMAndCRLFOnARealClip() throws {
        let clip = try realClip()
        let srt = try writeText(Self.talk, as: "talk.srt")
        let plain = try convert(clip, [], name: "plain.mp4")
        let captioned = try convert(clip, ["--captions", srt], name: "captioned.mp4")
        // Before the first cue and between cues: nothing differs.
        for t in [0.5, 3.0] {
            XCTAssertNil(inkBox(try luma(plain, at: t), try luma(captioned, at: t)), "text at \(t) s where no cue is")
        }
        // Over a light wall (where smart reframing puts this clip) and with the bold font's tight word gap read as
        // punctuation ("HELLO\\WORLD"), `reads` tries three renderings and ignores punctuation.
        XCTAssert(try reads(captioned, "HELLO WORLD", at: 1.5), "the first cue is not readable at 1.5 s")
        let long = try ocr(captioned, at: 4.5)
        XCTAssert(long.contains("This caption") && long.contains("two lines"), long)
        let lines = long.split(separator: "\n").filter { $0.filter(\.isLetter).count > 3 }
        XCTAssertGreaterThanOrEqual(lines.count, 2, "the long cue is on two lines: \(long)")
        XCTAssert(try reads(captioned, "Goodbye friends", at: 7.2), "the last cue is not readable at 7.2 s")
        for t in [1.5, 4.5, 7.2] { assertInSafeZone(inkBox(try luma(plain, at: t), try luma(captioned, at: t)), at: t) }
    }

    func testTrimKeepsCaptionsInStep() throws {
        let clip = try realClip()
        let srt = try writeText(Self.talk, as: "talk.srt")
        // From 2 s: the first cue (1–2.5 s) shows its last half second, the second (3.5–6 s) moves to 1.5–4 s.
        let out = try convert(clip, ["--captions", srt, "--start", "2", "--duration", "5"], name: "trim.mp4")
        XCTAssert(try reads(out, "HELLO WORLD", at: 0.2))
        XCTAssertFalse(try reads(out, "HELLO", at: 1.0))
        XCTAssert(try reads(out, "This caption", at: 2.5))
    }

    func testSpeedChangeKeepsCaptionsInStep() throws {
        let clip = try realClip()
        let srt = try writeText(Self.talk, as: "talk.srt")
        // At 2× the second cue (3.5–6 s of the source) shows from 1.75 to 3 s of the output.
        let out = try convert(clip, ["--captions", srt, "-p", "speed up 2x"], name: "fast.mp4")
        XCTAssert(try reads(out, "This caption", at: 2.4))
        XCTAssertFalse(try reads(out, "caption", at: 1.5))
    }

    func testChineseSubRipRenders() throws {
        let clip = try realClip()
        let srt = try writeText("1\n00:00:01,000 --> 00:00:04,000\n你好世界\n", as: "zh.srt")
        let out = try convert(clip, ["--captions", srt, "--duration", "3"], name: "zh.mp4")
        let text = try ocr(out, at: 2.0, language: "chi_sim").filter { !$0.isWhitespace }
        XCTAssert(text.contains("你好世界"), text)
    }

    func testEmbeddedSubtitleStream() throws {
        let mkv = Self.testMedia("h264_srt.mkv")
        // The same two cues as a file: the stream inside the MKV must give the same pictures.
        let srt = try writeText("1\n00:00:00,200 --> 00:00:00,900\nHello from tikconv\n\n2\n00:00:01,000 --> 00:00:01,800\nSecond line\n", as: "same.srt")
        let embedded = try convert(mkv, ["--captions", "embedded"], name: "embedded.mp4")
        let fromFile = try convert(mkv, ["--captions", srt], name: "file.mp4")
        let plain = try convert(mkv, [], name: "plain.mp4")
        for t in [0.5, 1.4] {
            let e = try luma(embedded, at: t)
            XCTAssertNotNil(inkBox(try luma(plain, at: t), e), "no caption at \(t) s")
            XCTAssertEqual(e, try luma(fromFile, at: t), "embedded and file captions differ at \(t) s")
        }
        XCTAssertNil(inkBox(try luma(plain, at: 1.9), try luma(embedded, at: 1.9)), "a caption after the last cue")
        // The synthetic picture behind the text is half yellow: tesseract reads the first words.
        for (t, words) in [(0.5, ["Hello", "tikconv"]), (1.4, ["Second"])] {
            let reads = try [false, true].map { try ocr(embedded, at: t, half: $0) }
            XCTAssert(reads.contains { r in words.allSatisfy(r.contains) }, "\(t) s: \(reads)")
        }
    }

    func testTitleTypedInThePromptShowsOnlyForItsTime() throws {
        let clip = try realClip()
        let prompt = "add the title \"Summer Trip\" for the first 3 seconds"
        let plan = try tikconv([clip, "-p", prompt, "--plan", "--json"])
        XCTAssert(plan.stdout.contains("\"route\" : \"local\"") || plan.stdout.contains("\"route\":\"local\""), plan.stdout)
        let out = try convert(clip, ["-p", prompt, "--local"], name: "title.mp4")
        XCTAssertEqual(try ffprobeDuration(out), 8.36, accuracy: 0.2, "the title's '3 seconds' is not a trim")
        XCTAssert(try reads(out, "Summer Trip", at: 1.5, top: 150, height: 600))
        XCTAssertFalse(try reads(out, "Summer", at: 4.0, top: 150, height: 600))
    }

    func testTextAtTheEnd() throws {
        let clip = try realClip()
        let out = try convert(clip, ["-p", "write \"link in bio\" at the end", "--local"], name: "end.mp4")
        XCTAssert(try reads(out, "link in bio", at: 7.5, top: 150, height: 600))
        XCTAssertFalse(try reads(out, "link", at: 3.0, top: 150, height: 600))
    }

    func testAddCaptionsWithoutTextNeedsTheCloud() throws {
        let clip = Self.testMedia("h264_aac_16x9.mp4")
        let plan = try tikconv([clip, "-p", "add captions", "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssert(plan.stdout.lowercased().contains("cloud"), plan.stdout)
        let local = try tikconv([clip, "-p", "add captions", "--local", "-o", outDir + "/x.mp4"])
        XCTAssertEqual(local.status, 4, local.stderr)
        XCTAssert(entries(outDir).isEmpty)
        // With the text given, the same words are done offline.
        let srt = try writeText(Self.talk, as: "talk.srt")
        let withFile = try tikconv([clip, "-p", "add captions", "--captions", srt, "--plan"])
        XCTAssert(withFile.stdout.contains("burn in captions from talk.srt"), withFile.stdout)
        XCTAssertFalse(withFile.stdout.contains("Upload"), withFile.stdout)
    }

    func testMP4PlanKeepsCaptionsSoft() throws {
        let srt = try writeText(Self.talk, as: "talk.srt")
        let out = outDir + "/soft.mp4"
        let r = try tikconv([try realClip(), "--to", "mp4", "--captions", srt, "--start", "2", "-o", out, "-y",
                             "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let codecs = try tool("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", out])
        XCTAssert(codecs.contains("mov_text"), codecs)
        // Read back by ffmpeg: the cues, moved by the trim; the first one cut to its remaining half second.
        let text = try tool("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", out, "-map", "0:s", "-f", "srt", "-"])
        let blocks = text.components(separatedBy: "\n\n")
        XCTAssert(blocks.contains { $0.contains("00:00:00,000 --> 00:00:00,500") && $0.contains("HELLO WORLD") }, text)
        XCTAssert(blocks.contains { $0.contains("00:00:01,500 --> 00:00:04,000") && $0.contains("This caption is much longer") }, text)
    }

    /// README's line, verbatim, in a folder holding talk.mp4 and talk.srt.
    func testReadmeExampleVerbatim() throws {
        _ = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "talk.mp4")
        _ = try writeText(Self.talk, as: "talk.srt")
        let r = try tikconv(["talk.mp4", "--captions", "talk.srt"], timeout: 240)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(FileManager.default.fileExists(atPath: dir + "/talk.tiktok.mp4"), "\(entries(dir))")
        XCTAssert(r.stderr.contains("captions from talk.srt: 3 cues burned in"), r.stderr)
    }

    func testCaptionFlagsAreChecked() throws {
        let clip = Self.testMedia("h264_aac_16x9.mp4")
        for args in [["--captions", "notes.txt"], ["--captions", "embedded:x"], ["--caption-style", "boxed"], ["--captions", "a.srt", "--caption-style", "comic"]] {
            let r = try tikconv([clip, "-o", outDir + "/x.mp4"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
        }
        let missing = try tikconv([clip, "--captions", "embedded", "-o", outDir + "/x.mp4"])
        XCTAssertEqual(missing.status, 3, missing.stderr)
        XCTAssert(missing.stderr.contains("has no subtitle stream"), missing.stderr)
        XCTAssert(entries(outDir).isEmpty, "\(entries(outDir))")
    }

    func testUnreadableSubtitleFileWritesNothing() throws {
        let bad = try writeText("1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:0x,000 --> 00:00:04,000\nbroken\n", as: "bad.srt")
        let r = try tikconv([Self.testMedia("h264_aac_16x9.mp4"), "--captions", bad, "-o", outDir + "/x.mp4", "--progress", "none"])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssert(r.stderr.contains("bad.srt:6:"), r.stderr)
        XCTAssert(entries(outDir).isEmpty, "\(entries(outDir))")
    }

    /// Runs an independent tool and returns its stdout.
    func tool(_ path: String, _ args: [String]) throws -> String {
        String(decoding: try runTool(path, args).output, as: UTF8.self)
    }

    func ffprobeDuration(_ path: String) throws -> Double {
        Double(try tool("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path])
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
