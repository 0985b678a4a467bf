import ArgumentParser
import Captions
import Foundation
import LocalEngine
import MediaProbe
import OutputFiles
import Planning

/// Every layer's error → one exit code, in one place.
func exitStatus(for error: Error) -> TikconvExit {
    switch error {
    case is ProbeError: return .badInput
    case let e as CaptionError:
        if case .renderer = e { return .conversionFailed }
        return .badInput
    case is OutputFileError: return .outputError
    case let e as PlanningError:
        if e.isNeedsCloud { return .needsCloud }
        if case .audioOnly = e { return .badInput }
        if case .audioTooLong = e { return .badInput }
        return .usage
    case let e as LocalEngineError:
        switch e {
        case .noVideoStream, .noFramesDecoded, .tooDamaged, .unsupportedPixelFormat: return .badInput
        case .photoUnreadable, .noReadablePhotos, .musicUnusable: return .badInput
        case .songTooShort: return .usage
        case .diskFull: return .outputError
        case .cancelled: return Signals.received == SIGTERM ? .terminated : .interrupted
        case .ffmpeg, .reframing: return .conversionFailed
        }
    case is ValidationError: return .usage
    case let e as CLIError: return e.exit
    default:
        if let cloud = cloudExit(for: error) { return cloud }
        return .internalError
    }
}

/// A one-line message for the user, never a raw dump.
func userMessage(for error: Error) -> String {
    (error as? LocalizedError)?.errorDescription ?? String(describing: error)
}

/// Errors of the command line itself.
enum CLIError: Error, LocalizedError {
    case outputMustBeFolder(String)
    case noInputs
    case cloudUnavailable(String)
    /// `-o DIR/` names an existing file.
    case outputFolderIsAFile(String)
    /// `-o DIR/` does not exist and cannot be made.
    case cannotCreateFolder(String, reason: String)
    /// --fit-to-music / --beat-sync without a song.
    case slideshowNeedsMusic(String)
    /// `--report FILE` cannot be opened for appending.
    case reportUnwritable(String, reason: String)

    var exit: TikconvExit {
        switch self {
        case .outputMustBeFolder, .noInputs, .slideshowNeedsMusic: return .usage
        case .cloudUnavailable: return .cloudFailure
        case .outputFolderIsAFile, .cannotCreateFolder, .reportUnwritable: return .outputError
        }
    }

    var errorDescription: String? {
        switch self {
        case let .outputMustBeFolder(o): return "-o \(o): with several inputs, -o must be a folder (end it with /)"
        case .noInputs: return "no input files: give a video, photos or a script (see tikconv --help)"
        case let .cloudUnavailable(why): return why
        case let .outputFolderIsAFile(o): return "-o \(o): there is a file of that name, so it cannot be the output folder: pick another -o"
        case let .cannotCreateFolder(o, reason): return "-o \(o): cannot create the output folder (\(reason)): pick another -o"
        case let .reportUnwritable(path, reason): return "--report \(path): cannot open it for appending (\(reason)): pick another file"
        case let .slideshowNeedsMusic(flag): return "\(flag) needs a song: add --music FILE (or give an audio file with the photos)"
        }
    }
}
