import Foundation

/// Something the cloud route reports while it works. The CLI decides how to draw it.
public enum CloudEvent: Equatable, Sendable {
    /// A step starting ("Uploading 2 files").
    case status(String)
    /// The assistant's reply text: the data the user asked for.
    case assistantText(String)
    /// The one-line timeline summary shown when a turn ended without text.
    case timelineSummary(String)
    /// Tool activity inside a turn.
    case toolProgress(name: String, finished: Bool)
    /// Only keep-alives for a while (every `stillWorkingInterval`).
    case stillWorking(elapsed: TimeInterval)
    case uploadProgress(sent: Int64, total: Int64)
    case renderProgress(status: String, percent: Int)
    case downloadProgress(received: Int64, total: Int64)
    /// Waiting before a retry (rate limit).
    case waiting(seconds: TimeInterval, reason: String)

    /// A one-line rendering (what a plain-text UI would print).
    public var text: String {
        switch self {
        case let .status(s): return s
        case let .assistantText(s): return s
        case let .timelineSummary(s): return s
        case let .toolProgress(name, finished): return finished ? "agent: \(name) done" : "agent: \(name)…"
        case let .stillWorking(e): return "still working… (\(Int(e / 60)) min)"
        case let .uploadProgress(sent, total): return "uploading \(sent)/\(total) bytes"
        case let .renderProgress(status, p): return "rendering: \(status) \(p)%"
        case let .downloadProgress(r, t): return t > 0 ? "downloading \(r)/\(t) bytes" : "downloading \(r) bytes"
        case let .waiting(s, reason): return "\(reason): waiting \(Int(s)) s before retrying"
        }
    }
}

/// What a finished cloud job produced.
public struct CloudResult: Equatable, Sendable {
    public var sessionId: String
    /// Where the MP4 was written (nil for a chat turn without export).
    public var outputPath: String?
    public var assistantText: [String]
    /// Set when the turn ended without text (or for `status`).
    public var timelineSummary: String?
    public var bytes: Int64
    public var renderId: String?
    public init(sessionId: String, outputPath: String? = nil, assistantText: [String] = [], timelineSummary: String? = nil, bytes: Int64 = 0, renderId: String? = nil) {
        self.sessionId = sessionId; self.outputPath = outputPath; self.assistantText = assistantText
        self.timelineSummary = timelineSummary; self.bytes = bytes; self.renderId = renderId
    }
}

public struct Credits: Equatable, Sendable {
    public var available: Double
    public var frozen: Double
    public var total: Double
    public init(available: Double, frozen: Double, total: Double) {
        self.available = available; self.frozen = frozen; self.total = total
    }
}
