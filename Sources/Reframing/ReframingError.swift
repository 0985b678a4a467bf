import Foundation

/// The reframing layer's one error type.
public enum ReframingError: Error, LocalizedError, Equatable {
    /// The face cascades (Debian's opencv-data) are not installed where we look.
    case cascadesMissing(String)
    /// The YuNet face model could not be loaded; the text says which file and why.
    case faceModel(String)
    /// A CVision (OpenCV) call failed; `message` is its own text.
    case vision(message: String)
    /// An analysed picture does not match what the analyzer was set up for.
    case badPicture(String)
    /// `add` was called with a time earlier than the previous picture's.
    case outOfOrder(previous: Double, given: Double)
    /// The camera-path linear programme could not be solved.
    case solver(String)
    /// A library smart reframing opens on first use (OpenCV through libTikconvVision, GLPK) is
    /// missing; the text says what to install.
    case libraryMissing(String)
    /// A reframe path (e.g. read with --reframe-in) is not usable; the text says where and why.
    case invalidPath(String)

    public var errorDescription: String? {
        switch self {
        case let .cascadesMissing(why): return why
        case let .faceModel(why): return "smart reframing: the YuNet face model could not be loaded (\(why))"
        case let .vision(message): return "smart reframing: \(message)"
        case let .badPicture(why): return "smart reframing: \(why)"
        case let .outOfOrder(previous, given):
            return "smart reframing: picture at \(given) s given after one at \(previous) s (pictures must come in time order)"
        case let .solver(why): return "smart reframing: the camera path could not be computed (\(why))"
        case let .invalidPath(why): return "reframe path: \(why)"
        case let .libraryMissing(why): return "smart reframing: \(why)"
        }
    }
}
