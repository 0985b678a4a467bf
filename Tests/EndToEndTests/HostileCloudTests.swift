import Foundation
import NemoStandIn
import XCTest

/// The cloud route against a hostile or broken loopback stand-in, through the real `tikconv`
/// binary: each test asserts the exit code, the one-line message, that the output folder holds
/// nothing but the input (no output, no `*.tikconv-tmp*`/`*.part`), and that the input's
/// SHA-256 is unchanged. Time-outs are made short with flags; no test sleeps.
final class HostileCloudTests: XCTestCase {
    static let binary = CLITests.binary
    static func media(_ name: String) -> String { CLITests.media(name) }

    /// A finished child: its exit status, output, and (when measured) its own peak RSS.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var maxRSSKB: Int
        var seconds: Double
        var errorLine: String {
            stderr.split(separator: "\n").last { $0.hasPrefix("tikconv:") }.map(String.init) ?? ""
        }
    }

    /// One hostile scene: a stand-in, and a work dir with `out/` (the input's copy and the
    /// output folder), `config/` (XDG_CONFIG_HOME) and `logs/` (the child's stdout/stderr).
    final class Scene {
        let server: NemoStandIn
        let work: String
        var folder: String { work + "/out" }
        var config: String { work + "/config" }
        let input: String
        let inputHash: String
        var env: [String: String] { ["NEMO_API_BASE": server.baseURL, "XDG_CONFIG_HOME": config, "NEMO_TOKEN": ""] }

        init(input name: String, _ configure: (inout NemoStandInConfig) -> Void) throws {
            var c = NemoStandInConfig(mp4Path: HostileCloudTests.media("h264_aac_16x9.mp4"))
            configure(&c)
            server = NemoStandIn(config: c)
            try server.start()
            work = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-hostile-" + UUID().uuidString).path
            for d in ["/out", "/config", "/logs"] {
                try FileManager.default.createDirectory(atPath: work + d, withIntermediateDirectories: true)
            }
            input = work + "/out/" + name
            try FileManager.default.copyItem(atPath: HostileCloudTests.media(name), toPath: input)
            inputHash = try HostileCloudTests.sha256(input)
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(atPath: work)
        }

        var folderContents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }
    }

    static func sha256(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(String(decoding: d, as: UTF8.self).prefix(64))
    }

    /// Forks from a small process (python3) and execs tikconv, then reports the child's own
    /// ru_maxrss. (A child spawned straight from the test process inherits the test process's
    /// RSS high-water mark at exec, so its ru_maxrss would say nothing about tikconv.)
    static let rssWrapper = """
    import os, sys
    out, argv = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    open(out, "w").write(str(ru.ru_maxrss))
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)
    """

    /// Runs tikconv with posix_spawn (stdout/stderr to files) and reaps it with wait4.
    /// With `measureRSS`, through `rssWrapper` (needs /usr/bin/python3; -1 without it).
    /// A watchdog kills it after `limit` seconds.
    func run(_ args: [String], env extra: [String: String], logs: String, limit: Double = 25,
             measureRSS: Bool = false) throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            XCTFail("\(Self.binary) is missing: run `swift build` first")
            return Outcome(status: -1, stdout: "", stderr: "", maxRSSKB: 0, seconds: 0)
        }
        let outPath = logs + "/stdout-\(UUID().uuidString)", errPath = logs + "/stderr-\(UUID().uuidString)"
        var fa = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fa)
        defer { posix_spawn_file_actions_destroy(&fa) }
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fa, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&fa, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        let python = "/usr/bin/python3"
        let rssPath = logs + "/rss-\(UUID().uuidString)"
        let wrapped = measureRSS && FileManager.default.isExecutableFile(atPath: python)
        let command = wrapped ? [python, "-c", Self.rssWrapper, rssPath, Self.binary] + args : [Self.binary] + args
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        let rc = posix_spawn(&pid, command[0], &fa, nil, argv, envp)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc)) }
        let watchdog = Watchdog(pid: pid)
        DispatchQueue.global().asyncAfter(deadline: .now() + limit) { watchdog.fire() }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        watchdog.disarm()
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let o = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let e = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        let rss = wrapped ? (FileManager.default.contents(atPath: rssPath).flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? -1) : -1
        return Outcome(status: exit, stdout: o, stderr: e, maxRSSKB: rss, seconds: Date().timeIntervalSince(start))
    }

    /// Kills a child that outlives its time limit (unless it was reaped first).
    final class Watchdog: @unchecked Sendable {
        private let lock = NSLock()
        private let pid: pid_t
        private var armed = true
        init(pid: pid_t) { self.pid = pid }
        func fire() { lock.withLock { if armed { kill(pid, SIGKILL) } } }
        func disarm() { lock.withLock { armed = false } }
    }

    func convert(_ scene: Scene, _ extraArgs: [String] = [], prompt: String? = nil, measureRSS: Bool = false) throws -> Outcome {
        var args = ["--cloud", scene.input, "-o", scene.folder + "/", "--poll-interval", "0.05"]
        if let prompt { args += ["-p", prompt] }
        return try run(args + extraArgs, env: scene.env, logs: scene.work + "/logs", measureRSS: measureRSS)
    }

    /// Exit code, a one-line message without raw JSON/HTML, nothing left in the output folder
    /// but the input, the input unchanged, no token in the output.
    func assertFailedCleanly(_ r: Outcome, _ scene: Scene, exit: Int32 = 7, message: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(r.status, exit, r.stderr, file: file, line: line)
        if ProcessInfo.processInfo.environment["HOSTILE_VERBOSE"] != nil {
            print("HOSTILE exit=\(r.status) rss=\(r.maxRSSKB)kB t=\(String(format: "%.2f", r.seconds))s stderr:\n\(r.stderr)")
        }
        let err = r.errorLine
        XCTAssertTrue(err.contains(message), "message: \(err)", file: file, line: line)
        for raw in ["{\"", "\"code\"", "<html", "nmv_usr_"] {
            XCTAssertFalse(r.stderr.contains(raw) || r.stdout.contains(raw), "raw reply in output: \(r.stderr)", file: file, line: line)
        }
        XCTAssertEqual(scene.folderContents, [(scene.input as NSString).lastPathComponent],
                       "no output or temporary file is left", file: file, line: line)
        XCTAssertEqual(try Self.sha256(scene.input), scene.inputHash, "the input is unchanged", file: file, line: line)
        assertNoToken(scene, in: [r], file: file, line: line)
    }

    func assertNoToken(_ scene: Scene, in runs: [Outcome], file: StaticString = #filePath, line: UInt = #line) {
        for t in scene.server.knownTokens {
            for r in runs {
                XCTAssertFalse(r.stdout.contains(t) || r.stderr.contains(t), "token leaked", file: file, line: line)
            }
        }
    }

    // MARK: - Network failures

    func testConnectionRefused() throws {
        let scene = try Scene(input: "script.txt") { _ in }
        let port = scene.server.port
        scene.server.stop()
        let r = try convert(scene)
        try assertFailedCleanly(r, scene, message: "cloud unreachable: could not connect to http://127.0.0.1:\(port)")
    }

    func testConnectionDroppedMidUpload() throws {
        let scene = try Scene(input: "h264_aac_16x9.mp4") { $0.dropUploadAfterBytes = 4096 }
        let r = try convert(scene, prompt: "add captions and background music")
        try assertFailedCleanly(r, scene, message: "dropped before the reply was complete")
        XCTAssertEqual(scene.server.requests(to: "/api/upload-video/").count, 1)
        XCTAssertEqual(scene.server.requests(to: "/run_sse").count, 0, "no instruction after a failed upload")
    }

    func testConnectionDroppedMidStream() throws {
        let scene = try Scene(input: "script.txt") { $0.dropStream = .turnUnfinished }
        let r = try convert(scene)
        try assertFailedCleanly(r, scene, message: "the connection dropped before the agent finished; nothing was re-sent")
        XCTAssertEqual(scene.server.requests(to: "/run_sse").count, 1, "never re-sent")
    }

    func testConnectionDroppedMidDownload() throws {
        let scene = try Scene(input: "script.txt") { $0.downloadFault = .closeEarly }
        let r = try convert(scene)
        try assertFailedCleanly(r, scene, message: "the rendered video download was cut short")
    }

    // MARK: - Stalls (short time-outs via flags)

    func testStalledRequestTimesOut() throws {
        // A GET (the state read before the turn): curl's stall detector averages speed over
        // ~5 s, so after sending a request body a stall shows some seconds later.
        let scene = try Scene(input: "script.txt") { $0.stallAt = "/api/state/" }
        let r = try convert(scene, ["--stall-timeout", "1"])
        try assertFailedCleanly(r, scene, message: "timed out")
        XCTAssertLessThan(r.seconds, 5)
        XCTAssertEqual(scene.server.requests(to: "/run_sse").count, 0, "nothing sent after the stall")
    }

    func testStalledStreamHitsTheTurnTimeout() throws {
        let scene = try Scene(input: "script.txt") { $0.stallAt = "/run_sse" }
        let r = try convert(scene, ["--timeout", "1"])
        try assertFailedCleanly(r, scene, message: "the agent did not finish within the time limit")
        XCTAssertLessThan(r.seconds, 10)
        XCTAssertEqual(scene.server.requests(to: "/run_sse").count, 1, "never re-sent")
    }

    func testStalledDownloadTimesOut() throws {
        let scene = try Scene(input: "script.txt") { $0.stallAt = "/files/" }
        let r = try convert(scene, ["--stall-timeout", "1"])
        try assertFailedCleanly(r, scene, message: "the rendered video download was cut short")
        XCTAssertLessThan(r.seconds, 10)
    }

    func testTimeoutFlagsAreDocumented() throws {
        let r = try run(["help", "convert"], env: [:], logs: NSTemporaryDirectory())
        XCTAssertEqual(r.status, 0)
        for flag in ["--timeout", "--connect-timeout", "--stall-timeout"] {
            XCTAssertTrue(r.stdout.contains(flag), "--help lists \(flag)")
        }
        let bad = try run(["--stall-timeout", "0", Self.media("script.txt")], env: [:], logs: NSTemporaryDirectory())
        XCTAssertEqual(bad.status, 2)
    }

    // MARK: - Broken replies

    func testMalformedJSON() throws {
        let scene = try Scene(input: "script.txt") { $0.malformedJSONAt = "/api/tasks/" }
        let r = try convert(scene)
        try assertFailedCleanly(r, scene, message: "the cloud sent a reply tikconv does not understand")
    }

    func testServerError500() throws {
        let scene = try Scene(input: "script.txt") { $0.serverErrorAt = "/api/render/proxy/lambda" }
        let r = try convert(scene)
        try assertFailedCleanly(r, scene, message: "the cloud answered HTTP 500")
    }

    /// An error envelope that repeats the token: shown, with the token redacted.
    func testServerErrorEchoingTheTokenIsRedacted() throws {
        let scene = try Scene(input: "script.txt") { $0.echoTokenErrorAt = "/api/tasks/" }
        let r = try convert(scene)
        try assertFailedCleanly(r, scene, message: "the cloud answered error 5000: internal error for Bearer [token]")
    }

    /// 64 MB on one SSE line: refused after the 1 MB line limit; the client's peak RSS stays low.
    func testHugeStreamLineKeepsMemoryBounded() throws {
        let scene = try Scene(input: "script.txt") { $0.hugeSSELineBytes = 64 << 20 }
        let r = try convert(scene, ["--timeout", "5"], measureRSS: true)
        try assertFailedCleanly(r, scene, message: "line longer than 1048576 bytes")
        if r.maxRSSKB < 0 { throw XCTSkip("no python3: peak RSS not measured") }
        XCTAssertGreaterThan(r.maxRSSKB, 0)
        // ASan's shadow memory and allocator add about as much again (142 MB measured under make test-asan).
        let boundMB = ProcessInfo.processInfo.environment["TIKCONV_TEST_SANITIZER"] == "address" ? 200 : 100
        XCTAssertLessThan(r.maxRSSKB, boundMB * 1024, "peak RSS \(r.maxRSSKB) kB")
    }

    // MARK: - Where downloads may come from and how they are named

    func testRedirectOrURLToANonHTTPSchemeIsRefused() throws {
        for target in ["{base}/test/redirect?to=ftp://127.0.0.1/evil.mp4", "{base}/test/redirect?to=file:///etc/passwd",
                       "ftp://127.0.0.1/evil.mp4", "file:///etc/passwd"] {
            let scene = try Scene(input: "script.txt") { $0.renderOutputURL = target }
            let r = try convert(scene)
            try assertFailedCleanly(r, scene, message: "only http and https are allowed")
        }
    }

    func testDownloadFromAnotherHostIsAllowedWithoutTheToken() throws {
        let cdn = NemoStandIn(config: NemoStandInConfig(mp4Path: Self.media("h264_aac_16x9.mp4")))
        try cdn.start()
        defer { cdn.stop() }
        let scene = try Scene(input: "script.txt") { $0.renderOutputURL = "http://localhost:\(cdn.port)/files/render_cdn.mp4" }
        let r = try convert(scene)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(scene.folderContents, ["script.tiktok.mp4", "script.txt"])
        XCTAssertEqual(FileManager.default.contents(atPath: scene.folder + "/script.tiktok.mp4"),
                       FileManager.default.contents(atPath: Self.media("h264_aac_16x9.mp4")))
        XCTAssertEqual(cdn.requests.map(\.path), ["/files/render_cdn.mp4"])
        XCTAssertNil(cdn.requests.first?.header("Authorization"), "the token goes only to the API's origin")
        XCTAssertEqual(try Self.sha256(scene.input), scene.inputHash)
        assertNoToken(scene, in: [r])
    }

    func testServerChosenFileNameIsIgnored() throws {
        let scene = try Scene(input: "script.txt") { $0.downloadFilename = "../../evil.mp4" }
        let r = try convert(scene)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(scene.folderContents, ["script.tiktok.mp4", "script.txt"], "tikconv names its files")
        for dir in [scene.work, scene.folder, (scene.work as NSString).deletingLastPathComponent, FileManager.default.currentDirectoryPath] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/evil.mp4"), dir)
        }
        XCTAssertFalse(r.stdout.contains("evil") || r.stderr.contains("evil"))
        XCTAssertEqual(try Self.sha256(scene.input), scene.inputHash)
    }

    // MARK: - TLS and the token

    /// https to a server that does not speak TLS fails as a TLS error (never silently plain).
    func testHTTPSToAPlainServerIsATLSError() throws {
        let scene = try Scene(input: "script.txt") { _ in }
        var env = scene.env
        env["NEMO_API_BASE"] = "https://127.0.0.1:\(scene.server.port)"
        let r = try run(["--cloud", scene.input, "-o", scene.folder + "/", "--poll-interval", "0.05"], env: env, logs: scene.work + "/logs")
        try assertFailedCleanly(r, scene, message: "cloud unreachable: secure connection to https://127.0.0.1:\(scene.server.port) failed")
    }

    /// A successful conversion, a `cloud credits`, and a failing conversion: the token file is
    /// 0600 in a 0700 dir and the token appears in no output and no file besides it.
    func testTokenFileIsPrivateAndTheTokenNeverAppears() throws {
        let scene = try Scene(input: "script.txt") { $0.serverErrorAt = "/api/render/proxy/lambda/" }
        // The poll (not the submit) fails, so the first run needs a server that renders: a second stand-in.
        let good = NemoStandIn(config: NemoStandInConfig(mp4Path: Self.media("h264_aac_16x9.mp4")))
        try good.start()
        defer { good.stop() }
        var goodEnv = scene.env
        goodEnv["NEMO_API_BASE"] = good.baseURL
        let logs = scene.work + "/logs"
        let ok = try run(["--cloud", scene.input, "-o", scene.folder + "/", "--poll-interval", "0.05"], env: goodEnv, logs: logs)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let credits = try run(["cloud", "credits"], env: goodEnv, logs: logs)
        XCTAssertEqual(credits.status, 0, credits.stderr)
        try FileManager.default.removeItem(atPath: scene.folder + "/script.tiktok.mp4")
        // The failing run against the other server: the stored token is refused there, so it gets its own.
        let failed = try convert(scene)
        try assertFailedCleanly(failed, scene, message: "the cloud answered HTTP 500")

        let creds = scene.config + "/tikconv/credentials.json"
        let attrs = try FileManager.default.attributesOfItem(atPath: creds)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let dirAttrs = try FileManager.default.attributesOfItem(atPath: scene.config + "/tikconv")
        XCTAssertEqual((dirAttrs[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        let tokens = good.knownTokens + scene.server.knownTokens
        XCTAssertGreaterThanOrEqual(tokens.count, 2)
        let stored = String(decoding: FileManager.default.contents(atPath: creds) ?? Data(), as: UTF8.self)
        XCTAssertTrue(tokens.contains { stored.contains($0) }, "the token file holds the token (so the grep below is meaningful)")
        var texts = [ok, credits, failed].flatMap { [$0.stdout, $0.stderr] }
        let enumerator = FileManager.default.enumerator(atPath: scene.work)
        while let rel = enumerator?.nextObject() as? String {
            let path = scene.work + "/" + rel
            if path == creds || path.hasPrefix(logs) { continue }
            if let d = FileManager.default.contents(atPath: path) { texts.append(String(decoding: d, as: UTF8.self)) }
        }
        for t in tokens {
            for s in texts { XCTAssertFalse(s.contains(t), "token leaked: \(s.prefix(200))") }
        }
    }
}
