import Foundation

/// What the stand-in does, including how it misbehaves and how slow it is.
public struct NemoStandInConfig: Sendable {
    public enum EventForm: Sendable { case adk, typed, mixed }
    public enum PollShape: Sendable { case flat, wrapped, alternate }
    public enum DropMode: Sendable {
        case none
        /// The stream is cut after a few events, but the turn finishes on the server.
        case afterTurnFinished
        /// The stream is cut and the turn never finishes.
        case turnUnfinished
    }
    public enum DownloadFault: Sendable {
        /// Content-Length announces the whole file, half is sent, the connection closes.
        case closeEarly
        /// Half the file is sent and the reply ends cleanly (no Content-Length): only the
        /// size from the render result shows the file is short.
        case shortBody
    }

    /// The MP4 served as every render's output.
    public var mp4Path: String
    public var eventForm: EventForm = .adk
    public var pollShape: PollShape = .alternate
    /// Tokens accepted without having been issued (a registered user's NEMO_TOKEN).
    public var extraTokens: [String: String] = [:]
    /// The assistant's reply text.
    public var replyText = "Done! Your 10-second TikTok has captions and lo-fi background music."

    // Misbehaviours
    /// The first request whose path starts with this answers 1001 and the token stops working.
    public var expireTokenAt: String?
    /// The first request whose path starts with this answers 1002 (the session is forgotten).
    public var forgetSessionAt: String?
    /// The first anonymous-token request answers HTTP 400 (as for a missing X-Client-Id).
    public var rejectFirstClientId = false
    /// /run_sse answers 2001.
    public var outOfCredits = false
    /// Render submit answers HTTP 402.
    public var exportPaymentRequired = false
    /// The first request whose path starts with this answers HTTP 429.
    public var rateLimitOnceAt: String?
    /// Every request whose path starts with this answers HTTP 429.
    public var rateLimitAlwaysAt: String?
    public var dropStream: DropMode = .none
    /// The turn ends with tool activity only.
    public var noTextTurn = false
    /// An error event inside the stream.
    public var streamError: String?
    /// How many render submissions end `failed` (counted from the first).
    public var failRenders = 0
    public var downloadFault: DownloadFault?
    /// Upload answers this code (4001, 4002) instead of accepting.
    public var uploadErrorCode: Int?
    /// Polls answered pending/processing before `completed` (a slow render: more).
    public var renderPolls = 2
    /// Only keep-alives for this long before the turn's first event.
    public var silentSeconds: TimeInterval = 0
    /// Gap between keep-alives while silent.
    public var keepAliveInterval: TimeInterval = 0.05

    // Hostile or broken server
    /// Requests whose path starts with this are read and never answered (the connection stays open).
    public var stallAt: String?
    /// Requests whose path starts with this answer HTTP 200 with a cut-off JSON body.
    public var malformedJSONAt: String?
    /// Requests whose path starts with this answer HTTP 500 with an HTML body (no envelope).
    public var serverErrorAt: String?
    /// An upload's connection is closed once this many body bytes have arrived.
    public var dropUploadAfterBytes: Int?
    /// /run_sse sends one `data:` line of this many bytes with no newline, then ends.
    public var hugeSSELineBytes: Int?
    /// A completed render's output URL instead of this server's `/files/<id>.mp4`;
    /// `{base}` stands for this server's base URL.
    public var renderOutputURL: String?
    /// Downloads carry `Content-Disposition: attachment; filename="<this>"`.
    public var downloadFilename: String?
    /// Authenticated requests whose path starts with this answer HTTP 500 with an envelope whose
    /// message repeats the caller's token (a careless backend).
    public var echoTokenErrorAt: String?

    // Latencies (0 for tests; the benchmark profile sets real ones)
    /// Before answering any JSON request.
    public var responseDelay: TimeInterval = 0
    public var uploadDelay: TimeInterval = 0
    /// Spread over the turn's events.
    public var turnSeconds: TimeInterval = 0
    /// A render is not completed before this long after submission, whatever the poll count.
    public var renderSeconds: TimeInterval = 0

    public init(mp4Path: String) { self.mp4Path = mp4Path }

    /// Emulates the real service's pace: upload ~2 s, a turn ~20 s of SSE, render ~30 s.
    public static func latencyProfile(mp4Path: String) -> NemoStandInConfig {
        var c = NemoStandInConfig(mp4Path: mp4Path)
        c.responseDelay = 0.15
        c.uploadDelay = 2
        c.turnSeconds = 20
        c.renderSeconds = 30
        c.renderPolls = 3
        c.keepAliveInterval = 5
        return c
    }
}
