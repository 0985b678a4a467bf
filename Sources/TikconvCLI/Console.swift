import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How messages reach stderr: colour only on a terminal that wants it, and with `--quiet`
/// nothing but errors and the notice before an upload.
struct Console {
    enum Tone { case error, success, notice, info }

    let quiet: Bool
    let color: Bool
    /// Where lines go instead of straight to stderr (the progress renderer, while it draws).
    var sink: ((String) -> Void)?

    init(quiet: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment,
         stderrIsTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.quiet = quiet
        self.color = Self.wantsColor(environment: environment, isTerminal: stderrIsTerminal)
    }

    /// https://no-color.org: NO_COLOR set to anything but "" turns colour off; so does a pipe
    /// or file, or TERM=dumb.
    static func wantsColor(environment: [String: String], isTerminal: Bool) -> Bool {
        guard isTerminal else { return false }
        if let n = environment["NO_COLOR"], !n.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// Errors, and the notice before an upload, are always shown; the rest not under --quiet.
    func line(_ text: String, _ tone: Tone = .info) {
        if quiet && (tone == .info || tone == .success) { return }
        if let sink { sink(paint(text, tone)) } else { stderrLine(paint(text, tone)) }
    }

    func error(_ text: String) { line(text, .error) }

    func paint(_ text: String, _ tone: Tone) -> String {
        guard color else { return text }
        switch tone {
        case .error: return "\u{1B}[31m" + text + "\u{1B}[0m"
        case .notice: return "\u{1B}[33m" + text + "\u{1B}[0m"
        case .success: return "\u{1B}[32m" + text + "\u{1B}[0m"
        case .info: return text
        }
    }
}

/// The terminal's width in columns (nil when stderr is not a terminal).
enum TerminalSize {
    static func columns(fd: Int32 = STDERR_FILENO) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
