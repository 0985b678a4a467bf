import Foundation

/// Size and geometry limits the probe enforces before anything is decoded.
public struct ProbeLimits: Equatable, Sendable {
    /// Largest video or audio file accepted (bytes).
    public var videoMaxBytes: Int64
    /// Largest photo accepted (bytes).
    public var photoMaxBytes: Int64
    /// Largest text script accepted (bytes).
    public var textMaxBytes: Int64
    /// Largest width or height a header may claim.
    public var maxDimension: Int
    /// Largest width × height a header may claim.
    public var maxPixels: Int
    /// Longest video a container may claim (seconds): more is a broken or hostile timeline
    /// that would make the engine encode for hours.
    public var maxDurationSeconds: Double
    /// Highest average frame rate a video stream may claim.
    public var maxFrameRate: Double

    public init(videoMaxBytes: Int64 = 500_000_000, photoMaxBytes: Int64 = 200_000_000,
                textMaxBytes: Int64 = 1_000_000, maxDimension: Int = 16384, maxPixels: Int = 64_000_000,
                maxDurationSeconds: Double = 6 * 3600, maxFrameRate: Double = 1000) {
        self.videoMaxBytes = videoMaxBytes; self.photoMaxBytes = photoMaxBytes
        self.textMaxBytes = textMaxBytes; self.maxDimension = maxDimension; self.maxPixels = maxPixels
        self.maxDurationSeconds = maxDurationSeconds; self.maxFrameRate = maxFrameRate
    }

    public static let `default` = ProbeLimits()

    /// The NemoVideo cloud's caps on what is uploaded (500 MB video or audio, 200 MB photo).
    public static let upload = ProbeLimits()

    /// For inputs converted on this machine: no size cap (a long 4K clip converts fine
    /// offline), only the limits that protect the machine: dimensions, duration, timestamps.
    public static let local = ProbeLimits(videoMaxBytes: .max, photoMaxBytes: .max)

    /// Why `report` cannot be uploaded under these caps, or nil when it fits.
    public func uploadRefusal(for report: ProbeReport) -> ProbeError? {
        let limit: Int64
        switch report.kind {
        case .image: limit = photoMaxBytes
        case .text: limit = textMaxBytes
        case .video, .audio: limit = videoMaxBytes
        }
        guard report.sizeBytes > limit else { return nil }
        return .uploadTooLarge(path: report.path, sizeBytes: report.sizeBytes, limitBytes: limit)
    }
}

/// The probe layer's one error type. Every message is one line that names the file and says
/// what the user can do.
public enum ProbeError: Error, LocalizedError, Equatable, Sendable {
    /// Nothing at the path (or a symbolic link to nothing).
    case notFound(path: String)
    /// The path is a directory.
    case isDirectory(path: String)
    /// A device, pipe or socket: never read (it could block forever).
    case notRegularFile(path: String)
    /// The file exists but cannot be opened for reading (`reason` is the system's text).
    case unreadable(path: String, reason: String)
    /// Zero bytes.
    case empty(path: String)
    /// Text content under a non-text name (e.g. notes.mp4).
    case textNotMedia(path: String)
    /// A .txt/.md file that is not UTF-8 text.
    case textNotUTF8(path: String)
    /// FFmpeg recognises no format in the content. backendCode 4001.
    case unrecognized(path: String)
    /// A format FFmpeg reads but tikconv does not accept (`format` is FFmpeg's demuxer name). 4001.
    case unsupportedFormat(path: String, format: String)
    /// The main stream's codec has no decoder in this FFmpeg. 4001.
    case unsupportedCodec(path: String, codec: String)
    /// A recognised container that cannot be used: truncated, index (moov) missing, no decodable stream.
    case corrupt(path: String, container: String, detail: String)
    /// A photo that does not decode cleanly: cut short, stray bytes, no end marker, decoder errors.
    case damagedPhoto(path: String, detail: String)
    /// Over the size limit for its kind ("video", "photo", "text"). 4002.
    case tooLarge(path: String, sizeBytes: Int64, limitBytes: Int64, kind: String)
    /// Over the cloud's upload cap; it can still be converted offline. 4002.
    case uploadTooLarge(path: String, sizeBytes: Int64, limitBytes: Int64)
    /// The header claims a picture too big to decode safely.
    case dimensionsTooLarge(path: String, width: Int, height: Int, maxDimension: Int, maxPixels: Int)
    /// Reading this kind of file needs a library that is not installed (`reason` names it and
    /// the package to install).
    case libraryMissing(path: String, reason: String)
    /// Timestamps that cannot be real: hours-long gaps, tens of thousands of frames per second.
    case implausibleTiming(path: String, detail: String)

    /// The formats the user may give, as listed in messages.
    public static let acceptedFormatsText = "mp4, mov, avi, webm, mkv (video); jpg, png, gif, webp, heic (photo); mp3, wav, m4a, aac (audio); txt, md (script)"

