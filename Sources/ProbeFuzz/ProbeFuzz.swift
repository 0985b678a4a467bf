import FFmpeg
import Foundation
import FuzzSupport
import MediaProbe

/// libFuzzer target over the probe layer: arbitrary bytes are written to a file and probed.
/// The probe must answer with a report or a `ProbeError` — never crash, hang or leak.
///
/// `make fuzz` builds it with `-sanitize=fuzzer,address -D FUZZING` (libFuzzer supplies main).
/// In a normal build it is a replay tool: `probe-fuzz FILE…` runs each file once, so a
/// committed crash input can be re-checked without the fuzzer.
enum ProbeFuzz {
    /// One path per process (and per libFuzzer worker), reused for every input.
    nonisolated(unsafe) static var path: String = {
        FFmpegLog.setQuiet(true)
        let ext = ProcessInfo.processInfo.environment["PROBE_FUZZ_EXT"] ?? "mp4"
        return NSTemporaryDirectory() + "probe-fuzz-\(getpid()).\(ext)"
    }()

    static func run(_ data: UnsafeRawBufferPointer) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        var off = 0
        while off < data.count {
            let n = write(fd, data.baseAddress! + off, data.count - off)
            if n <= 0 { break }
            off += n
        }
        close(fd)
        do {
            let r = try Prober.probe(path: path)
            _ = try? r.toJSON(prettyPrinted: false)
        } catch let e as ProbeError {
            _ = e.errorDescription
        } catch {
            fatalError("Prober.probe threw a non-ProbeError: \(error)")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func probeFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ProbeFuzz.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
@_cdecl("probe_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzDriver(argc, argv, { probeFuzzTestOneInput($0, $1) })
}
#else
@main
enum ProbeFuzzReplay {
    static func main() {
        replayFiles(CommandLine.arguments.dropFirst()) { ProbeFuzz.run($0) }
        unlink(ProbeFuzz.path)
    }
}
#endif
