import Dispatch
import Foundation
import LocalEngine
import Synchronization

/// Draws the engine's progress values: updating lines on a terminal (one per running file,
/// and under `--jobs N` a total with the batch's ETA), parseable lines for
/// `--progress machine` (one per file per second), or nothing. Conversions running on several
/// threads report through one renderer; messages go through `message` so that they never land
/// inside the progress lines.
final class ProgressRenderer: @unchecked Sendable {
    private let style: ProgressStyle
    private let lock = NSLock()
    private var slots: [Slot] = []
    private var nextSlot = 0
    /// Lines of progress on the terminal now (the cursor is at the end of the last one).
    private var drawn = 0
    private var batch: BatchTotals?
    private var lastBatchLine = Date.distantPast
    private let write: (String) -> Void
    private let measure: () -> Int?
    private var columns: Int?
    /// Set by SIGWINCH (on a dispatch thread); the next draw measures the terminal again.
    private let resized = Atomic<Bool>(true)
    private var resizeSource: DispatchSourceSignal?

    private struct Slot {
        var id: Int
        var label: String
        var progress: ConversionProgress?
        var lastMachine = Date.distantPast
        var lastPhase: ConversionProgress.Phase?
        /// This file's share of the batch's work (its seconds of media).
        var work: Double
    }

    /// Files done and to do, for the total line.
    private struct BatchTotals {
        var files: Int
        var done = 0
        var totalWork: Double
        var doneWork = 0.0
        let began = Date()
    }

    init(style: ProgressStyle, measure: @escaping () -> Int? = { TerminalSize.columns() },
         write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        if style == .auto { self.style = isatty(STDERR_FILENO) != 0 ? .bar : .none } else { self.style = style }
        self.measure = measure
        self.write = write
        if self.style == .bar { watchResizes() }
    }

    deinit { resizeSource?.cancel() }

    /// One file's progress callback (nil when nothing is drawn). `finish()` or `done(_:)` ends it.
    func callback(label: String) -> ((ConversionProgress) -> Void)? { track(label: label).callback }

    /// A running file: its callback and the id `done` takes.
    func track(label: String, work: Double = 1) -> (id: Int, callback: ((ConversionProgress) -> Void)?) {
        guard style == .bar || style == .machine else { return (-1, nil) }
        lock.lock(); defer { lock.unlock() }
        nextSlot += 1
        let id = nextSlot
        slots.append(Slot(id: id, label: label, work: work))
        return (id, { [weak self] p in self?.update(id, p) })
    }

    /// The file `id` ended (done, failed or skipped): its line goes, the total counts it.
    func done(_ id: Int, work: Double) {
        lock.lock(); defer { lock.unlock() }
        slots.removeAll { $0.id == id }
        if batch != nil { batch!.done += 1; batch!.doneWork += work }
        redraw()
    }

    /// Under `--jobs N`: a total line (files done, ETA once a file has finished).
    func beginBatch(files: Int, work: Double) {
        lock.lock(); defer { lock.unlock() }
        batch = BatchTotals(files: files, totalWork: work)
    }

    /// Clears the lines so the next message starts on a clean line; forgets every file.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        slots.removeAll()
        erase()
    }

    /// A line for stderr, written between redraws of the progress lines.
    func message(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        erase()
        write(text + "\n")
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

    /// One file drawn as today's single bar (kept for the tests of the line's layout).
    func drawBar(_ label: String, _ p: ConversionProgress) {
        lock.lock(); defer { lock.unlock() }
        write(eraseText() + Self.barLine(label, p, width: width))
        drawn = 1
    }

    private func update(_ id: Int, _ p: ConversionProgress) {
        lock.lock(); defer { lock.unlock() }
        guard let i = slots.firstIndex(where: { $0.id == id }) else { return }
        slots[i].progress = p
        if style == .machine { machineLine(i, p) } else { redraw() }
    }

    /// Every running file's line, then the total: all erased and written again in one write.
    private func redraw() {
        guard style == .bar else { return machineBatchLine() }
        var lines = slots.compactMap { s in s.progress.map { Self.barLine(s.label, $0, width: width) } }
        if let total = totalLine() { lines.append(total) }
        guard !lines.isEmpty || drawn > 0 else { return }
        write(eraseText() + lines.joined(separator: "\n"))
        drawn = lines.count
    }

    private func erase() {
        if drawn > 0 { write(eraseText()); drawn = 0 }
    }

    /// Back to the start of the first progress line, clearing each on the way up.
    private func eraseText() -> String {
        "\r\u{1B}[2K" + String(repeating: "\u{1B}[1A\u{1B}[2K", count: max(0, drawn - 1))
    }

    static func barLine(_ label: String, _ p: ConversionProgress, width: Int) -> String {
        // `--fit smart` reads the video twice: the first bar is the analysis, not the conversion.
        let name = p.phase == .analysing ? label + " (analysing)" : label
        return ProgressLine(label: name, fraction: p.fraction, framesPerSecond: p.framesPerSecond, speed: p.speed, eta: eta(p)).render(columns: width)
    }

    /// "total 3/10 files, 2 running, ETA 1:05" (the ETA only once a file has finished).
    private func totalLine() -> String? {
        guard let b = batch else { return nil }
        var text = "total \(b.done)/\(b.files) files, \(slots.count) running"
        if let eta = batchETA(b) { text += String(format: ", ETA %d:%02d", eta / 60, eta % 60) }
        return DisplayWidth.truncateMiddle(text, to: max(1, width - 1))
    }

    /// Seconds left: the work left at the pace measured so far (work is seconds of media).
    private func batchETA(_ b: BatchTotals) -> Int? {
        guard b.done > 0 else { return nil }
        let running = slots.reduce(0.0) { $0 + ($1.progress?.fraction ?? 0) * $1.work }
        let done = b.doneWork + running
        let elapsed = Date().timeIntervalSince(b.began)
        guard done > 0, elapsed > 0 else { return nil }
        return Int((max(0, b.totalWork - done) * elapsed / done).rounded())
    }

    private func watchResizes() {
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        source.setEventHandler { [weak self] in self?.terminalResized() }
        source.resume()
        resizeSource = source
    }

    private func machineLine(_ i: Int, _ p: ConversionProgress) {
        defer { machineBatchLine() }
        guard Date().timeIntervalSince(slots[i].lastMachine) >= 1 || p.phase != slots[i].lastPhase else { return }
        slots[i].lastMachine = Date()
        slots[i].lastPhase = p.phase
        var line = "progress file=\(slots[i].label.replacingOccurrences(of: " ", with: "%20")) phase=\(p.phase.rawValue)"
        line += String(format: " seconds=%.2f", p.seconds)
        if let t = p.totalSeconds { line += String(format: " total=%.2f percent=%.1f", t, (p.fraction ?? 0) * 100) }
        line += String(format: " frames=%d fps=%.1f speed=%.2f", p.frames, p.framesPerSecond, p.speed)
        if let t = p.totalSeconds, Self.speedIsMeasured(p) { line += String(format: " eta=%.1f", max(0, (t - p.seconds) / p.speed)) }
        write(line + "\n")
    }

    /// `progress batch done=3 files=10 running=2 eta=65.0`, once a second under --jobs N.
    private func machineBatchLine() {
        guard style == .machine, let b = batch, Date().timeIntervalSince(lastBatchLine) >= 1 || b.done == b.files else { return }
        lastBatchLine = Date()
        var line = "progress batch done=\(b.done) files=\(b.files) running=\(slots.count)"
        if let eta = batchETA(b) { line += " eta=\(eta)" }
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
