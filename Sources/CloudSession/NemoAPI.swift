import Foundation
import HTTPTransport
import Planning

/// The NemoVideo endpoints (protocol §1–7) with the error table's retries:
/// 1001 → new anonymous token (same client id) and retry once; HTTP 429 → wait and retry once;
/// HTTP 400 on the anonymous token → new client id and retry once. Everything else is thrown.
final class NemoAPI {
    let settings: CloudSettings
    let http: HTTPClient
    let store: ConfigStore
    var skill: CloudSkill
    let events: (CloudEvent) -> Void
    private(set) var token: String?
    private(set) var userId: String?

    init(settings: CloudSettings, skill: CloudSkill, events: @escaping (CloudEvent) -> Void) {
        self.settings = settings
        self.http = HTTPClient(settings: settings.http)
        self.store = ConfigStore(dir: settings.configDir)
        self.skill = skill
        self.events = events
    }

    var usesEnvironmentToken: Bool { settings.environmentToken != nil }

    // MARK: Headers, URLs, redaction

    func url(_ path: String) -> String {
        var base = settings.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    var attribution: [(String, String)] {
        [("X-Skill-Source", skill.rawValue), ("X-Skill-Version", settings.version), ("X-Skill-Platform", settings.platform)]
    }

    func headers(auth: Bool = true) -> [(String, String)] {
        var h = attribution
        if auth, let token { h.insert(("Authorization", "Bearer \(token)"), at: 0) }
        h.append(("Accept", "application/json"))
        return h
    }

    /// Removes anything token-like from text that came from the server.
    func redact(_ s: String) -> String {
        var out = s
        for t in [token, settings.environmentToken].compactMap({ $0 }) where !t.isEmpty {
            out = out.replacingOccurrences(of: t, with: "[token]")
        }
        if let re = try? NSRegularExpression(pattern: "nmv_usr_[A-Za-z0-9_\\-]+") {
            out = re.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "[token]")
        }
        return out
    }

    // MARK: Token

    /// NEMO_TOKEN, else the stored anonymous token while it is valid, else a new one.
    func ensureToken() throws {
        if token != nil { return }
        if let t = settings.environmentToken { token = t; return }
        if let c = store.loadCredentials(), let t = c.token, let exp = c.expiresAt.flatMap(NemoAPI.parseDate),
           exp.timeIntervalSince(settings.wallClock()) > 60 {
            token = t; userId = c.userId
            return
        }
        try fetchAnonymousToken()
    }

    static func parseDate(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        if let n = Double(s) { return Date(timeIntervalSince1970: n > 1e12 ? n / 1000 : n) }
        return nil
    }

    func fetchAnonymousToken() throws {
        var creds = store.loadCredentials() ?? ConfigStore.Credentials(clientId: settings.makeClientId())
        var newClientIdTried = false
        var waited = false
        while true {
            let req = HTTPRequest(method: "POST", url: url("/api/auth/anonymous-token"),
                                  headers: [("X-Client-Id", creds.clientId)] + headers(auth: false))
            let resp = try send(req)
            if resp.status == 400 && !newClientIdTried {
                newClientIdTried = true
                creds.clientId = settings.makeClientId()
                continue
            }
            if (resp.status == 429) && !waited {
                waited = true
                wait(reason: "rate limited")
                continue
            }
            let obj = try check(resp)
            guard let data = J.dict(obj["data"]), let t = J.string(data["token"]), !t.isEmpty else {
                throw CloudError.badResponse("anonymous token without a token")
            }
            token = t
            userId = J.string(data["user_id"])
            creds.token = t
            creds.userId = userId
            creds.expiresAt = J.string(data["expires_at"]) ?? ISO8601DateFormatter().string(from: settings.wallClock().addingTimeInterval(7 * 86400))
            try store.saveCredentials(creds)
            return
        }
    }

    // MARK: Requests

    func send(_ req: HTTPRequest, progress: TransferProgress? = nil) throws -> HTTPResponse {
        do { return try http.send(req, progress: progress) } catch let e as HTTPError { throw NemoAPI.wrap(e) }
    }

