import Foundation
import NemoStandIn
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Outputs that cannot be written, for the tiktok plan, the mp4 plan and the cloud
/// download: exit 6 with one line naming the path and the reason, nothing left behind (no
/// output, no temporary file), the input unchanged and, for the cloud, nothing uploaded and no
/// session or message sent. Before 9075f11 the local plans crashed here (Muxer.init freed its
/// context twice: signal 11, exit 139).
final class UnwritableOutputTests: EndToEndTestCase {
    enum Route: String, CaseIterable { case tiktok, mp4, cloud }

    static let outputError: Int32 = 6
    /// What an OutputFileError says for a failed create (Sources/OutputFiles/OutputFileError.swift).
    static let createReasons = ["the file system is read-only", "permission denied (no write access to ", "does not accept new files"]

    /// A QuickTime clip, so the mp4 plan's name (clip.mp4) differs from the input's.
    var input: String { dir + "/clip.mov" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try copy(Self.testMedia("h264_aac.mov"), as: "clip.mov")
        chmod(input, 0o644)
        try FileManager.default.createDirectory(atPath: dir + "/config", withIntermediateDirectories: true)
        chmod(dir + "/config", 0o777)
    }

    /// The file name a route gives `clip.mov` inside an `-o DIR/` folder.
    func outputName(_ route: Route) -> String { route == .mp4 ? "clip.mp4" : "clip.tiktok.mp4" }

    /// `-y` unless told: replacing is allowed, so only the output's place can refuse it.
    func arguments(_ route: Route, output: String, overwrite: Bool = true) -> [String] {
        let y = overwrite ? ["-y"] : []
        switch route {
        case .tiktok: return [input, "-o", output, "--preset", "ultrafast", "--duration", "0.5", "--threads", "1", "--progress", "none"] + y
        case .mp4: return [input, "--to", "mp4", "-o", output, "--threads", "1", "--progress", "none"] + y
        case .cloud: return ["--cloud", input, "-p", "add captions and background music", "-o", output, "--poll-interval", "0.05"] + y
        }
    }

    /// How tikconv is started: as this user, or as nobody through setpriv (with copies of the
    /// binary and the LeakSanitizer suppressions that nobody can read).
    enum Runner { case current, nobody }

    // MARK: - The cases

