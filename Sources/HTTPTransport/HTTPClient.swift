import CCurl
import Foundation

/// Timeouts and limits. Every transfer gets a connect timeout, a stall detector
/// (low-speed limit/time) and an optional overall cap.
public struct HTTPSettings: Sendable, Equatable {
    public var connectTimeout: TimeInterval = 15
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds is a stall.
    public var lowSpeedLimit: Int = 1
    public var lowSpeedTime: TimeInterval = 120
    /// Whole-transfer cap; nil for none.
    public var overallTimeout: TimeInterval? = 300
    /// Longest single line a stream may deliver.
    public var maxLineBytes: Int = 1 << 20
    /// Largest buffered (non-download) body.
    public var maxBodyBytes: Int = 32 << 20
    public var maxRedirects: Int = 5
    public init() {}
}

public enum HTTPBody {
    case none
    case data(Data, contentType: String)
    case multipart([MultipartPart])
}

public struct MultipartPart {
    public enum Content { case file(path: String), data(Data) }
    public var name: String
    public var content: Content
    public var filename: String?
    public var contentType: String?
    public init(name: String, content: Content, filename: String? = nil, contentType: String? = nil) {
        self.name = name; self.content = content; self.filename = filename; self.contentType = contentType
    }
}

public struct HTTPRequest {
    public var method: String
    public var url: String
    /// Header name/value pairs, in order.
    public var headers: [(String, String)]
    public var body: HTTPBody
    /// Overrides the client's settings for this request (e.g. a long stream).
    public var settings: HTTPSettings?
    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: HTTPBody = .none, settings: HTTPSettings? = nil) {
        self.method = method; self.url = url; self.headers = headers; self.body = body; self.settings = settings
    }
}

public struct HTTPResponse {
    public var status: Int
    /// Headers of the final response (after redirects), names as sent.
    public var headers: [(String, String)]
    public var body: Data
    public var isSuccess: Bool { (200..<300).contains(status) }
    public func header(_ name: String) -> String? {
        headers.last { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status; self.headers = headers; self.body = body
    }
}

/// Progress of a transfer: (done, total) for upload or download; total 0 when unknown.
public typealias TransferProgress = (_ downloaded: Int64, _ downloadTotal: Int64, _ uploaded: Int64, _ uploadTotal: Int64) -> Void

/// Blocking HTTP client over libcurl: one easy handle per request.
public final class HTTPClient {
    public var settings: HTTPSettings

    public init(settings: HTTPSettings = HTTPSettings()) {
        ensureCurlInitialised()
        self.settings = settings
    }

    /// Sends a request and buffers the whole reply (bounded by `maxBodyBytes`).
    public func send(_ request: HTTPRequest, progress: TransferProgress? = nil) throws -> HTTPResponse {
        let ctx = TransferContext(mode: .buffer, settings: request.settings ?? settings)
        ctx.progress = progress
        return try perform(request, ctx)
    }

    /// Sends a request and delivers the reply line by line as it arrives (for SSE), without
    /// the line terminator. `onLine` may throw to stop. `onTick` is called regularly while
    /// waiting (about once a second even when nothing arrives) and may throw to stop.
    /// A reply that is an error status or JSON (not a stream) is buffered into `body` instead.
    public func stream(_ request: HTTPRequest, onLine: @escaping (String) throws -> Void,
                       onTick: (() throws -> Void)? = nil) throws -> HTTPResponse {
        let ctx = TransferContext(mode: .lines, settings: request.settings ?? settings)
        ctx.onLine = onLine
        ctx.onTick = onTick
        let response = try perform(request, ctx)
        return response
    }

