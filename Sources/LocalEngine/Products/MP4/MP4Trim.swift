import FFmpeg

/// The mp4 plan's trim, on the source's own clock. With a start, the input is sought to the
/// keyframe at or before it and every stream is moved back so that the start becomes output
/// time zero: copied video then begins at that keyframe, with its few pictures before zero kept
/// for decoding and hidden by the MP4 edit list; re-encoded streams begin exactly at the start.
/// Packets decoded after the end are left out (a picture shown before the end never depends
/// on one: it is decoded before it).
struct MP4Trim {
    /// Source seconds that become output time zero; 0 without a start (times kept as they are).
    let shift: Double
    /// Source seconds where the output ends; nil for the source's end.
    let end: Double?
    /// Source seconds of the container's start.
    let sourceStart: Double

    init(start: Double?, duration: Double?, sourceStart: Double) {
        let s = start.map { max(0, $0) } ?? 0
        shift = s > 0 ? sourceStart + s : 0
        end = duration.map { sourceStart + s + $0 }
        self.sourceStart = sourceStart
    }

    /// The output's length in source seconds, when known: to the trim's end or the source's,
    /// whichever comes first.
    func length(sourceDuration: Double?) -> Double? {
        let begin = shift > 0 ? shift : sourceStart
        let stop = min(end ?? .infinity, sourceDuration.map { sourceStart + $0 } ?? .infinity)
        return stop.isFinite ? max(0, stop - begin) : nil
    }

    /// Output seconds where the output ends, on the moved clock; nil for the source's end.
    var endOnOutputClock: Double? { end.map { $0 - shift } }

    /// The shift in ticks of `timeBase`.
    func shiftTicks(_ timeBase: Rational) -> Int64 { Int64((shift / timeBase.double).rounded()) }

    /// Whether a packet decoded at `dts` (else presented at `pts`) lies past the end.
    func isPastEnd(dts: Int64?, pts: Int64?, timeBase: Rational) -> Bool {
        guard let end, let t = dts ?? pts else { return false }
        return Double(t) * timeBase.double >= end - 1e-6
    }

    /// Whether a decoded picture at `pts` (on the moved clock) lies inside the trim: the pictures
    /// before the start that decoding from the keyframe gives, and any past the end, are not encoded.
    func keeps(_ pts: Int64, timeBase: Rational) -> Bool {
        let t = Double(pts) * timeBase.double
        if shift > 0 && t < -1e-6 { return false }
        if let e = endOnOutputClock, t >= e - 1e-6 { return false }
        return true
    }

    /// Moves a packet's times back by the shift.
    func move(_ packet: Packet, timeBase: Rational) {
        guard shift > 0 else { return }
        let d = shiftTicks(timeBase)
        if let p = packet.pts { packet.pts = p - d }
        if let t = packet.dts { packet.dts = t - d }
    }

    /// A subtitle cue (moved, then converted; times in `timeBase`) cut to the trim: false when
    /// none of it is left.
    func clipCue(_ packet: Packet, timeBase: Rational) -> Bool {
        guard var start = packet.pts else { return true }
        var stop = start + max(0, packet.duration)
        if shift > 0 { start = max(start, 0) }
        if let e = endOnOutputClock { stop = min(stop, Int64((e / timeBase.double).rounded())) }
        guard stop > start else { return false }
        packet.pts = start
        packet.dts = start
        packet.duration = stop - start
        return true
    }
}
