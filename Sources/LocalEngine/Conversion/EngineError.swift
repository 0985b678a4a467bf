import FFmpeg
import Foundation
import OutputFiles

/// The local engine's one error type. Messages are one line a user can act on.
public enum LocalEngineError: Error, LocalizedError {
    case noVideoStream(path: String)
    case noFramesDecoded(path: String)
    /// More of the video was damaged than `VideoDamage.refusedAbove`.
    case tooDamaged(path: String, summary: String, percent: Int)
    case unsupportedPixelFormat(String)
    /// Disk full or a file-size limit hit while writing.
    case diskFull(path: String)
    case cancelled
    /// The smart-reframing analysis failed (no face cascades installed, a bad edited path).
    case reframing(String)
    /// A photo that passed the probe but cannot be decoded (a slideshow skips it).
    case photoUnreadable(path: String, reason: String)
    /// None of a slideshow's photos could be decoded.
    case noReadablePhotos(count: Int)
    /// The slideshow's music cannot be used (no audio, undecodable).
    case musicUnusable(path: String, reason: String)
    /// --fit-to-music with a song too short to give every photo its minimum time.
    case songTooShort(path: String, seconds: Double, photos: Int)
    /// An FFmpeg call failed while converting.
    case ffmpeg(FFmpegError, stage: String)

    public var errorDescription: String? {
        switch self {
        case let .noVideoStream(path): return "\(path): no video stream to convert (audio-only or data-only file); add a picture or use --cloud"
        case let .noFramesDecoded(path): return "\(path): the video stream has no decodable frames (file damaged or truncated)"
        case let .tooDamaged(path, summary, percent):
            return "the video is too damaged to convert, \(percent)% of it: \(summary); re-export or re-download \((path as NSString).lastPathComponent)"
        case let .unsupportedPixelFormat(f): return "unsupported pixel format \(f)"
        case let .diskFull(path): return "ran out of space (disk full or file-size limit) writing \(path); nothing was kept"
        case .cancelled: return "interrupted; the unfinished output was removed"
        case let .reframing(why): return "smart reframing: \(why)"
        case let .photoUnreadable(path, reason): return "\(path): this photo cannot be decoded (\(reason)); it was left out"
        case let .noReadablePhotos(count):
            return count == 1 ? "the photo cannot be decoded: nothing to make a slideshow of"
                              : "none of the \(count) photos can be decoded: nothing to make a slideshow of"
        case let .musicUnusable(path, reason): return "\(path): cannot use this file as music (\(reason)); try another song or leave out --music"
        case let .songTooShort(path, seconds, photos):
            return String(format: "%@ lasts %.1f s, too short for %d photos with --fit-to-music (at least %.1f s each): use fewer photos or leave out --fit-to-music",
                          path, seconds, photos, SlideshowOptions.shortestPhoto)
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

/// Runs a whole conversion writing `output`: a full disk is reported by the output's own path,
/// and an FFmpeg error that escaped every named `stage` (the safety net) becomes the engine's.
func runConversion<T>(writing output: OutputFile, stage name: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as LocalEngineError {
        throw e.naming(output: output.finalPath)
    } catch let e as FFmpegError {
        throw LocalEngineError.ffmpeg(e, stage: name)
    }
}
