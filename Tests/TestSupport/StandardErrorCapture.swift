import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` with this process's stderr (fd 2, where C libraries log) going to a temporary
/// file, and returns what was written: a test that provokes a library's error message checks it
/// there instead of leaving a line in the test output that looks like a failure.
public func capturingStandardError(_ body: () throws -> Void) rethrows -> String {
    fflush(stderr)
    let path = NSTemporaryDirectory() + "stderr-capture-\(UUID().uuidString)"
    let file = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
    let saved = dup(2)
    dup2(file, 2)
    defer {
        fflush(stderr)
        dup2(saved, 2)
        close(saved)
        close(file)
        unlink(path)
    }
    try body()
    fflush(stderr)
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}
