import Foundation

/// What can go wrong reading or rendering captions.
public enum CaptionError: Error, LocalizedError, Equatable, Sendable {
    /// The subtitle file cannot be read as subtitles: `line` is 1-based (0 when the whole file is at fault).
    case unreadable(path: String, line: Int, why: String)
    /// The file could not be opened at all.
    case cannotOpen(path: String, why: String)
    /// libass could not be set up (no fonts, out of memory).
    case renderer(String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path, line, why):
            return line > 0 ? "\(path):\(line): \(why)" : "\(path): \(why)"
        case let .cannotOpen(path, why): return "\(path): cannot read the caption file (\(why))"
        case let .renderer(why): return "captions: \(why)"
        }
    }
}
