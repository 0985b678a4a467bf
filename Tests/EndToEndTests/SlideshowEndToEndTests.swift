import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The offline photo slideshow through the built binary: photos and a song, no
/// network, one output; bad photos named and left out; Ctrl-C; --plan; --json.
final class SlideshowEndToEndTests: EndToEndTestCase {
    /// ffmpeg makes the song and the photos here (an independent tool).
    func make(_ args: [String]) throws { try ffmpeg(args) }

    func song(seconds: Double = 10) throws -> String {
        try make(["-f", "lavfi", "-i", "aevalsrc=0.1*sin(2*PI*220*t)|0.1*sin(2*PI*330*t):d=\(seconds)", "song.mp3"])
        return dir + "/song.mp3"
    }

    func frames(_ path: String) throws -> (video: Int, audioSeconds: Double?) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-count_frames", "-show_entries", "stream=codec_type,nb_read_frames,duration", "-of", "json", path]
        let out = Pipe(); p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile(); p.waitUntilExit()
        let streams = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["streams"] as? [[String: Any]] ?? []
        let video = streams.first { $0["codec_type"] as? String == "video" }
        let audio = streams.first { $0["codec_type"] as? String == "audio" }
        return (Int(video?["nb_read_frames"] as? String ?? "") ?? -1, (audio?["duration"] as? String).flatMap(Double.init))
    }

    /// Runs tikconv with no network at all when the system allows it (a network namespace with
    /// only a down loopback), and always with the cloud pointed at a closed port and no token.
    func offline(_ args: [String], timeout: TimeInterval = 120) throws -> Result {
        let env = ["/usr/bin/env", "-u", "NEMO_TOKEN", "NEMO_API_BASE=http://127.0.0.1:9", "XDG_CONFIG_HOME=\(dir)/config", Self.binary]
        let unshare = "/usr/bin/unshare"
        if FileManager.default.isExecutableFile(atPath: unshare), (try? tikconv(["-n", "/bin/true"], executable: unshare))?.status == 0 {
            return try tikconv(["-n"] + env + args, executable: unshare, timeout: timeout)
        }
        return try tikconv(Array(env.dropFirst()) + args, executable: env[0], timeout: timeout)
    }

    /// `tikconv photos… --music song.mp3 --local` on a machine with no network: one slideshow,
    /// upright, with the song; inputs untouched; nothing left behind; nothing stored for the cloud.
    func testPhotosAndASongMakeASlideshowWithoutTheNetwork() throws {
        let a = try copy(Self.testMedia("photo.jpg"), as: "a.jpg"), b = try copy(Self.testMedia("photo_exif_rot6.jpg"), as: "b.jpg")
        let c = try copy(Self.testMedia("photo.webp"), as: "c.webp")
        let music = try song()
        let before = [a, b, c, music].map(hash)
        let r = try offline([a, b, c, "--music", music, "--local", "--photo-duration", "1", "-o", outDir + "/show.mp4",
                             "--preset", "ultrafast", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, outDir + "/show.mp4\n")
        XCTAssertTrue(r.stderr.contains("✓ slideshow of 3 photos"), r.stderr)
        XCTAssertTrue(r.stderr.contains("faded out"), r.stderr)
        let f = try frames(outDir + "/show.mp4")
        XCTAssertEqual(f.video, 90)
        XCTAssertEqual(f.audioSeconds ?? 0, 3, accuracy: 1.0 / 30)
        XCTAssertEqual(entries(outDir), ["show.mp4"])
        XCTAssertEqual(temporaries(dir), [])
        XCTAssertEqual([a, b, c, music].map(hash), before, "inputs untouched")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/config/tikconv"), "no cloud token was fetched or stored")
    }

    /// With no flags at all, photos are the offline slideshow; the default name follows the first photo.
    func testPhotosAloneNeedNoFlags() throws {
        let a = try copy(Self.testMedia("photo.png"), as: "holiday.png")
        let r = try offline([a, "--preset", "ultrafast", "--photo-duration", "0.5", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, dir + "/holiday.slideshow.mp4\n")
        XCTAssertEqual(try frames(dir + "/holiday.slideshow.mp4").video, 15)
        XCTAssertTrue(r.stderr.contains("no music: the output has no audio"), r.stderr)
    }

    /// A broken photo in the middle is named and left out by the probe, before use; the
    /// slideshow is made of the rest (exit 0: every usable photo is in it).
    func testBrokenPhotoInTheMiddleIsLeftOut() throws {
        let a = try copy(Self.testMedia("photo.jpg"), as: "a.jpg")
        var rng = UInt64(0x2545F4914F6CDD1D)
        let noise = (0..<20000).map { _ -> UInt8 in rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return UInt8(truncatingIfNeeded: rng) }
        let broken = try write([0xFF, 0xD8, 0xFF] + noise, as: "broken.jpg")
        let c = try copy(Self.testMedia("photo.png"), as: "c.png")
        let r = try offline([a, broken, c, "--photo-duration", "1", "-o", outDir + "/", "--preset", "ultrafast", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.jpg is a damaged photo"), r.stderr)
        XCTAssertEqual(try frames(outDir + "/a.slideshow.mp4").video, 60)
        XCTAssertEqual(temporaries(outDir), [])
    }

    /// Like videos: `-o DIR/` is created when missing, and --quiet leaves stderr to errors.
    func testOutputFolderIsCreatedAndQuietIsQuiet() throws {
        let a = try copy(Self.testMedia("photo.png"), as: "a.png"), b = try copy(Self.testMedia("photo.jpg"), as: "b.jpg")
        let folder = outDir + "/new/deeper/"
        let r = try offline([a, b, "-o", folder, "--quiet", "--preset", "ultrafast", "--photo-duration", "0.5", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, folder + "a.slideshow.mp4\n")
        XCTAssertEqual(try frames(folder + "a.slideshow.mp4").video, 30)
        XCTAssertEqual(r.stderr, "", "--quiet: no summary, no notes")
        let loud = try offline([a, b, "-o", outDir + "/other/", "--preset", "ultrafast", "--photo-duration", "0.5", "--progress", "none"])
        XCTAssertEqual(loud.status, 0, loud.stderr)
        XCTAssertTrue(loud.stderr.contains("created the folder") && loud.stderr.contains("✓ slideshow of 2 photos"), loud.stderr)
    }

    /// A folder of phone photos saved as .heif (and a .HEIC) is a folder of photos, like one of JPEGs.
    func testFolderOfHEIFPhotosIsASlideshow() throws {
        let folder = dir + "/phone"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["1.heif", "2.HEIC"] {
            let h = Process()
            h.executableURL = URL(fileURLWithPath: "/usr/bin/heif-enc")
            h.arguments = ["-q", "60", Self.testMedia("photo.jpg"), "-o", folder + "/" + name]
            h.standardOutput = FileHandle.nullDevice
            try h.run(); h.waitUntilExit()
            XCTAssertEqual(h.terminationStatus, 0, "heif-enc \(name)")
        }
        let r = try offline([folder, "-o", outDir + "/", "--preset", "ultrafast", "--photo-duration", "0.5", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("✓ slideshow of 2 photos"), r.stderr)
        XCTAssertEqual(try frames(outDir + "/1.slideshow.mp4").video, 30)
    }

    func testNoReadablePhotoIsBadInput() throws {
        let a = try write([0xFF, 0xD8, 0xFF, 0xE0, 0, 2], as: "a.jpg"), b = try write(Array(repeating: 0x89, count: 300), as: "b.png")
        let r = try offline([a, b, "-o", outDir + "/", "--progress", "none"])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertEqual(entries(outDir), [])
    }

    /// --plan explains and does nothing; --json reports the slideshow; flags that need a song say so.
    func testPlanJSONAndFlagErrors() throws {
        let a = try copy(Self.testMedia("photo.jpg"), as: "a.jpg")
        let plan = try offline([a, "--music", try song(), "--beat-sync", "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("1 photo → offline slideshow"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("nearest beat"), plan.stdout)
        XCTAssertEqual(entries(dir).filter { $0.hasSuffix(".mp4") }, [])
        let json = try offline([a, "--json", "--photo-duration", "0.5", "-o", outDir + "/j.mp4", "--preset", "ultrafast"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let output = (report?["outputs"] as? [[String: Any]])?.first
        XCTAssertEqual((output?["slideshow"] as? [String: Any])?["photos"] as? [String], [a])
        XCTAssertEqual(output?["videoFrames"] as? Int, 15)
        let noSong = try offline([a, "--fit-to-music"])
        XCTAssertEqual(noSong.status, 2, noSong.stderr)
        XCTAssertTrue(noSong.stderr.contains("--fit-to-music needs a song"), noSong.stderr)
        let words = try offline([a, "--local", "-p", "slideshow with captions"])
        XCTAssertEqual(words.status, 4, words.stderr)
        XCTAssertTrue(words.stderr.contains("'captions' needs the cloud route"), words.stderr)
    }

    /// Ctrl-C halfway: exit 130, the temporary file removed, nothing else left.
    func testCtrlCStopsASlideshow() throws {
        let a = try copy(Self.testMedia("photo.jpg"), as: "a.jpg")
        let (p, o, e) = try start([a, "--photo-duration", "30", "-o", outDir + "/show.mp4", "--preset", "veryslow", "--progress", "none"])
        XCTAssertTrue(wait(30) { !temporaries(outDir).isEmpty }, "no temporary file appeared")
        usleep(300_000)
        kill(p.processIdentifier, SIGINT)
        let r = finish(p, o, e, timeout: 30)
        XCTAssertFalse(r.signaled)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertTrue(r.stderr.contains("interrupted; the unfinished output was removed"), r.stderr)
        XCTAssertEqual(entries(outDir), [])
    }

    /// TIKCONV_DEBUG_FRAMES (the bench's x264-alone floor): every picture the encoder got, raw
    /// yuv420p 1080x1920, one per output frame — what the output decodes to, up to the encode's
    /// small loss.
    func testDebugFramesAreTheEncodersPictures() throws {
        let a = try copy(Self.testMedia("photo.jpg"), as: "a.jpg")
        let raw = dir + "/frames.yuv", out = outDir + "/show.mp4"
        let r = try tikconv([a, "--local", "--photo-duration", "0.5", "--crf", "10", "--preset", "ultrafast", "-o", out,
                             "--progress", "none"], environment: ["TIKCONV_DEBUG_FRAMES": raw])
        XCTAssertEqual(r.status, 0, r.stderr)
        let size = 1080 * 1920 * 3 / 2
        let dumped = try Data(contentsOf: URL(fileURLWithPath: raw))
        XCTAssertEqual(dumped.count, 15 * size)
        try ffmpeg(["-i", out, "-f", "rawvideo", "-pix_fmt", "yuv420p", "decoded.yuv"])
        let decoded = try Data(contentsOf: URL(fileURLWithPath: dir + "/decoded.yuv"))
        XCTAssertEqual(decoded.count, dumped.count)
        let luma = 1080 * 1920, last = 14 * size
        let diff = zip(dumped[last..<last + luma], decoded[last..<last + luma]).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        let mean = dumped[last..<last + luma].reduce(0) { $0 + Int($1) }
        XCTAssertLessThan(Double(diff) / Double(luma), 1.5, "the last dumped picture is the one encoded")
        XCTAssertGreaterThan(Double(mean) / Double(luma), 20, "a picture, not an empty buffer")
    }
}
