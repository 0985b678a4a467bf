import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP server on 127.0.0.1 (ephemeral port) speaking the NemoVideo protocol
/// (`shared/cloud-protocol.md`), for tests and the benchmark. It records every request.
public final class NemoStandIn: @unchecked Sendable {
    public let config: NemoStandInConfig
    private let lock = NSLock()
    private var group: MultiThreadedEventLoopGroup?
    private var channel: Channel?
    public private(set) var port = 0

    // Server state (guarded by lock)
    private var recorded: [RecordedRequest] = []
    private var tokens: [String: String] = [:]          // token → user id
    private var sessions: [String: SessionState] = [:]
    private var renders: [String: RenderState] = [:]
    private var renderSubmissions = 0
    private var firedOnce: Set<String> = []
    private var counter = 0
    private var credits = 100

    struct SessionState { var taskId: String; var draft: [String: Any] = [:]; var files: [[String: Any]] = []; var turns = 0 }
    struct RenderState { var sessionId: String; var polls = 0; var created: Date; var fails: Bool }

    public init(config: NemoStandInConfig) {
        self.config = config
        for (t, u) in config.extraTokens { tokens[t] = u }
    }

    deinit { stop() }

    /// Starts listening on 127.0.0.1 with an ephemeral port (or the given one); returns the port.
    @discardableResult
    public func start(port requested: Int = 0) throws -> Int {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(StandInHandler(server: self))
                }
            }
        do {
            let ch = try bootstrap.bind(host: "127.0.0.1", port: requested).wait()
            self.group = group
            self.channel = ch
            port = ch.localAddress?.port ?? 0
            return port
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    public func stop() {
        try? channel?.close().wait()
        channel = nil
        try? group?.syncShutdownGracefully()
        group = nil
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { lock.withLock { recorded } }

    /// Requests to paths starting with the prefix.
    public func requests(to prefix: String) -> [RecordedRequest] { requests.filter { $0.path.hasPrefix(prefix) } }

    /// Tokens issued or accepted (for tests that check a token never leaks).
    public var knownTokens: [String] { lock.withLock { Array(tokens.keys) } }

    // MARK: - Dispatch

    func handle(_ req: RecordedRequest) -> [Step] {
        lock.withLock { recorded.append(req) }
        let delay = config.responseDelay
        var steps = route(req)
        if delay > 0 { steps.insert(.wait(delay), at: 0) }
        return steps
    }

    /// Records a request that is not answered (a connection cut mid-upload).
    func recordOnly(_ req: RecordedRequest) { lock.withLock { recorded.append(req) } }

    private func once(_ key: String) -> Bool {
        lock.withLock { firedOnce.insert(key).inserted }
    }

    private func nextId() -> Int { lock.withLock { counter += 1; return counter } }

    private func route(_ req: RecordedRequest) -> [Step] {
        let path = req.path
        if let p = config.rateLimitAlwaysAt, path.hasPrefix(p) { return json(429, ["code": 429, "message": "Too many requests"]) }
        if let p = config.rateLimitOnceAt, path.hasPrefix(p), once("429") {
            return json(429, ["code": 429, "message": "Too many requests"])
        }
        if let p = config.stallAt, path.hasPrefix(p) { return [.stall] }
        if let p = config.serverErrorAt, path.hasPrefix(p) {
            let html = Data("<html><body><h1>500 Internal Server Error</h1></body></html>".utf8)
            return [.head(500, [("Content-Type", "text/html"), ("Content-Length", String(html.count))]), .body(html), .end]
        }
        if let p = config.malformedJSONAt, path.hasPrefix(p) {
            let cut = Data(#"{"code":0,"message":"ok","data":{"session_id":"55"#.utf8)
            return [.head(200, [("Content-Type", "application/json"), ("Content-Length", String(cut.count))]), .body(cut), .end]
        }
        if req.method == "POST" && path == "/api/auth/anonymous-token" { return anonymousToken(req) }
        if req.method == "GET" && path.hasPrefix("/files/") { return file(req) }
        if path == "/test/redirect" {
            // Test support for redirect handling: 302 to the URL in `to=`.
            let to = (req.query ?? "").split(separator: "&").first { $0.hasPrefix("to=") }
                .map { String($0.dropFirst(3)).removingPercentEncoding ?? "" } ?? "/"
            return [.head(302, [("Location", to), ("Content-Length", "0")]), .end]
        }
        if path == "/test/redirect-loop" { return [.head(302, [("Location", "/test/redirect-loop"), ("Content-Length", "0")]), .end] }

        // Everything else needs a valid bearer token.
        guard let auth = req.header("Authorization"), auth.hasPrefix("Bearer ") else {
            return json(401, ["code": 1001, "message": "Missing token"])
        }
        let token = String(auth.dropFirst("Bearer ".count))
        guard let userId = lock.withLock({ tokens[token] }) else {
            return json(401, ["code": 1001, "message": "Token expired"])
        }
        if let p = config.expireTokenAt, path.hasPrefix(p), once("1001") {
            _ = lock.withLock { tokens.removeValue(forKey: token) }
            return json(401, ["code": 1001, "message": "Token expired"])
        }
        if let p = config.echoTokenErrorAt, path.hasPrefix(p) {
            return json(500, ["code": 5000, "message": "internal error for Bearer \(token)"])
        }
        if let p = config.forgetSessionAt, path.hasPrefix(p), once("1002") {
            if let sid = sessionId(in: req) { _ = lock.withLock { sessions.removeValue(forKey: sid) } }
            // HTTP 200 with an error code: the envelope decides.
            return json(200, ["code": 1002, "message": "Session not found"])
        }

        switch (req.method, path) {
        case ("POST", "/api/tasks/me/with-session/nemo_agent"): return createSession(req, userId: userId)
        case ("GET", "/api/credits/balance/simple"):
            let c = lock.withLock { credits }
            return json(200, ["code": 0, "message": "ok", "data": ["available": c, "frozen": 0, "total": c]])
        case ("POST", "/run_sse"): return runSSE(req, userId: userId)
        case ("POST", "/api/render/proxy/lambda"): return submitRender(req)
        default: break
        }
        if req.method == "POST", path.hasPrefix("/api/upload-video/nemo_agent/me/") { return upload(req) }
        if req.method == "GET", path.hasPrefix("/api/state/nemo_agent/me/"), path.hasSuffix("/latest") { return state(req) }
        if req.method == "GET", path.hasPrefix("/api/render/proxy/lambda/") { return pollRender(req) }
        return json(404, ["code": 404, "message": "Not found"])
    }

    private func sessionId(in req: RecordedRequest) -> String? {
        if req.path == "/run_sse" { return req.json?["session_id"] as? String }
        if req.path.hasPrefix("/api/render/proxy/lambda") { return req.json?["sessionId"] as? String }
        let comps = req.path.split(separator: "/")
        if req.path.hasPrefix("/api/upload-video/"), comps.count >= 5 { return String(comps[4]) }
        if req.path.hasPrefix("/api/state/"), comps.count >= 5 { return String(comps[4]) }
        return nil
    }

    private func unknownSession() -> [Step] { json(200, ["code": 1002, "message": "Session not found"]) }

    // MARK: - Endpoints

    private func anonymousToken(_ req: RecordedRequest) -> [Step] {
        if config.rejectFirstClientId, once("400") { return json(400, ["code": 400, "message": "Missing X-Client-Id"]) }
        guard let cid = req.header("X-Client-Id"), !cid.isEmpty else {
            return json(400, ["code": 400, "message": "Missing X-Client-Id"])
        }
        let n = nextId()
        let token = "nmv_usr_standin\(n)x\(abs(cid.hashValue) % 100000)"
        let user = "anon_standin_\(cid.prefix(8))"
        lock.withLock { tokens[token] = user }
        let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(7 * 86400))
        return json(200, ["code": 0, "message": "ok", "data": ["token": token, "user_id": user, "expires_at": expires, "credits": 100]])
    }

    private func createSession(_ req: RecordedRequest, userId: String) -> [Step] {
        let n = nextId()
        let sid = String(5_529_798_706_024_415_232 + n)
        let tid = "task_standin\(n)"
        lock.withLock { sessions[sid] = SessionState(taskId: tid) }
        return json(200, ["code": 0, "message": "ok", "data": ["task_id": tid, "session_id": sid, "user_id": userId]])
    }

    private func upload(_ req: RecordedRequest) -> [Step] {
        guard let sid = sessionId(in: req), lock.withLock({ sessions[sid] != nil }) else { return unknownSession() }
        if let code = config.uploadErrorCode {
            return json(200, ["code": code, "message": code == 4002 ? "File too large" : "Unsupported file type"])
        }
        var files: [[String: Any]] = []
        if !req.parts.isEmpty {
            for p in req.parts where p.name == "files" {
                let name = p.filename ?? "file"
                let ext = (name as NSString).pathExtension.lowercased()
                let type = ["jpg", "png", "gif", "webp"].contains(ext) ? "image" : ["mp3", "wav", "m4a", "aac"].contains(ext) ? "audio" : "video"
                var f: [String: Any] = ["filename": name, "file_type": type, "cdn_url": "\(baseURL)/cdn/\(name)"]
                if type == "video" { f["duration"] = 2.0; f["width"] = 640; f["height"] = 360; f["fps"] = 30 }
                if type == "image" { f["width"] = 640; f["height"] = 480 }
                files.append(f)
            }
        } else if let urls = req.json?["urls"] as? [String] {
            for u in urls {
                files.append(["filename": (u as NSString).lastPathComponent, "file_type": "video", "cdn_url": u, "duration": 30.5, "width": 1920, "height": 1080, "fps": 30])
            }
        }
        if files.isEmpty { return json(400, ["code": 4001, "message": "No files"]) }
        lock.withLock { sessions[sid]?.files.append(contentsOf: files) }
        var steps = json(200, ["code": 0, "message": "ok", "data": ["files": files, "session_state_applied": true]])
        if config.uploadDelay > 0 { steps.insert(.wait(config.uploadDelay), at: 0) }
        return steps
    }

    private func state(_ req: RecordedRequest) -> [Step] {
        guard let sid = sessionId(in: req), let s = lock.withLock({ sessions[sid] }) else { return unknownSession() }
        return json(200, ["code": 0, "message": "ok", "data": [
            "session_id": sid, "task_id": s.taskId,
            "state": ["draft": s.draft, "video_infos": s.files, "generated_media": []] as [String: Any],
        ]])
    }

    static let finishedDraft: [String: Any] = [
        "d": 10000,
        "t": [
            ["tt": 0, "sg": [["st": 0, "d": 10000, "m": ["name": "city timelapse"]]]],
            ["tt": 1, "sg": [["st": 0, "d": 10000, "m": ["name": "Lo-fi", "volume": 0.35]]]],
            ["tt": 7, "sg": [["st": 0, "d": 3000, "m": ["text": "Urban Dreams"]]]],
        ],
    ]

    private func finishTurn(_ sid: String) {
        lock.withLock {
            sessions[sid]?.draft = NemoStandIn.finishedDraft
            sessions[sid]?.turns += 1
        }
    }

    private func runSSE(_ req: RecordedRequest, userId: String) -> [Step] {
        guard let body = req.json, body["app_name"] as? String == "nemo_agent",
              let msg = body["new_message"] as? [String: Any], let parts = msg["parts"] as? [[String: Any]],
              parts.first?["text"] is String else {
            return json(400, ["code": 400, "message": "Bad run_sse body"])
        }
        guard let sid = sessionId(in: req), lock.withLock({ sessions[sid] != nil }) else { return unknownSession() }
        if config.outOfCredits { return json(200, ["code": 2001, "message": "Insufficient credits"]) }

        var events: [String] = []
        let typed: Bool
        switch config.eventForm { case .typed: typed = true; case .adk: typed = false; case .mixed: typed = lock.withLock { counter % 2 == 0 } }
        func tool(_ name: String) {
            if typed {
                events.append(#"{"type":"tool_call","name":"\#(name)","args":{"style":"bold"}}"#)
                events.append(#"{"type":"tool_result","name":"\#(name)","result":{"ok":true}}"#)
            } else {
                events.append(#"{"content":{"role":"model","parts":[{"functionCall":{"id":"fc-\#(name)","name":"\#(name)","args":{"style":"bold"}}}]},"author":"nemo_agent","partial":false,"invocationId":"e-1","id":"ev-\#(name)-1","timestamp":1795313312.0,"actions":{"stateDelta":{}}}"#)
                events.append(#"{"content":{"role":"user","parts":[{"functionResponse":{"id":"fc-\#(name)","name":"\#(name)","response":{"ok":true}}}]},"author":"nemo_agent","invocationId":"e-1","id":"ev-\#(name)-2","timestamp":1795313313.0,"actions":{"stateDelta":{}}}"#)
            }
        }
        tool("generate_video")
        tool("add_bgm")
        if let e = config.streamError {
            events.append(typed ? #"{"type":"text","content":"Error: \#(e)"}"# : #"{"error":"\#(e)"}"#)
        } else if !config.noTextTurn {
            let text = config.replyText
            let encoded = String(decoding: try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]), as: UTF8.self).dropFirst().dropLast()
            if typed {
                events.append(#"{"type":"heartbeat"}"#)
                events.append(#"{"type":"text","content":\#(encoded)}"#)
            } else {
                let half = String(text.prefix(text.count / 2))
                let halfEnc = String(decoding: try! JSONSerialization.data(withJSONObject: [half]), as: UTF8.self).dropFirst().dropLast()
                events.append(#"{"content":{"role":"model","parts":[{"text":\#(halfEnc)}]},"author":"nemo_agent","partial":true,"invocationId":"e-1","id":"ev-p","timestamp":1795313314.0}"#)
                events.append(#"{"content":{"role":"model","parts":[{"text":\#(encoded)}]},"author":"nemo_agent","partial":false,"invocationId":"e-1","id":"ev-t","timestamp":1795313315.0,"actions":{"stateDelta":{}}}"#)
            }
        }

        var steps: [Step] = [.head(200, [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")])]
        // Keep-alives: a comment, then (while silent) empty data lines.
        steps.append(.body(Data(": keep-alive\n\n".utf8)))
        if config.silentSeconds > 0 {
            var t: TimeInterval = 0
            while t < config.silentSeconds {
                steps.append(.wait(config.keepAliveInterval))
                steps.append(.body(Data((Int(t / config.keepAliveInterval) % 2 == 0 ? "data:\n\n" : ": ping\n\n").utf8)))
                t += config.keepAliveInterval
            }
        }
        if let n = config.hugeSSELineBytes {
            // One line of n bytes and no newline: a client must stop reading, not buffer it all.
            steps.append(.body(Data("data: ".utf8) + Data(repeating: UInt8(ascii: "x"), count: n)))
            steps.append(.end)
            return steps
        }
        // Something that does not parse: must be ignored.
        steps.append(.body(Data("data: {not json\n\n".utf8)))
        let gap = events.isEmpty ? 0 : config.turnSeconds / Double(events.count)
        for (i, e) in events.enumerated() {
            if gap > 0 { steps.append(.wait(gap)) }
            if config.dropStream != .none && i == 2 {
                if config.dropStream == .afterTurnFinished { steps.append(.run { [self] in finishTurn(sid) }) }
                steps.append(.close)
                return steps
            }
            steps.append(.body(Data(("data: " + e + "\n\n").utf8)))
            if i % 2 == 1 { steps.append(.body(Data("data:\n\n".utf8))) }
        }
        steps.append(.run { [self] in finishTurn(sid) })
        steps.append(.end)
        return steps
    }

    private func submitRender(_ req: RecordedRequest) -> [Step] {
        let attribution = ["X-Skill-Source", "X-Skill-Version", "X-Skill-Platform"]
        if config.exportPaymentRequired || attribution.contains(where: { req.header($0) == nil }) {
            return json(402, ["code": 402, "message": "Payment required"])
        }
        guard let body = req.json, let id = body["id"] as? String, let sid = body["sessionId"] as? String,
              body["draft"] is [String: Any] else {
            return json(400, ["success": false, "message": "Bad render body"])
        }
        guard lock.withLock({ sessions[sid] != nil }) else { return unknownSession() }
        let result: (ok: Bool, fails: Bool) = lock.withLock {
            if renders[id] != nil { return (false, false) }
            renderSubmissions += 1
            let fails = renderSubmissions <= config.failRenders
            renders[id] = RenderState(sessionId: sid, created: Date(), fails: fails)
            return (true, fails)
        }
        if !result.ok { return json(409, ["success": false, "message": "Duplicate render id"]) }
        return json(200, ["success": true, "data": ["id": id, "status": "pending", "progress": 5]])
    }

    private func pollRender(_ req: RecordedRequest) -> [Step] {
        let id = String(req.path.dropFirst("/api/render/proxy/lambda/".count))
        guard let r: RenderState = lock.withLock({
            guard var r = renders[id] else { return nil }
            r.polls += 1
            renders[id] = r
            return r
        }) else { return json(404, ["success": false, "message": "Unknown render"]) }
        let elapsed = Date().timeIntervalSince(r.created)
        let done = r.polls >= config.renderPolls && elapsed >= config.renderSeconds
        let status = done ? (r.fails ? "failed" : "completed") : (r.polls == 1 ? "pending" : "processing")
        let progress = done ? 100 : min(95, 5 + 90 * r.polls / max(1, config.renderPolls))
        let url = config.renderOutputURL?.replacingOccurrences(of: "{base}", with: baseURL) ?? "\(baseURL)/files/\(id).mp4"
        let size = (try? FileManager.default.attributesOfItem(atPath: config.mp4Path)[.size] as? Int) ?? 0
        let flat: Bool
        switch config.pollShape { case .flat: flat = true; case .wrapped: flat = false; case .alternate: flat = r.polls % 2 == 1 }
        if flat {
            var o: [String: Any] = ["status": status, "progress": progress]
            if status == "completed" { o["output"] = ["url": url, "duration": 2.0, "size": size] }
            if status == "failed" { o["error"] = "Render failed" }
            return json(200, o)
        } else {
            var d: [String: Any] = ["id": id, "status": status, "progress": progress]
            if status == "completed" { d["outputUrl"] = url }
            return json(200, ["success": true, "data": d])
        }
    }

    private func file(_ req: RecordedRequest) -> [Step] {
        guard let data = FileManager.default.contents(atPath: config.mp4Path) else { return json(404, ["code": 404, "message": "No file"]) }
        switch config.downloadFault {
        case .none:
            var h = [("Content-Type", "video/mp4"), ("Content-Length", String(data.count))]
            if let name = config.downloadFilename { h.append(("Content-Disposition", "attachment; filename=\"\(name)\"")) }
            return [.head(200, h), .body(data), .end]
        case .closeEarly:
            return [.head(200, [("Content-Type", "video/mp4"), ("Content-Length", String(data.count))]), .body(data.prefix(data.count / 2)), .wait(0.05), .close]
        case .shortBody:
            return [.head(200, [("Content-Type", "video/mp4")]), .body(data.prefix(data.count / 2)), .end]
        }
    }

    private func json(_ status: Int, _ object: [String: Any]) -> [Step] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return [.head(status, [("Content-Type", "application/json"), ("Content-Length", String(data.count))]), .body(data), .end]
    }
}

/// One step of writing a response.
enum Step {
    case head(Int, [(String, String)])
    case body(Data)
    case wait(TimeInterval)
    case run(() -> Void)
    case end
    case close
    /// Never answer; the connection stays open until the client gives up.
    case stall
}

final class StandInHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: NemoStandIn
    private var head: HTTPRequestHead?
    private var body = Data()
    /// Set when the connection is to be cut after this many body bytes (an upload drop).
    private var dropAfter: Int?
    private var dropped = false

    init(server: NemoStandIn) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(h):
            head = h
            body = Data()
            dropAfter = h.uri.hasPrefix("/api/upload-video/") ? server.config.dropUploadAfterBytes : nil
        case var .body(buf):
            guard !dropped else { return }
            if let bytes = buf.readBytes(length: buf.readableBytes) { body.append(contentsOf: bytes) }
            if let n = dropAfter, body.count >= n, let h = head {
                // Cut the connection mid-upload (recorded, with the part received).
                dropped = true
                server.recordOnly(RecordedRequest(method: h.method.rawValue, path: h.uri, query: nil,
                                                  headers: h.headers.map { (name: $0.name, value: $0.value) }, body: body, parts: []))
                context.close(promise: nil)
            }
        case .end:
            guard !dropped, let h = head else { return }
            var path = h.uri, query: String?
            if let q = path.firstIndex(of: "?") { query = String(path[path.index(after: q)...]); path = String(path[..<q]) }
            let headers = h.headers.map { (name: $0.name, value: $0.value) }
            let ct = h.headers.first(name: "Content-Type") ?? ""
            let parts = ct.lowercased().hasPrefix("multipart/form-data") ? Multipart.parse(body: body, contentType: ct) : []
            let rec = RecordedRequest(method: h.method.rawValue, path: path, query: query, headers: headers, body: body, parts: parts)
            let steps = server.handle(rec)
            run(steps[...], context: context, version: h.version)
        }
    }

    private func run(_ steps: ArraySlice<Step>, context: ChannelHandlerContext, version: HTTPVersion) {
        var rest = steps
        while let step = rest.popFirst() {
            switch step {
            case let .head(status, headers):
                var hh = HTTPHeaders()
                for (k, v) in headers { hh.add(name: k, value: v) }
                hh.add(name: "Connection", value: "close")
                let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: hh)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
            case let .body(d):
                var buf = context.channel.allocator.buffer(capacity: d.count)
                buf.writeBytes(d)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
            case let .wait(t):
                let remaining = rest
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .nanoseconds(Int64(t * 1e9))) {
                    let (handler, ctx) = bound.value
                    handler.run(remaining, context: ctx, version: version)
                }
                return
            case let .run(f):
                f()
            case .end:
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
                return
            case .close:
                context.flush()
                context.close(promise: nil)
                return
            case .stall:
                context.flush()
                return
            }
        }
    }
}