    public var path: String {
        switch self {
        case let .notFound(p), let .isDirectory(p), let .notRegularFile(p), let .empty(p),
             let .textNotMedia(p), let .textNotUTF8(p), let .unrecognized(p):
            return p
        case let .unreadable(p, _), let .unsupportedFormat(p, _), let .unsupportedCodec(p, _), let .libraryMissing(p, _): return p
        case let .corrupt(p, _, _), let .implausibleTiming(p, _), let .damagedPhoto(p, _): return p
        case let .tooLarge(p, _, _, _): return p
        case let .uploadTooLarge(p, _, _): return p
        case let .dimensionsTooLarge(p, _, _, _, _): return p
        }
    }

    /// The NemoVideo backend's code for the same refusal: 4001 unsupported format, 4002 too large.
    public var backendCode: Int? {
        switch self {
        case .unrecognized, .unsupportedFormat, .unsupportedCodec, .textNotMedia: return 4001
        case .tooLarge, .uploadTooLarge: return 4002
        default: return nil
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .notFound(p):
            return "\(p): no such file (check the path and spelling)"
        case let .isDirectory(p):
            return "\(p) is a folder, not a file: give the path of a video, photo or script inside it"
        case let .notRegularFile(p):
            return "\(p) is not a regular file (a device, pipe or socket): save the input to a file first"
        case let .unreadable(p, reason):
            return "\(p) cannot be read (\(reason)): check its permissions"
        case let .empty(p):
            return "\(p) is empty (0 bytes): re-export or re-download it"
        case let .textNotMedia(p):
            return "\(p) looks like a text file, not a video or photo: rename a script to .txt or .md, or give the real media file"
        case let .textNotUTF8(p):
            return "\(p) is not UTF-8 text: save the script as UTF-8 and try again"
        case let .unrecognized(p):
            return "\(p) is not a video, photo, audio or text file FFmpeg recognises; accepted formats: \(ProbeError.acceptedFormatsText)"
        case let .unsupportedFormat(p, format):
            return "\(p) is in a format tikconv does not accept (\(format)); convert it to one of: \(ProbeError.acceptedFormatsText)"
        case let .unsupportedCodec(p, codec):
            return "\(p) uses the \(codec) codec, which this FFmpeg cannot decode; re-encode it (e.g. to H.264) or use one of: \(ProbeError.acceptedFormatsText)"
        case let .corrupt(p, container, detail):
            return "\(p) looks like \(container) but is truncated or corrupt (\(detail)): re-export or re-download it"
        case let .damagedPhoto(p, detail):
            return "\(p) is a damaged photo (\(detail)): copy or export it again"
        case let .tooLarge(p, size, limit, kind):
            return "\(p) is \(ProbeError.megabytes(size)), over the \(ProbeError.megabytes(limit)) \(kind) limit: trim or compress it, or raise the limit with --max-size"
        case let .uploadTooLarge(p, size, limit):
            return "\(p) is \(ProbeError.megabytes(size)), over the cloud's \(ProbeError.megabytes(limit)) upload limit: "
                + "trim or compress it, or convert it offline (without --cloud or a prompt that needs the cloud)"
        case let .dimensionsTooLarge(p, w, h, maxDim, maxPixels):
            return "\(p) claims a \(w)x\(h) picture, over the limit of \(maxDim) px per side or \(maxPixels / 1_000_000) megapixels: scale it down first"
        case let .libraryMissing(p, reason):
            return "\(p) cannot be read here: \(reason)"
        case let .implausibleTiming(p, detail):
            return "\(p) has implausible timestamps (\(detail)): the file is damaged or badly muxed; re-encode it"
        }
    }

    static func megabytes(_ bytes: Int64) -> String {
        let mb = Double(bytes) / 1_000_000
        return mb >= 10 ? "\(Int(mb.rounded())) MB" : String(format: "%.1f MB", mb)
    }

    /// `{"path": …, "error": …, "code": 4001}` (code is JSON null when there is no backend code).
    public func jsonObject(path: String? = nil) -> [String: Any] {
        ["path": path ?? self.path, "error": errorDescription ?? "\(self)", "code": backendCode.map { $0 as Any } ?? NSNull()]
    }

    /// The same shape as `jsonObject`, as Codable, for JSONEncoder users.
    public struct JSONShape: Codable, Equatable, Sendable {
        public var path: String
        public var error: String
        public var code: Int?
    }

    public func jsonShape(path: String? = nil) -> JSONShape {
        JSONShape(path: path ?? self.path, error: errorDescription ?? "\(self)", code: backendCode)
    }

    /// One line of JSON with sorted keys.
    public func jsonString(path: String? = nil) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: jsonObject(path: path), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
