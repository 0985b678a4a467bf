/// tikconv's documented exit codes (README "Exit codes"). The CLI maps every layer's
/// error to one of these in one place.
public enum TikconvExit: Int32, CaseIterable, Sendable {
    case success = 0
    /// A bug or an unexpected failure.
    case internalError = 1
    /// Wrong flags or arguments.
    case usage = 2
    /// An input was refused by the probe layer (missing, unreadable, empty, corrupt,
    /// unsupported format, too large).
    case badInput = 3
    /// `--local` was given but the request needs the cloud (captions, music, …).
    case needsCloud = 4
    /// The local conversion failed part-way (decoder/encoder error).
    case conversionFailed = 5
    /// The output cannot be written: exists without -y, directory missing, not writable (read-only
    /// file system, no permission, /proc, /sys, a folder), disk full.
    case outputError = 6
    /// The cloud could not be reached or answered with an error.
    case cloudFailure = 7
    /// The cloud account cannot do this: out of credits, export blocked by the plan.
    case cloudAccount = 8
    /// In a batch, some inputs converted and some failed.
    case partialFailure = 10
    /// `tikconv check`: some file does not meet the TikTok contract yet.
    case notReady = 11
    /// Interrupted by Ctrl-C (SIGINT).
    case interrupted = 130
    /// Stopped by SIGTERM.
    case terminated = 143
}