    /// A read-only tmpfs, mounted by the test (root only: the one case that may skip).
    func testReadOnlyFileSystem() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("not root: cannot mount a read-only tmpfs; this case runs as root (CI runs as root)")
        }
        let ro = dir + "/ro"
        try FileManager.default.createDirectory(atPath: ro, withIntermediateDirectories: false)
        let mount = try Self.command("/bin/mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro])
        guard mount.status == 0 else {
            throw XCTSkip("mount -t tmpfs -o ro is not permitted here (\(mount.output.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        defer { Self.unmount(ro) }
        for route in Route.allCases {
            let target = ro + "/out.mp4"
            try assertRefused(route, target: target, path: target, reason: "cannot write \(target): the file system is read-only",
                              folders: [dir, ro])
        }
    }

    /// A folder the user may not write to: as nobody when running as root (root writes anywhere).
    func testFolderWithoutWritePermission() throws {
        let locked = dir + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o555)
        defer { chmod(locked, 0o755) }
        let runner: Runner = geteuid() == 0 ? .nobody : .current
        for route in Route.allCases {
            let target = locked + "/out.mp4"
            try assertRefused(route, target: target, path: target,
                              reason: "cannot write \(target): permission denied (no write access to \(locked))",
                              folders: [dir, locked], runner: runner)
        }
    }

    /// `-o new/out.mp4` creates `new/` as `-o new/` does, for both local plans.
    func testMissingFolderOfTheOutputFileIsCreated() throws {
        for route in [Route.tiktok, .mp4] {
            let target = dir + "/new-\(route)/deeper/out.mp4"
            let r = try tikconv(arguments(route, output: target, overwrite: false))
            XCTAssertEqual(r.status, 0, "\(route): \(r.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: target), "\(route): no output at \(target)")
            XCTAssertTrue(r.stderr.contains("created the folder"), "\(route): \(r.stderr)")
        }
    }

    /// `-o out/` where the name the route picks is an existing folder (`-o out` without the
    /// slash writes inside an existing folder, so a folder given as the file is only this), with
    /// and without -y: without it, "already exists; pass -y" would only lead to a second refusal.
    func testFolderWhereTheOutputFileWouldGo() throws {
        for route in Route.allCases {
            for overwrite in [true, false] {
                let folder = outDir + "/" + outputName(route)
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
                try assertRefused(route, target: outDir + "/", overwrite: overwrite, path: folder, reason: "the output \(folder) is a folder",
                                  folders: [dir, outDir, folder])
                XCTAssertEqual(entries(folder), [], "\(route): something was written inside the folder")
                try FileManager.default.removeItem(atPath: folder)
            }
        }
    }

    /// `-o /dev/null -y` once turned the device into a plain file (the temporary file was renamed
    /// over it); a named pipe stands in for the device here.
    func testADeviceOrPipeIsNotReplaced() throws {
        for route in Route.allCases {
            let pipe = outDir + "/" + outputName(route)
            XCTAssertEqual(mkfifo(pipe, 0o644), 0)
            try assertRefused(route, target: pipe, overwrite: true, path: pipe, reason: "the output \(pipe) is a device or a pipe",
                              folders: [dir])
            var status = stat()
            XCTAssertEqual(lstat(pipe, &status), 0)
            XCTAssertEqual(status.st_mode & S_IFMT, S_IFIFO, "\(route): the pipe was replaced")
            try FileManager.default.removeItem(atPath: pipe)
        }
    }

    func testPathUnderProc() throws {
        for route in Route.allCases {
            let target = "/proc/tikconv-unwritable-\(UUID().uuidString).mp4"
            try assertRefused(route, target: target, path: target, reason: "cannot write \(target): ", oneOf: Self.createReasons,
                              folders: [dir], foreign: ["/proc"])
        }
    }

    func testPathUnderSys() throws {
        for route in Route.allCases {
            let target = "/sys/tikconv-unwritable-\(UUID().uuidString).mp4"
            try assertRefused(route, target: target, path: target, reason: "cannot write \(target): ", oneOf: Self.createReasons,
                              folders: [dir], foreign: ["/sys"])
        }
    }

    // MARK: - The check

    /// Runs `route` with `-o target` and checks the refusal: exit 6, no crash, exactly one line on
    /// stderr naming `path` and containing `reason` (and one of `oneOf`, if given), nothing on
    /// stdout, `folders` exactly as before, nothing of tikconv's in `foreign` folders, the
    /// input's bytes unchanged, and for the cloud no upload, session, message or render request.
    func assertRefused(_ route: Route, target: String, overwrite: Bool = true, path: String, reason: String, oneOf: [String] = [],
                       folders: [String], foreign: [String] = [], runner: Runner = .current,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let server = route == .cloud ? NemoStandIn(config: NemoStandInConfig(mp4Path: Self.testMedia("h264_aac_16x9.mp4"))) : nil
        try server?.start()
        defer { server?.stop() }
        let before = hash(input)
        let snapshot = folders.map(entries)
        var env = ["XDG_CONFIG_HOME": dir + "/config", "NEMO_TOKEN": ""]
        if let server { env["NEMO_API_BASE"] = server.baseURL }
        let r = try run(arguments(route, output: target, overwrite: overwrite), env: env, runner: runner, file: file, line: line)

        let what = "\(route) -o \(target)\(overwrite ? " -y" : "")"
        XCTAssertFalse(r.signaled, "\(what): tikconv crashed (signal \(r.status)): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.status, Self.outputError, "\(what): stderr: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderrLines.count, 1, "\(what): want one line of error, got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("tikconv: "), "\(what): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(path), "\(what): the error does not name \(path): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(reason), "\(what): want “\(reason)” in: \(r.stderr)", file: file, line: line)
        if !oneOf.isEmpty {
            XCTAssertTrue(oneOf.contains { r.stderr.contains($0) }, "\(what): no reason a user can act on: \(r.stderr)", file: file, line: line)
        }
        XCTAssertEqual(r.stdout, "", "\(what): stdout should be empty on failure", file: file, line: line)
        for (folder, was) in zip(folders, snapshot) {
            XCTAssertEqual(entries(folder), was, "\(what): \(folder) changed (output or temporary file left)", file: file, line: line)
        }
        for folder in foreign {
            let left = entries(folder).filter { $0.contains("tikconv") || $0.hasSuffix(".part") }
            XCTAssertEqual(left, [], "\(what): left in \(folder)", file: file, line: line)
        }
        XCTAssertEqual(hash(input), before, "\(what): the input changed", file: file, line: line)
        if let server {
            for prefix in ["/api/upload-video/", "/api/tasks/", "/run_sse", "/api/render/"] {
                XCTAssertEqual(server.requests(to: prefix).map(\.path), [], "\(what): the cloud was asked to work before the output was known to be writable",
                               file: file, line: line)
            }
        }
    }

    func run(_ args: [String], env: [String: String], runner: Runner, file: StaticString, line: UInt) throws -> Result {
        switch runner {
        case .current:
            return try tikconv(args, timeout: 120, environment: env, file: file, line: line)
        case .nobody:
            let copy = try Self.nobodyCopy()
            var env = env
            env["LSAN_OPTIONS"] = "suppressions=\(copy.suppressions):print_suppressions=0"
            return try tikconv(["--reuid=65534", "--regid=65534", "--clear-groups", copy.binary] + args,
                               executable: "/usr/bin/setpriv", timeout: 120, environment: env, file: file, line: line)
        }
    }

    // MARK: - Helpers

    /// The binary (and the LSan suppressions) copied to a world-readable folder: the build folder
    /// may sit under a home nobody cannot enter. Made once per run of this class.
    nonisolated(unsafe) static var nobodyFolder: String?

    static func nobodyCopy() throws -> (binary: String, suppressions: String) {
        let folder = nobodyFolder ?? NSTemporaryDirectory() + "tikconv-nobody-\(UUID().uuidString)"
        let binary = folder + "/tikconv", supp = folder + "/lsan.supp"
        if nobodyFolder == nil {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            nobodyFolder = folder
            chmod(folder, 0o755)
            try FileManager.default.copyItem(atPath: EndToEndTestCase.binary, toPath: binary)
            try FileManager.default.copyItem(atPath: repoRoot.appendingPathComponent("Tests/Fixtures/lsan.supp").path, toPath: supp)
            chmod(binary, 0o755); chmod(supp, 0o644)
        }
        return (binary, supp)
    }

    override class func tearDown() {
        if let f = nobodyFolder { try? FileManager.default.removeItem(atPath: f) }
        nobodyFolder = nil
        super.tearDown()
    }

    /// Runs a system command to completion; its stdout and stderr together.
    static func command(_ path: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let d = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: d, as: UTF8.self))
    }

    /// Unmounts, lazily if something still holds the mount, so tearDown can remove the folder.
    static func unmount(_ mountPoint: String) {
        if (try? command("/bin/umount", [mountPoint]))?.status != 0 {
            _ = try? command("/bin/umount", ["-l", mountPoint])
        }
    }
}
