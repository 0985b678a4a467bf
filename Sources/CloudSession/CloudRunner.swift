import Foundation
import HTTPTransport
import MediaProbe
import OutputFiles
import Planning

/// One cloud job: what to send and where the MP4 goes.
public struct CloudJob {
    public var plan: Plan
    public var request: Request
    public var outputPath: String
    public init(plan: Plan, request: Request, outputPath: String) {
        self.plan = plan; self.request = request; self.outputPath = outputPath
    }
}

/// Runs cloud jobs and the `tikconv cloud …` subcommands over the NemoVideo protocol.
public final class CloudRunner {
    public let settings: CloudSettings

    public init(settings: CloudSettings) { self.settings = settings }

    /// The convert command's entry point for cloud plans.
    public static func run(plan: Plan, request: Request, options: CloudSettings, outputPath: String,
                           events: @escaping (CloudEvent) -> Void) throws -> CloudResult {
        try CloudRunner(settings: options).run(CloudJob(plan: plan, request: request, outputPath: outputPath), events: events)
    }

    // MARK: - Convert

    /// probe-checked inputs → session → upload → turn → (summary) → export → download.
    public func run(_ job: CloudJob, events: @escaping (CloudEvent) -> Void) throws -> CloudResult {
        let skill = job.plan.skill ?? .videoConverterTikTok
        let (parts, scripts) = try prepareInputs(job.request.inputs)
        let message = try composeMessage(plan: job.plan, request: job.request, scripts: scripts)
        // Created (as a temporary file) before anything is uploaded: an output that cannot be
        // written must fail before credits are spent, not after the render.
        let output = try OutputFile(finalPath: job.outputPath, overwrite: true, inputPaths: job.request.inputs.map(\.path))

        let api = NemoAPI(settings: settings, skill: skill, events: events)
        try api.ensureToken()
        var sid: String
        var resumed = false
        if let s = try resolveSession(settings.session) {
            sid = s; resumed = true
            try remember(sid, skill: skill)
            events(.status("Resuming cloud session \(sid)"))
        } else {
            sid = try newSession(api, events: events)
        }

        var turn: TurnOutcome
        var retriedSession = false
        while true {
            do {
                try upload(api, sid: sid, parts: parts, events: events)
                turn = try runTurn(api, sid: sid, message: message, events: events)
                break
            } catch CloudError.sessionNotFound {
                // 1002: a new session and one retry (the old one, uploads included, is gone).
                if retriedSession { throw CloudError.sessionNotFound(session: sid) }
                retriedSession = true
                events(.status(resumed ? "Session \(sid) no longer exists; starting a new one" : "The cloud lost the session; starting a new one"))
                sid = try newSession(api, events: events)
            }
        }
        let bytes: Int64, renderId: String
        (bytes, renderId) = try export(api, sid: sid, draft: turn.draft, output: output, events: events)
        return CloudResult(sessionId: sid, outputPath: job.outputPath, assistantText: turn.texts,
                           timelineSummary: turn.summary, bytes: bytes, renderId: renderId)
    }

    // MARK: - Subcommands

    public func credits(events: @escaping (CloudEvent) -> Void = { _ in }) throws -> Credits {
        try NemoAPI(settings: settings, skill: rememberedSkill(), events: events).credits()
    }

    /// The session's timeline in the one-line form.
    public func status(session: String?, events: @escaping (CloudEvent) -> Void = { _ in }) throws -> CloudResult {
        let sid = try requireSession(session)
        let api = NemoAPI(settings: settings, skill: rememberedSkill(for: sid), events: events)
        let draft: [String: Any]
        do { draft = try api.draft(sid) } catch CloudError.sessionNotFound { throw CloudError.sessionNotFound(session: sid) }
        return CloudResult(sessionId: sid, timelineSummary: Timeline.summary(draft))
    }

    /// Renders the session's current draft and downloads it.
    public func export(session: String?, outputPath: String, events: @escaping (CloudEvent) -> Void) throws -> CloudResult {
        let sid = try requireSession(session)
        let api = NemoAPI(settings: settings, skill: rememberedSkill(for: sid), events: events)
        let output = try OutputFile(finalPath: outputPath, overwrite: true)
        let draft: [String: Any]
        do { draft = try api.draft(sid) } catch CloudError.sessionNotFound { throw CloudError.sessionNotFound(session: sid) }
        try remember(sid, skill: nil)
        let (bytes, rid) = try export(api, sid: sid, draft: draft, output: output, events: events)
        return CloudResult(sessionId: sid, outputPath: outputPath, timelineSummary: Timeline.summary(draft), bytes: bytes, renderId: rid)
    }

