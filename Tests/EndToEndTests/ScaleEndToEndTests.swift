import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Batches at scale: --jobs, --skip-existing, --shard, --report, and the recipes of docs/SCALE.md.
final class ScaleEndToEndTests: EndToEndTestCase {
    let fast = ["--preset", "ultrafast", "--fit", "pad", "--progress", "none"]

    /// Short clips (0.5 s, 320x180 with sound) named `names` in `in/`, made by the ffmpeg CLI.
    @discardableResult
    func makeClips(_ names: [String]) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x180:rate=30:duration=0.5", "-f", "lavfi", "-i", "sine=duration=0.5",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "in/.clip.mp4"])
        let paths = names.map { dir + "/in/" + $0 }
        for p in paths { try FileManager.default.copyItem(atPath: dir + "/in/.clip.mp4", toPath: p) }
        try FileManager.default.removeItem(atPath: dir + "/in/.clip.mp4")
        return paths
    }

    /// Every line of a --report file as a JSON object; a line that does not parse fails the test.
    func reportLines(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        XCTAssertTrue(text.hasSuffix("\n"), "the report should end with a newline: \(text)", file: file, line: line)
        return text.split(separator: "\n").compactMap { l in
            let object = try? JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any]
            if object == nil { XCTFail("not a JSON object: \(l)", file: file, line: line) }
            return object
        }
    }

    func inode(_ path: String) -> (ino_t, Int)? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return (s.st_ino, s.st_mtim.tv_sec * 1_000_000_000 + s.st_mtim.tv_nsec)
    }

    /// Six inputs, shards 1/3, 2/3 and 3/3, each given the inputs in another order (as shells'
    /// globs may): six outputs, each input in exactly one shard, two per shard. Two inputs whose
    /// outputs would take one name get the same two names a single run gives them.
    func testThreeShardsConvertSixInputsOnceEach() throws {
        let clips = try makeClips(["f.mp4", "a.mp4", "d.mov", "c.mp4", "e.mp4", "d.mp4"])
        let orders = [clips, clips.reversed(), clips.sorted()]
        for k in 1...3 {
            let r = try tikconv(orders[k - 1] + ["-o", outDir + "/", "--shard", "\(k)/3", "--report", dir + "/runs.jsonl"] + fast)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout.split(separator: "\n").count, 2, "shard \(k)/3: \(r.stdout)")
        }
        XCTAssertEqual(entries(outDir), ["a.tiktok.mp4", "c.tiktok.mp4", "d.mp4.tiktok.mp4", "d.tiktok.mp4", "e.tiktok.mp4", "f.tiktok.mp4"])
        let lines = reportLines(dir + "/runs.jsonl")
        XCTAssertEqual(lines.compactMap { $0["input"] as? String }.sorted(), clips.sorted(), "each input once")
        XCTAssertEqual(Set(lines.compactMap { $0["output"] as? String }).count, 6)
        for k in 1...3 { XCTAssertEqual(lines.filter { $0["shard"] as? String == "\(k)/3" }.count, 2, "shard \(k)/3") }
        XCTAssertTrue(lines.allSatisfy { $0["status"] as? String == "converted" }, "\(lines)")
        // d.mov sorts before d.mp4, so it keeps the plain name in every shard's naming.
        let outputOf = Dictionary(uniqueKeysWithValues: lines.map { ($0["input"] as? String ?? "", $0["output"] as? String ?? "") })
        XCTAssertEqual(outputOf[dir + "/in/d.mov"], outDir + "/d.tiktok.mp4")
        XCTAssertEqual(outputOf[dir + "/in/d.mp4"], outDir + "/d.mp4.tiktok.mp4")
    }

    /// More shards than inputs: the empty shard says so and exits 0, making nothing.
    func testAShardWithNothingToDoSucceeds() throws {
        let clips = try makeClips(["a.mp4"])
        let r = try tikconv(clips + ["-o", outDir + "/", "--shard", "2/2"] + fast)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("tikconv: shard 2/2: nothing to do (1 input in all)"), r.stderr)
        XCTAssertEqual(entries(outDir), [])
    }

    /// A second run with --skip-existing opens no output: same inode and modification time, each
    /// input named as skipped, the outputs still listed on stdout, and exit 0.
    func testSkipExistingLeavesFinishedOutputsAlone() throws {
        let clips = try makeClips(["a.mp4", "b.mp4", "c.mp4"])
        let first = try tikconv(clips + ["-o", outDir + "/"] + fast)
        XCTAssertEqual(first.status, 0, first.stderr)
        let outputs = entries(outDir).map { outDir + "/" + $0 }
        let before = outputs.map { inode($0).map { "\($0.0)/\($0.1)" } ?? "missing" }
        let again = try tikconv(clips + ["-o", outDir + "/", "--skip-existing", "--report", dir + "/runs.jsonl"] + fast)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(outputs.map { inode($0).map { "\($0.0)/\($0.1)" } ?? "missing" }, before, "an output was touched")
        XCTAssertEqual(again.stdout, first.stdout)
        for name in ["a", "b", "c"] {
            XCTAssertTrue(again.stderr.contains("tikconv: \(name).mp4: \(outDir)/\(name).tiktok.mp4 exists; skipped (--skip-existing)"), again.stderr)
        }
        XCTAssertTrue(again.stderr.contains("tikconv: 0 converted, 3 skipped, 0 failed"), again.stderr)
        XCTAssertEqual(reportLines(dir + "/runs.jsonl").map { $0["status"] as? String }, ["skipped", "skipped", "skipped"])
        // -y replaces; --skip-existing keeps: asking for both is a usage error.
        let both = try tikconv(clips + ["-o", outDir + "/", "--skip-existing", "-y"] + fast)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--skip-existing and -y cannot be used together: pick one"), both.stderr)
    }

    /// A batch killed (SIGKILL) after its first output and run again with --skip-existing
    /// converts only the rest: the first output is not rewritten, the stale temporary file goes.
    func testAKilledBatchRunAgainConvertsOnlyTheRest() throws {
        let a = try makeClips(["a.mp4"])[0]
        let b = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "in/b.mp4"), c = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "in/c.mp4")
        let (p, o, e) = try start([a, b, c, "-o", outDir + "/", "--jobs", "1", "--preset", "veryslow", "--fit", "pad", "--progress", "none"])
        XCTAssertTrue(wait(60) { FileManager.default.fileExists(atPath: outDir + "/a.tiktok.mp4") }, "a.tiktok.mp4 never appeared")
        kill(p.processIdentifier, SIGKILL)
        let killed = finish(p, o, e)
        XCTAssertTrue(killed.signaled)
        XCTAssertFalse(FileManager.default.fileExists(atPath: outDir + "/b.tiktok.mp4"), "the batch finished before it was killed")
        let first = inode(outDir + "/a.tiktok.mp4")
        // Run again, faster settings for the test's sake: which inputs are converted does not depend on them.
        let again = try tikconv([a, b, c, "-o", outDir + "/", "--skip-existing", "--duration", "0.5", "--report", dir + "/runs.jsonl"] + fast)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(entries(outDir), ["a.tiktok.mp4", "b.tiktok.mp4", "c.tiktok.mp4"])
        XCTAssertEqual(inode(outDir + "/a.tiktok.mp4").map { "\($0.0)/\($0.1)" }, first.map { "\($0.0)/\($0.1)" })
        let status = Dictionary(uniqueKeysWithValues: reportLines(dir + "/runs.jsonl").map { ($0["input"] as? String ?? "", $0["status"] as? String ?? "") })
        XCTAssertEqual(status, [a: "skipped", b: "converted", c: "converted"])
    }

    /// --jobs 2 makes the same files, byte for byte, as --jobs 1, and lists them in the same order
    /// (with the default fit, smart: its analysis runs in both threads at once too).
    func testTwoJobsMakeTheSameFilesAsOne() throws {
        let clips = try makeClips(["d.mp4", "b.mp4", "c.mp4", "a.mp4"])
        let settings = ["--preset", "ultrafast", "--progress", "none"]
        let one = try tikconv(clips + ["-o", dir + "/one/", "--jobs", "1"] + settings)
        let two = try tikconv(clips + ["-o", dir + "/two/", "--jobs", "2"] + settings)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertEqual(entries(dir + "/one"), ["a.tiktok.mp4", "b.tiktok.mp4", "c.tiktok.mp4", "d.tiktok.mp4"])
        XCTAssertEqual(entries(dir + "/two"), entries(dir + "/one"))
        for name in entries(dir + "/one") {
            XCTAssertNotNil(hash(dir + "/one/" + name))
            XCTAssertEqual(hash(dir + "/two/" + name), hash(dir + "/one/" + name), name)
        }
        XCTAssertEqual(two.stdout.replacingOccurrences(of: "/two/", with: "/one/"), one.stdout, "outputs listed in the inputs' order")
        XCTAssertEqual(one.stdout.split(separator: "\n").map { ($0 as NSString).lastPathComponent },
                       ["d.tiktok.mp4", "b.tiktok.mp4", "c.tiktok.mp4", "a.tiktok.mp4"])
    }

    /// Ctrl-C under --jobs 2 stops both running conversions, starts no other, and leaves no
    /// output and no temporary file.
    func testCtrlCStopsEveryRunningJob() throws {
        let inputs = try ["b", "c", "d"].map { try copy(Self.testMedia("h264_aac_16x9.mp4"), as: $0 + ".mp4") }
        let (p, o, e) = try start(inputs + ["-o", outDir + "/", "--jobs", "2", "--preset", "veryslow", "--fit", "pad", "--progress", "none"])
        XCTAssertTrue(wait(60) { temporaries(outDir).count == 2 }, "two conversions never ran at once: \(entries(outDir))")
        kill(p.processIdentifier, SIGINT)
        let r = finish(p, o, e, timeout: 30)
        XCTAssertFalse(r.signaled)
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertEqual(entries(outDir), [], "nothing may be left in the output folder")
        XCTAssertTrue(r.stderr.contains("b.mp4: interrupted; the unfinished output was removed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("c.mp4: interrupted; the unfinished output was removed"), r.stderr)
        XCTAssertFalse(r.stderr.contains("d.mp4"), "d.mp4 should never have started: \(r.stderr)")
    }

    /// Every input has its line, failed ones too: refused by the probe (exit 3), an output that
    /// exists without -y (exit 6), and the converted ones with their size and times.
    func testReportAccountsForEveryInputIncludingFailures() throws {
        let clips = try makeClips(["a.mp4", "b.mp4", "c.mp4"])
        let random = try copy(Self.testMedia("random.mp4"), as: "in/random.mp4")
        FileManager.default.createFile(atPath: outDir + "/b.tiktok.mp4", contents: Data("taken".utf8))
        let r = try tikconv(clips + [random, "-o", outDir + "/", "--jobs", "2", "--report", dir + "/runs.jsonl"] + fast)
        XCTAssertEqual(r.status, 10, r.stderr)
        let lines = reportLines(dir + "/runs.jsonl")
        XCTAssertEqual(lines.count, 4, "\(lines)")
        let by = Dictionary(uniqueKeysWithValues: lines.map { ($0["input"] as? String ?? "", $0) })
        XCTAssertEqual(Set(by.keys), Set(clips + [random]))
        XCTAssertEqual(by[random]?["status"] as? String, "failed")
        XCTAssertEqual(by[random]?["exit"] as? Int, 3)
        XCTAssertTrue((by[random]?["error"] as? String ?? "").contains("not a video, photo, audio or text file"), "\(by[random] ?? [:])")
        XCTAssertEqual(by[clips[1]]?["status"] as? String, "failed")
        XCTAssertEqual(by[clips[1]]?["exit"] as? Int, 6)
        for c in [clips[0], clips[2]] {
            let l = by[c] ?? [:]
            XCTAssertEqual(l["status"] as? String, "converted")
            XCTAssertEqual(l["route"] as? String, "tiktok")
            XCTAssertEqual(l["exit"] as? Int, 0)
            XCTAssertEqual(l["bytes"] as? Int, (try? FileManager.default.attributesOfItem(atPath: l["output"] as? String ?? ""))?[.size] as? Int)
            XCTAssertGreaterThan(l["seconds"] as? Double ?? 0, 0)
            XCTAssertGreaterThan(l["cpuSeconds"] as? Double ?? 0, 0)
            XCTAssertNil(l["error"])
        }
    }

    /// Two processes append to one report at once (as a job array on a shared disk does): every
    /// line whole, one per input, from both processes.
    func testTwoProcessesShareOneReport() throws {
        let clips = try makeClips(["a.mp4", "b.mp4", "c.mp4", "d.mp4", "e.mp4", "f.mp4"])
        let runs = try (1...2).map { k in
            try start(clips + ["-o", outDir + "/", "--shard", "\(k)/2", "--jobs", "2", "--report", dir + "/runs.jsonl"] + fast, tag: "shard\(k)")
        }
        for (p, o, e) in runs {
            let r = finish(p, o, e)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let lines = reportLines(dir + "/runs.jsonl")
        XCTAssertEqual(lines.compactMap { $0["input"] as? String }.sorted(), clips)
        XCTAssertEqual(Set(lines.compactMap { $0["pid"] as? Int }).count, 2)
        XCTAssertEqual(entries(outDir).count, 6)
    }

    /// A report that cannot be opened stops the run before any work: one line, exit 6.
    func testAnUnwritableReportIsRefusedFirst() throws {
        let clips = try makeClips(["a.mp4"])
        let r = try tikconv(clips + ["-o", outDir + "/", "--report", dir + "/no/such/folder/runs.jsonl"] + fast)
        XCTAssertEqual(r.status, 6, r.stderr)
        XCTAssertEqual(r.stderrLines, ["tikconv: --report \(dir)/no/such/folder/runs.jsonl: cannot open it for appending (No such file or directory): pick another file"])
        XCTAssertEqual(entries(outDir), [])
    }

    /// Flag values are checked before any file is read.
    func testBadBatchValuesAreUsageErrors() throws {
        for (flag, value) in [("--shard", "0/3"), ("--shard", "4/3"), ("--shard", "2"), ("--jobs", "0"), ("--jobs", "many")] {
            let r = try tikconv(["nothing.mp4", flag, value])
            XCTAssertEqual(r.status, 2, "\(flag) \(value): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(flag), r.stderr)
        }
        // All four are optional: the usage line lists none of them as required.
        let help = try tikconv(["convert", "--help"])
        XCTAssertTrue(help.stdout.contains("USAGE: tikconv convert [<options>] [<inputs> ...]\n"), help.stdout)
    }

    /// The first fenced block after `marker` in docs/SCALE.md, as the reader copies it. A doc
    /// without the marker or the block fails the test.
    func recipe(after marker: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let doc = try String(contentsOfFile: Self.repoRoot.appendingPathComponent("docs/SCALE.md").path, encoding: .utf8)
        guard let at = doc.range(of: marker), let open = doc.range(of: "```", range: at.upperBound..<doc.endIndex),
              let bodyStart = doc.range(of: "\n", range: open.upperBound..<doc.endIndex),
              let close = doc.range(of: "\n```", range: bodyStart.upperBound..<doc.endIndex) else {
            XCTFail("docs/SCALE.md has no fenced block after “\(marker)”", file: file, line: line)
            throw XCTSkip("no recipe")
        }
        return String(doc[bodyStart.upperBound..<close.lowerBound])
    }

    /// Runs `script` with bash in the scratch folder, the built tikconv first on PATH.
    func bash(_ script: String, environment: [String: String] = [:]) throws -> Result {
        var env = ["PATH": Self.productsDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        env.merge(environment) { $1 }
        return try tikconv(["-c", script], executable: "/bin/bash", timeout: 180, environment: env)
    }

    /// docs/SCALE.md's GNU parallel recipe for one machine, exactly as written, with Debian's
    /// `parallel`: every input converted once, one report line each, from four shards.
    func testGNUParallelRecipeAsWritten() throws {
        let recipe = try recipe(after: "<!-- recipe: parallel-one-machine")
        XCTAssertTrue(recipe.hasPrefix("parallel "), recipe)
        let version = try tikconv(["--version"], executable: "/usr/bin/parallel")
        XCTAssertTrue(version.stdout.contains("GNU parallel"), "GNU parallel is needed (scripts/setup installs it): \(version.stdout)")
        let clips = try makeClips(["a.mp4", "b.mp4", "c.mp4", "clip.mov", "clip.mp4"])
        let r = try bash(recipe)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(entries(outDir), ["a.tiktok.mp4", "b.tiktok.mp4", "c.tiktok.mp4", "clip.mp4.tiktok.mp4", "clip.tiktok.mp4"])
        let lines = reportLines(dir + "/runs.jsonl")
        XCTAssertEqual(lines.compactMap { $0["input"] as? String }.map { ($0 as NSString).lastPathComponent }.sorted(),
                       clips.map { ($0 as NSString).lastPathComponent }.sorted())
        XCTAssertEqual(Set(lines.compactMap { $0["shard"] as? String }), ["1/4", "2/4", "3/4", "4/4"])
        // Run again as written: everything is skipped.
        let again = try bash(recipe)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(reportLines(dir + "/runs.jsonl").suffix(5).map { $0["status"] as? String }, Array(repeating: "skipped", count: 5))
    }

    /// The Slurm array script of docs/SCALE.md run by bash once per array task, as Slurm would
    /// (its #SBATCH lines are comments to bash): the sixteen tasks convert every input once.
    func testSlurmArrayScriptCoversTheBatch() throws {
        let script = try recipe(after: "### Slurm job array")
        XCTAssertTrue(script.contains("#SBATCH --array=1-16"), script)
        let clips = try makeClips(["a.mp4", "b.mp4", "c.mp4"])
        for task in 1...16 {
            let r = try bash(script, environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_CPUS_PER_TASK": "1"])
            XCTAssertEqual(r.status, 0, "task \(task): \(r.stderr)")
        }
        XCTAssertEqual(entries(outDir), ["a.tiktok.mp4", "b.tiktok.mp4", "c.tiktok.mp4"])
        XCTAssertEqual(reportLines(dir + "/runs.jsonl").compactMap { $0["input"] as? String }.sorted(), clips.map { "in/" + ($0 as NSString).lastPathComponent })
    }
}