    /// Downloads the reply body into `path` (created/truncated). On a non-2xx status nothing is
    /// written and the error body is returned buffered. The file is removed on failure.
    public func download(_ request: HTTPRequest, to path: String, progress: TransferProgress? = nil) throws -> HTTPResponse {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let fh = FileHandle(forWritingAtPath: path) else {
            throw HTTPError.file(path: path, detail: String(cString: strerror(errno)))
        }
        let ctx = TransferContext(mode: .file(fh), settings: request.settings ?? settings)
        ctx.progress = progress
        do {
            let r = try perform(request, ctx)
            try fh.close()
            if !r.isSuccess { try? FileManager.default.removeItem(atPath: path) }
            return r
        } catch {
            try? fh.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    // MARK: - The transfer

    /// One transfer, in curl's order: options, headers, body, callbacks, perform, result.
    private func perform(_ request: HTTPRequest, _ ctx: TransferContext) throws -> HTTPResponse {
        let easy = try EasyHandle()
        try applyTransferOptions(to: easy, url: request.url, settings: ctx.settings)
        let headers = try headerList(request.headers)
        let mime = try attachBody(request.body, method: request.method, to: easy, headers: headers)
        if request.method != "GET" && request.method != "POST" {
            try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        try easy.set(headers: headers)
        try installCallbacks(on: easy, ctx)
        // The header list and form are read by curl during the transfer, not copied.
        let code = withExtendedLifetime((headers, mime)) { easy.perform() }
        ctx.easy = nil
        return try response(to: request, code: code, easy: easy, ctx)
    }

    private func applyTransferOptions(to easy: EasyHandle, url: String, settings s: HTTPSettings) throws {
        try easy.set(CURLOPT_URL, url)
        // Only http and https, for the request and for every redirect.
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 1)
        try easy.set(CURLOPT_MAXREDIRS, s.maxRedirects)
        try easy.set(CURLOPT_NOSIGNAL, 1)
        // TLS verification stays on (the defaults); set explicitly so nothing can turn it off.
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(s.connectTimeout * 1000))
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, s.lowSpeedLimit)
        try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, Int(s.lowSpeedTime.rounded(.up))))
        if let t = s.overallTimeout { try easy.set(CURLOPT_TIMEOUT_MS, Int(t * 1000)) }
        try easy.set(CURLOPT_USERAGENT, "tikconv")
    }

    private func headerList(_ pairs: [(String, String)]) throws -> HeaderList {
        let headers = try HeaderList()
        for (k, v) in pairs { try headers.append("\(k): \(v)") }
        // No "Expect: 100-continue" round trip before uploads.
        try headers.append("Expect:")
        return headers
    }

    /// Sets the request body; returns the multipart form, which must outlive the transfer.
    private func attachBody(_ body: HTTPBody, method: String, to easy: EasyHandle, headers: HeaderList) throws -> MimeForm? {
        switch body {
        case .none:
            if method == "POST" {
                try easy.set(CURLOPT_POST, 1)
                try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: 0)
                try easy.set(CURLOPT_COPYPOSTFIELDS, "")
            }
            return nil
        case let .data(data, contentType):
            try headers.append("Content-Type: \(contentType)")
            try easy.set(CURLOPT_POST, 1)
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(data.count))
            var bytes = [UInt8](data)
            if bytes.isEmpty { bytes = [0] }
            try bytes.withUnsafeMutableBytes { try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: $0.baseAddress) }
            return nil
        case let .multipart(parts):
            let form = try multipartForm(parts, for: easy)
            try easy.set(mime: form)
            return form
        }
    }

    private func multipartForm(_ parts: [MultipartPart], for easy: EasyHandle) throws -> MimeForm {
        let form = try MimeForm(easy: easy)
        for p in parts {
            switch p.content {
            case let .file(path):
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw HTTPError.file(path: path, detail: "not readable")
                }
                try form.addFile(name: p.name, path: path, filename: p.filename, contentType: p.contentType)
            case let .data(d):
                try form.addData(name: p.name, data: d, filename: p.filename, contentType: p.contentType)
            }
        }
        return form
    }

    /// Routes curl's write, header and progress callbacks to `ctx` (passed unretained: the
    /// caller keeps it alive for the transfer).
    private func installCallbacks(on easy: EasyHandle, _ ctx: TransferContext) throws {
        ctx.easy = easy
        let userdata = Unmanaged.passUnretained(ctx).toOpaque()
        try easy.set(CURLOPT_WRITEDATA, pointer: userdata)
        try easy.set(CURLOPT_HEADERDATA, pointer: userdata)
        try easy.set(CURLOPT_XFERINFODATA, pointer: userdata)
        _ = tk_curl_setopt_write_function(easy.handle, { ptr, size, n, ud in
            let c = Unmanaged<TransferContext>.fromOpaque(ud!).takeUnretainedValue()
            return c.write(ptr!, size * n)
        })
        _ = tk_curl_setopt_header_function(easy.handle, { ptr, size, n, ud in
            let c = Unmanaged<TransferContext>.fromOpaque(ud!).takeUnretainedValue()
            c.header(ptr!, size * n)
            return size * n
        })
        _ = tk_curl_setopt_xferinfo_function(easy.handle, { ud, dlt, dln, ult, uln in
            let c = Unmanaged<TransferContext>.fromOpaque(ud!).takeUnretainedValue()
            return c.tick(Int64(dlt), Int64(dln), Int64(ult), Int64(uln))
        })
        try easy.set(CURLOPT_NOPROGRESS, 0)
    }

    /// A callback's own failure (a line handler that threw, a full disk) outranks curl's code,
    /// which for those is only "aborted by callback".
    private func response(to request: HTTPRequest, code: CURLcode, easy: EasyHandle, _ ctx: TransferContext) throws -> HTTPResponse {
        if let e = ctx.failure { throw e }
        if code == CURLE_OK { try ctx.finish() }
        if let e = ctx.failure { throw e }
        if let e = HTTPError.from(code, url: request.url, detail: easy.errorDetail) { throw e }
        let status = (try? easy.infoLong(CURLINFO_RESPONSE_CODE)) ?? ctx.status
        return HTTPResponse(status: status, headers: ctx.headers, body: ctx.body)
    }
}

