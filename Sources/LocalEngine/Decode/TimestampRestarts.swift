import FFmpeg

/// Timestamps that jump back by more than a second have restarted (joined files, a recorder's
/// clock reset): that is not reordering. Both the copy path and the re-encode path continue the
/// clock from the previous packet or picture instead of squeezing the rest into 1-tick steps.
struct TimestampRestarts {
    /// One second in the stream's time base.
    let second: Int64
    /// Added to every later timestamp once a restart has been seen.
    var offset: Int64 = 0

    init(timeBase: Rational) { second = Int64(1 / max(timeBase.double, 1e-9)) }

    /// `ts` moved by the offset so far; when that falls more than a second behind `last`, the
    /// offset grows so it lands `step` after `last`.
    mutating func continuing(_ ts: Int64, after last: Int64, step: Int64) -> Int64 {
        var t = ts + offset
        if last != .min && t < last - second {
            let shift = last + step - t
            offset += shift
            t += shift
        }
        return t
    }
}
