import Foundation

/// Notes for the report, collected by whichever stage learns something worth telling
/// ("deinterlaced", "skipped a damaged packet"), in the order they happened.
final class ConversionLog {
    private(set) var notes: [String] = []
    func note(_ text: String) { notes.append(text) }
}

/// Reports progress as values at most four times a second; the CLI decides how to draw them.
struct ProgressMeter {
    private let began: Date
    private let totalSeconds: Double?
    private let callback: ((ConversionProgress) -> Void)?
    private var last = Date.distantPast

    init(began: Date, totalSeconds: Double?, callback: ((ConversionProgress) -> Void)?) {
        self.began = began; self.totalSeconds = totalSeconds; self.callback = callback
    }

    /// `seconds` of output done, `frames` of them pictures (0 for a remux).
    mutating func update(seconds: Double, frames: Int) {
        guard let callback, Date().timeIntervalSince(last) > 0.25 else { return }
        last = Date()
        let wall = max(Date().timeIntervalSince(began), 1e-3)
        callback(ConversionProgress(seconds: seconds, totalSeconds: totalSeconds, frames: frames,
                                    framesPerSecond: Double(frames) / wall, speed: seconds / wall))
    }
}
