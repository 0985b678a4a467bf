import Dispatch
import Foundation
import LocalEngine
import Synchronization

/// Draws the engine's progress values: one updating line on a terminal, one parseable line
/// per second for `--progress machine`, or nothing.
final class ProgressRenderer {
    private let style: ProgressStyle
    private var lastMachine = Date.distantPast
    /// The phase of the last machine line: a new phase is reported at once.
    private var lastPhase: ConversionProgress.Phase?
    private var drewBar = false
    private let write: (String) -> Void
    private let measure: () -> Int?
    private var columns: Int?
    /// Set by SIGWINCH (on a dispatch thread); the next draw measures the terminal again.
    private let resized = Atomic<Bool>(true)
    private var resizeSource: DispatchSourceSignal?

    init(style: ProgressStyle, measure: @escaping () -> Int? = { TerminalSize.columns() },
         write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        if style == .auto { self.style = isatty(STDERR_FILENO) != 0 ? .bar : .none } else { self.style = style }
        self.measure = measure
        self.write = write
        if self.style == .bar { watchResizes() }
    }

    deinit { resizeSource?.cancel() }

    func callback(label: String) -> ((ConversionProgress) -> Void)? {
        switch style {
        case .none, .auto: return nil
        case .bar: return { [weak self] p in self?.drawBar(label, p) }
        case .machine: return { [weak self] p in self?.machineLine(label, p) }
        }
    }

    /// Clears the bar so the next message starts on a clean line.
    func finish() {
        if drewBar { write("\r\u{1B}[2K"); drewBar = false }
    }

    /// The terminal was resized: measure it again before the next line.
    func terminalResized() { resized.store(true, ordering: .releasing) }

    /// The width to lay the line out for: the terminal's, else $COLUMNS, else 80.
    var width: Int {
        if resized.exchange(false, ordering: .acquiringAndReleasing) || columns == nil {
            columns = measure() ?? ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 80
        }
        return columns ?? 80
    }

    func drawBar(_ label: String, _ p: ConversionProgress) {
        // `--fit smart` reads the video twice: the first bar is the analysis, not the conversion.
        let name = p.phase == .analysing ? label + " (analysing)" : label
        let line = ProgressLine(label: name, fraction: p.fraction, framesPerSecond: p.framesPerSecond, speed: p.speed, eta: Self.eta(p))
        write("\r\u{1B}[2K" + line.render(columns: width))
        drewBar = true
    }

    private func watchResizes() {
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler { [weak self] in self?.terminalResized() }
        source.resume()
        resizeSource = source
    }

    private func machineLine(_ label: String, _ p: ConversionProgress) {
        guard Date().timeIntervalSince(lastMachine) >= 1 || p.phase != lastPhase else { return }
        lastMachine = Date()
        lastPhase = p.phase
        var line = "progress file=\(label.replacingOccurrences(of: " ", with: "%20")) phase=\(p.phase.rawValue)"
        line += String(format: " seconds=%.2f", p.seconds)
        if let t = p.totalSeconds { line += String(format: " total=%.2f percent=%.1f", t, (p.fraction ?? 0) * 100) }
        line += String(format: " frames=%d fps=%.1f speed=%.2f", p.frames, p.framesPerSecond, p.speed)
        if let t = p.totalSeconds, Self.speedIsMeasured(p) { line += String(format: " eta=%.1f", max(0, (t - p.seconds) / p.speed)) }
        write(line + "\n")
    }

    /// The first seconds' speed says little (the encoder's look-ahead holds frames back, the
    /// analysis starts cold): an ETA is shown only after this much wall time of a phase.
    static let etaAfterWallSeconds = 3.0

    /// True once the phase has run long enough for its speed to predict the rest.
    static func speedIsMeasured(_ p: ConversionProgress) -> Bool {
        p.speed > 0 && p.seconds / p.speed >= etaAfterWallSeconds
    }

    static func eta(_ p: ConversionProgress) -> String? {
        guard let t = p.totalSeconds, speedIsMeasured(p) else { return nil }
        let s = Int(max(0, (t - p.seconds) / p.speed).rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
