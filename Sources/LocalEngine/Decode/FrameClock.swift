/// Places pictures on a constant-rate clock. Each picture is shown from its own slot until the
/// next picture's slot: a gap repeats the earlier picture, and a picture whose slot is taken
/// by a later one is never shown (so it need never be scaled or encoded).
struct FrameClock {
    let fps: Double
    /// The next slot to fill.
    private(set) var next: Int64

    init(fps: Double, start: Int64 = 0) { self.fps = fps; next = start }

    func slot(atSeconds t: Double) -> Int64 { Int64((t * fps).rounded()) }

    /// The slots the current picture fills before the one at `slot` takes over (never past `limit`).
    mutating func advance(to slot: Int64, limit: Int64 = .max) -> Range<Int64> {
        let end = min(slot, limit)
        guard next < end else { return next..<next }
        defer { next = end }
        return next..<end
    }
}
