import FFmpeg
import MediaProbe
import Planning

/// The picture edits — black and white, then the fades — as one rule, applied through here by
/// every product: the tiktok plan on fitted pictures (`PictureEditStage`), the mp4 plan on the
/// pictures it re-encodes (`MP4PictureEdits`).
struct PictureEditRule {
    let grayscale: Bool
    let fades: FadeTimes

    init(edits: LocalEdits, fades: FadeTimes) {
        grayscale = edits.grayscale
        self.fades = fades
    }

    var changesPictures: Bool { grayscale || !fades.isEmpty }

    /// Whether a picture shown at output second `t` is changed.
    func changes(at t: Double, frameDuration: Double) -> Bool {
        grayscale || fades.gain(at: t, frameDuration: frameDuration) != nil
    }

    /// Black and white, in place.
    func removeColour(_ picture: Frame) {
        if grayscale { PictureKernels.removeColour(picture) }
    }

    /// The fade at output second `t`, from `picture` into `out` (the same frame for in place);
    /// false when no fade covers `t`.
    @discardableResult
    func fade(_ picture: Frame, into out: Frame, at t: Double, frameDuration: Double, fullRange: Bool) -> Bool {
        guard let gain = fades.gain(at: t, frameDuration: frameDuration) else { return false }
        PictureKernels.fade(picture, into: out, gain: gain, fullRange: fullRange)
        return true
    }
}

/// Picture edits after the fit stage: black and white on each fitted picture (once, however
/// many output slots it fills), and the fades per output slot. A fitted picture is re-sent for
/// repeated slots, so a fade is written into a copy, and only during the fade.
final class PictureEditStage {
    private let rule: PictureEditRule
    private let fps: Double
    private var faded: Frame?

    /// Nil when the edits change nothing in the picture.
    init?(edits: LocalEdits, fades: FadeTimes, fps: Double) {
        rule = PictureEditRule(edits: edits, fades: fades)
        guard rule.changesPictures else { return nil }
        self.fps = fps
    }

    /// Once per fitted picture (a fresh 1080x1920 yuv420p frame the fitter made for it).
    func prepare(_ fitted: Frame) {
        rule.removeColour(fitted)
    }

    /// The picture to encode in output slot `slot`: `fitted` itself, or a faded copy.
    func picture(_ fitted: Frame, slot: Int64) throws -> Frame {
        let t = Double(slot) / fps
        guard rule.fades.gain(at: t, frameDuration: 1 / fps) != nil else { return fitted }
        let out = try faded ?? stage("fade video") {
            try Frame(width: fitted.width, height: fitted.height, format: fitted.pixelFormat)
        }
        faded = out
        // The encoder may still hold the previous slot's picture: then this gets fresh buffers.
        try stage("fade video") { try out.makeWritable() }
        rule.fade(fitted, into: out, at: t, frameDuration: 1 / fps, fullRange: false)
        return out
    }
}

extension TikTokSource {
    /// The output's expected length in seconds (trim, then speed), from the stream headers,
    /// else the container's duration; nil when neither says. A fade out ends here.
    func expectedOutputLength(_ options: TikTokOptions, report: ProbeReport) -> Double? {
        var ends: [Double] = []
        for index in [video.index, audio?.index].compactMap({ $0 }) {
            let p = demuxer.parameters(of: index)
            if let s = p.startTime, let d = p.duration { ends.append(Double(s + d) * p.timeBase.double) }
        }
        var length = ends.max().map { $0 - origin }
        if length == nil, let d = report.duration { length = d - (options.start ?? 0) }
        if let trim = options.duration { length = min(length ?? trim, trim) }
        return length.map { max(0, $0) / options.speed }
    }
}
