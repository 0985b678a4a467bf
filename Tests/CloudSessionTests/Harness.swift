import CloudSession
import Foundation
import MediaProbe
import NemoStandIn
import Planning
import TikconvCLI
import XCTest

let testMedia = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("TestMedia")
let mp4Path = testMedia.appendingPathComponent("h264_aac_16x9.mp4").path
let scriptPath = testMedia.appendingPathComponent("script.txt").path
let jpgPath = testMedia.appendingPathComponent("photo.jpg").path
let pngPath = testMedia.appendingPathComponent("photo.png").path

func fileSize(_ p: String) -> Int64 { ((try? FileManager.default.attributesOfItem(atPath: p)[.size]) as? NSNumber)?.int64Value ?? -1 }

enum Inputs {
    static var script: ProbeReport {
        let text = try! String(contentsOfFile: scriptPath, encoding: .utf8)
        return ProbeReport(path: scriptPath, kind: .text, container: "text", format: "txt", sizeBytes: fileSize(scriptPath),
                           text: TextInfo(characters: text.count, lines: text.split(separator: "\n").count, words: text.split(separator: " ").count))
    }
    static var video: ProbeReport {
        ProbeReport(path: mp4Path, kind: .video, container: "mov,mp4,m4a,3gp,3g2,mj2", format: "mp4", sizeBytes: fileSize(mp4Path), duration: 2)
    }
    static var jpg: ProbeReport { ProbeReport(path: jpgPath, kind: .image, container: "image2", format: "jpg", sizeBytes: fileSize(jpgPath)) }
    static var png: ProbeReport { ProbeReport(path: pngPath, kind: .image, container: "png_pipe", format: "png", sizeBytes: fileSize(pngPath)) }
}

/// A stand-in, a temporary config dir and output dir, a recording sleeper, collected events.
final class Harness {
    let server: NemoStandIn
    let dir: URL
    var configDir: URL { dir.appendingPathComponent("config/tikconv") }
    var output: String { dir.appendingPathComponent("out.mp4").path }
    var events: [CloudEvent] = []
    var sleeps: [TimeInterval] = []
    /// A fake monotonic clock: each read advances it by `clockStep` (0 = real clock).
    var clockStep: TimeInterval = 0
    private var fakeNow: TimeInterval = 1000

    init(_ configure: (inout NemoStandInConfig) -> Void = { _ in }) throws {
        var c = NemoStandInConfig(mp4Path: mp4Path)
        c.extraTokens = ["nmv_usr_registered_secret": "user_registered"]
        configure(&c)
        server = NemoStandIn(config: c)
        try server.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-cloud-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func settings(_ adjust: (inout CloudSettings) -> Void = { _ in }) -> CloudSettings {
        var s = CloudSettings(configDir: configDir)
        s.baseURL = server.baseURL
        s.sleep = { [unowned self] in sleeps.append($0) }
        if clockStep > 0 { s.now = { [unowned self] in fakeNow += clockStep; return fakeNow } }
        s.http.connectTimeout = 5
        adjust(&s)
        return s
    }

    func record(_ e: CloudEvent) { events.append(e) }

    /// Runs a convert job; returns the result or the error.
    func run(skill: CloudSkill, inputs: [ProbeReport], prompt: String? = nil, instruction: String? = nil,
             _ adjust: (inout CloudSettings) -> Void = { _ in }) -> Result<CloudResult, Error> {
        let plan = Plan(route: .cloud, skill: skill, cloudInstruction: instruction)
        let request = Request(inputs: inputs, prompt: prompt)
        return Result { try CloudRunner.run(plan: plan, request: request, options: settings(adjust), outputPath: output, events: record) }
    }

    var requests: [RecordedRequest] { server.requests }
    func paths() -> [String] { requests.map { "\($0.method) \($0.path)" } }
    func count(_ prefix: String) -> Int { server.requests(to: prefix).count }

    var texts: [String] { events.compactMap { if case let .assistantText(t) = $0 { return t }; return nil } }
    var summaries: [String] { events.compactMap { if case let .timelineSummary(t) = $0 { return t }; return nil } }

    /// Every token the stand-in knows must be absent from events and the error's message.
    func assertNoTokenLeaks(_ error: Error? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let tokens = server.knownTokens
        XCTAssertFalse(tokens.isEmpty, file: file, line: line)
        let texts = events.map(\.text) + [error.map { ($0 as? LocalizedError)?.errorDescription ?? "\($0)" } ?? ""]
        for t in tokens {
            for s in texts { XCTAssertFalse(s.contains(t), "token leaked in: \(s)", file: file, line: line) }
        }
    }

    func outputIsTheServedMP4(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(FileManager.default.contents(atPath: output), FileManager.default.contents(atPath: mp4Path), file: file, line: line)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.filter { ($0.contains("tikconv-tmp") || $0.hasSuffix(".part")) } ?? []
        XCTAssertEqual(leftovers, [], file: file, line: line)
    }

    func assertNoOutput(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), file: file, line: line)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.filter { ($0.contains("tikconv-tmp") || $0.hasSuffix(".part")) } ?? []
        XCTAssertEqual(leftovers, [], file: file, line: line)
    }
}

extension Result {
    var error: Failure? { if case let .failure(e) = self { return e }; return nil }
    var value: Success? { if case let .success(v) = self { return v }; return nil }
}
