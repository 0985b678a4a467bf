import Dispatch
import Foundation
import LocalEngine

/// Ctrl-C and SIGTERM become a cancellation the engine notices between packets, so the
/// temporary output is removed by the normal unwinding path and the terminal line restored.
/// A second signal exits at once (the next run removes the left-over temporary file).
enum Signals {
    nonisolated(unsafe) static var received: Int32 = 0
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    static let cancellation = CancellationFlag()

    static func install(onSignal: @escaping () -> Void = {}) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if received != 0 {
                    // Second signal: leave now (the next run removes the temporary file), but
                    // give a terminal its line back first.
                    if isatty(STDERR_FILENO) != 0 { _ = "\r\u{1B}[2K".withCString { write(STDERR_FILENO, $0, strlen($0)) } }
                    _exit(sig == SIGTERM ? 143 : 130)
                }
                received = sig
                cancellation.cancel()
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }
}
