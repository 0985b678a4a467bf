import Foundation
import XCTest

/// `tikconv check` and the tiktok plan's copy of a TikTok-ready input, run as the built binary.
/// Outputs are judged by the ffmpeg CLI (frame MD5s), not by tikconv.
final class CheckEndToEndTests: EndToEndTestCase {
    /// A clip that meets the whole contract, 3 s (TikTok's shortest), made once per test run by
    /// the ffmpeg CLI: 1080x1920 30 fps H.264 High level 4.0, a keyframe every 2 s, BT.709,
    /// AAC-LC 48 kHz stereo, index first.
    static let readyClip: Swift.Result<String, Error> = Swift.Result {
        let path = NSTemporaryDirectory() + "tikconv-e2e-ready-\(getpid()).mp4"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1080x1920:rate=30:duration=3",
                       "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3",
                       "-c:v", "libx264", "-preset", "ultrafast", "-x264-params", "8x8dct=1", "-level", "4.0", "-g", "60",
                       "-pix_fmt", "yuv420p", "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
                       "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart", path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw NSError(domain: "ffmpeg", code: Int(p.terminationStatus)) }
        return path
    }

    override class func tearDown() {
        if case let .success(path) = readyClip { try? FileManager.default.removeItem(atPath: path) }
    }

    func ready(as name: String = "ready.mp4") throws -> String { try copy(try Self.readyClip.get(), as: name) }

    /// MD5 of every decoded video frame, by the ffmpeg CLI.
    func frameMD5s(_ path: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: ",").last.map(String.init) }
    }

    func testCheckPassesAConformingClip() throws {
        let clip = try ready()
        let r = try tikconv(["check", clip])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "\(clip): TikTok-ready: all 14 conditions pass; tikconv copies it as it is (no re-encode)")
        XCTAssertEqual(lines.dropFirst().filter { $0.hasPrefix("  pass  ") }.count, 14, r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testCheckFailsWithTheFixForEachCondition() throws {
        let clip = try copy(Self.testMedia("portrait_rot90.mp4"), as: "phone.mp4")
        let before = hash(clip)
        let r = try tikconv(["check", clip])
        XCTAssertEqual(r.status, 11, "documented: not TikTok-ready")
        XCTAssertTrue(r.stdout.hasPrefix("\(clip): not TikTok-ready: 5 of 14 conditions fail; tikconv encodes it"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  FAIL  size          640x360; needs 1080x1920 → fix: fitted into 1080x1920"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  FAIL  rotation      turn 90° to show; needs no rotation flag (stored upright) → fix: turned upright"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  pass  audio         AAC-LC 48 kHz stereo"), r.stdout)
        XCTAssertEqual(hash(clip), before, "check never changes the file")
        XCTAssertEqual(entries(dir).filter { $0 != "phone.mp4" && $0 != "out" }, [], "check writes nothing")
    }

    func testCheckJSONIsAnArrayAndAnUnreadableFileIsBadInput() throws {
        let clip = try ready()
        let r = try tikconv(["check", clip, dir + "/missing.mp4", "--json"])
        XCTAssertEqual(r.status, 3, "a file that cannot be read is bad input")
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("missing.mp4: no such file"), r.stderr)
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(items.count, 2)
        XCTAssertEqual(items[0]["ready"] as? Bool, true)
        XCTAssertEqual(items[0]["action"] as? String, "copy")
        let conditions = try XCTUnwrap(items[0]["conditions"] as? [[String: Any]])
        XCTAssertEqual(conditions.count, 14)
        XCTAssertEqual(conditions.first { $0["name"] as? String == "level" }?["found"] as? String, "4.0")
        XCTAssertNotNil(items[1]["error"] as? String)
    }

    func testAReadyClipIsCopiedNotReencoded() throws {
        let clip = try ready()
        let out = outDir + "/ready.tiktok.mp4"
        let r = try tikconv([clip, "-o", outDir + "/", "--json", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let plan = try XCTUnwrap(json["plan"] as? [String: Any])
        let decision = try XCTUnwrap((plan["passthrough"] as? [[String: Any]])?.first)
        XCTAssertEqual(decision["mode"] as? String, "copy")
        let streams = try XCTUnwrap(((json["outputs"] as? [[String: Any]])?.first?["streams"]) as? [[String: Any]])
        XCTAssertEqual(streams.map { $0["action"] as? String }, ["copied", "copied"])
        XCTAssertTrue(r.stderr.contains("#0 video h264: copied"), r.stderr)
        XCTAssertEqual(try frameMD5s(out), try frameMD5s(clip), "the same frames, bit for bit")
        XCTAssertEqual(try frameMD5s(out).count, 90)
        XCTAssertEqual(try tikconv(["check", out]).status, 0, "the copy is as ready as its source")
    }

    func testThePlanSaysCopyAndReencodeForcesAnEncode() throws {
        let clip = try ready()
        let copyPlan = try tikconv([clip, "--plan"])
        XCTAssertEqual(copyPlan.status, 0, copyPlan.stderr)
        XCTAssertTrue(copyPlan.stdout.contains("copy video h264 1080x1920 as it is (no decoding)"), copyPlan.stdout)
        XCTAssertTrue(copyPlan.stdout.contains("ready.mp4 already meets the tiktok contract"), copyPlan.stdout)
        let encodePlan = try tikconv([clip, "--plan", "--reencode"])
        XCTAssertTrue(encodePlan.stdout.contains("ready.mp4: encoded: --reencode forces it"), encodePlan.stdout)
        XCTAssertTrue(encodePlan.stdout.contains("encode H.264 High"), encodePlan.stdout)
        let r = try tikconv([clip, "--reencode", "-o", outDir + "/x.mp4", "--preset", "ultrafast", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertNotEqual(try frameMD5s(outDir + "/x.mp4"), try frameMD5s(clip), "re-encoded")
        XCTAssertEqual(entries(outDir), ["x.mp4"])
    }

    /// tikconv's own output passes every condition but the length of a 2 s test clip.
    func testTikconvsOutputPassesTheCheck() throws {
        let out = outDir + "/x.mp4"
        let r = try tikconv([Self.testMedia("h264_aac_16x9.mp4"), "-o", out, "--preset", "ultrafast", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let check = try tikconv(["check", out])
        XCTAssertEqual(check.status, 11)
        let failing = check.stdout.split(separator: "\n").filter { $0.hasPrefix("  FAIL") }
        XCTAssertEqual(failing.count, 1, check.stdout)
        XCTAssertTrue(failing.first?.hasPrefix("  FAIL  duration      2.0") ?? false, check.stdout)
        XCTAssertTrue(check.stdout.contains("tikconv copies it as it is"), check.stdout)
    }
}
