import Foundation
import XCTest

/// Audio-only inputs as audiograms through the built binary: speech from espeak-ng, cover art made
/// by ffmpeg, outputs checked with ffprobe/ffmpeg and scripts/validate-tiktok.
final class AudiogramEndToEndTests: EndToEndTestCase {
    static let fast = ["--preset", "ultrafast", "--progress", "none"]

    func run(_ tool: String, _ args: [String]) throws -> Data {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(tool) \(args.joined(separator: " "))")
        return data
    }

    /// tesseract's reading of the top of the picture at 1 s (where titles go), lowercased, with
    /// punctuation as spaces; the picture is inverted, as dark text on light reads best.
    func textAtTheTop(_ video: String) throws -> String {
        try ffmpeg(["-ss", "1", "-i", video, "-frames:v", "1", "-vf", "crop=1080:400:0:200,format=gray,negate", "top.png"])
        let read = String(decoding: try run("/usr/bin/tesseract", ["top.png", "-", "--psm", "6"]), as: UTF8.self).lowercased()
        return String(read.map { $0.isLetter || $0.isNumber ? $0 : " " }).split(separator: " ").joined(separator: " ")
    }

    /// Speech, 2.5 s of silence, speech again, as an mp3; returns its path and where the silence is.
    func speech() throws -> (path: String, silence: ClosedRange<Double>) {
        _ = try run("/usr/bin/espeak-ng", ["-w", "a.wav", "Hello, this is a short voice memo made for the audiogram."])
        _ = try run("/usr/bin/espeak-ng", ["-w", "b.wav", "And here the speaker talks again after a pause."])
        try ffmpeg(["-i", "a.wav", "-f", "lavfi", "-t", "2.5", "-i", "anullsrc=r=22050:cl=mono", "-i", "b.wav",
                    "-filter_complex", "[0][1][2]concat=n=3:v=0:a=1", "-c:a", "libmp3lame", "-q:a", "4", "speech.mp3"])
        let first = try seconds(of: dir + "/a.wav")
        return (dir + "/speech.mp3", first...(first + 2.5))
    }

