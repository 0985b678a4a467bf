import Foundation
import NemoStandIn
import XCTest

/// Runs the built `tikconv` binary as a user would and checks stdout, stderr, exit codes and files.
final class CLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The built binary, found as the other end-to-end tests find it (`make test-asan` runs the ASan build).
    static let binary = EndToEndTestCase.binary
    static func media(_ name: String) -> String { root.appendingPathComponent("TestMedia/\(name)").path }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func tikconv(_ args: [String], environment: [String: String] = [:]) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            XCTFail("\(Self.binary) is missing: run `swift build` (make test does) first"); return Run(status: -1, stdout: "", stderr: "")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func scratch() throws -> String {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-e2e-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u.path
    }

    /// Facts about an output, read by ffprobe (an independent reader).
    func ffprobe(_ path: String) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        p.arguments = ["-v", "error", "-show_streams", "-show_format", "-of", "json", path]
        let out = Pipe(); p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile(); p.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func testConvertsAClipOffline() throws {
        let dir = try scratch()
        let r = try tikconv([Self.media("portrait_rot90.mp4"), "-o", dir + "/", "--preset", "ultrafast"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = dir + "/portrait_rot90.tiktok.mp4"
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), out, "stdout carries the output path")
        let streams = try ffprobe(out)["streams"] as? [[String: Any]] ?? []
        XCTAssertEqual(streams.first?["width"] as? Int, 1080)
        XCTAssertEqual(streams.first?["height"] as? Int, 1920)
        XCTAssertEqual(streams.first?["profile"] as? String, "High")
        XCTAssertEqual(streams.last?["codec_name"] as? String, "aac")
    }

    func testJSONReportNamesCopiedAndReencodedStreams() throws {
        let dir = try scratch()
        let r = try tikconv([Self.media("mpeg4_mp3.avi"), "--to", "mp4", "-o", dir + "/x.mp4", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let outputs = json?["outputs"] as? [[String: Any]]
        let streams = outputs?.first?["streams"] as? [[String: Any]] ?? []
        XCTAssertEqual(streams.map { $0["action"] as? String }, ["reencoded", "copied"])
        XCTAssertNotNil(outputs?.first?["wallSeconds"] as? Double)
        XCTAssertEqual((json?["plan"] as? [String: Any])?["localPlan"] as? String, "mp4")
    }

    func testRemuxSummarySaysCopiedNotZeroFrames() throws {
        let dir = try scratch()
        let r = try tikconv([Self.media("h264_aac.mov"), "--to", "mp4", "-o", dir + "/x.mp4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("copied in"), r.stderr)
        XCTAssertFalse(r.stderr.contains("0 frames"), r.stderr)
        XCTAssertTrue(r.stderr.contains("#0 video h264: copied"), r.stderr)
    }

    func testPlanPrintsAndDoesNothing() throws {
        let dir = try scratch()
        let r = try tikconv([Self.media("h264_aac_16x9.mp4"), "-p", "convert this AVI file to MP4 without losing quality", "--plan", "--json", "-o", dir + "/x.mp4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let plan = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(plan?["route"] as? String, "local")
        XCTAssertEqual(plan?["localPlan"] as? String, "mp4")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x.mp4"))
    }

    func testLocalRefusesGenerativeRequests() throws {
        let r = try tikconv([Self.media("h264_aac_16x9.mp4"), "--local", "-p", "add captions and background music", "-o", try scratch() + "/"])
        XCTAssertEqual(r.status, 4)
        XCTAssertTrue(r.stderr.contains("caption"), r.stderr)
    }

    func testBadInputsGetOneLineAndTheBatchGoesOn() throws {
        let dir = try scratch()
        let r = try tikconv([Self.media("random.mp4"), Self.media("noaudio.mp4"), Self.media("empty.mp4"), "-o", dir + "/", "--preset", "ultrafast"])
        XCTAssertEqual(r.status, 10, "some converted, some failed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/noaudio.tiktok.mp4"))
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("tikconv:") && ($0.contains("random.mp4") || $0.contains("empty.mp4")) }
        XCTAssertEqual(lines.count, 2, r.stderr)
        let all = try tikconv([Self.media("random.mp4"), "-o", dir + "/"])
        XCTAssertEqual(all.status, 3)
    }

    func testProbeJSONCarriesTheBackendCode() throws {
        let r = try tikconv(["probe", "--json", Self.media("text_named.mp4")])
        XCTAssertEqual(r.status, 3)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["code"] as? Int, 4001)
        let ok = try tikconv(["probe", Self.media("avi_named.dat")])
        XCTAssertEqual(ok.status, 0, "an AVI named .dat is accepted by content")
        XCTAssertTrue(ok.stdout.contains("avi"), ok.stdout)
    }

    func testExistingOutputIsKeptWithoutDashY() throws {
        let dir = try scratch()
        let out = dir + "/keep.mp4"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out))
        let r = try tikconv([Self.media("h264_aac_16x9.mp4"), "-o", out])
        XCTAssertEqual(r.status, 6)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "mine")
        let again = try tikconv([Self.media("h264_aac_16x9.mp4"), "-o", out, "-y", "--preset", "ultrafast"])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testCloudScriptToVideoAgainstTheStandIn() throws {
        let server = NemoStandIn(config: NemoStandInConfig(mp4Path: Self.media("h264_aac_16x9.mp4")))
        _ = try server.start()
        defer { server.stop() }
        let dir = try scratch()
        let env = ["NEMO_API_BASE": server.baseURL, "XDG_CONFIG_HOME": dir + "/config"]
        let r = try tikconv(["--cloud", Self.media("script.txt"), "-o", dir + "/", "--poll-interval", "0.05"], environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Done!"), "the assistant's text is shown: \(r.stdout)")
        let out = dir + "/script.tiktok.mp4"
        let format = try ffprobe(out)["format"] as? [String: Any]
        XCTAssertNotNil(format?["duration"], "a valid MP4 was downloaded")
        XCTAssertEqual(server.requests(to: "/run_sse").count, 1)
        // The script's text travels in the message.
        let sse = String(decoding: server.requests(to: "/run_sse").first?.body ?? Data(), as: UTF8.self)
        let script = try String(contentsOfFile: Self.media("script.txt"), encoding: .utf8)
        XCTAssertTrue(sse.contains(String(script.prefix(20)).replacingOccurrences(of: "\n", with: "\\n")), sse)
        // Photos and a video edit go the same way.
        let photos = try tikconv([Self.media("photo.jpg"), Self.media("photo.png"), "-p", "slideshow with music and transitions",
                                  "-o", dir + "/", "--poll-interval", "0.05"], environment: env)
        XCTAssertEqual(photos.status, 0, photos.stderr)
        let edit = try tikconv([Self.media("h264_aac_16x9.mp4"), "-p", "add captions and background music",
                                "-o", dir + "/", "--poll-interval", "0.05"], environment: env)
        XCTAssertEqual(edit.status, 0, edit.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/h264_aac_16x9.tiktok.mp4"))
    }

    func testHelpShowsTheSeedExamples() throws {
        let r = try tikconv(["--help"])
        XCTAssertEqual(r.status, 0)
        for example in ["tikconv clip.avi", "tikconv clip.mov -p \"vertical 9:16\"", "tikconv --cloud script.txt", "tikconv photos/*.jpg"] {
            XCTAssertTrue(r.stdout.contains(example), "help shows \(example)")
        }
    }
}