    /// One more instruction in an existing session (no export).
    public func chat(session: String?, message: String, events: @escaping (CloudEvent) -> Void) throws -> CloudResult {
        var sid = try requireSession(session)
        let api = NemoAPI(settings: settings, skill: rememberedSkill(for: sid), events: events)
        let turn: TurnOutcome
        do {
            turn = try runTurn(api, sid: sid, message: message, events: events)
        } catch CloudError.sessionNotFound {
            events(.status("Session \(sid) no longer exists; starting a new one"))
            sid = try newSession(api, events: events)
            do { turn = try runTurn(api, sid: sid, message: message, events: events) } catch CloudError.sessionNotFound {
                throw CloudError.sessionNotFound(session: sid)
            }
        }
        try remember(sid, skill: nil)
        return CloudResult(sessionId: sid, assistantText: turn.texts, timelineSummary: turn.summary)
    }

    // MARK: - Steps

    private var store: ConfigStore { ConfigStore(dir: settings.configDir) }

    /// The skill a session was made for (default: the last session's, else video-converter-tiktok).
    private func rememberedSkill(for sid: String? = nil) -> CloudSkill {
        let last = store.loadLastSession()
        let raw = sid.flatMap { last?.skills?[$0] } ?? (sid == nil || sid == last?.sessionId ? last?.skill : nil)
        return raw.flatMap(CloudSkill.init(rawValue:)) ?? .videoConverterTikTok
    }

    /// nil → create; "last" → the remembered one; else the id given.
    private func resolveSession(_ s: String?) throws -> String? {
        guard let s, !s.isEmpty else { return nil }
        if s == "last" {
            guard let last = store.loadLastSession()?.sessionId else { throw CloudError.noSession }
            return last
        }
        return s
    }

    private func requireSession(_ s: String?) throws -> String {
        guard let sid = try resolveSession(s ?? "last") else { throw CloudError.noSession }
        return sid
    }

    /// Remembers the session for `--session last` (keeping its skill when it is the same one).
    private func remember(_ sid: String, skill: CloudSkill?) throws {
        let previous = store.loadLastSession()
        var skills = previous?.skills ?? [:]
        if let p = previous, let k = p.skill, skills[p.sessionId] == nil { skills[p.sessionId] = k }
        let value = skill?.rawValue ?? skills[sid]
        if let value { skills[sid] = value }
        if skills.count > 50 { skills = skills.filter { $0.key == sid || $0.key == previous?.sessionId } }
        try store.saveLastSession(.init(sessionId: sid, skill: value, skills: skills))
    }

    private func newSession(_ api: NemoAPI, events: (CloudEvent) -> Void) throws -> String {
        events(.status("Starting a cloud session"))
        let sid = try api.createSession().sessionId
        try remember(sid, skill: api.skill)
        return sid
    }

    /// Media to upload (as multipart parts) and scripts to send as text. Refuses, before
    /// anything is sent, files whose format the cloud does not accept or that are too large.
    func prepareInputs(_ inputs: [ProbeReport]) throws -> ([MultipartPart], [String]) {
        var parts: [MultipartPart] = [], scripts: [String] = []
        for input in inputs {
            let name = (input.path as NSString).lastPathComponent
            if input.kind == .text {
                guard let data = FileManager.default.contents(atPath: input.path) else {
                    throw CloudError.noInput("cannot read \(name)")
                }
                scripts.append(String(decoding: data, as: UTF8.self))
                continue
            }
            var format = input.format.lowercased()
            if format == "jpeg" { format = "jpg" }
            guard cloudAcceptedFormats.contains(format) else { throw CloudError.unsupportedFile(name: name) }
            let limit: Int64 = input.kind == .image ? 200_000_000 : 500_000_000
            guard input.sizeBytes <= limit else { throw CloudError.fileTooLarge(name: name) }
            var ext = (name as NSString).pathExtension.lowercased()
            if ext == "jpeg" { ext = "jpg" }
            let filename = ext == format ? name : ((name as NSString).deletingPathExtension + "." + format)
            parts.append(MultipartPart(name: "files", content: .file(path: input.path), filename: filename,
                                       contentType: CloudRunner.mimeType(format)))
        }
        return (parts, scripts)
    }

