import Foundation
import XCTest

/// Animated GIF, WebP and APNG through the built binary: real footage of people walking (OpenCV's
/// vtest.avi, made into the three formats by `scripts/animation-fixtures` with ffmpeg and libwebp's
/// gif2webp), checked with ffmpeg/ffprobe and scripts/validate-tiktok.
final class AnimationEndToEndTests: EndToEndTestCase {
    /// The fixture folder (made once; a missing tool or clip fails the tests).
    static var fixtures: String?

    func animation(_ name: String) throws -> String {
        if Self.fixtures == nil {
            let p = Process(), out = Pipe()
            p.executableURL = URL(fileURLWithPath: Self.repoRoot.appendingPathComponent("scripts/animation-fixtures").path)
            p.standardOutput = out
            try p.run()
            let folder = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw FixtureMissing(what: "scripts/animation-fixtures failed (status \(p.terminationStatus))") }
            Self.fixtures = folder
        }
        let path = Self.fixtures! + "/" + name
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "fixture \(path) is missing")
        return try copy(path, as: name)
    }

    /// The picture at `seconds` as gray samples (`crop` first, then scaled to 160x120), decoded by ffmpeg.
    func picture(_ path: String, at seconds: Double, crop: String? = nil) throws -> [Double] {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        let filters = ["trim=start=\(seconds)", "setpts=PTS-STARTPTS"] + (crop.map { [$0] } ?? []) + ["scale=160:120"]
        p.arguments = ["-nostdin", "-v", "error", "-i", path, "-vf", filters.joined(separator: ","), "-frames:v", "1",
                       "-f", "rawvideo", "-pix_fmt", "gray", "-"]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(data.count, 160 * 120, "ffmpeg gave no picture at \(seconds) s of \(path)")
        return data.map(Double.init)
    }

    static func difference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Double(a.count)
    }

    func validate(_ output: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: Self.repoRoot.appendingPathComponent("scripts/validate-tiktok").path)
        p.arguments = [output, "--json"]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "validate-tiktok: \(String(decoding: data, as: UTF8.self))", file: file, line: line)
        let report = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return report["facts"] as? [String: Any] ?? [:]
    }

    struct FixtureMissing: Error { var what: String }

    static let fast = ["--preset", "ultrafast", "--progress", "none"]

    /// The walking GIF, the same animation as WebP and as APNG: each a contract-valid MP4 of its
    /// own length (4 s, not looped), whose picture at 2.5 s is the source's picture at 2.5 s.
    func testWalkingAnimationsBecomeVideosShowingEachFrameInTime() throws {
        let reference = try animation("walk.gif")
        let at25 = try picture(reference, at: 2.5), first = try picture(reference, at: 0)
        XCTAssertGreaterThan(Self.difference(at25, first), 3, "the people must have moved by 2.5 s for this test to mean anything")
        for name in ["walk.gif", "walk.webp", "walk.png"] {
            let input = name == "walk.gif" ? reference : try animation(name)
            let out = outDir + "/\(name).mp4"
            let r = try tikconv([input, "--fit", "pad", "-o", out] + Self.fast)
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("40 frames, 0.10 s each, 4.00 s a play"), "\(name): \(r.stderr)")
            let facts = try validate(out)
            XCTAssertEqual(facts["duration"] as? Double ?? 0, 4, accuracy: 1.0 / 30, name)
            XCTAssertEqual(facts["frames"] as? Int, 120, name)
            // --fit pad: the 4:3 picture is 1080x810, 555 rows from the top.
            let shown = try picture(out, at: 2.5, crop: "crop=1080:810:0:555")
            let same = Self.difference(shown, at25), other = Self.difference(shown, first)
            XCTAssertLessThan(same, 4, "\(name): the picture at 2.5 s is not the source's at 2.5 s")
            XCTAssertGreaterThan(other, 2 * same, "\(name): the picture at 2.5 s is closer to the first frame than it should be")
        }
    }

    /// A 1-second GIF plays 3 whole times (3 s); --loop 5 plays it 5 times; each play starts again
    /// at the first frame.
    func testAOneSecondGIFIsLoopedToThreeSeconds() throws {
        let blink = try animation("blink.gif")
        let r = try tikconv([blink, "-o", outDir + "/blink.mp4"] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("played 3 times to reach TikTok's 3-second minimum"), r.stderr)
        let facts = try validate(outDir + "/blink.mp4")
        XCTAssertEqual(facts["frames"] as? Int, 90)
        let a = try picture(outDir + "/blink.mp4", at: 0.45), b = try picture(outDir + "/blink.mp4", at: 1.45)
        let c = try picture(outDir + "/blink.mp4", at: 2.45), other = try picture(outDir + "/blink.mp4", at: 0.95)
        XCTAssertLessThan(Self.difference(a, b), 1.5, "the second play shows the same picture at the same point")
        XCTAssertLessThan(Self.difference(a, c), 1.5)
        XCTAssertGreaterThan(Self.difference(a, other), 2 * Self.difference(a, b), "the picture changes within a play")
        let five = try tikconv([blink, "--loop", "5", "-o", outDir + "/five.mp4"] + Self.fast)
        XCTAssertEqual(five.status, 0, five.stderr)
        XCTAssertEqual(try validate(outDir + "/five.mp4")["frames"] as? Int, 150)
        let plan = try tikconv([blink, "--plan"])
        XCTAssertTrue(plan.stdout.contains("decode animated GIF 320x240: 10 frames, delays 0.10 s each"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("play it 3 times: 3 s"), plan.stdout)
    }

    /// Delays of 0 and 1 hundredth play as 10; every frame is on screen for its own delay.
    func testGIFDelayEdgeCasesPlayAsBrowsersPlayThem() throws {
        try ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=64x64:d=0.1:r=10", "-f", "lavfi", "-i", "color=c=lime:s=64x64:d=0.1:r=10",
                    "-f", "lavfi", "-i", "color=c=blue:s=64x64:d=0.1:r=10", "-f", "lavfi", "-i", "color=c=white:s=64x64:d=0.1:r=10",
                    "-filter_complex", "[0][1][2][3]concat=n=4:v=1:a=0,settb=1/100,setpts=N*10", "-vsync", "passthrough", "-loop", "0",
                    "delays.gif"])
        var bytes = try self.bytes(dir + "/delays.gif")
        var n = 0
        for i in 0..<(bytes.count - 8) where bytes[i] == 0x21 && bytes[i + 1] == 0xF9 && bytes[i + 2] == 4 && n < 4 {
            bytes[i + 4] = [0, 1, 5, 20][n]; bytes[i + 5] = 0
            n += 1
        }
        XCTAssertEqual(n, 4)
        let gif = try write(bytes, as: "edge.gif")
        let r = try tikconv([gif, "--fit", "pad", "-o", outDir + "/edge.mp4"] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        // 0.10 + 0.10 + 0.05 + 0.20 = 0.45 s a play; 7 plays reach 3 s: 3.15 s.
        XCTAssertTrue(r.stderr.contains("4 frames, 0.05–0.20 s, 0.45 s a play"), r.stderr)
        XCTAssertEqual(try validate(outDir + "/edge.mp4")["duration"] as? Double ?? 0, 3.15, accuracy: 1.0 / 30)
        // Red for 0–0.1 s, green 0.1–0.2 s, blue 0.2–0.25 s, white 0.25–0.45 s, then again.
        let expect: [(Double, [Double])] = [(0.05, [255, 0, 0]), (0.15, [0, 255, 0]), (0.22, [0, 0, 255]), (0.35, [255, 255, 255]),
                                            (0.5, [255, 0, 0]), (0.6, [0, 255, 0])]
        for (t, rgb) in expect {
            let seen = try colour(outDir + "/edge.mp4", at: t)
            XCTAssertEqual(seen[0], rgb[0], accuracy: 40, "red at \(t) s: \(seen)")
            XCTAssertEqual(seen[1], rgb[1], accuracy: 40, "green at \(t) s: \(seen)")
            XCTAssertEqual(seen[2], rgb[2], accuracy: 40, "blue at \(t) s: \(seen)")
        }
    }

    /// The mp4 plan: the animation at its own size, each frame once at its own time; the WebP's
    /// picture at 2.5 s is the GIF's at 2.5 s; a short GIF plays whole cycles to 3 s here too.
    func testTheMP4PlanKeepsEveryFrameAtItsOwnTime() throws {
        let reference = try animation("walk.gif"), webp = try animation("walk.webp")
        let r = try tikconv([webp, "--to", "mp4", "-o", outDir + "/walk.mp4"] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        let probe = String(decoding: try probeOutput(["-count_frames", "-show_entries", "stream=width,height,nb_read_frames,duration",
                                                      "-of", "compact=nk=0", outDir + "/walk.mp4"]), as: UTF8.self)
        XCTAssertTrue(probe.contains("width=320|height=240"), probe)
        XCTAssertTrue(probe.contains("duration=4.000000|nb_read_frames=40"), probe)
        let same = Self.difference(try picture(outDir + "/walk.mp4", at: 2.5), try picture(reference, at: 2.5))
        XCTAssertLessThan(same, 3, "the WebP's picture at 2.5 s is the GIF's at 2.5 s")
        XCTAssertGreaterThan(Self.difference(try picture(outDir + "/walk.mp4", at: 2.5), try picture(reference, at: 0)), 2 * same)
        let blink = try animation("blink.gif")
        XCTAssertEqual(try tikconv([blink, "--to", "mp4", "-o", outDir + "/blink.mp4"] + Self.fast).status, 0)
        let times = String(decoding: try probeOutput(["-show_entries", "packet=pts_time", "-of", "csv=p=0", outDir + "/blink.mp4"]), as: UTF8.self)
            .split(separator: "\n").compactMap { Double($0) }
        XCTAssertEqual(times.count, 30, "three plays of ten frames, each once")
        XCTAssertEqual(times.last ?? 0, 2.9, accuracy: 0.001)
    }

    func probeOutput(_ args: [String]) throws -> Data {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error"] + args
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    /// The mean RGB of the middle of the picture at `seconds`.
    func colour(_ path: String, at seconds: Double, crop: String = "crop=200:200:440:860") throws -> [Double] {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-v", "error", "-i", path, "-vf", "trim=start=\(seconds),setpts=PTS-STARTPTS,\(crop),scale=8:8",
                       "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        p.standardOutput = out
        try p.run()
        let data = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        guard data.count == 8 * 8 * 3 else { XCTFail("no picture at \(seconds) s"); return [0, 0, 0] }
        return (0..<3).map { c in stride(from: c, to: data.count, by: 3).map { Double(data[$0]) }.reduce(0, +) / 64 }
    }

    /// Transparent pixels are composited over the pad colour; a frame that redraws only part of
    /// the picture keeps the rest of the one before (disposal: keep).
    func testTransparencyAndDisposal() throws {
        // Frame 1: left half transparent, right half red. Frame 2 (ffmpeg's GIF encoder writes only
        // what changed): a blue square appears in the red half.
        try ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=64x64:r=10:d=0.2,format=rgba,"
                        + "geq=r='if(gte(X,40)*lt(Y,16)*gte(N,1),0,255)':g='0':b='if(gte(X,40)*lt(Y,16)*gte(N,1),255,0)':a='if(lt(X,32),0,255)'",
                    "-vf", "split[a][b];[a]palettegen=reserve_transparent=1[p];[b][p]paletteuse=alpha_threshold=128", "-loop", "0", "alpha.gif"])
        let gif = dir + "/alpha.gif"
        for (pad, expected) in [("white", [255.0, 255, 255]), ("black", [0.0, 0, 0])] {
            let out = outDir + "/alpha-\(pad).mp4"
            let r = try tikconv([gif, "--fit", "pad", "--pad-color", pad, "-o", out] + Self.fast)
            XCTAssertEqual(r.status, 0, r.stderr)
            // The 64x64 picture is 1080x1080 from row 420; its left half is transparent.
            let left = try colour(out, at: 0.05, crop: "crop=400:400:60:760")
            for c in 0..<3 { XCTAssertEqual(left[c], expected[c], accuracy: 30, "transparent over \(pad): \(left)") }
            let right = try colour(out, at: 0.15, crop: "crop=300:300:700:1000")
            XCTAssertEqual(right[0], 255, accuracy: 40, "the red half is kept under frame 2: \(right)")
            XCTAssertEqual(right[2], 0, accuracy: 40, "\(right)")
            let square = try colour(out, at: 0.15, crop: "crop=300:200:760:440")
            XCTAssertEqual(square[2], 255, accuracy: 40, "frame 2's blue square: \(square)")
            XCTAssertEqual(square[0], 0, accuracy: 40, "\(square)")
        }
    }

    /// A one-frame GIF is a photo: the slideshow's 3-second still, not an animation.
    func testAOneFrameGIFIsAPhoto() throws {
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=320x240", "-frames:v", "1", "still.gif"])
        let r = try tikconv([dir + "/still.gif", "-o", outDir + "/still.mp4"] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("✓ slideshow of 1 photo"), r.stderr)
        XCTAssertFalse(r.stderr.contains("animated"), r.stderr)
    }

    /// A cut-off animated WebP: one clear line, exit 3, nothing written.
    func testABrokenWebPIsRefused() throws {
        let whole = try bytes(try animation("walk.webp"))
        let cut = try write(Array(whole.prefix(whole.count / 2)), as: "cut.webp")
        try assertRefused(cut, exit: 3, message: "cut.webp looks like a WebP image but is truncated or corrupt (libwebp cannot parse the animation)")
    }

    /// Names that lie: a photo named .avi, a GIF named .mp4 — each handled by its content, with a note.
    func testFilesWhoseNameLiesAreHandledByContent() throws {
        let photo = try copy(Self.testMedia("photo.jpg"), as: "holiday.avi")
        let r = try tikconv([photo, "-o", outDir + "/holiday.mp4"] + Self.fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("tikconv: holiday.avi is really a JPEG photo, not .avi: handled by its content"), r.stderr)
        XCTAssertTrue(r.stderr.contains("✓ slideshow of 1 photo"), r.stderr)
        let gif = try copy(try animation("blink.gif"), as: "clip.mp4")
        let g = try tikconv([gif, "-o", outDir + "/clip-out.mp4"] + Self.fast)
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertTrue(g.stderr.contains("tikconv: clip.mp4 is really an animated GIF image (10 frames), not .mp4: handled by its content"), g.stderr)
        XCTAssertEqual(try validate(outDir + "/clip-out.mp4")["frames"] as? Int, 90)
    }
}
