import Foundation
import LocalEngine

/// Draws the engine's progress values: one updating line on a terminal, one parseable line
/// per second for `--progress machine`, or nothing.
final class ProgressRenderer {
    private let style: ProgressStyle
    private var lastMachine = Date.distantPast
    private var drewBar = false

    init(style: ProgressStyle) {
        if style == .auto { self.style = isatty(STDERR_FILENO) != 0 ? .bar : .none } else { self.style = style }
    }

    func callback(label: String) -> ((ConversionProgress) -> Void)? {
        switch style {
        case .none, .auto: return nil
        case .bar: return { [weak self] p in self?.drawBar(label, p) }
        case .machine: return { [weak self] p in self?.machineLine(label, p) }
        }
    }

    /// Clears the bar so the next message starts on a clean line.
    func finish() {
        if drewBar { FileHandle.standardError.write("\r\u{1B}[2K".data(using: .utf8)!); drewBar = false }
    }

    private func drawBar(_ label: String, _ p: ConversionProgress) {
        let width = 24
        let f = p.fraction ?? 0
        let filled = Int((f * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        var line = String(format: "\r\u{1B}[2K%@ %3.0f%% %@ %.0f fps %.2f×", label, f * 100, bar, p.framesPerSecond, p.speed)
        if let eta = Self.eta(p) { line += " ETA " + eta }
        FileHandle.standardError.write(line.data(using: .utf8)!)
        drewBar = true
    }

    private func machineLine(_ label: String, _ p: ConversionProgress) {
        guard Date().timeIntervalSince(lastMachine) >= 1 else { return }
        lastMachine = Date()
        var line = "progress file=\(label.replacingOccurrences(of: " ", with: "%20"))"
        line += String(format: " seconds=%.2f", p.seconds)
        if let t = p.totalSeconds { line += String(format: " total=%.2f percent=%.1f", t, (p.fraction ?? 0) * 100) }
        line += String(format: " frames=%d fps=%.1f speed=%.2f", p.frames, p.framesPerSecond, p.speed)
        if let t = p.totalSeconds, p.speed > 0 { line += String(format: " eta=%.1f", max(0, (t - p.seconds) / p.speed)) }
        stderrLine(line)
    }

    static func eta(_ p: ConversionProgress) -> String? {
        guard let t = p.totalSeconds, p.speed > 0 else { return nil }
        let s = Int(max(0, (t - p.seconds) / p.speed).rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
