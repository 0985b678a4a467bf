import Dispatch
import Foundation
import LocalEngine
import Synchronization

/// Ctrl-C and SIGTERM become a cancellation the engine notices between packets, so the
/// temporary output is removed by the normal unwinding path and the terminal line restored.
/// A second signal exits at once (the next run removes the left-over temporary file).
enum Signals {
    /// The first signal received (0: none). Atomic: written on a dispatch thread, read by the
    /// converting thread when it maps the cancellation to 130 or 143 (a race ThreadSanitizer found).
    private static let first = Atomic<Int32>(0)
    static var received: Int32 { first.load(ordering: .acquiring) }
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    static let cancellation = CancellationFlag()

    static func install(onSignal: @escaping () -> Void = {}) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if !first.compareExchange(expected: 0, desired: sig, ordering: .acquiringAndReleasing).exchanged {
                    // Second signal: leave now (the next run removes the temporary file), but
                    // give a terminal its line back first.
                    if isatty(STDERR_FILENO) != 0 { _ = "\r\u{1B}[2K".withCString { write(STDERR_FILENO, $0, strlen($0)) } }
                    _exit(sig == SIGTERM ? 143 : 130)
                }
                cancellation.cancel()
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }
}
