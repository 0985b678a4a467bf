import FFmpeg
import Foundation
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

/// A whole file's bytes with POSIX calls.
func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n > 0 { out += chunk[0..<n] }
        if n < chunk.count { break }
    }
    return out
}

#if FUZZING
// SwiftPM links executables with `main` aliased to `<module>_main`; provide it and hand over
// to libFuzzer's driver (LLVMFuzzerRunDriver, in libclang_rt.fuzzer).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("probe_fuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var c = argc, v = argv
    return LLVMFuzzerRunDriver(&c, &v, { probeFuzzTestOneInput($0, $1) })
}
#else
@main
enum ProbeFuzzReplay {
    static func main() {
        for file in CommandLine.arguments.dropFirst() {
            // POSIX, not FileManager.contents: Foundation leaks its 4 KiB buffer for an empty file.
            guard let d = readFile(file) else { print("cannot read \(file)"); exit(2) }
            d.withUnsafeBytes { ProbeFuzz.run($0) }
            print("ok \(file)")
        }
        unlink(ProbeFuzz.path)
    }
}
#endif
