import FFmpeg
import MediaProbe
import Planning

/// Where the edits of the mp4 plan meet the source's own clock: times are measured from the
/// container's start (`origin`), divided by the speed, and the fades end at the container's
/// length at that speed.
struct MP4EditClock {
    let edits: LocalEdits
    /// Source seconds of the container's start.
    let origin: Double
    let fades: FadeTimes
    var speed: Double { edits.speed ?? 1 }

    init(edits: LocalEdits, origin: Double, sourceDuration: Double?) {
        self.edits = edits
        self.origin = origin
        fades = FadeTimes(edits, end: sourceDuration.map { $0 / (edits.speed ?? 1) })
    }
}

/// The picture edits on one re-encoded video stream of the mp4 plan: timestamps divided by the
/// speed (on a finer clock, so a 1/30 time base can be halved), pictures beyond 60 a second
/// left out (a 30 fps clip at 4× would otherwise be 120 fps), then black and white and the
/// fades on the pictures the encoder receives.
final class MP4PictureEdits {
    /// The encoder's clock when the speed changes: fine enough for every speed on any source clock.
    static let fineTimeBase = Rational(1, 180_000)
    static let maxRate = 60.0

    /// The encoder's time base.
    let timeBase: Rational
    /// The encoder's nominal rate (the source's at the new speed, at most 60).
    let frameRate: Rational?
    private let sourceTimeBase: Rational
    private let clock: MP4EditClock
    private let rule: PictureEditRule
    private let frameDuration: Double
    /// Over 60 pictures a second after the speed change: one per 1/60 s slot is kept.
    private let capped: Bool
    private var lastSlot = Int64.min

    init(clock: MP4EditClock, sourceTimeBase: Rational, sourceRate: Rational?) {
        self.clock = clock
        rule = PictureEditRule(edits: clock.edits, fades: clock.fades)
        self.sourceTimeBase = sourceTimeBase
        timeBase = clock.edits.speed == nil ? sourceTimeBase : Self.fineTimeBase
        let rate = sourceRate.map { $0.double * clock.speed }
        capped = (rate ?? 0) > Self.maxRate + 0.01
        frameRate = rate.map { StandardFrameRate.nearest(min($0, Self.maxRate)) }
        frameDuration = 1 / min(rate ?? 30, Self.maxRate)
    }

    /// Output seconds (from the container's start) of a picture at `pts` on the source clock.
    func outputSeconds(_ pts: Int64) -> Double { (Double(pts) * sourceTimeBase.double - clock.origin) / clock.speed }

    /// The encoder's timestamp for a picture at source `pts`, or nil when it is left out.
    func outputPTS(_ pts: Int64) -> Int64? {
        if clock.edits.speed == nil { return pts }
        let seconds = Double(pts) * sourceTimeBase.double / clock.speed
        if capped {
            // Floored, so 120 pictures a second keep every other one, evenly spaced.
            let slot = Int64((outputSeconds(pts) * Self.maxRate + 1e-6).rounded(.down))
            guard slot > lastSlot else { return nil }
            lastSlot = slot
        }
        return Int64((seconds / timeBase.double).rounded())
    }

    /// Whether a picture at source `pts` is changed (then it must be writable before `apply`).
    func changes(_ pts: Int64) -> Bool {
        rule.changes(at: outputSeconds(pts), frameDuration: frameDuration)
    }

    /// Black and white and the fade, in place, on a picture of a format `PictureKernels` takes.
    func apply(to picture: Frame, sourcePTS pts: Int64, fullRange: Bool) {
        rule.removeColour(picture)
        rule.fade(picture, into: picture, at: outputSeconds(pts), frameDuration: frameDuration, fullRange: fullRange)
    }
}