    /// The decoded length of a file's audio (its samples, not its container's claim).
    func seconds(of path: String) throws -> Double {
        let pcm = try run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1", "-ar", "48000",
                                              "-f", "s16le", "-"])
        return Double(pcm.count / 2) / 48000
    }

    /// Gray pictures of the whole output at 270x480, one per frame.
    func pictures(_ path: String) throws -> [[UInt8]] {
        let raw = try run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-vf", "scale=270:480", "-f", "rawvideo",
                                              "-pix_fmt", "gray", "-"])
        let size = 270 * 480
        return stride(from: 0, to: raw.count - size + 1, by: size).map { [UInt8](raw[$0..<($0 + size)]) }
    }

    func validate(_ output: String) throws {
        let data = try run(Self.repoRoot.appendingPathComponent("scripts/validate-tiktok").path, [output])
        XCTAssertTrue(String(decoding: data, as: UTF8.self).hasPrefix("ok "), String(decoding: data, as: UTF8.self))
    }

    /// An mp3 of speech with 2.5 s of silence in the middle and --cover: a valid MP4 with all of the
    /// sound, whose picture changes at least 3× as much per frame during speech as in the silence.
    func testSpeechWithASilenceMakesAnAudiogramThatMovesWithTheSound() throws {
        let (mp3, silence) = try speech()
        let cover = try copy(Self.testMedia("photo.jpg"), as: "cover.jpg")
        let out = outDir + "/memo.mp4"
        let r = try tikconv([mp3, "--cover", cover, "-o", out] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("picture: the cover cover.jpg (--cover)"), r.stderr)
        try validate(out)
        XCTAssertEqual(try seconds(of: out), try seconds(of: mp3), accuracy: 1.0 / 30, "all of the sound, no more than a frame of padding")
        let frames = try pictures(out)
        func change(_ range: ClosedRange<Double>) -> Double {
            let slots = Int((range.lowerBound * 30).rounded(.up))...Int((range.upperBound * 30).rounded(.down))
            let diffs = slots.filter { $0 > 0 && $0 < frames.count }.map { n in
                zip(frames[n], frames[n - 1]).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(frames[n].count)
            }
            return diffs.reduce(0, +) / Double(max(1, diffs.count))
        }
        // Inside the silence by the analysis window's half (32 ms) and a frame on each side.
        let quiet = change((silence.lowerBound + 0.15)...(silence.upperBound - 0.15))
        let talking = change(0.3...(silence.lowerBound - 0.3))
        XCTAssertGreaterThan(talking, 0.05, "the bars move while someone speaks")
        XCTAssertGreaterThanOrEqual(talking, 3 * quiet, "speech \(talking) vs silence \(quiet) per frame")
        // The cover is shown: the middle of the picture is not the plain plate.
        let middle = frames[30][(240 * 270)..<(240 * 270 + 270)]
        XCTAssertGreaterThan(Set(middle).count, 20, "the cover's row has many levels")
    }

    /// An m4a with cover art: its own cover is the picture; a wav without any: the plain plate.
    func testEmbeddedCoverArtOrAPlainBackground() throws {
        try ffmpeg(["-i", Self.testMedia("tone.m4a"), "-i", Self.testMedia("photo.jpg"), "-map", "0", "-map", "1", "-c", "copy",
                    "-disposition:v", "attached_pic", "-metadata", "title=Monday notes", "-metadata", "artist=Ana", "art.m4a"])
        let plan = try tikconv([dir + "/art.m4a", "--plan"])
        XCTAssertTrue(plan.stdout.contains("picture: the file's embedded cover art ("), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("tagged title 'Monday notes' by Ana"), plan.stdout)
        let r = try tikconv([dir + "/art.m4a", "-o", outDir + "/art.mp4"] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("picture: the file's embedded cover art"), r.stderr)
        try validate(outDir + "/art.mp4")
        let tags = String(decoding: try run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "format_tags=title,artist", "-of",
                                                                 "default=nw=1", outDir + "/art.mp4"]), as: UTF8.self)
        XCTAssertTrue(tags.contains("TAG:title=Monday notes") && tags.contains("TAG:artist=Ana"), tags)
        XCTAssertGreaterThan(Set(try pictures(outDir + "/art.mp4")[10][(240 * 270)..<(240 * 270 + 270)]).count, 20)
        XCTAssertTrue(r.stderr.contains("tagged title 'Monday notes' by Ana: drawn above the picture"), r.stderr)
        let top = try textAtTheTop(outDir + "/art.mp4")
        XCTAssertTrue(top.contains("monday notes") && top.contains("ana"), "tesseract read: \(top)")

        let wav = try copy(Self.testMedia("tone.wav"), as: "tone.wav")
        let w = try tikconv([wav, "-o", outDir + "/tone.mp4"] + Self.fast)
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertTrue(w.stderr.contains("picture: a plain background (no --cover, no cover art in the file)"), w.stderr)
        try validate(outDir + "/tone.mp4")
        XCTAssertEqual(try seconds(of: outDir + "/tone.mp4"), try seconds(of: wav), accuracy: 1.0 / 30)
        let plain = try pictures(outDir + "/tone.mp4")[10]
        XCTAssertLessThanOrEqual(Set(plain[(100 * 270)..<(101 * 270)]).count, 2, "a plain plate above the bars")
    }

    /// Over TikTok's 10 minutes: refused with the length, unless a part is chosen.
    func testLongAudioIsRefusedWithItsLengthUnlessTrimmed() throws {
        try ffmpeg(["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "620", "-c:a", "libmp3lame", "-b:a", "8k", "long.mp3"])
        let long = dir + "/long.mp3"
        let r = try tikconv([long, "-o", outDir + "/"] + Self.fast)
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("long.mp3 lasts 10 min 20 s, over TikTok's 10-minute limit: choose a part with --start/--duration"), r.stderr)
        XCTAssertEqual(entries(outDir), [])
        let cut = try tikconv([long, "--start", "600", "--duration", "2", "-o", outDir + "/cut.mp4"] + Self.fast)
        XCTAssertEqual(cut.status, 0, cut.stderr)
        try validate(outDir + "/cut.mp4")
        XCTAssertEqual(try seconds(of: outDir + "/cut.mp4"), 2, accuracy: 1.0 / 30)
    }

    /// An mp3 cut short keeps its header's claim of 10 s while only 3 s decode: the audiogram is
    /// as long as the sound, and says why it is shorter than the file claims.
    func testSoundShorterThanItsFileClaimsIsNamed() throws {
        try ffmpeg(["-f", "lavfi", "-i", "sine=f=440:d=10", "-c:a", "libmp3lame", "-b:a", "64k", "whole.mp3"])
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/whole.mp3"))
        try whole.prefix(24_000).write(to: URL(fileURLWithPath: dir + "/cut.mp3"))
        let r = try tikconv([dir + "/cut.mp3", "-o", outDir + "/cut.mp4"] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        try validate(outDir + "/cut.mp4")
        let kept = try seconds(of: outDir + "/cut.mp4")
        XCTAssertEqual(kept, try seconds(of: dir + "/cut.mp3"), accuracy: 0.1)
        XCTAssertLessThan(kept, 5)
        XCTAssertTrue(r.stderr.contains("though the file says 10.0 s: the rest could not be decoded"), r.stderr)
    }

    /// --cover must be a photo.
    func testACoverThatIsNotAPhotoIsRefused() throws {
        let r = try tikconv([try copy(Self.testMedia("tone.wav"), as: "tone.wav"), "--cover", Self.testMedia("h264_aac.mov"),
                             "-o", outDir + "/"] + Self.fast)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--cover takes a photo (JPEG, PNG, WebP, HEIC)"), r.stderr)
        XCTAssertEqual(entries(outDir), [])
    }
}
