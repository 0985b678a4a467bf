import Foundation

/// Why an output cannot be written. Shared by the local plans and the cloud download, so both
/// refuse the same paths with the same words — before any work (or upload) starts.
public enum OutputFileError: Error, LocalizedError, Equatable {
    case exists(path: String)
    case sameAsInput(path: String)
    case directoryMissing(path: String)
    case isDirectory(path: String)
    case notRegularFile(path: String)
    case notWritable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .exists(path): return "\(path) already exists; pass -y to replace it or -o to choose another name"
        case let .sameAsInput(path): return "the output \(path) is the input itself; choose another name with -o"
        case let .directoryMissing(path): return "output folder \(path) does not exist"
        case let .isDirectory(path): return "the output \(path) is a folder; give a file name, or end -o with / to write inside it"
        case let .notRegularFile(path): return "the output \(path) is a device or a pipe, not a file; an MP4 needs a file: give a file name with -o"
        case let .notWritable(path, reason): return "cannot write \(path): \(reason)"
        }
    }

    /// The reason for a failed create, in words a user can act on.
    static func reason(errno code: Int32, folder: String) -> String {
        switch code {
        case EROFS: return "the file system is read-only"
        case EACCES, EPERM: return "permission denied (no write access to \(folder))"
        case ENOSPC, EDQUOT: return "no space left on the device"
        case ENOENT: return "\(folder) does not accept new files"
        default: return String(cString: strerror(code))
        }
    }
}
