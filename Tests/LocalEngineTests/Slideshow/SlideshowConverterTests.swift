import FFmpeg
import Foundation
@testable import LocalEngine
import MediaProbe
import XCTest

/// JPEG/PNG/WebP photos → a Ken Burns slideshow under the TikTok contract,
/// checked by decoding the output.
final class SlideshowConverterTests: SlideshowTestCase {
    /// The bundled photos (JPEG, PNG, WebP) 1 s each with 0.3 s crossfades: 90 frames, contract kept.
    func testBundledPhotosMakeAContractSlideshow() throws {
        let photos = ["photo.jpg", "photo.png", "photo.webp"].map(media)
        let (result, out) = try slideshow(photos) { $0.photoDuration = 1; $0.transitionDuration = 0.3 }
        assertContract(try OutputInspector.read(out), frames: 90, audio: false)
        XCTAssertEqual(result.videoFrames, 90)
        XCTAssertEqual(result.durationSeconds, 3, accuracy: 1e-9)
        XCTAssertEqual(result.slideshow?.photos, photos)
        XCTAssertEqual(result.slideshow?.skipped, [])
        XCTAssertTrue(result.notes.contains { $0.contains("no audio") }, "\(result.notes)")
    }

    /// Frame count = photos × photo duration × 30, whatever the transition.
    func testFrameCountFollowsTheDuration() throws {
        let a = try solid("a.png", "red"), b = try solid("b.png", "blue")
        let (_, cut) = try slideshow([a, b], name: "cut.mp4") { $0.photoDuration = 0.8; $0.transition = .none }
        XCTAssertEqual(try OutputInspector.read(cut).video?.ptsSeconds.count, 48)
        let (_, silent) = try slideshow([a, b, a], name: "silent.mp4") { $0.photoDuration = 0.5; $0.silentAudio = true }
        assertContract(try OutputInspector.read(silent), frames: 45, audio: true)
    }

    /// A red band on the stored left with a green block at its top, seen through EXIF
    /// orientations: 6 (turn 90° clockwise) puts the band on top with the block at the right;
    /// 5 (transpose) on top with the block at the left; 8 (270°) at the bottom, block left;
    /// 2 (mirror) on the right, block at the top.
    func testEXIFOrientationComesOutUpright() throws {
        let red = bt709(255, 0, 0), green = bt709(0, 255, 0), gray = bt709(128, 128, 128)
        typealias Box = (x: Int, y: Int, w: Int, h: Int)
        let cases: [(orientation: Int, red: Box, green: Box, gray: Box)] = [
            (6, (100, 300, 400, 240), (850, 300, 200, 240), (300, 1000, 400, 500)),
            (5, (500, 300, 400, 240), (20, 300, 200, 240), (300, 1000, 400, 500)),
            (8, (400, 1380, 400, 240), (20, 1380, 200, 240), (300, 500, 400, 500)),
            (2, (850, 900, 200, 300), (850, 580, 200, 150), (100, 700, 500, 600)),
        ]
        for c in cases {
            let path = try photo("rot\(c.orientation).jpg",
                                 "color=gray:s=640x480,drawbox=x=0:y=0:w=160:h=480:color=red:t=fill,drawbox=x=0:y=0:w=160:h=120:color=lime:t=fill",
                                 ["-q:v", "2"])
            try addEXIF(to: path, orientation: c.orientation)
            XCTAssertEqual(try Prober.probe(path: path).exifOrientation, c.orientation)
            let (_, out) = try slideshow([path], name: "rot\(c.orientation).mp4") { $0.photoDuration = 0.5 }
            for (name, box, colour) in [("red", c.red, red), ("green", c.green, green), ("gray", c.gray, gray)] {
                let m = try means(out, frame: 0, x: box.x, y: box.y, width: box.w, height: box.h)
                XCTAssertEqual(m.y, colour.y, accuracy: 8, "orientation \(c.orientation): \(name) Y")
                XCTAssertEqual(m.u, colour.u, accuracy: 8, "orientation \(c.orientation): \(name) U")
                XCTAssertEqual(m.v, colour.v, accuracy: 8, "orientation \(c.orientation): \(name) V")
            }
        }
    }

