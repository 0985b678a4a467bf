import Foundation
import TestSupport
import XCTest

/// Smart reframing's layouts for two people, end to end: ground-truth clips made now by
/// scripts/layout-truth (the astronaut photograph and its mirror image side by side, too far apart
/// for one 9:16 window; in "turns" they talk in turns of 2 s, with espeak-ng's speech and the
/// talker's jaw moving), converted by the built tikconv, and each person looked for in the decoded
/// OUTPUT by template matching at any zoom (scripts/layout-truth measure, OpenCV).
final class LayoutEndToEndTests: EndToEndTestCase {
    static let truthTool = repoRoot.appendingPathComponent("scripts/layout-truth").path
    static let clipFolder = NSTemporaryDirectory() + "tikconv-layout-clips-\(UUID().uuidString)"
    nonisolated(unsafe) static var made: Set<String> = []

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: clipFolder)
        super.tearDown()
    }

    struct Measure: Decodable {
        struct Found: Decodable { var score: Double, zoom: Double, y: Double }
        struct Frame: Decodable { var frame: Int, talker: String?, found: [String: Found] }
        var fps: Double
        var turn: Double?
        var sampled: [Frame]
    }

    struct Report: Decodable {
        struct Output: Decodable { var shots: [Shot]? }
        struct Shot: Decodable { var start: Double, end: Double, mode: String, follows: String, layout: String?, why: String? }
        var outputs: [Output]
    }

    /// Runs a helper tool; (status, stdout, stderr).
    func run(_ tool: String, _ args: [String]) throws -> (Int32, String, String) {
        let r = try runTool(tool.hasPrefix("/") ? tool : "/usr/bin/" + tool, args)
        return (r.status, r.text, r.errors)
    }

    /// A clip made once per run; scripts/setup installs ffmpeg, espeak-ng and python3-opencv, so
    /// a clip that cannot be made is a failure.
    func clip(_ scenario: String, seconds: Double) throws -> String {
        let path = Self.clipFolder + "/\(scenario)-\(seconds).mp4"
        if Self.made.contains(path) { return path }
        try FileManager.default.createDirectory(atPath: Self.clipFolder, withIntermediateDirectories: true)
        let (status, _, err) = try run(Self.truthTool, ["make", scenario, path, "--seconds", String(seconds)])
        guard status == 0 else {
            throw NSError(domain: "layout-truth", code: Int(status), userInfo: [NSLocalizedDescriptionKey: "cannot make \(scenario): \(err)"])
        }
        Self.made.insert(path)
        return path
    }

    func convert(_ input: String, to out: String, _ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> [Report.Shot] {
        let r = try tikconv([input, "-o", out, "--preset", "ultrafast", "--json", "--progress", "none"] + extra, file: file, line: line)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let report = try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
        return report.outputs.first?.shots ?? []
    }

    func measure(_ output: String, clip: String, step: Int) throws -> Measure {
        let truth = (clip as NSString).deletingPathExtension + ".truth.json"
        let (status, out, err) = try run(Self.truthTool, ["measure", output, truth, "--step", String(step)])
        XCTAssertEqual(status, 0, err)
        return try JSONDecoder().decode(Measure.self, from: Data(out.utf8))
    }

    func share(_ frames: [Measure.Frame], _ ok: (Measure.Frame) -> Bool) -> Double {
        Double(frames.filter(ok).count) / Double(max(1, frames.count))
    }

    // MARK: no sound

    /// Two people side by side and no sound: auto splits the picture, the left person in the upper
    /// half and the right one in the lower, both whole in ≥ 90% of the frames; the path says so
    /// and why, the contact sheet draws both windows, and `--reframe-in` reads the path back.
    func testTwoPeopleWithoutSoundAreBothShownInASplit() throws {
        let input = try clip("duo", seconds: 3)
        let out = outDir + "/duo.mp4", pathFile = outDir + "/duo.json", sheet = outDir + "/duo.png"
        let shots = try convert(input, to: out, ["--reframe-out", pathFile, "--preview", sheet])
        XCTAssertEqual(shots.map(\.layout), ["split"], "\(shots)")
        XCTAssertTrue(shots.first?.why?.contains("no sound") ?? false, "\(shots)")
        let m = try measure(out, clip: input, step: 3)
        XCTAssertGreaterThan(m.sampled.count, 25)
        let both = share(m.sampled) { f in
            guard let l = f.found["left"], let r = f.found["right"] else { return false }
            return l.y < 0.5 && r.y > 0.5
        }
        XCTAssertGreaterThanOrEqual(both, 0.9, "frames with both people (left above, right below): \(m.sampled.filter { $0.found.count < 2 }.map(\.frame))")

        // The sheet: the split's two window colours on the first thumbnail.
        let raw = dir + "/sheet.rgb"
        XCTAssertEqual(try run("ffmpeg", ["-nostdin", "-v", "error", "-i", sheet, "-f", "rawvideo", "-pix_fmt", "rgb24", raw]).0, 0)
        let rgb = try bytes(raw)
        let pixels = stride(from: 0, to: rgb.count - 2, by: 3).map { [rgb[$0], rgb[$0 + 1], rgb[$0 + 2]] }
        XCTAssertTrue(pixels.contains([235, 60, 220]), "no upper-window (magenta) outline on the sheet")
        XCTAssertTrue(pixels.contains([40, 220, 235]), "no lower-window (cyan) outline on the sheet")

        // --reframe-in: the path read back, with its layout, under --plan.
        let plan = try tikconv([input, "--reframe-in", pathFile, "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("split, follows 2 faces") && plan.stdout.contains("layout split"), plan.stdout)
    }

    /// A split path whose lower window is missing is refused with one line naming the shot (usage, exit 2).
    func testSplitPathWithoutItsLowerWindowIsRefused() throws {
        let input = try clip("duo", seconds: 3)
        let pathFile = dir + "/broken.json"
        let json = """
        {"version": 1, "sourceWidth": 1920, "sourceHeight": 1080, "shots": [{"start": 0, "end": 3, "mode": "split",
         "follows": "2 faces", "keyframes": [{"t": 0, "x": 0, "y": 0, "w": 900, "h": 800}]}]}
        """
        try json.write(toFile: pathFile, atomically: true, encoding: .utf8)
        let r = try tikconv([input, "--reframe-in", pathFile, "-o", outDir + "/broken.mp4"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("has no \"lower\" keyframes"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: outDir + "/broken.mp4"))
    }

    /// `--layout` belongs to smart reframing: with another fit it is a usage error.
    func testLayoutWithAnotherFitIsAUsageError() throws {
        let input = try clip("duo", seconds: 3)
        let r = try tikconv([input, "--fit", "blur", "--layout", "split", "-o", outDir + "/x.mp4"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--layout arranges smart reframing's shots"), r.stderr)
    }

    // MARK: talking in turns

    /// The frames from 0.7 s into each turn to its end.
    func settled(_ m: Measure) -> [Measure.Frame] {
        let turn = m.turn ?? 2
        return m.sampled.filter { f in
            let t = Double(f.frame) / m.fps
            return f.talker != nil && t - (t / turn).rounded(.down) * turn >= 0.7
        }
    }

    /// `--layout speaker`, two people talking in turns: from 0.7 s into each turn, the talker has
    /// the full-frame window (found at a full-height crop's zoom, 1920/1080, the other not at all)
    /// in ≥ 90% of the frames.
    func testSpeakerLayoutGivesTheTalkerTheFullFrame() throws {
        let input = try clip("turns", seconds: 8)
        let out = outDir + "/speaker.mp4"
        let shots = try convert(input, to: out, ["--layout", "speaker"])
        XCTAssertTrue(shots.allSatisfy { $0.layout == "speaker" }, "\(shots)")
        XCTAssertGreaterThanOrEqual(shots.count, 4, "one shot per turn: \(shots.map { "\($0.start) \($0.follows)" })")
        let frames = settled(try measure(out, clip: input, step: 4))
        XCTAssertGreaterThan(frames.count, 30)
        let talkerFull = share(frames) { f in
            guard let talker = f.talker, let seen = f.found[talker] else { return false }
            return abs(seen.zoom - 1920.0 / 1080) < 0.15 && f.found.count == 1
        }
        XCTAssertGreaterThanOrEqual(talkerFull, 0.9, "frames: \(frames.map { "\($0.frame) \($0.talker ?? "-") \($0.found.keys.sorted())" })")
    }

    /// By default (auto), two people talking in turns: the one talking is visible in ≥ 90% of the
    /// frames from 0.7 s into each turn, and the plan says which layout and why.
    func testTalkerIsVisibleByDefault() throws {
        let input = try clip("turns", seconds: 8)
        let out = outDir + "/auto.mp4"
        let shots = try convert(input, to: out)
        XCTAssertTrue(shots.allSatisfy { $0.layout == "speaker" && ($0.why ?? "").contains("talks") }, "\(shots)")
        let frames = settled(try measure(out, clip: input, step: 4))
        let visible = share(frames) { f in f.talker.map { f.found[$0] != nil } ?? false }
        XCTAssertGreaterThanOrEqual(visible, 0.9)
    }
}
