import CCurl
import Foundation

/// Everything that can go wrong below the HTTP semantics. Messages carry curl's own text.
public enum HTTPError: Error, LocalizedError, Equatable {
    case connectionRefused(url: String, detail: String)
    case cannotResolve(url: String, detail: String)
    case timedOut(url: String, detail: String)
    /// The server closed the connection before the response was complete.
    case dropped(url: String, detail: String)
    case tls(url: String, detail: String)
    case tooManyRedirects(url: String)
    case protocolRefused(url: String, detail: String)
    /// A non-2xx status where the caller asked for success only.
    case status(code: Int, url: String)
    /// A single streamed line exceeded the limit (memory stays bounded).
    case lineTooLong(limit: Int)
    /// A buffered body exceeded the limit.
    case bodyTooLarge(limit: Int)
    case file(path: String, detail: String)
    case curl(code: Int, text: String, detail: String)
    case setup(String)

    public var errorDescription: String? {
        switch self {
        case let .connectionRefused(url, d): return "could not connect to \(HTTPError.origin(url)) (\(d))"
        case let .cannotResolve(url, d): return "could not resolve \(HTTPError.origin(url)) (\(d))"
        case let .timedOut(url, d): return "request to \(HTTPError.origin(url)) timed out (\(d))"
        case let .dropped(url, d): return "connection to \(HTTPError.origin(url)) dropped before the reply was complete (\(d))"
        case let .tls(url, d): return "secure connection to \(HTTPError.origin(url)) failed (\(d))"
        case let .tooManyRedirects(url): return "too many redirects from \(HTTPError.origin(url))"
        case let .protocolRefused(url, d): return "refused to follow \(HTTPError.origin(url)): only http and https are allowed (\(d))"
        case let .status(code, url): return "\(HTTPError.origin(url)) answered HTTP \(code)"
        case let .lineTooLong(limit): return "the server sent a line longer than \(limit) bytes; stopped reading"
        case let .bodyTooLarge(limit): return "the server's reply is larger than \(limit) bytes; stopped reading"
        case let .file(path, d): return "cannot use file \(path): \(d)"
        case let .curl(code, text, d): return "network error \(code): \(text)\(d.isEmpty ? "" : " (\(d))")"
        case let .setup(s): return "HTTP setup failed: \(s)"
        }
    }

    /// Scheme, host and port only: paths and queries may hold identifiers, never shown.
    static func origin(_ url: String) -> String {
        guard let c = URLComponents(string: url) else { return "the server" }
        guard let host = c.host, !host.isEmpty else { return c.scheme.map { "\($0)://" } ?? "the server" }
        return "\(c.scheme ?? "http")://\(host)\(c.port.map { ":\($0)" } ?? "")"
    }

    /// Maps a curl result to an error (nil for CURLE_OK).
    static func from(_ code: CURLcode, url: String, detail: String) -> HTTPError? {
        let text = curlErrorText(code)
        let d = detail.isEmpty ? text : detail
        switch code {
        case CURLE_OK: return nil
        case CURLE_COULDNT_CONNECT: return .connectionRefused(url: url, detail: d)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .cannotResolve(url: url, detail: d)
        case CURLE_OPERATION_TIMEDOUT: return .timedOut(url: url, detail: d)
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .dropped(url: url, detail: d)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            return .tls(url: url, detail: d)
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects(url: url)
        case CURLE_UNSUPPORTED_PROTOCOL: return .protocolRefused(url: url, detail: d)
        default: return .curl(code: Int(code.rawValue), text: text, detail: detail)
        }
    }
}