    /// An HTTP failure as the cloud layer's error: a reply over a size limit is a bad reply
    /// (the client stopped reading it), everything else is the network.
    static func wrap(_ e: HTTPError) -> CloudError {
        switch e {
        case .lineTooLong, .bodyTooLarge: return .badResponse(e.errorDescription ?? "too large")
        default: return .network(e)
        }
    }

    private func wait(reason: String) {
        events(.waiting(seconds: settings.rateLimitWait, reason: reason))
        settings.sleep(settings.rateLimitWait)
    }

    /// Sends with the error table applied; returns the decoded JSON object (for a stream,
    /// an empty object once the stream ended).
    @discardableResult
    func call(_ method: String, _ path: String, json body: Any? = nil, multipart: [MultipartPart]? = nil,
              progress: TransferProgress? = nil, stream: ((String) throws -> Void)? = nil,
              tick: (() throws -> Void)? = nil, requestSettings: HTTPSettings? = nil) throws -> [String: Any] {
        try ensureToken()
        var reauthed = false, waited = false
        while true {
            var h = headers()
            let b: HTTPBody
            if let multipart { b = .multipart(multipart) }
            else if let body { b = .data(J.data(body), contentType: "application/json") }
            else { b = .none }
            if stream != nil { h = h.filter { $0.0 != "Accept" } + [("Accept", "text/event-stream")] }
            let req = HTTPRequest(method: method, url: url(path), headers: h, body: b, settings: requestSettings)
            let resp: HTTPResponse
            if let stream {
                do { resp = try http.stream(req, onLine: stream, onTick: tick) } catch let e as HTTPError { throw NemoAPI.wrap(e) }
                if resp.isSuccess && resp.body.isEmpty { return [:] }
            } else {
                resp = try send(req, progress: progress)
            }
            let obj = J.object(resp.body)
            let code = J.int(obj?["code"])
            if resp.status == 429 || code == 429 {
                if waited { throw CloudError.rateLimited }
                waited = true
                wait(reason: "rate limited")
                continue
            }
            if code == 1001 || (resp.status == 401 && (code == nil || code == 401)) {
                if reauthed || usesEnvironmentToken { throw CloudError.tokenRejected(fromEnvironment: usesEnvironmentToken) }
                reauthed = true
                token = nil
                try fetchAnonymousToken()
                continue
            }
            return try check(resp, object: obj)
        }
    }

    /// The table's non-retrying rows.
    func check(_ resp: HTTPResponse, object: [String: Any]? = nil) throws -> [String: Any] {
        let obj = object ?? J.object(resp.body)
        let code = J.int(obj?["code"])
        let message = redact(J.string(obj?["message"]) ?? J.string(obj?["error"]) ?? "")
        switch code {
        case 1002?: throw CloudError.sessionNotFound(session: "")
        case 2001?:
            let anon = !usesEnvironmentToken || (userId?.hasPrefix("anon_") ?? false)
            throw CloudError.outOfCredits(bindURL: anon ? userId.map { "https://nemovideo.com/register?bind=\($0)" } ?? "https://nemovideo.com/register" : nil)
        case 4001?: throw CloudError.unsupportedFile(name: nil)
        case 4002?: throw CloudError.fileTooLarge(name: nil)
        default: break
        }
        if resp.status == 402 || code == 402 { throw CloudError.exportBlocked }
        if let code, code != 0 { throw CloudError.server(code: code, message: message) }
        if let obj, obj["success"] as? Bool == false { throw CloudError.renderRejected(message.isEmpty ? "HTTP \(resp.status)" : message) }
        guard resp.isSuccess else { throw CloudError.httpStatus(resp.status) }
        guard let obj else { throw CloudError.badResponse("HTTP \(resp.status) without JSON") }
        return obj
    }

    // MARK: Endpoints