    /// The middle frame of a crossfade (on the cut) is half of each photo.
    func testCrossfadeMiddleFrameBlendsBothPhotos() throws {
        let a = try solid("a.png", "0xC82828"), b = try solid("b.png", "0x2828C8")
        let (_, out) = try slideshow([a, b]) { $0.photoDuration = 1; $0.transitionDuration = 0.5 }
        let box = (x: 300, y: 700, w: 480, h: 500)
        let first = try means(out, frame: 10, x: box.x, y: box.y, width: box.w, height: box.h)
        let second = try means(out, frame: 50, x: box.x, y: box.y, width: box.w, height: box.h)
        let middle = try means(out, frame: 30, x: box.x, y: box.y, width: box.w, height: box.h)
        XCTAssertGreaterThan(first.v - second.v, 50, "the two photos differ")
        XCTAssertEqual(middle.y, (first.y + second.y) / 2, accuracy: 1.5)
        XCTAssertEqual(middle.u, (first.u + second.u) / 2, accuracy: 1.5)
        XCTAssertEqual(middle.v, (first.v + second.v) / 2, accuracy: 1.5)
        // A quarter of the way in, a quarter of the second photo.
        let quarter = try means(out, frame: 26, x: box.x, y: box.y, width: box.w, height: box.h)
        let w = (26.0 / 30 - 0.75) / 0.5
        XCTAssertEqual(quarter.v, first.v + (second.v - first.v) * w, accuracy: 2)
    }

    /// PNG as it comes: 16 bits per channel, grey, palette, and transparency (laid over black).
    func testPNGVariants() throws {
        let colour = bt709(200, 100, 50)
        let deep = try photo("deep.png", "color=0xC86432:s=640x480", ["-pix_fmt", "rgb48be"])
        let grey = try photo("grey.png", "color=0x808080:s=640x480", ["-pix_fmt", "gray"])
        // palettegen + paletteuse: the colour itself is in the palette (a plain -pix_fmt pal8 would quantise it).
        let palette = try photo("palette.png", "color=0xC86432:s=640x480:d=0.1,split[a][b];[a]palettegen[p];[b][p]paletteuse", ["-pix_fmt", "pal8"])
        let clear = try photo("clear.png", "color=blue:s=800x600,format=rgba,geq=r=0:g=0:b=255:a='if(lt(X,400),0,255)'", ["-pix_fmt", "rgba"])
        XCTAssertEqual(try Prober.probe(path: deep).streams.first?.pixelFormat, "rgb48be")
        XCTAssertEqual(try Prober.probe(path: palette).streams.first?.pixelFormat, "pal8")
        let (_, out) = try slideshow([deep, grey, palette, clear]) { $0.photoDuration = 1; $0.transition = .none }
        assertContract(try OutputInspector.read(out), frames: 120, audio: false)
        for (frame, expected, name) in [(10, colour, "16-bit"), (70, colour, "palette")] {
            let m = try means(out, frame: frame, x: 300, y: 800, width: 400, height: 300)
            XCTAssertEqual(m.y, expected.y, accuracy: 3, name); XCTAssertEqual(m.u, expected.u, accuracy: 3, name)
            XCTAssertEqual(m.v, expected.v, accuracy: 3, name)
        }
        let g = try means(out, frame: 40, x: 300, y: 800, width: 400, height: 300)
        XCTAssertEqual(g.y, bt709(128, 128, 128).y, accuracy: 3, "grey"); XCTAssertEqual(g.u, 128, accuracy: 1.5); XCTAssertEqual(g.v, 128, accuracy: 1.5)
        let left = try means(out, frame: 90, x: 100, y: 800, width: 300, height: 300)
        let right = try means(out, frame: 90, x: 680, y: 800, width: 300, height: 300)
        XCTAssertEqual(left.y, 16, accuracy: 3, "transparent → black"); XCTAssertEqual(left.u, 128, accuracy: 3)
        let blue = bt709(0, 0, 255)
        XCTAssertEqual(right.y, blue.y, accuracy: 4, "opaque stays"); XCTAssertEqual(right.u, blue.u, accuracy: 4)
    }

