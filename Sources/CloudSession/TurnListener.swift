import Foundation

/// What one agent turn has said so far: the reply stream's events turned into progress
/// events, the assistant's texts and any agent error, plus the clocks that decide when to
/// report "still working" and when the turn has run too long.
final class TurnListener {
    /// Thrown from the stream callbacks to end the transfer once the turn has run too long.
    struct Stop: Error {}

    private(set) var texts: [String] = []
    private(set) var agentError: String?
    private(set) var timedOut = false
    private var parser = SSEParser()
    private let api: NemoAPI
    private let events: (CloudEvent) -> Void
    private let now: () -> TimeInterval
    private let interval: TimeInterval
    private let cap: TimeInterval
    private let start: TimeInterval
    private var lastActivity: TimeInterval

    init(api: NemoAPI, settings: CloudSettings, events: @escaping (CloudEvent) -> Void) {
        self.api = api
        self.events = events
        now = settings.now
        interval = settings.stillWorkingInterval
        cap = settings.turnTimeout
        start = settings.now()
        lastActivity = start
    }

    /// One line of the reply stream.
    func feed(_ line: String) throws { try handle(parser.feed(line)) }

    /// The end of the reply stream: whatever the parser still holds.
    func finish() throws { try handle(parser.finish()) }

    /// Called on every line and on curl's regular ticks, so a silent stream is still timed.
    func idleCheck() throws {
        let t = now()
        if t - start >= cap { timedOut = true; throw Stop() }
        if t - lastActivity >= interval {
            lastActivity = t
            events(.stillWorking(elapsed: t - start))
        }
    }

    private func handle(_ evs: [SSEEvent]) throws {
        for e in evs {
            switch e {
            case let .text(t):
                lastActivity = now()
                let clean = api.redact(t)
                texts.append(clean)
                events(.assistantText(clean))
            case .partialText: lastActivity = now()
            case let .toolCall(n): lastActivity = now(); events(.toolProgress(name: n, finished: false))
            case let .toolResult(n): lastActivity = now(); events(.toolProgress(name: n, finished: true))
            case .heartbeat, .keepAlive: break
            case let .error(m): agentError = api.redact(m)
            }
        }
        try idleCheck()
    }
}
