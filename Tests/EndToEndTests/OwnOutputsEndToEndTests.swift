import Foundation
import XCTest

/// tikconv marks what it writes (a container comment, read back by the probe), and a batch or a
/// folder skips those files, so running the same command twice never converts its own outputs.
final class OwnOutputsEndToEndTests: EndToEndTestCase {
    let fast = ["--preset", "ultrafast", "--duration", "0.5", "--threads", "1", "--progress", "none"]

    func mp4s() -> [String] { entries(dir).filter { $0.hasSuffix(".mp4") } }

    func testABatchRunTwiceSkipsWhatTheFirstRunMade() throws {
        try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "a.mp4")
        try copy(Self.testMedia("noaudio.mp4"), as: "b.mp4")
        let first = try tikconv(mp4s() + fast)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(mp4s(), ["a.mp4", "a.tiktok.mp4", "b.mp4", "b.tiktok.mp4"])
        let second = try tikconv(mp4s() + fast + ["-y"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("skipped 2 files tikconv made; name one alone to convert it again"), second.stderr)
        XCTAssertEqual(mp4s(), ["a.mp4", "a.tiktok.mp4", "b.mp4", "b.tiktok.mp4"], "no .tiktok.tiktok.mp4")
    }

    func testAnOutputNamedAloneIsConvertedAgainAndProbeSaysWhoMadeIt() throws {
        try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "a.mp4")
        XCTAssertEqual(try tikconv(["a.mp4"] + fast).status, 0)
        let probe = try tikconv(["probe", "--json", "a.tiktok.mp4"])
        XCTAssertTrue(probe.stdout.contains("\"madeByTikconv\" : true"), probe.stdout)
        let source = try tikconv(["probe", "--json", "a.mp4"])
        XCTAssertFalse(source.stdout.contains("madeByTikconv"), source.stdout)
        let again = try tikconv(["a.tiktok.mp4", "--reencode"] + fast)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/a.tiktok.tiktok.mp4"))
    }

    /// The README's slideshow examples one after the other: the first leaves its slideshow in
    /// photos/, the second takes the folder and a song.
    func testAFolderWithAnEarlierSlideshowStillMakesASlideshowWithTheSong() throws {
        let photos = dir + "/photos"
        try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: false)
        try copy(Self.testMedia("photo.jpg"), as: "photos/a.jpg")
        try copy(Self.testMedia("photo.png"), as: "photos/b.png")
        try copy(Self.testMedia("tone.m4a"), as: "song.m4a")
        let show = ["--photo-duration", "1", "--preset", "ultrafast", "--progress", "none"]
        let first = try tikconv(["photos/a.jpg", "photos/b.png", "--music", "song.m4a"] + show)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(entries(photos), ["a.jpg", "a.slideshow.mp4", "b.png"])
        let second = try tikconv(["photos/", "song.m4a", "--fit-to-music", "-y"] + show)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("skipped 1 file tikconv made"), second.stderr)
        XCTAssertTrue(second.stderr.contains("slideshow of 2 photos"), second.stderr)
    }
}
