import Foundation
import NemoStandIn
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `tikconv` binary (`.build/debug/tikconv`, built by `make test`) in a fresh
/// temporary folder and checks what it leaves behind.
class EndToEndTestCase: XCTestCase {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The folder of built products: beside this test bundle when the suite runs from another
    /// scratch path (`make test-asan` tests the ASan-built binary), else `.build/debug`.
    static let productsDir: String = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if FileManager.default.isExecutableFile(atPath: here.appendingPathComponent("tikconv").path) { return here.path }
        return repoRoot.appendingPathComponent(".build/debug").path
    }()
    static let binary = productsDir + "/tikconv"
    static func testMedia(_ name: String) -> String { repoRoot.appendingPathComponent("TestMedia/" + name).path }
    static func fixture(_ name: String) -> String { repoRoot.appendingPathComponent("Tests/Fixtures/robustness/" + name).path }

    /// This test's scratch folder (inputs are copied here) and its `out/` folder for outputs.
    var dir = ""
    var outDir: String { dir + "/out" }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            XCTFail("the tikconv binary is missing at \(Self.binary): run `swift build` (or `make test`) first")
            throw XCTSkip("no binary")
        }
        dir = NSTemporaryDirectory() + "tikconv-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        chmod(dir, 0o755); chmod(outDir, 0o777)
    }

    override func tearDownWithError() throws {
        if !dir.isEmpty { try? FileManager.default.removeItem(atPath: dir) }
    }

    struct Result {
        var status: Int32
        /// True when the process died of a signal it did not handle (a crash, or SIGKILL).
        var signaled: Bool
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// Runs the ffmpeg CLI (an independent tool, for making inputs) in the scratch folder; a
    /// failure fails the test.
    func ffmpeg(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = ["-nostdin", "-v", "error", "-y"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "ffmpeg \(args)")
    }

    /// Starts tikconv with `arguments` (cwd: the scratch folder); stdout/stderr go to files.
    /// `environment` is added last, so it may override the sanitizer settings below.
    func start(_ arguments: [String], executable: String = EndToEndTestCase.binary, tag: String = UUID().uuidString,
               environment: [String: String] = [:]) throws -> (Process, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = dir + "/.stdout-\(tag)", err = dir + "/.stderr-\(tag)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        p.standardInput = FileHandle.nullDevice
        // Under `make test-asan` the children are ASan builds with leak checking on (the test
        // process itself runs with it off: XCTest keeps its test objects alive on purpose).
        // Known one-time leaks inside swift-corelibs-foundation are suppressed; any other leak
        // makes the child exit non-zero and fails the test.
        var env = ProcessInfo.processInfo.environment
        env["ASAN_OPTIONS"] = "detect_leaks=1"
        env["LSAN_OPTIONS"] = "suppressions=" + Self.repoRoot.appendingPathComponent("Tests/Fixtures/lsan.supp").path + ":print_suppressions=0"
        env.merge(environment) { $1 }
        p.environment = env
        try p.run()
        return (p, out, err)
    }

    func finish(_ p: Process, _ out: String, _ err: String, timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) -> Result {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            XCTFail("tikconv did not finish within \(timeout) s", file: file, line: line)
            kill(p.processIdentifier, SIGKILL)
        }
        p.waitUntilExit()
        let o = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let e = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        unlink(out); unlink(err)
        return Result(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal, stdout: o, stderr: e)
    }

    @discardableResult
    func tikconv(_ arguments: [String], executable: String = EndToEndTestCase.binary, timeout: TimeInterval = 60,
                 environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let (p, o, e) = try start(arguments, executable: executable, environment: environment)
        return finish(p, o, e, timeout: timeout, file: file, line: line)
    }

    /// Copies a TestMedia file (or a fixture) into the scratch folder under `name`.
    @discardableResult
    func copy(_ source: String, as name: String) throws -> String {
        let dest = dir + "/" + name
        try FileManager.default.copyItem(atPath: source, toPath: dest)
        return dest
    }

    @discardableResult
    func write(_ bytes: [UInt8], as name: String) throws -> String {
        let dest = dir + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: dest))
        return dest
    }

    func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

    /// FNV-1a 64 of a file's bytes (nil when it cannot be read): "the input is unchanged".
    func hash(_ path: String) -> UInt64? {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in d { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// Everything in `folder` (hidden files included) except the harness's own stdout/stderr files.
    func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".stdout-") && !$0.hasPrefix(".stderr-") }.sorted()
    }

    func temporaries(_ folder: String) -> [String] { entries(folder).filter { $0.contains(".tikconv-") && $0.hasSuffix(".part") } }

    /// The standard refusal check: exit code, one line of error naming the problem, no output
    /// and no temporary file, input bytes unchanged, and no crash.
    func assertRefused(_ input: String, extra: [String] = [], exit: Int32, message: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let before = hash(input)
        let r = try tikconv([input, "-o", outDir + "/", "--preset", "ultrafast", "--duration", "0.5", "--progress", "none"] + extra,
                            file: file, line: line)
        let name = (input as NSString).lastPathComponent
        XCTAssertFalse(r.signaled, "\(name): tikconv crashed (signal \(r.status))", file: file, line: line)
        XCTAssertEqual(r.status, exit, "\(name): stderr: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderrLines.count, 1, "\(name): want one line of error, got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("tikconv: "), "\(name): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(message), "\(name): want “\(message)” in: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(entries(outDir), [], "\(name): something was left in the output folder", file: file, line: line)
        XCTAssertEqual(temporaries(dir), [], "\(name): a temporary file was left beside the input", file: file, line: line)
        XCTAssertEqual(hash(input), before, "\(name): the input changed", file: file, line: line)
        XCTAssertEqual(r.stdout, "", "\(name): stdout should be empty on failure", file: file, line: line)
    }

    /// A port that was just listening and is now closed: connections to it are refused.
    func closedPort() throws -> Int {
        let server = NemoStandIn(config: NemoStandInConfig(mp4Path: Self.testMedia("h264_aac_16x9.mp4")))
        let port = try server.start()
        server.stop()
        return port
    }

    /// Waits until `condition` holds (polling), up to `timeout`.
    func wait(_ timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
