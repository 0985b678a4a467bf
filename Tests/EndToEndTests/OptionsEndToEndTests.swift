import Foundation
import XCTest

/// Options checked before any work, times typed as ffmpeg users type them, and reports that
/// say what happened.
final class OptionsEndToEndTests: EndToEndTestCase {
    /// A wrong preset or bitrate is a usage error listing what is valid, before any file is
    /// read: also under --plan, and with an input that does not exist.
    func testBadValuesAreUsageErrorsBeforeWork() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        for extra in [[], ["--plan"]] {
            let preset = try tikconv([clip, "--preset", "turbo", "-o", outDir + "/"] + extra)
            XCTAssertEqual(preset.status, 2, preset.stderr)
            for valid in ["ultrafast", "veryfast", "veryslow"] { XCTAssertTrue(preset.stderr.contains(valid), preset.stderr) }
            let bitrate = try tikconv([clip, "--audio-bitrate", "5", "-o", outDir + "/"] + extra)
            XCTAssertEqual(bitrate.status, 2, bitrate.stderr)
            XCTAssertTrue(bitrate.stderr.contains("AAC takes 32k to 512k"), bitrate.stderr)
            XCTAssertEqual(entries(outDir), [])
        }
        let time = try tikconv([dir + "/missing.mp4", "--start", "1:3x"])
        XCTAssertEqual(time.status, 2, "the option is checked before the input: \(time.stderr)")
        XCTAssertTrue(time.stderr.contains("MM:SS (1:30)"), time.stderr)
        let pad = try tikconv([clip, "--focus", "0.2,0.5", "--fit", "pad", "--plan"])
        XCTAssertEqual(pad.status, 2, pad.stderr)
        XCTAssertTrue(pad.stderr.contains("--focus places the crop"), pad.stderr)
    }

    /// Flags that cannot go together are refused before any work, each said the same way.
    func testConflictingFlagsAreRefusedInOneStyle() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let pairs: [[String]] = [["--local", "--cloud"], ["--duration", "2", "--end", "3"], ["--focus", "0.2,0.5", "--fit", "pad"],
                                 ["--reframe-out", dir + "/path.json", "--fit", "crop"]]
        for flags in pairs {
            let r = try tikconv([clip, "-o", outDir + "/"] + flags)
            XCTAssertEqual(r.status, 2, "\(flags): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("cannot be used together: "), "\(flags): \(r.stderr)")
            XCTAssertEqual(entries(outDir), [], "\(flags)")
        }
    }

    /// CRF 0 is lossless: refused for the TikTok contract (High profile) before any work, with
    /// what to give instead; the mp4 plan takes it (High 4:4:4 Predictive).
    func testLosslessCRFIsRefusedForTikTokAndTakenByMP4() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        for extra in [[], ["--plan"]] {
            let r = try tikconv([clip, "--crf", "0", "--progress", "none", "-o", outDir + "/"] + extra)
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("--crf 0 means lossless") && r.stderr.contains("1–51"), r.stderr)
            XCTAssertEqual(entries(outDir), [])
        }
        // MPEG-4 Part 2 is re-encoded by the mp4 plan: losslessly.
        let avi = try copy(Self.testMedia("mpeg4_mp3.avi"), as: "old.avi")
        let mp4 = try tikconv([avi, "--to", "mp4", "--crf", "0", "--preset", "ultrafast", "--progress", "none", "-o", outDir + "/lossless.mp4"])
        XCTAssertEqual(mp4.status, 0, mp4.stderr)
        // Lossless: every picture decodes to the source's own (ffmpeg's frame hashes).
        try ffmpeg(["-i", avi, "-map", "0:v", "-f", "framemd5", "source.md5"])
        try ffmpeg(["-i", outDir + "/lossless.mp4", "-map", "0:v", "-f", "framemd5", "output.md5"])
        func hashes(_ name: String) throws -> [Substring] {
            try String(contentsOfFile: dir + "/" + name, encoding: .utf8).split(separator: "\n")
                .filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: ",").last }
        }
        XCTAssertFalse(try hashes("source.md5").isEmpty)
        XCTAssertEqual(try hashes("output.md5"), try hashes("source.md5"))
    }

    /// `--start 0:00.5 --end 0:01.5` trims like ffmpeg's -ss/-to: one second of output.
    func testClockTimes() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let r = try tikconv([clip, "--start", "0:00.5", "--end", "00:00:01.5", "--preset", "ultrafast", "--progress", "none", "-o", outDir + "/a.mp4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try duration(outDir + "/a.mp4"), 1.0, accuracy: 0.05)
        let plan = try tikconv([clip, "--start", "0:01", "--duration", "0:00.5", "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("Trim: 1–1.5 s"), plan.stdout)
    }

    /// --focus without --fit crops (documented: it implies --fit crop).
    func testFocusImpliesCrop() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let r = try tikconv([clip, "--focus", "0.2,0.5", "--plan", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let plan = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(plan?["fit"] as? String, "crop")
    }

    /// --plan names the output, says whether a file is there, and gives the encoder settings.
    func testPlanListsOutputEncoderAndWhetherTheOutputExists() throws {
        let clip = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "clip.mp4")
        let out = outDir + "/clip.tiktok.mp4"
        let fresh = try tikconv([clip, "-o", outDir + "/", "--plan", "--crf", "23", "--preset", "fast"])
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertTrue(fresh.stdout.contains("Output: \(out) (new file)"), fresh.stdout)
        XCTAssertTrue(fresh.stdout.contains("Encoder: H.264 High level 4.0 (x264 preset fast, CRF 23), 30 fps; AAC 160 kb/s"), fresh.stdout)
        try write(Array("mine".utf8), as: "out/clip.tiktok.mp4")
        let existing = try tikconv([clip, "-o", outDir + "/", "--plan"])
        XCTAssertTrue(existing.stdout.contains("Output: \(out) (exists: replaced only with -y)"), existing.stdout)
        let remux = try tikconv([clip, "--to", "mp4", "--plan", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(remux.stdout.utf8)) as? [String: Any]
        let output = (json?["outputs"] as? [[String: Any]])?.first
        XCTAssertEqual(output?["path"] as? String, dir + "/clip.converted.mp4")
        XCTAssertEqual(output?["exists"] as? Bool, false)
        XCTAssertNotNil(output?["encoder"], "an mp4 plan that copies everything encodes nothing: \(remux.stdout)")
        XCTAssertNil((output?["encoder"] as? [String: Any])?["video"], "the h264 video is copied")
    }

    /// A remux that re-encodes Opus to AAC says so instead of "copied".
    func testReencodedStreamIsNotSummarisedAsCopied() throws {
        let mixed = dir + "/h264_opus.mkv"
        let ff = Process()
        ff.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ff.arguments = ["-v", "error", "-i", Self.testMedia("h264_aac_16x9.mp4"), "-i", Self.testMedia("vp9_opus.webm"),
                        "-map", "0:v", "-map", "1:a", "-c", "copy", mixed]
        try ff.run(); ff.waitUntilExit()
        XCTAssertEqual(ff.terminationStatus, 0)
        let r = try tikconv([mixed, "--to", "mp4", "-o", outDir + "/x.mp4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("video copied, audio re-encoded in"), r.stderr)
        XCTAssertFalse(r.stderr.contains("s, copied in"), r.stderr)
        XCTAssertTrue(r.stderr.contains("#1 audio opus: re-encoded → aac"), r.stderr)
    }

    func testAudioOnlyRefusalNamesTheFile() throws {
        try assertRefused(try copy(Self.testMedia("tone.wav"), as: "song.wav"), extra: ["-p", "louder", "--local"], exit: 4,
                          message: "tikconv: song.wav: 'louder on an audio-only input")
    }

    /// probe --json: an object for one file, an array for several (as its help says).
    func testProbeJSONIsAnObjectForOneAndAnArrayForSeveral() throws {
        let one = try tikconv(["probe", "--json", Self.testMedia("photo.jpg")])
        XCTAssertTrue(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) is [String: Any], one.stdout)
        let two = try tikconv(["probe", "--json", Self.testMedia("photo.jpg"), Self.testMedia("text_named.mp4")])
        XCTAssertEqual(two.status, 3)
        let array = try JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(array?.count, 2)
        XCTAssertEqual(array?.last?["code"] as? Int, 4001)
        let help = try tikconv(["probe", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(words.contains("an object for one file, an array of objects for several"), help.stdout)
    }

    /// `cloud credits --help` lists only what credits uses.
    func testCloudSubcommandsListOnlyTheirOptions() throws {
        let credits = try tikconv(["cloud", "credits", "--help"])
        XCTAssertEqual(credits.status, 0)
        for unused in ["--poll-interval", "--url", "--session", "--timeout <"] {
            XCTAssertFalse(credits.stdout.contains(unused), "credits does not use \(unused): \(credits.stdout)")
        }
        XCTAssertTrue(credits.stdout.contains("--connect-timeout"))
        let status = try tikconv(["cloud", "status", "--help"])
        XCTAssertTrue(status.stdout.contains("--session"))
        XCTAssertFalse(status.stdout.contains("--poll-interval") || status.stdout.contains("--url"), status.stdout)
        let export = try tikconv(["cloud", "export", "--help"])
        XCTAssertTrue(export.stdout.contains("--poll-interval"))
        XCTAssertFalse(export.stdout.contains("--url") || export.stdout.contains("--timeout <"), export.stdout)
    }

    /// At 80 columns every example of `tikconv --help` stays on its own line.
    func testHelpExamplesFit80Columns() throws {
        let r = try tikconv(["--help"], environment: ["COLUMNS": "80"])
        XCTAssertEqual(r.status, 0)
        let lines = r.stdout.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "Examples:") else { return XCTFail(r.stdout) }
        let examples = lines[(start + 1)...].prefix { !$0.isEmpty }
        XCTAssertGreaterThan(examples.count, 8)
        for line in examples {
            XCTAssertTrue(line.hasPrefix("  tikconv "), "a wrapped example: \(line.debugDescription)")
            XCTAssertLessThanOrEqual(line.count, 80, line)
        }
    }

    func duration(_ path: String) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Double(String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
