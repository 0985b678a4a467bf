import CCurl
import Foundation

/// `curl_global_init` runs once per process, before the first handle is made.
private let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// Makes sure libcurl is initialised (idempotent, thread-safe via Swift's lazy globals).
public func ensureCurlInitialised() { _ = curlGlobalInit }

/// curl's own text for an error code (`curl_easy_strerror`).
public func curlErrorText(_ code: CURLcode) -> String {
    String(cString: curl_easy_strerror(code))
}

/// Owns one `CURL*` easy handle (freed with `curl_easy_cleanup`) and its error buffer.
public final class EasyHandle {
    public let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    public init() throws {
        // libcurl is opened on first use: offline commands never map it (or OpenSSL).
        var message = [CChar](repeating: 0, count: 768)
        guard tk_curl_load(&message, message.count) == 0 else { throw HTTPError.setup(String(cString: message)) }
        ensureCurlInitialised()
        guard let h = curl_easy_init() else { throw HTTPError.setup("curl_easy_init failed") }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try check(tk_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The last transfer's detailed message from `CURLOPT_ERRORBUFFER` (may be empty).
    public var errorDetail: String { String(cString: errorBuffer) }

    public func set(_ option: CURLoption, _ value: Int) throws {
        try check(tk_curl_setopt_long(handle, option, value), "setopt \(option.rawValue)")
    }

    public func set(_ option: CURLoption, offset value: Int64) throws {
        try check(tk_curl_setopt_off(handle, option, curl_off_t(value)), "setopt \(option.rawValue)")
    }

    /// libcurl copies string options (except POSTFIELDS, which this wrapper never uses).
    public func set(_ option: CURLoption, _ value: String) throws {
        try check(tk_curl_setopt_string(handle, option, value), "setopt \(option.rawValue)")
    }

    public func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws {
        try check(tk_curl_setopt_pointer(handle, option, pointer), "setopt \(option.rawValue)")
    }

    public func set(headers: HeaderList) throws {
        try check(tk_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers.list), "CURLOPT_HTTPHEADER")
    }

    public func set(mime: MimeForm) throws {
        try check(tk_curl_setopt_mime(handle, CURLOPT_MIMEPOST, mime.mime), "CURLOPT_MIMEPOST")
    }

    public func infoLong(_ info: CURLINFO) throws -> Int {
        var v: Int = 0
        try check(tk_curl_getinfo_long(handle, info, &v), "getinfo \(info.rawValue)")
        return v
    }

    public func infoOffset(_ info: CURLINFO) throws -> Int64 {
        var v: curl_off_t = 0
        try check(tk_curl_getinfo_off(handle, info, &v), "getinfo \(info.rawValue)")
        return Int64(v)
    }

    public func infoString(_ info: CURLINFO) throws -> String? {
        var p: UnsafeMutablePointer<CChar>? = nil
        try check(tk_curl_getinfo_string(handle, info, &p), "getinfo \(info.rawValue)")
        return p.map { String(cString: $0) }
    }

    /// Runs the transfer; returns curl's result code (the caller maps it).
    public func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(handle)
    }

    private func check(_ code: CURLcode, _ what: String) throws {
        if code != CURLE_OK {
            throw HTTPError.curl(code: Int(code.rawValue), text: curlErrorText(code), detail: what)
        }
    }
}

/// Owns a `curl_slist` of request headers (freed with `curl_slist_free_all`).
public final class HeaderList {
    public private(set) var list: UnsafeMutablePointer<curl_slist>?

    public init(_ lines: [String] = []) throws {
        for l in lines { try append(l) }
    }

    deinit { curl_slist_free_all(list) }

    public func append(_ line: String) throws {
        guard let new = curl_slist_append(list, line) else { throw HTTPError.setup("curl_slist_append failed") }
        list = new
    }

    /// The lines held, read back from C (for tests).
    public var lines: [String] {
        var out: [String] = []
        var p = list
        while let node = p {
            if let d = node.pointee.data { out.append(String(cString: d)) }
            p = node.pointee.next
        }
        return out
    }
}

/// Owns a `curl_mime` multipart form (freed with `curl_mime_free`). It keeps the easy
/// handle it was made for alive, since libcurl ties the two together.
public final class MimeForm {
    public let mime: OpaquePointer
    public let easy: EasyHandle

    public init(easy: EasyHandle) throws {
        guard let m = curl_mime_init(easy.handle) else { throw HTTPError.setup("curl_mime_init failed") }
        mime = m
        self.easy = easy
    }

    deinit { curl_mime_free(mime) }

    /// Adds a part whose content is read from a file when the transfer runs.
    public func addFile(name: String, path: String, filename: String? = nil, contentType: String? = nil) throws {
        guard let part = curl_mime_addpart(mime) else { throw HTTPError.setup("curl_mime_addpart failed") }
        try check(curl_mime_name(part, name))
        try check(curl_mime_filedata(part, path), path: path)
        if let filename { try check(curl_mime_filename(part, filename)) }
        if let contentType { try check(curl_mime_type(part, contentType)) }
    }

    /// Adds a part whose content is the given bytes (copied by libcurl).
    public func addData(name: String, data: Data, filename: String? = nil, contentType: String? = nil) throws {
        guard let part = curl_mime_addpart(mime) else { throw HTTPError.setup("curl_mime_addpart failed") }
        try check(curl_mime_name(part, name))
        try data.withUnsafeBytes { raw in
            var empty: CChar = 0
            if let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) {
                try check(curl_mime_data(part, base, raw.count))
            } else {
                try check(curl_mime_data(part, &empty, 0))
            }
        }
        if let filename { try check(curl_mime_filename(part, filename)) }
        if let contentType { try check(curl_mime_type(part, contentType)) }
    }

    private func check(_ code: CURLcode, path: String? = nil) throws {
        guard code != CURLE_OK else { return }
        if let path, code == CURLE_READ_ERROR { throw HTTPError.file(path: path, detail: curlErrorText(code)) }
        throw HTTPError.curl(code: Int(code.rawValue), text: curlErrorText(code), detail: "curl_mime")
    }
}
