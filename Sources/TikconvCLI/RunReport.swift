import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One line of `--report FILE.jsonl`: what became of one input.
struct ReportLine: Encodable {
    enum Status: String, Encodable { case converted, copied, skipped, failed }

    var input: String?
    var output: String?
    /// local (tiktok or mp4), slideshow or cloud; nil when the input was refused before planning.
    var route: String?
    var status: Status
    /// The exit code this input alone would have given (0 when it was done or skipped).
    var exit: Int32
    var error: String?
    /// Wall seconds from its start to its end.
    var seconds: Double
    /// CPU seconds of the process while it ran; shared out equally among the files running at
    /// the same moment under --jobs N (exact with --jobs 1).
    var cpuSeconds: Double
    /// Size of the output (0 when there is none).
    var bytes: Int64
    var shard: String?
    var host: String
    var pid: Int32
    /// When it finished (UTC, ISO 8601).
    var finished: String

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        return gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : "unknown"
    }()

    static func fileSize(_ path: String?) -> Int64 {
        guard let path, let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else { return 0 }
        return size.int64Value
    }
}

/// The `--report` file, opened once with O_APPEND: every line is a single write(2), so lines
/// from several processes sharing the file (a job array on a shared disk) never interleave.
final class ReportFile: @unchecked Sendable {
    private let fd: Int32
    let path: String
    private let lock = NSLock()
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw CLIError.reportUnwritable(path, reason: String(cString: strerror(errno))) }
    }

    deinit { close(fd) }

    /// Appends `line`; a failed write is said once on stderr and the run goes on (the
    /// conversions matter more than their record).
    func append(_ line: ReportLine) {
        guard var data = try? encoder.encode(line) else { return }
        data.append(0x0A)
        lock.lock(); defer { lock.unlock() }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != data.count && !warned {
            warned = true
            stderrLine("tikconv: --report \(path): could not write (\(String(cString: strerror(errno)))); the run goes on")
        }
    }

    private var warned = false
}

/// CPU time of the whole process (every thread: x264's and the decoders' too), shared out
/// among the files that were running: each interval between two starts or ends is split
/// equally among the files running in it.
final class CPUMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var last = CPUMeter.processSeconds()
    private var running: [Int: Double] = [:]
    private var nextID = 0

    func start() -> Int {
        lock.lock(); defer { lock.unlock() }
        settle()
        nextID += 1
        running[nextID] = 0
        return nextID
    }

    func stop(_ id: Int) -> Double {
        lock.lock(); defer { lock.unlock() }
        settle()
        return running.removeValue(forKey: id) ?? 0
    }

    private func settle() {
        let now = Self.processSeconds()
        if !running.isEmpty {
            let share = (now - last) / Double(running.count)
            for k in running.keys { running[k, default: 0] += share }
        }
        last = now
    }

    static func processSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(u.ru_utime) + s(u.ru_stime)
    }
}