    func createSession() throws -> (sessionId: String, taskId: String?) {
        let obj = try call("POST", "/api/tasks/me/with-session/nemo_agent", json: ["task_name": "project", "language": "en"])
        guard let d = J.dict(obj["data"]), let sid = J.string(d["session_id"]) else {
            throw CloudError.badResponse("session without an id")
        }
        if let u = J.string(d["user_id"]), userId == nil { userId = u }
        return (sid, J.string(d["task_id"]))
    }

    func credits() throws -> Credits {
        let obj = try call("GET", "/api/credits/balance/simple")
        let d = J.dict(obj["data"]) ?? [:]
        return Credits(available: J.double(d["available"]) ?? 0, frozen: J.double(d["frozen"]) ?? 0, total: J.double(d["total"]) ?? 0)
    }

    func state(_ sid: String) throws -> [String: Any] {
        let obj = try call("GET", "/api/state/nemo_agent/me/\(sid)/latest")
        let d = J.dict(obj["data"]) ?? [:]
        return J.dict(d["state"]) ?? [:]
    }

    func draft(_ sid: String) throws -> [String: Any] {
        J.dict(try state(sid)["draft"]) ?? [:]
    }

    func uploadFiles(_ sid: String, parts: [MultipartPart]) throws -> [[String: Any]] {
        // Large uploads: no overall cap, the stall detector (low-speed limit) still applies.
        var s = settings.http
        s.overallTimeout = nil
        var last: Int64 = -1
        let obj = try call("POST", "/api/upload-video/nemo_agent/me/\(sid)", multipart: parts, progress: { [events] _, _, up, upTotal in
            if upTotal > 0 && up != last { last = up; events(.uploadProgress(sent: up, total: upTotal)) }
        }, requestSettings: s)
        return J.array(J.dict(obj["data"])?["files"])
    }

    func uploadURLs(_ sid: String, urls: [String]) throws -> [[String: Any]] {
        let obj = try call("POST", "/api/upload-video/nemo_agent/me/\(sid)", json: ["urls": urls, "source_type": "url"])
        return J.array(J.dict(obj["data"])?["files"])
    }

    func submitRender(id: String, sid: String, draft: [String: Any]) throws {
        try call("POST", "/api/render/proxy/lambda", json: [
            "id": id, "sessionId": sid, "draft": draft, "output": ["format": "mp4", "quality": "high"],
        ] as [String: Any])
    }

    struct RenderPoll { var status: String; var progress: Int; var url: String?; var size: Int64?; var error: String? }

    func pollRender(id: String) throws -> RenderPoll {
        let obj = try call("GET", "/api/render/proxy/lambda/\(id)")
        let d = J.dict(obj["data"]) ?? [:]
        let output = J.dict(obj["output"]) ?? J.dict(d["output"]) ?? [:]
        let status = (J.string(obj["status"]) ?? J.string(d["status"]) ?? "").lowercased()
        return RenderPoll(
            status: status,
            progress: J.int(obj["progress"]) ?? J.int(d["progress"]) ?? 0,
            url: J.string(output["url"]) ?? J.string(d["outputUrl"]) ?? J.string(obj["outputUrl"]),
            size: (J.double(output["size"]) ?? J.double(d["size"])).map { Int64($0) },
            error: (J.string(obj["error"]) ?? J.string(d["error"])).map(redact))
    }

    /// Downloads `url` to `path`. Sends the token only to the API's own origin.
    func download(_ urlString: String, to path: String) throws -> HTTPResponse {
        var h = attribution
        let target = URL(string: urlString, relativeTo: URL(string: settings.baseURL))?.absoluteURL
        let base = URL(string: settings.baseURL)
        if let target, let base, target.host == base.host, target.port == base.port, target.scheme == base.scheme, let token {
            h.insert(("Authorization", "Bearer \(token)"), at: 0)
        }
        var s = settings.http
        s.overallTimeout = nil
        let req = HTTPRequest(url: target?.absoluteString ?? urlString, headers: h, settings: s)
        var last: Int64 = -1
        return try http.download(req, to: path) { [events] down, total, _, _ in
            if down > 0 && down != last { last = down; events(.downloadProgress(received: down, total: total)) }
        }
    }
}