    static func mimeType(_ format: String) -> String {
        switch format {
        case "mp4": return "video/mp4"
        case "mov": return "video/quicktime"
        case "avi": return "video/x-msvideo"
        case "webm": return "video/webm"
        case "mkv": return "video/x-matroska"
        case "jpg": return "image/jpeg"
        case "png", "gif", "webp": return "image/\(format)"
        case "mp3": return "audio/mpeg"
        case "wav": return "audio/wav"
        case "m4a": return "audio/mp4"
        case "aac": return "audio/aac"
        default: return "application/octet-stream"
        }
    }

    /// The instruction, with every script's whole text appended.
    func composeMessage(plan: Plan, request: Request, scripts: [String]) throws -> String {
        var instruction = plan.cloudInstruction ?? request.prompt
        if instruction?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            switch plan.skill {
            case .textToTikTok?: instruction = "Turn this script into a 9:16 TikTok video with visuals, captions and music."
            case .photoVideo?: instruction = "Make a 9:16 TikTok slideshow from these photos with music and transitions."
            default: instruction = "Convert this into a TikTok-ready 9:16 video."
            }
        }
        var message = instruction!
        for s in scripts { message += "\n\nScript:\n" + s }
        return message
    }

    private func upload(_ api: NemoAPI, sid: String, parts: [MultipartPart], events: (CloudEvent) -> Void) throws {
        if !parts.isEmpty {
            events(.status("Uploading \(parts.count) file\(parts.count == 1 ? "" : "s")"))
            do { _ = try api.uploadFiles(sid, parts: parts) } catch CloudError.unsupportedFile(nil) {
                throw CloudError.unsupportedFile(name: parts.count == 1 ? parts[0].filename : nil)
            } catch CloudError.fileTooLarge(nil) {
                throw CloudError.fileTooLarge(name: parts.count == 1 ? parts[0].filename : nil)
            }
        }
        if !settings.urls.isEmpty {
            events(.status("Adding \(settings.urls.count) URL\(settings.urls.count == 1 ? "" : "s")"))
            _ = try api.uploadURLs(sid, urls: settings.urls)
        }
    }

    struct TurnOutcome {
        var texts: [String]
        var summary: String?
        var draft: [String: Any]
    }

    /// Sends the message once and streams the reply. After a dropped stream it reads the
    /// state and never sends the message again.
    func runTurn(_ api: NemoAPI, sid: String, message: String, events: @escaping (CloudEvent) -> Void) throws -> TurnOutcome {
        // The state before the turn, to tell after a drop whether the turn finished.
        let before = J.data(try api.draft(sid))
        events(.status("Sending the instruction to the cloud agent"))
        let listener = TurnListener(api: api, settings: settings, events: events)
        let dropped = try streamTurn(api, sid: sid, message: message, to: listener)
        if listener.timedOut { throw CloudError.turnTimedOut(session: sid) }
        if let agentError = listener.agentError { throw CloudError.agentError(agentError) }

        let draft = dropped ? try draftAfterDrop(api, sid: sid, before: before, events: events) : try api.draft(sid)
        var summary: String?
        if listener.texts.isEmpty {
            let line = Timeline.summary(draft)
            summary = line
            events(.timelineSummary(line))
        }
        return TurnOutcome(texts: listener.texts, summary: summary, draft: draft)
    }

    /// Posts the message and feeds the reply stream to `listener`. Returns true when the
    /// stream dropped after the request may have reached the agent; a failure that proves it
    /// never did (refused, unresolvable, TLS) is thrown.
    private func streamTurn(_ api: NemoAPI, sid: String, message: String, to listener: TurnListener) throws -> Bool {
        let cap = settings.turnTimeout
        var s = settings.http
        s.overallTimeout = cap + 60
        s.lowSpeedTime = min(cap, max(s.lowSpeedTime, 300))
        do {
            try api.call("POST", "/run_sse", json: [
                "app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": ["role": "user", "parts": [["text": message]]],
            ] as [String: Any], stream: { line in try listener.feed(line) }, tick: listener.idleCheck, requestSettings: s)
            try listener.finish()
        } catch is TurnListener.Stop {
            if listener.timedOut { throw CloudError.turnTimedOut(session: sid) }
        } catch let CloudError.network(e) {
            switch e {
            case .connectionRefused, .cannotResolve, .tls, .protocolRefused, .setup: throw CloudError.network(e)
            default: return true
            }
        } catch is HTTPError {
            return true
        }
        return false
    }

    /// After a drop the turn may still have finished on the server: the state is read (a few
    /// times, apart) until it differs from the state before the turn.
    private func draftAfterDrop(_ api: NemoAPI, sid: String, before: Data, events: (CloudEvent) -> Void) throws -> [String: Any] {
        events(.status("The connection dropped; reading the session state before doing anything else"))
        for attempt in 0..<max(1, settings.dropStateChecks) {
            if attempt > 0 { settings.sleep(settings.pollInterval) }
            let draft = try api.draft(sid)
            if J.data(draft) != before { return draft }
        }
        throw CloudError.turnUnfinished(session: sid)
    }

    /// Submit render → poll → download. A failed or refused render is retried once with a new id.
    func export(_ api: NemoAPI, sid: String, draft: [String: Any], output: OutputFile,
                events: @escaping (CloudEvent) -> Void) throws -> (Int64, String) {
        guard Timeline.isReady(draft) else { throw CloudError.nothingToExport(session: sid) }
        var attempt = 0
        while true {
            attempt += 1
            let id = "render_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            events(.status("Rendering the video in the cloud"))
            do {
                try api.submitRender(id: id, sid: sid, draft: draft)
            } catch let CloudError.renderRejected(m) {
                if attempt < 2 { continue }
                throw CloudError.renderFailed(session: sid, reason: m)
            } catch CloudError.sessionNotFound {
                throw CloudError.sessionNotFound(session: sid)
            }
            var waited: TimeInterval = 0
            var poll: NemoAPI.RenderPoll
            repeat {
                if waited >= settings.maxRenderWait { throw CloudError.renderTimedOut(session: sid) }
                settings.sleep(settings.pollInterval)
                waited += max(settings.pollInterval, 0.001)
                do { poll = try api.pollRender(id: id) } catch CloudError.renderRejected(_) {
                    poll = .init(status: "failed", progress: 0, url: nil, size: nil, error: "render unknown to the server")
                }
                events(.renderProgress(status: poll.status.isEmpty ? "pending" : poll.status, percent: poll.progress))
            } while poll.status != "completed" && poll.status != "failed"
            if poll.status == "failed" {
                if attempt < 2 { events(.status("The render failed; retrying once")); continue }
                throw CloudError.renderFailed(session: sid, reason: poll.error ?? "failed")
            }
            guard let url = poll.url else { throw CloudError.badResponse("completed render without a URL") }
            let bytes = try download(api, sid: sid, url: url, expected: poll.size, to: output, events: events)
            return (bytes, id)
        }
    }

    /// Downloads to the output's temporary name, checks size and MP4 signature, renames.
    private func download(_ api: NemoAPI, sid: String, url: String, expected: Int64?, to output: OutputFile,
                          events: (CloudEvent) -> Void) throws -> Int64 {
        events(.status("Downloading the video"))
        let tmp = output.temporaryPath, outputPath = output.finalPath
        let resp: HTTPResponse
        do {
            resp = try api.download(url, to: tmp)
        } catch let HTTPError.file(path, detail) {
            throw CloudError.output("\(path == tmp ? outputPath : path): \(detail)")
        } catch let e as HTTPError {
            switch e {
            case .dropped, .timedOut: throw CloudError.downloadIncomplete(session: sid, got: nil, expected: expected)
            default: throw CloudError.network(e)
            }
        }
        guard resp.isSuccess else {
            unlink(tmp)
            _ = try api.check(resp)
            throw CloudError.httpStatus(resp.status)
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: tmp)[.size]) as? NSNumber)?.int64Value ?? 0
        let announced = expected ?? resp.header("Content-Length").flatMap { Int64($0) }
        if let announced, announced != size {
            unlink(tmp)
            throw CloudError.downloadIncomplete(session: sid, got: size, expected: announced)
        }
        let head = FileHandle(forReadingAtPath: tmp).flatMap { fh -> Data? in defer { try? fh.close() }; return try? fh.read(upToCount: 12) }
        guard let head, head.count >= 8, head[head.startIndex + 4..<head.startIndex + 8] == Data("ftyp".utf8) else {
            unlink(tmp)
            throw CloudError.notAnMP4(session: sid)
        }
        try output.commit()
        return size
    }
}
