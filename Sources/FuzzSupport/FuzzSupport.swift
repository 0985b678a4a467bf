import Foundation

// What both libFuzzer targets (probe-fuzz, prompt-fuzz) share. Each target keeps only its own
// LLVMFuzzerTestOneInput and a two-line entry point.

/// A whole file's bytes with POSIX calls (Foundation's `contents(atPath:)` leaks its 4 KiB
/// buffer for an empty file, which LeakSanitizer then reports).
public func readFile(_ path: String) -> [UInt8]? {
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

/// The replay tool (a normal build): runs `body` once per file named on the command line, so
/// committed crash inputs are re-checked without libFuzzer. Exits 2 if a file cannot be read.
public func replayFiles(_ files: ArraySlice<String>, _ body: (UnsafeRawBufferPointer) -> Void) {
    for file in files {
        guard let d = readFile(file) else { print("cannot read \(file)"); exit(2) }
        d.withUnsafeBytes(body)
        print("ok \(file)")
    }
}

#if FUZZING
// SwiftPM links executables with `main` aliased to `<module>_main`; each target provides that
// symbol and hands over to libFuzzer's driver (LLVMFuzzerRunDriver, in libclang_rt.fuzzer).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

public func runFuzzDriver(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                          _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    var c = argc, v = argv
    return LLVMFuzzerRunDriver(&c, &v, callback)
}
#endif
