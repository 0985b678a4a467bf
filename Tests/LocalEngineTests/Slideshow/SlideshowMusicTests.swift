import FFmpeg
import Foundation
@testable import LocalEngine
import MediaProbe
import XCTest

/// Music trimmed to the slideshow, faded out, about −14 LUFS — judged by
/// ffmpeg's own EBU R128 meter and volumedetect on the output, never by what the engine says.
final class SlideshowMusicTests: SlideshowTestCase {
    /// A 10 s two-voice "song" with a slow swell, written by ffmpeg as `name` (MP3, WAV, …).
    func song(_ name: String, amplitude: Double, seconds: Double = 10, peaky: Bool = false) throws -> String {
        let path = dir.appendingPathComponent(name).path
        // Peaky: short loud clicks every half second on top (what a limiter has to catch).
        let click = peaky ? "+0.9*lt(mod(t\\,0.5)\\,0.01)*sin(2*PI*1000*t)" : ""   // commas escaped for the filter graph
        let expr = "\(amplitude)*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.5*t))\(click)|\(amplitude)*sin(2*PI*330*t)*(0.6+0.4*sin(2*PI*0.7*t))\(click)"
        let r = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "aevalsrc=\(expr):d=\(seconds):s=44100", path])
        XCTAssertEqual(r.status, 0, r.err)
        return path
    }

    /// Integrated loudness by ffmpeg's ebur128 (an independent reader).
    func loudness(_ path: String) throws -> Double {
        let r = try run("ffmpeg", ["-nostdin", "-hide_banner", "-nostats", "-i", path, "-vn", "-af", "ebur128", "-f", "null", "-"])
        guard let line = r.err.components(separatedBy: "\n").last(where: { $0.contains(" I: ") && $0.contains("LUFS") }),
              let value = Double(line.split(separator: " ").compactMap { Double($0) }.first.map { String($0) } ?? "") else {
            XCTFail("no ebur128 summary: \(r.err.suffix(400))"); return 0
        }
        return value
    }

    /// Mean and peak volume (dBFS) of the output's sound between two times, by volumedetect.
    func volume(_ path: String, from start: Double, to end: Double) throws -> (mean: Double, peak: Double) {
        let r = try run("ffmpeg", ["-nostdin", "-hide_banner", "-nostats", "-i", path, "-vn", "-af",
                                   "atrim=start=\(start):end=\(end),volumedetect", "-f", "null", "-"])
        func value(_ key: String) -> Double {
            guard let line = r.err.components(separatedBy: "\n").first(where: { $0.contains(key) }),
                  let text = line.components(separatedBy: key).last?.replacingOccurrences(of: " dB", with: "")
                      .trimmingCharacters(in: .whitespaces), let v = Double(text) else { return .nan }
            return v
        }
        return (value("mean_volume:"), value("max_volume:"))
    }

    func photos(_ n: Int) throws -> [String] {
        try (0..<n).map { try solid("p\($0).png", ["red", "green", "blue", "yellow"][$0 % 4], size: "320x240") }
    }

    /// A quiet MP3 under a 4 s slideshow: audio as long as the video (within a frame), about
    /// −14 LUFS, and faded out at the end (the song runs on for 6 s more).
    func testQuietSongIsTrimmedNormalisedAndFadedOut() throws {
        let music = try song("song.mp3", amplitude: 0.03)
        XCTAssertLessThan(try loudness(music), -26, "the song starts quiet")
        let (result, out) = try slideshow(try photos(2)) { o in
            o.photoDuration = 2; o.music = try Prober.probe(path: music)
        }
        assertContract(try OutputInspector.read(out), frames: 120, audio: true)
        XCTAssertEqual(try loudness(out), -14, accuracy: 1, "normalised")
        let body = try volume(out, from: 1, to: 2.5), tail = try volume(out, from: 3.85, to: 4)
        XCTAssertLessThan(tail.mean, body.mean - 12, "faded out: the last 0.15 s are much quieter")
        XCTAssertGreaterThan(result.slideshow?.musicGainDB ?? 0, 10)
        XCTAssertTrue(result.notes.contains { $0.contains("faded out") }, "\(result.notes)")
        XCTAssertEqual(result.streams.map(\.type), [.video, .audio])
    }

    /// A loud song with sharp peaks: brought down to about −14 LUFS, and a boosted peaky one
    /// is held under full scale by the limiter.
    func testLoudAndPeakySongsStayNearTheTargetWithoutClipping() throws {
        let loud = try song("loud.wav", amplitude: 0.6)
        let (_, out) = try slideshow(try photos(2), name: "loud.mp4") { o in o.photoDuration = 2; o.music = try Prober.probe(path: loud) }
        XCTAssertEqual(try loudness(out), -14, accuracy: 1)
        let peaky = try song("peaky.wav", amplitude: 0.04, peaky: true)
        let (_, boosted) = try slideshow(try photos(2), name: "peaky.mp4") { o in o.photoDuration = 2; o.music = try Prober.probe(path: peaky) }
        XCTAssertEqual(try loudness(boosted), -14, accuracy: 1)
        XCTAssertLessThanOrEqual(try volume(boosted, from: 0, to: 4).peak, -0.3, "limited below full scale")
    }

    /// --fit-to-music: the slideshow lasts as long as the song, shared evenly; nothing is cut,
    /// so there is no fade.
    func testFitToMusicFollowsTheSong() throws {
        let music = try song("short.m4a", amplitude: 0.2, seconds: 4.5)
        let (result, out) = try slideshow(try photos(3)) { o in o.fitToMusic = true; o.music = try Prober.probe(path: music) }
        let i = try OutputInspector.read(out)
        assertContract(i, frames: 135, audio: true)
        XCTAssertEqual(result.slideshow?.photoSeconds ?? [], [1.5, 1.5, 1.5])
        XCTAssertFalse(result.notes.contains { $0.contains("faded") }, "\(result.notes)")
    }

    /// A song shorter than the slideshow: silence after it, the track still as long as the video.
    func testShortSongLeavesSilenceAfterIt() throws {
        let music = try song("jingle.wav", amplitude: 0.2, seconds: 1.5)
        let (result, out) = try slideshow(try photos(2)) { o in o.photoDuration = 1.5; o.music = try Prober.probe(path: music) }
        assertContract(try OutputInspector.read(out), frames: 90, audio: true)
        XCTAssertLessThan(try volume(out, from: 2, to: 3).peak, -80, "silence after the song")
        XCTAssertTrue(result.notes.contains { $0.contains("ends before the slideshow") }, "\(result.notes)")
    }

    /// --beat-sync: a drum loop at 120 BPM (kicks every 0.5 s from 0.35 s); the cuts move from
    /// 3, 6, 9 s onto beats aubio finds — once it has settled (a few seconds), onto the kicks.
    func testBeatSyncMovesCutsOntoBeats() throws {
        let path = dir.appendingPathComponent("drums.wav").path
        let phase = "mod(t-0.35\\,0.5)"
        let kick = "0.7*exp(-25*\(phase))*sin(2*PI*60*\(phase))*gte(t\\,0.35)"
        let r = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                                   "aevalsrc=\(kick)+0.05*sin(2*PI*110*t):d=20:s=44100", "-ac", "2", path])
        XCTAssertEqual(r.status, 0, r.err)
        let (result, out) = try slideshow(try photos(4)) { o in o.photoDuration = 3; o.beatSync = true; o.music = try Prober.probe(path: path) }
        assertContract(try OutputInspector.read(out), frames: 360, audio: true)
        let seconds = try XCTUnwrap(result.slideshow?.photoSeconds)
        let cuts = seconds.dropLast().reduce(into: [0.0]) { $0.append($0.last! + $1) }.dropFirst()
        XCTAssertEqual(cuts.count, 3)
        XCTAssertGreaterThan(result.slideshow?.beatsFound ?? 0, 20)
        let kicks = stride(from: 0.35, to: 20, by: 0.5).map { $0 }
        for (k, cut) in cuts.enumerated() {
            XCTAssertEqual(cut, Double(k + 1) * 3, accuracy: 0.75, "near its even place")
            XCTAssertNotEqual(cut, Double(k + 1) * 3, "moved off the even grid")
            if cut > 5 { XCTAssertLessThan(kicks.map { abs($0 - cut) }.min() ?? 1, 0.03, "cut \(cut) on a kick") }
        }
        XCTAssertTrue(result.notes.contains { $0.contains("3 of 3 cuts on a beat") }, "\(result.notes)")
    }

    /// Music that is not: a clear error naming the file; too many photos for a short song too.
    func testUnusableMusicIsAClearError() throws {
        let p = try photos(1)
        XCTAssertThrowsError(try slideshow(p) { o in o.music = try Prober.probe(path: media("noaudio.mp4")) }) { e in
            XCTAssertEqual((e as? LocalizedError)?.errorDescription,
                           "\(media("noaudio.mp4")): cannot use this file as music (it has no audio stream); try another song or leave out --music")
        }
        let music = try song("tiny.wav", amplitude: 0.2, seconds: 1)
        XCTAssertThrowsError(try slideshow(try photos(3)) { o in o.fitToMusic = true; o.music = try Prober.probe(path: music) }) { e in
            XCTAssertTrue((e as? LocalizedError)?.errorDescription?.contains("too short for 3 photos") == true, "\(e)")
        }
    }
}