    /// A photo that turns out undecodable (here: damaged after it was probed) is left out and
    /// named; the others still make the slideshow, with the time shared among them.
    func testUndecodablePhotoInTheMiddleIsLeftOut() throws {
        let a = try solid("a.jpg", "red"), b = try solid("b.jpg", "green"), c = try solid("c.jpg", "blue")
        let reports = try [a, b, c].map { try Prober.probe(path: $0) }
        try Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: b))
        var o = SlideshowOptions()
        o.encoding.preset = "ultrafast"; o.photoDuration = 1
        let out = dir.appendingPathComponent("show.mp4").path
        let result = try SlideshowConverter(photos: reports, options: o, outputPath: out, overwrite: false).run()
        XCTAssertEqual(result.slideshow?.photos, [a, c])
        XCTAssertEqual(result.slideshow?.skipped.map(\.path), [b])
        XCTAssertTrue(result.notes.contains { $0.hasPrefix("left out \(b)") }, "\(result.notes)")
        assertContract(try OutputInspector.read(out), frames: 60, audio: false)
        let second = try means(out, frame: 50, x: 300, y: 800, width: 400, height: 300)
        XCTAssertEqual(second.u, bt709(0, 0, 255).u, accuracy: 6, "the blue photo follows the red one")
    }

    /// No photo decodes: a clear error, no output and no temporary file left.
    func testNoReadablePhotoIsAClearError() throws {
        let a = try solid("a.jpg", "red"), b = try solid("b.png", "blue")
        let reports = try [a, b].map { try Prober.probe(path: $0) }
        for p in [a, b] { try Data(repeating: 0x5A, count: 500).write(to: URL(fileURLWithPath: p)) }
        let out = dir.appendingPathComponent("none.mp4").path
        XCTAssertThrowsError(try SlideshowConverter(photos: reports, options: SlideshowOptions(), outputPath: out, overwrite: false).run()) { e in
            XCTAssertEqual((e as? LocalizedError)?.errorDescription, "none of the 2 photos can be decoded: nothing to make a slideshow of")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["a.jpg", "b.png"])
    }

    /// Ctrl-C: the flag stops the loop; nothing is left behind.
    func testCancellationLeavesNothing() throws {
        let a = try solid("a.png", "red")
        let flag = CancellationFlag()
        var calls = 0
        let out = dir.appendingPathComponent("cancel.mp4").path
        var converter: SlideshowConverter? = try SlideshowConverter(photos: [try Prober.probe(path: a)], options: SlideshowOptions(),
                                                                    outputPath: out, overwrite: false, cancel: flag) { _ in calls += 1; flag.cancel() }
        let temporary = converter!.temporaryPath
        XCTAssertThrowsError(try converter!.run()) { XCTAssertEqual(($0 as? LocalEngineError)?.errorDescription, LocalEngineError.cancelled.errorDescription) }
        converter = nil   // as the CLI does: the converter goes, and its temporary file with it
        XCTAssertGreaterThan(calls, 0, "progress was reported before the cancel")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary))
    }

    /// An iPhone-style HEIC (made here by heif-enc from the marker JPEG) comes out through libheif,
    /// in place: the red band on the left, the green block at its top.
    func testHEICPhoto() throws {
        let jpeg = try photo("marker.jpg", "color=gray:s=640x480,drawbox=x=0:y=0:w=160:h=480:color=red:t=fill,drawbox=x=0:y=0:w=160:h=120:color=lime:t=fill",
                             ["-q:v", "2"])
        let heic = dir.appendingPathComponent("IMG_0001.heic").path
        let made = try run("heif-enc", ["-q", "90", jpeg, "-o", heic])
        XCTAssertEqual(made.status, 0, "heif-enc (libheif-examples, installed by scripts/setup): \(made.err)")
        let (result, out) = try slideshow([heic, media("photo.jpg")]) { $0.photoDuration = 1 }
        assertContract(try OutputInspector.read(out), frames: 60, audio: false)
        XCTAssertEqual(result.slideshow?.photos.first, heic)
        // 640x480 sits at 1080x810 from y = 555: the band is x < 270, the block y < 757.
        for (name, box, colour) in [("red", (40, 900, 200, 300), bt709(255, 0, 0)), ("green", (40, 580, 200, 150), bt709(0, 255, 0)),
                                    ("gray", (500, 800, 400, 400), bt709(128, 128, 128))] {
            let m = try means(out, frame: 0, x: box.0, y: box.1, width: box.2, height: box.3)
            XCTAssertEqual(m.y, colour.y, accuracy: 8, name); XCTAssertEqual(m.u, colour.u, accuracy: 8, name)
            XCTAssertEqual(m.v, colour.v, accuracy: 8, name)
        }
    }

    /// A 10-bit HEIC (heif-enc from a 16-bit PNG): read as coded, 16-bit samples, converted by
    /// swscale with the file's own matrix and range; the colour comes out right.
    func testTenBitHEIC() throws {
        let png = try photo("deep.png", "color=0xC86432:s=640x480", ["-pix_fmt", "rgb48be"])
        let heic = dir.appendingPathComponent("deep.heic").path
        let made = try run("heif-enc", ["-b", "10", "-q", "90", png, "-o", heic])
        XCTAssertEqual(made.status, 0, made.err)
        XCTAssertEqual(try Prober.probe(path: heic).streams.first?.bitDepth, 10)
        let (_, out) = try slideshow([heic]) { $0.photoDuration = 0.5 }
        let m = try means(out, frame: 5, x: 300, y: 800, width: 400, height: 300), c = bt709(200, 100, 50)
        XCTAssertEqual(m.y, c.y, accuracy: 4); XCTAssertEqual(m.u, c.u, accuracy: 4); XCTAssertEqual(m.v, c.v, accuracy: 4)
    }

    /// --order time: EXIF capture times decide; an undated photo goes last.
    func testOrderByCaptureTime() throws {
        let late = try solid("late.jpg", "red"), early = try solid("early.jpg", "green"), undated = try solid("undated.jpg", "blue")
        try addEXIF(to: late, dateTimeOriginal: "2024:05:01 09:00:00")
        try addEXIF(to: early, dateTimeOriginal: "2023:12:24 18:30:00")
        let reports = try [undated, late, early].map { try Prober.probe(path: $0) }
        XCTAssertEqual(reports.map(\.captureTime), [nil, "2024-05-01T09:00:00", "2023-12-24T18:30:00"])
        XCTAssertEqual(PhotoOrdering.sorted(reports, by: .time).map(\.path), [early, late, undated])
    }

    /// --order name: numbers compare as numbers.
    func testOrderByName() throws {
        let names = ["IMG_10.png", "img_2.png", "IMG_1.png"].map { dir.appendingPathComponent($0).path }
        let reports = names.map { ProbeReport(path: $0, kind: .image, container: "png_pipe", format: "png", sizeBytes: 1) }
        XCTAssertEqual(PhotoOrdering.sorted(reports, by: .name).map { ($0.path as NSString).lastPathComponent }, ["IMG_1.png", "img_2.png", "IMG_10.png"])
        XCTAssertEqual(PhotoOrdering.sorted(reports, by: .given).map(\.path), names)
    }
}