/// Per-transfer state reached from curl's callbacks through `Unmanaged` userdata.
/// Owned by `HTTPClient.perform` for the duration of the transfer.
final class TransferContext {
    enum Mode { case buffer, lines, file(FileHandle) }
    let mode: Mode
    let settings: HTTPSettings
    weak var easy: EasyHandle?
    var headers: [(String, String)] = []
    var status = 0
    var body = Data()
    var failure: Error?
    var onLine: ((String) throws -> Void)?
    var onTick: (() throws -> Void)?
    var progress: TransferProgress?
    private var lineBuffer = Data()
    /// Leading bytes of `lineBuffer` already searched for a newline (each byte is searched once).
    private var scanned = 0
    /// Decided at the first body byte: stream lines, or buffer an error/JSON reply.
    private var streaming: Bool?

    init(mode: Mode, settings: HTTPSettings) { self.mode = mode; self.settings = settings }

    func header(_ ptr: UnsafeMutablePointer<CChar>, _ count: Int) {
        let data = Data(bytes: ptr, count: count)
        guard let line = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines) else { return }
        if line.hasPrefix("HTTP/") {
            // A new response (redirect or interim): start over.
            headers = []
            let parts = line.split(separator: " ")
            if parts.count >= 2, let s = Int(parts[1]) { status = s }
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    private var currentStatus: Int {
        if let easy, let s = try? easy.infoLong(CURLINFO_RESPONSE_CODE), s > 0 { return s }
        return status
    }

    private var contentType: String {
        headers.last { $0.0.lowercased() == "content-type" }?.1.lowercased() ?? ""
    }

    func write(_ ptr: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let ok = (200..<300).contains(currentStatus)
        switch mode {
        case .buffer:
            return append(ptr, count)
        case let .file(fh):
            if !ok { return append(ptr, count) }
            do { try fh.write(contentsOf: Data(bytes: ptr, count: count)) } catch {
                failure = HTTPError.file(path: "download", detail: "\(error.localizedDescription)")
                return 0
            }
            return count
        case .lines:
            if streaming == nil { streaming = ok && !contentType.contains("json") }
            if streaming == false { return append(ptr, count) }
            lineBuffer.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: count)
            do {
                try drainLines(final: false)
            } catch {
                failure = error
                return 0
            }
            return count
        }
    }

    private func append(_ ptr: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        if body.count + count > settings.maxBodyBytes {
            failure = HTTPError.bodyTooLarge(limit: settings.maxBodyBytes)
            return 0
        }
        body.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: count)
        return count
    }

    private func drainLines(final: Bool) throws {
        while let nl = lineBuffer[(lineBuffer.startIndex + scanned)...].firstIndex(of: 0x0A) {
            var lineData = lineBuffer[lineBuffer.startIndex..<nl]
            if lineData.last == 0x0D { lineData = lineData.dropLast() }
            let line = String(decoding: lineData, as: UTF8.self)
            lineBuffer.removeSubrange(lineBuffer.startIndex...nl)
            scanned = 0
            if lineData.count > settings.maxLineBytes { throw HTTPError.lineTooLong(limit: settings.maxLineBytes) }
            try onLine?(line)
        }
        scanned = lineBuffer.count
        if lineBuffer.count > settings.maxLineBytes { throw HTTPError.lineTooLong(limit: settings.maxLineBytes) }
        if final && !lineBuffer.isEmpty {
            var rest = lineBuffer
            if rest.last == 0x0D { rest = rest.dropLast() }
            lineBuffer = Data()
            try onLine?(String(decoding: rest, as: UTF8.self))
        }
    }

    /// Called after a clean end of transfer.
    func finish() throws {
        if case .lines = mode, streaming == true { try drainLines(final: true) }
    }

    func tick(_ dlt: Int64, _ dln: Int64, _ ult: Int64, _ uln: Int64) -> Int32 {
        progress?(dln, dlt, uln, ult)
        do { try onTick?() } catch {
            failure = error
            return 1
        }
        return 0
    }
}
