import FFmpeg
import Foundation

/// The local engine's one error type. Messages are one line a user can act on.
public enum LocalEngineError: Error, LocalizedError {
    case noVideoStream(path: String)
    case noFramesDecoded(path: String)
    case unsupportedPixelFormat(String)
    /// Disk full or a file-size limit hit while writing.
    case diskFull(path: String)
    case cancelled
    /// The smart-reframing analysis failed (no face cascades installed, a bad edited path).
    case reframing(String)
    /// An FFmpeg call failed while converting.
    case ffmpeg(FFmpegError, stage: String)

    public var errorDescription: String? {
        switch self {
        case let .noVideoStream(path): return "\(path): no video stream to convert (audio-only or data-only file); add a picture or use --cloud"
        case let .noFramesDecoded(path): return "\(path): the video stream has no decodable frames (file damaged or truncated)"
        case let .unsupportedPixelFormat(f): return "unsupported pixel format \(f)"
        case let .diskFull(path): return "ran out of space (disk full or file-size limit) writing \(path); nothing was kept"
        case .cancelled: return "interrupted; the unfinished output was removed"
        case let .reframing(why): return "smart reframing: \(why)"
        case let .ffmpeg(e, stage): return "\(stage): \(e.localizedDescription)"
        }
    }
}

/// Runs `body`, turning an FFmpeg failure into a `LocalEngineError` that names the stage.
/// A full disk or file-size limit (ENOSPC, EFBIG, EDQUOT) becomes `.diskFull`; `stage` does not
/// know the output's path, so the converters' `run()` fills it in (`naming(output:)`).
@discardableResult
func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as FFmpegError {
        if let code = e.code, [ENOSPC, EFBIG, EDQUOT].contains(where: { code == AVError.posix($0) }) {
            throw LocalEngineError.diskFull(path: "")
        }
        throw LocalEngineError.ffmpeg(e, stage: name)
    }
}

extension LocalEngineError {
    /// `.diskFull` naming the output file the user asked for; every other error unchanged.
    func naming(output path: String) -> Error {
        if case .diskFull = self { return LocalEngineError.diskFull(path: path) }
        return self
    }
}
