import Foundation
import HTTPTransport

/// The formats the cloud accepts for upload (protocol §4).
public let cloudAcceptedFormats = ["mp4", "mov", "avi", "webm", "mkv", "jpg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac"]

/// Everything the cloud route can fail with: one line a user can act on. Never holds a token.
public enum CloudError: Error, LocalizedError, Equatable {
    /// 1001 that survived a fresh token, or a NEMO_TOKEN the server refused.
    case tokenRejected(fromEnvironment: Bool)
    /// 1002 that survived a new session (or a session given with --session that is gone).
    case sessionNotFound(session: String)
    /// 2001. `bindURL` for anonymous users.
    case outOfCredits(bindURL: String?)
    /// 4001, or a file the client refuses before sending.
    case unsupportedFile(name: String?)
    /// 4002, or a file over the limit before sending.
    case fileTooLarge(name: String?)
    /// HTTP 402 (a plan issue, not credits).
    case exportBlocked
    /// HTTP 429 twice.
    case rateLimited
    /// Any other envelope code.
    case server(code: Int, message: String)
    /// An HTTP failure status without a usable envelope.
    case httpStatus(Int)
    /// The network: refused, timed out, dropped, TLS…
    case network(HTTPError)
    /// A reply that is not the protocol's JSON.
    case badResponse(String)
    /// The agent reported an error inside the stream.
    case agentError(String)
    /// The stream dropped and the state never showed the turn finishing. Nothing was re-sent.
    case turnUnfinished(session: String)
    /// The 15-minute cap on a turn.
    case turnTimedOut(session: String)
    /// The draft has no track with segments.
    case nothingToExport(session: String)
    case renderFailed(session: String, reason: String)
    case renderTimedOut(session: String)
    /// Internal: render id refused (duplicate); retried once with a new id.
    case renderRejected(String)
    case downloadIncomplete(session: String, got: Int64?, expected: Int64?)
    case notAnMP4(session: String)
    /// --session last with none remembered, or no input to send.
    case noSession
    case noInput(String)
    /// The output or config dir cannot be written.
    case output(String)
    case config(String)

    /// The cloud could not be reached at all (refused, unknown host, TLS): nothing was sent, so
    /// an offline route, when there is one, is the way round it.
    public var isUnreachable: Bool {
        guard case let .network(e) = self else { return false }
        switch e {
        case .connectionRefused, .cannotResolve, .tls: return true
        default: return false
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .tokenRejected(env):
            return env ? "NEMO_TOKEN was refused (expired or invalid): set a fresh token, or unset NEMO_TOKEN to use an anonymous one"
                       : "the cloud refused a freshly issued token; try again later"
        case let .sessionNotFound(s):
            return "cloud session \(s) no longer exists; start again without --session"
        case let .outOfCredits(url):
            if let url { return "out of cloud credits: register to get more at \(url)" }
            return "out of cloud credits: top up credits in your NemoVideo account"
        case let .unsupportedFile(name):
            return "\(name.map { "\($0): " } ?? "")unsupported file for the cloud; accepted formats: \(cloudAcceptedFormats.joined(separator: " "))"
        case let .fileTooLarge(name):
            return "\(name.map { "\($0): " } ?? "")file too large for the cloud (videos up to 500 MB, photos up to 200 MB): trim or compress it first"
        case .exportBlocked:
            return "export is not available on the free plan: register or upgrade to unlock export"
        case .rateLimited:
            return "the cloud is rate limiting requests; wait a minute and try again"
        case let .server(code, message):
            return "the cloud answered error \(code)\(message.isEmpty ? "" : ": \(message)")"
        case let .httpStatus(s):
            return "the cloud answered HTTP \(s)"
        case let .network(e):
            return (isUnreachable ? "cloud unreachable: " : "cloud request failed: ") + (e.errorDescription ?? "network error")
        case let .badResponse(what):
            return "the cloud sent a reply tikconv does not understand (\(what))"
        case let .agentError(m):
            return "the cloud agent reported an error: \(m)"
        case let .turnUnfinished(s):
            return "the connection dropped before the agent finished; nothing was re-sent (that would charge twice); check with `tikconv cloud status --session \(s)`"
        case let .turnTimedOut(s):
            return "the agent did not finish within the time limit; check with `tikconv cloud status --session \(s)`"
        case let .nothingToExport(s):
            return "session \(s) has no timeline to export yet; ask for changes with `tikconv cloud chat --session \(s) \"…\"`"
        case let .renderFailed(s, reason):
            return "the cloud render failed twice (\(reason)); try `tikconv cloud export --session \(s)` later"
        case let .renderTimedOut(s):
            return "the cloud render is taking too long; try `tikconv cloud export --session \(s)` later"
        case let .renderRejected(m):
            return "the cloud refused the render request: \(m)"
        case let .downloadIncomplete(s, got, expected):
            let sizes = got.map { g in expected.map { "\(g) of \($0) bytes" } ?? "\(g) bytes" } ?? "connection dropped"
            return "the rendered video download was cut short (\(sizes)); nothing was written; retry with `tikconv cloud export --session \(s)`"
        case let .notAnMP4(s):
            return "the cloud returned something that is not an MP4; retry with `tikconv cloud export --session \(s)`"
        case .noSession:
            return "no cloud session remembered yet: give --session ID"
        case let .noInput(m):
            return m
        case let .output(m):
            return "cannot write the output: \(m)"
        case let .config(m):
            return "cannot use the tikconv config directory: \(m)"
        }
    }
}
