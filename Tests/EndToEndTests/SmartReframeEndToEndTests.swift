import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `--fit smart` end to end: ground-truth clips made now by the ffmpeg CLI (the astronaut photograph
/// of Tests/Fixtures/reframe composited on a photographed texture at known positions, see
/// scripts/reframe-truth), converted by the built tikconv, and the OUTPUT checked on its own: every
/// subject is looked for in the decoded output by template matching against the photograph at the
/// output's zoom (scripts/reframe-truth measure, OpenCV through Debian's python3-opencv), and
/// pictures are compared with ffmpeg's ssim filter against crops of the source.
final class SmartReframeEndToEndTests: EndToEndTestCase {
    static let truthTool = repoRoot.appendingPathComponent("scripts/reframe-truth").path
    static let validator = repoRoot.appendingPathComponent("scripts/validate-tiktok").path
    /// The output's zoom of a full-height 9:16 crop of a 1080-line source, and of the whole
    /// 1920-wide picture fitted to the output's width (the blurred fill).
    static let cropZoom = 1920.0 / 1080, wholeZoom = 1080.0 / 1920

    /// Clips depend only on their scenario: each is made once per run, in a folder removed at the end.
    static let clipFolder = NSTemporaryDirectory() + "tikconv-reframe-clips-\(UUID().uuidString)"
    nonisolated(unsafe) static var made: Set<String> = []

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: clipFolder)
        super.tearDown()
    }

    /// What scripts/reframe-truth found in an output.
    struct Measure: Decodable {
        var retention: Double
        var sampled: Int
        var size_factor: Double?
        var centre_x: Double?
        var missed_frames: [Int]
        var still_motion_px: Double?
        var cut_latency_frames: Int?
        var before_cut_kept: Bool?
    }

    /// The parts of `--json`'s report these tests read.
    struct Report: Decodable {
        struct Output: Decodable {
            var notes: [String]
            var shots: [ShotSummary]?
        }
        struct ShotSummary: Decodable {
            var start: Double, end: Double, mode: String, follows: String
        }
        var outputs: [Output]
    }

    // MARK: helpers

    /// Runs a helper tool; (status, stdout, stderr). Its stderr goes through a file, so a
    /// chatty tool cannot stall on a full pipe while stdout is read.
    @discardableResult
    func run(_ tool: String, _ args: [String]) throws -> (Int32, String, String) {
        let r = try runTool(tool.hasPrefix("/") ? tool : "/usr/bin/" + tool, args)
        return (r.status, r.text, r.errors)
    }

    /// A ground-truth clip (1920x1080, 30 fps) and its truth file, made once per run.
    func clip(_ scenario: String, seconds: Double = 2) throws -> String {
        let path = Self.clipFolder + "/\(scenario)-\(seconds).mp4"
        if Self.made.contains(path) { return path }
        try FileManager.default.createDirectory(atPath: Self.clipFolder, withIntermediateDirectories: true)
        let (status, _, err) = try run(Self.truthTool, ["make", scenario, path, "--seconds", String(seconds)])
        // scripts/setup installs ffmpeg and python3-opencv: a clip that cannot be made is a failure.
        guard status == 0 else {
            throw NSError(domain: "reframe-truth", code: Int(status),
                          userInfo: [NSLocalizedDescriptionKey: "cannot make the \(scenario) clip: \(err)"])
        }
        Self.made.insert(path)
        return path
    }

    func truth(of clip: String) -> String { (clip as NSString).deletingPathExtension + ".truth.json" }

    /// Finds the clip's subjects in `output` (every `step`th frame, and all frames around a cut).
    func measure(_ output: String, truth: String, step: Int = 4, file: StaticString = #filePath, line: UInt = #line) throws -> Measure {
        let (status, out, err) = try run(Self.truthTool, ["measure", output, truth, "--step", String(step)])
        XCTAssertEqual(status, 0, err, file: file, line: line)
        return try JSONDecoder().decode(Measure.self, from: Data(out.utf8))
    }

    /// `tikconv INPUT --fit smart -o OUT --preset ultrafast --json` plus `extra`; the run must succeed.
    func smart(_ input: String, to out: String, _ extra: [String] = [], progress: String = "none",
               file: StaticString = #filePath, line: UInt = #line) throws -> (Result, Report.Output?) {
        let r = try tikconv([input, "--fit", "smart", "-o", out, "--preset", "ultrafast", "--json", "--progress", progress] + extra,
                            file: file, line: line)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        XCTAssertFalse(r.signaled, file: file, line: line)
        let report = try? JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
        XCTAssertNotNil(report, "no --json report: \(r.stdout)", file: file, line: line)
        return (r, report?.outputs.first)
    }

    func shots(_ o: Report.Output?) -> [String] { (o?.shots ?? []).map { "\($0.mode) \($0.follows)" } }

    /// The output contract (scripts/validate-tiktok: ffprobe and MediaInfo).
    func assertContract(_ out: String, source: String, extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let (status, stdout, stderr) = try run(Self.validator, [out, "--plan", "tiktok", "--source", source] + extra)
        XCTAssertEqual(status, 0, "\((source as NSString).lastPathComponent): \(stdout) \(stderr)", file: file, line: line)
    }

    /// ffmpeg's SSIM (All) between frames of `output` and the same frames of `source` through
    /// `chain` (a filter chain ending at 1080x1920, or the region `crop` of the output compares).
    func ssim(_ output: String, _ source: String, chain: String, crop: String? = nil, frames: Int = 30) throws -> Double {
        let a = crop.map { "[0:v]crop=\($0)[a];" } ?? "[0:v]null[a];"
        let graph = a + "[1:v]\(chain)[b];[a][b]ssim"
        let (_, _, err) = try run("ffmpeg", ["-nostdin", "-i", output, "-i", source, "-filter_complex", graph,
                                             "-frames:v", String(frames), "-f", "null", "-"])
        guard let r = err.range(of: "All:", options: .backwards) else { XCTFail("no SSIM from ffmpeg: \(err.suffix(400))"); return 0 }
        return Double(err[r.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? 0
    }

    func readPath(_ file: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
    }

    // MARK: ground truth

    /// One face in the left third: a single window for the whole clip that holds the face and
    /// does not move. The centre crop (`--fit crop`) misses it: the check can fail. The contact
    /// sheet and the progress line's phases are checked on the same run.
    func testStillOffCentreFaceIsKeptInOneWindowThatDoesNotMove() throws {
        let input = try clip("still")
        let out = outDir + "/still.mp4", sheet = outDir + "/sheet.png", pathFile = outDir + "/path.json"
        let (result, report) = try smart(input, to: out, ["--preview", sheet, "--reframe-out", pathFile], progress: "machine")
        XCTAssertEqual(shots(report), ["still face"])
        let m = try measure(out, truth: truth(of: input))
        XCTAssertEqual(m.retention, 1.0, "face not wholly inside in frames \(m.missed_frames)")
        XCTAssertEqual(m.size_factor ?? 0, Self.cropZoom, accuracy: 0.01, "the face is shown at full-height zoom")
        // Phase correlation of output pictures: a window moved by one source pixel shifts them by
        // 1.8 output pixels; encoding noise alone reads ~0.01.
        XCTAssertLessThanOrEqual(try XCTUnwrap(m.still_motion_px), 0.1, "the window moved while the face stood still")
        try assertContract(out, source: input)
        let window = try XCTUnwrap(((try readPath(pathFile)["shots"] as? [[String: Any]])?.first?["keyframes"] as? [[String: Any]])?
            .first?["x"] as? Double)
        try assertSheet(sheet, seconds: 2, stillWindowX: window)
        assertPhases(result)

        let crop = try tikconv([input, "--fit", "crop", "-o", outDir + "/crop.mp4", "--preset", "ultrafast", "--duration", "1", "-q"])
        XCTAssertEqual(crop.status, 0, crop.stderr)
        XCTAssertEqual(try measure(outDir + "/crop.mp4", truth: truth(of: input)).retention, 0, "the centre crop shows the face?")
    }

    /// The contact sheet of a 1920x1080 clip: a PNG of 6 tiles across (240x134 thumbnails of the
    /// 480x270 analysis pictures, 4 px gaps), about one thumbnail a second, with a still window's
    /// left edge drawn in green on the first tile where the path puts it.
    func assertSheet(_ sheet: String, seconds: Int, stillWindowX: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let (status, probe, _) = try run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height",
                                                     "-of", "csv=p=0", sheet])
        XCTAssertEqual(status, 0, file: file, line: line)
        let rows = (seconds + 5) / 6, thumbHeight = (240 * 270 / 480) & ~1, width = 6 * 244 + 4
        XCTAssertEqual(probe.trimmingCharacters(in: .whitespacesAndNewlines), "png,\(width),\(rows * (thumbHeight + 4) + 4)",
                       file: file, line: line)
        let size = (try FileManager.default.attributesOfItem(atPath: sheet)[.size] as? Int) ?? 0
        XCTAssertTrue((20_000...2_000_000).contains(size), "sheet of \(size) bytes", file: file, line: line)
        let raw = dir + "/sheet.rgb"
        XCTAssertEqual(try run("ffmpeg", ["-nostdin", "-v", "error", "-i", sheet, "-f", "rawvideo", "-pix_fmt", "rgb24", raw]).0, 0)
        let rgb = try bytes(raw)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(rgb[(y * width + x) * 3 ..< (y * width + x) * 3 + 3]) }
        let edge = 4 + Int((stillWindowX * 240 / 1920).rounded()), middle = 4 + thumbHeight / 2
        XCTAssertEqual(pixel(edge, middle), [40, 220, 60], "no green window edge at x \(edge)", file: file, line: line)
        XCTAssertNotEqual(pixel(edge + 20, middle), [40, 220, 60], "a green band, not an edge", file: file, line: line)
    }

    /// `--progress machine` names the analysis pass, then the conversion, never back.
    func assertPhases(_ r: Result, file: StaticString = #filePath, line: UInt = #line) {
        let phases = r.stderrLines.filter { $0.hasPrefix("progress ") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("phase=") }.map { String($0.dropFirst(6)) }
        }
        XCTAssertEqual(phases.first, "analysing", r.stderr, file: file, line: line)
        XCTAssertEqual(phases.last, "converting", r.stderr, file: file, line: line)
        XCTAssertEqual(phases.firstIndex(of: "converting").map { phases[$0...].contains("analysing") }, false,
                       "analysis after the conversion began: \(phases)", file: file, line: line)
    }

    /// No --fit at all: a one-speaker landscape clip comes out 1080x1920
    /// with the face full-size, near the middle (the window keeps it a little left of centre,
    /// clear of TikTok's buttons) and steady; the plan says smart is the default for landscape.
    func testLandscapeClipIsReframedByDefault() throws {
        let input = try clip("still")
        let plan = try tikconv([input, "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("default fit: smart (landscape source)"), plan.stdout)
        let out = outDir + "/default.mp4"
        let r = try tikconv([input, "-o", out, "--preset", "ultrafast", "--json", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
        XCTAssertEqual(shots(report.outputs.first), ["still face"])
        try assertContract(out, source: input)
        let m = try measure(out, truth: truth(of: input))
        XCTAssertEqual(m.retention, 1.0, "face not wholly inside in frames \(m.missed_frames)")
        XCTAssertEqual(m.size_factor ?? 0, Self.cropZoom, accuracy: 0.01, "the face is not shown at full-height zoom")
        XCTAssertEqual(try XCTUnwrap(m.centre_x), 0.5, accuracy: 0.1, "the face is not near the middle")
        XCTAssertLessThanOrEqual(try XCTUnwrap(m.still_motion_px), 0.1, "the window moved while the face stood still")
    }

    /// A face walking at 400 px/s: a pan that keeps it inside.
    func testWalkingFaceIsFollowedByAPan() throws {
        let input = try clip("walk")
        let out = outDir + "/walk.mp4"
        let (_, report) = try smart(input, to: out)
        XCTAssertEqual(shots(report), ["pan face"])
        let m = try measure(out, truth: truth(of: input))
        XCTAssertGreaterThanOrEqual(m.retention, 0.95, "face not wholly inside in frames \(m.missed_frames)")
        XCTAssertEqual(m.size_factor ?? 0, Self.cropZoom, accuracy: 0.01)
    }

    /// The smart render (analysis, panning crop strips, encoder flush) gives the same pictures
    /// every time: the walking face converted twice with one encoder thread has the same frame
    /// hashes and the same path. (With several x264 frame threads and the level's VBV, x264
    /// itself is not repeatable once VBV limits the rate, so the runs use `--threads 1`.)
    func testSmartRenderIsRepeatableFrameForFrame() throws {
        let input = try clip("walk")
        var runs: [(frames: [String], path: [String: Any])] = []
        for n in 1...2 {
            let out = outDir + "/walk\(n).mp4", pathFile = dir + "/walk\(n).json"
            let (_, report) = try smart(input, to: out, ["--threads", "1", "--reframe-out", pathFile])
            XCTAssertEqual(shots(report), ["pan face"], "run \(n) did not pan")
            runs.append((try frameMD5s(out), try readPath(pathFile)))
        }
        XCTAssertEqual(runs[0].frames.count, 60)
        XCTAssertEqual(NSDictionary(dictionary: runs[0].path), NSDictionary(dictionary: runs[1].path), "the analysis differs")
        let differing = zip(runs[0].frames, runs[1].frames).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        XCTAssertEqual(differing, [], "frames differ between two identical runs")
    }

    /// MD5 of every decoded video frame, by the ffmpeg CLI.
    func frameMD5s(_ path: String) throws -> [String] {
        let (status, out, err) = try run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-"])
        XCTAssertEqual(status, 0, err)
        return out.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: ",").last.map(String.init) }
    }

    /// A face on gravel, then (cut at 1 s) a smaller face on the other side on bricks: the window
    /// jumps on the first frame of the new shot, not before and not after.
    func testCutGetsTheNewWindowOnItsFirstFrame() throws {
        let input = try clip("cut")
        let out = outDir + "/cut.mp4"
        let (_, report) = try smart(input, to: out)
        XCTAssertEqual(shots(report), ["still face", "still face"])
        XCTAssertEqual(report?.shots?.last?.start ?? 0, 1.0, accuracy: 1.0 / 30 + 1e-6)
        let m = try measure(out, truth: truth(of: input))
        XCTAssertEqual(m.before_cut_kept, true, "the old face was lost before the cut")
        XCTAssertEqual(m.cut_latency_frames, 0, "frames after the cut before the new face was inside")
        XCTAssertGreaterThanOrEqual(m.retention, 0.95, "missed frames \(m.missed_frames)")
        XCTAssertLessThanOrEqual(try XCTUnwrap(m.still_motion_px), 0.1, "a still shot's window moved")
    }

    /// A grainy clip's keyframes change its histogram as much as a cut does (the grain's spread
    /// resets); they are not cuts: one shot, not one a keyframe.
    func testKeyframesOfAGrainyClipAreNotCuts() throws {
        let input = dir + "/grain.mp4"
        let (status, _, err) = try run("ffmpeg", ["-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi",
                                                  "-i", "testsrc2=size=960x540:rate=30:duration=4",
                                                  "-vf", "noise=alls=20:allf=t,format=yuv420p", "-c:v", "libx264", "-preset", "veryfast",
                                                  "-b:v", "4M", "-maxrate", "4M", "-bufsize", "4M", "-g", "30", input])
        XCTAssertEqual(status, 0, err)
        let (_, report) = try smart(input, to: outDir + "/grain.tiktok.mp4")
        XCTAssertEqual(report?.shots?.count, 1, "keyframes taken for cuts: \(shots(report))")
    }

    /// `--layout fill`: two faces too far apart for one 9:16 window are shown in the whole picture
    /// over its blurred copy (auto splits them: LayoutEndToEndTests).
    func testTwoFacesFarApartAreBothShownWhole() throws {
        let input = try clip("two")
        let out = outDir + "/two.mp4"
        let (_, report) = try smart(input, to: out, ["--layout", "fill"])
        XCTAssertEqual(report?.shots?.map(\.mode), ["fill"])
        XCTAssertTrue(report?.shots?.first?.follows.hasPrefix("2 faces") ?? false, shots(report).description)
        let m = try measure(out, truth: truth(of: input))
        XCTAssertEqual(m.retention, 1.0, "a face missing in frames \(m.missed_frames)")
        XCTAssertEqual(m.size_factor ?? 0, Self.wholeZoom, accuracy: 0.01)
        // The middle band of the output is the whole source picture (1080x608 at y 656).
        let whole = try ssim(out, input, chain: "scale=1080:608,crop=1080:600:0:4", crop: "1080:600:0:660")
        XCTAssertGreaterThan(whole, 0.9, "the whole picture is not in the middle of the output")
    }

    /// A ball moving at 360 px/s and no face: motion is followed.
    func testMovingObjectWithoutAFaceIsFollowed() throws {
        let input = try clip("object")
        let out = outDir + "/object.mp4"
        let (_, report) = try smart(input, to: out)
        XCTAssertEqual(shots(report), ["pan motion"])
        let m = try measure(out, truth: truth(of: input))
        XCTAssertGreaterThanOrEqual(m.retention, 0.95, "ball not wholly inside in frames \(m.missed_frames)")
    }

    /// The still clip stored turned (a phone held sideways: 1080x1920 stored, 90° display matrix):
    /// the analysis works on the upright picture, so the same face is kept.
    func testRotatedSourceIsAnalysedUpright() throws {
        let upright = try clip("still")
        let stored = dir + "/stored.mp4", input = dir + "/turned.mp4"
        // Turned clockwise and tagged 90°: players (ffmpeg's autorotate too) show the upright picture.
        let (status, _, err) = try run("ffmpeg", ["-nostdin", "-v", "error", "-i", upright, "-vf", "transpose=clock",
                                                  "-c:v", "libx264", "-preset", "ultrafast", "-crf", "14", stored])
        XCTAssertEqual(status, 0, err)
        let (tagged, _, tagErr) = try run("ffmpeg", ["-nostdin", "-v", "error", "-i", stored, "-c", "copy",
                                                     "-metadata:s:v:0", "rotate=90", input])
        XCTAssertEqual(tagged, 0, tagErr)
        XCTAssertGreaterThan(try ssim(input, upright, chain: "null", frames: 5), 0.99, "ffmpeg does not show the turned clip upright")
        let out = outDir + "/turned.tiktok.mp4"
        let (_, report) = try smart(input, to: out)
        XCTAssertEqual(shots(report), ["still face"])
        let m = try measure(out, truth: truth(of: upright))
        XCTAssertEqual(m.retention, 1.0, "face not wholly inside in frames \(m.missed_frames)")
    }

    // MARK: explain, preview, edit

    /// `--reframe-out`, then the path edited by hand (window 200 px to the right) and rendered
    /// with `--reframe-in`: the output shows the edited window, judged by pixels against the
    /// source cropped there, and no analysis runs.
    func testEditedPathIsRenderedWhereItSays() throws {
        let input = try clip("still")
        let pathFile = dir + "/path.json", edited = dir + "/edited.json"
        _ = try smart(input, to: outDir + "/first.mp4", ["--duration", "1", "--reframe-out", pathFile])
        var path = try readPath(pathFile)
        var shots = try XCTUnwrap(path["shots"] as? [[String: Any]])
        XCTAssertEqual(shots.count, 1)
        var keys = try XCTUnwrap(shots[0]["keyframes"] as? [[String: Any]])
        let x = try XCTUnwrap(keys[0]["x"] as? Double), w = try XCTUnwrap(keys[0]["w"] as? Double)
        XCTAssertLessThanOrEqual(x + 200 + w, 1920, "the edit must stay inside the picture")
        for i in keys.indices { keys[i]["x"] = (keys[i]["x"] as? Double ?? 0) + 200 }
        shots[0]["keyframes"] = keys
        path["shots"] = shots
        try JSONSerialization.data(withJSONObject: path).write(to: URL(fileURLWithPath: edited))

        let out = outDir + "/edited.mp4"
        let r = try tikconv([input, "--reframe-in", edited, "-o", out, "--preset", "ultrafast", "--duration", "1",
                             "--progress", "machine"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("phase=analysing"), "--reframe-in must not analyse: \(r.stderr)")
        // 608 source columns from the window's even left edge, scaled as the window is.
        func window(_ left: Double) -> String { "crop=608:1080:\(Int(left.rounded()) & ~1):0,scale=1080:1920:flags=bicubic" }
        let atEdit = try ssim(out, input, chain: window(x + 200))
        let atAnalysed = try ssim(out, input, chain: window(x))
        XCTAssertGreaterThan(atEdit, 0.85, "the output is not the edited window")
        XCTAssertGreaterThan(atEdit - atAnalysed, 0.2, "the output matches the unedited window as well (\(atAnalysed))")
    }

    /// A bad `--reframe-in` is a usage error before anything is written: one line, exit 2.
    func testBadEditedPathsAreUsageErrors() throws {
        let input = try copy(try clip("still"), as: "in.mp4")
        let malformed = dir + "/malformed.json"
        try Data("{\"version\": 1, \"shots\": [".utf8).write(to: URL(fileURLWithPath: malformed))
        try assertRefused(input, extra: ["--reframe-in", malformed], exit: 2,
                          message: "--reframe-in \(malformed): reframe path: not a reframe path: The given data was not valid JSON")

        func path(width: Int, x: Double) throws -> String {
            let file = dir + "/path-\(width)-\(Int(x)).json"
            let json = """
            {"version": 1, "sourceWidth": \(width), "sourceHeight": 1080, "shots": [{"start": 0, "end": 2, "mode": "still",
             "follows": "face", "keyframes": [{"t": 0, "x": \(x), "y": 0, "w": 607.5, "h": 1080}]}]}
            """
            try Data(json.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }
        try assertRefused(input, extra: ["--reframe-in", try path(width: 1920, x: 1500)], exit: 2,
                          message: "is not inside the 1920x1080 picture")
        try assertRefused(input, extra: ["--reframe-in", try path(width: 1280, x: 100)], exit: 2,
                          message: "made for a 1280x1080 picture, but this source is 1920x1080")
    }

    // MARK: everything else holds

    /// A source already 9:16 (the phone clip: stored 640x360, turned 90°) is shown whole, upright.
    func testNineBySixteenSourceIsNotReframed() throws {
        let input = Self.testMedia("portrait_rot90.mp4")
        let out = outDir + "/portrait.mp4"
        let (_, report) = try smart(input, to: out)
        XCTAssertNil(report?.shots, "a 9:16 source got a reframe: \(shots(report))")
        XCTAssertTrue(report?.notes.contains { $0.contains("already 9:16") } ?? false, "\(report?.notes ?? [])")
        try assertContract(out, source: input)
        // ffmpeg's own upright, whole picture at the output size.
        XCTAssertGreaterThan(try ssim(out, input, chain: "scale=1080:1920:flags=bicubic"), 0.9)
    }

    /// Variable frame rate, HLG HDR, 10-bit and interlaced sources through `--fit smart` still
    /// meet the whole output contract.
    func testOutputContractHoldsForDifficultSources() throws {
        for name in ["vfr.mp4", "hdr_hlg.mp4", "h264_10bit.mp4", "interlaced_tff.mkv"] {
            let input = Self.testMedia(name)
            let out = outDir + "/" + name + ".mp4"
            let (_, report) = try smart(input, to: out, ["--duration", "1"])
            XCTAssertFalse(report?.shots?.isEmpty ?? true, "\(name): no shots reported")
            try assertContract(out, source: input, extra: ["--duration", "1"])
        }
    }

    /// Ctrl-C while the analysis runs: exit 130, and no output, temporary, sheet or path file.
    func testCtrlCDuringTheAnalysisLeavesNothingBehind() throws {
        // 20 s of the still clip (stream copies: instant to make, long enough to interrupt).
        let input = dir + "/long.mp4"
        let (status, _, err) = try run("ffmpeg", ["-nostdin", "-v", "error", "-stream_loop", "9", "-i", try clip("still"),
                                                  "-c", "copy", input])
        XCTAssertEqual(status, 0, err)
        let before = hash(input)
        let (p, o, e) = try start([input, "--fit", "smart", "-o", outDir + "/out.mp4", "--preset", "ultrafast",
                                   "--preview", outDir + "/sheet.png", "--reframe-out", outDir + "/path.json", "--progress", "machine"])
        let analysing = wait(30) { ((try? String(contentsOfFile: e, encoding: .utf8)) ?? "").contains("phase=analysing") }
        XCTAssertTrue(analysing, "no analysis progress line")
        kill(p.processIdentifier, SIGINT)
        let r = finish(p, o, e, timeout: 30)
        XCTAssertFalse(r.signaled)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertFalse(r.stderr.contains("phase=converting"), "the conversion had begun: not an interrupted analysis")
        XCTAssertTrue(r.stderr.contains("long.mp4: interrupted"), r.stderr)
        XCTAssertEqual(entries(outDir), [], "left behind")
        XCTAssertEqual(temporaries(dir), [])
        XCTAssertEqual(hash(input), before)
    }
}
