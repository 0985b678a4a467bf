import CFFmpeg
import CFFmpegLoader
import Foundation

/// The AV layer's one error type: which FFmpeg call failed, its code and FFmpeg's own text.
public enum FFmpegError: Error, LocalizedError, Equatable {
    /// A libav* call returned a negative code.
    case call(function: String, code: Int32, message: String)
    /// No decoder is compiled into this FFmpeg for the stream's codec.
    case decoderMissing(codec: String)
    /// The named encoder is not compiled into this FFmpeg.
    case encoderMissing(name: String)
    /// An allocation returned NULL.
    case outOfMemory(what: String)
    /// A library opened on first use (libavfilter) is missing; the text says what to install.
    case libraryMissing(String)

    public var errorDescription: String? {
        switch self {
        case let .call(function, _, message): return "\(function) failed: \(message)"
        case let .decoderMissing(codec): return "this FFmpeg build has no decoder for \(codec)"
        case let .encoderMissing(name): return "this FFmpeg build has no \(name) encoder (install Debian's libavcodec with \(name))"
        case let .outOfMemory(what): return "out of memory allocating \(what)"
        case let .libraryMissing(why): return why
        }
    }

    /// The FFmpeg code, when there is one.
    public var code: Int32? {
        if case let .call(_, code, _) = self { return code }
        return nil
    }

    public var isEndOfFile: Bool { code == AVError.eof }
    /// The input was damaged (a packet that does not decode).
    public var isInvalidData: Bool { code == AVError.invalidData }
    /// A decoder's complaint about its input: invalid data, or the bare -1 (EPERM) several
    /// decoders (AAC among them) return for a damaged frame.
    public var isDamagedInput: Bool { isInvalidData || code == AVError.posix(EPERM) }
    public var isOutOfMemory: Bool { code == AVError.noMemory }
}

/// FFmpeg's error constants (function-like macros in C, reached through the shim).
public enum AVError {
    public static let eof = tk_averror_eof()
    public static let again = tk_averror_eagain()
    public static let invalidData = tk_averror_invaliddata()
    public static let noMemory = tk_averror_enomem()
    public static func posix(_ errno: Int32) -> Int32 { tk_averror(errno) }

    /// FFmpeg's text for a code (av_strerror), e.g. "Invalid data found when processing input".
    public static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        return buffer.withUnsafeMutableBufferPointer { buf in
            String(cString: tk_err2str(code, buf.baseAddress, buf.count))
        }
    }
}

/// FFmpeg's libraries are opened on first use (Sources/CFFmpegLoader): `--version` and `--help`
/// map none of them. Every object that starts work (a demuxer, a muxer, an encoder) opens them
/// first, so a missing library is this layer's error rather than the loader's abort.
public enum FFmpegLibraries {
    private static let opened: Result<Void, FFmpegError> = {
        var message = [CChar](repeating: 0, count: 768)
        guard tk_ffmpeg_load(&message, message.count) == 0 else { return .failure(.libraryMissing(String(cString: message))) }
        return .success(())
    }()

    public static func open() throws { try opened.get() }
}

/// Turns a negative libav* return into a thrown `FFmpegError`; passes other values through.
@discardableResult
func check(_ code: Int32, _ function: @autoclosure () -> String) throws -> Int32 {
    guard code >= 0 else {
        throw FFmpegError.call(function: function(), code: code, message: AVError.message(code))
    }
    return code
}

/// `AV_NOPTS_VALUE`: "no timestamp" (the layers above see nil instead).
let noPTS: Int64 = tk_nopts_value()

/// Silences or restores FFmpeg's own stderr logging (tikconv prints its own messages).
public enum FFmpegLog {
    /// Does not open libavutil: the level is applied when it opens (`--version` maps no FFmpeg).
    public static func setQuiet(_ quiet: Bool) {
        tk_ffmpeg_set_log_level(quiet ? AV_LOG_QUIET : AV_LOG_ERROR)
    }
}
