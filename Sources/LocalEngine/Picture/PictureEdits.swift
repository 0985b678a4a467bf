import CPixel
import FFmpeg
import Planning

/// Where the fades lie on the output clock, shared by the picture and the sound: a fade in
/// from time zero, a fade out ending at the expected end of the output.
struct FadeTimes: Equatable {
    var fadeIn: Double?
    var fadeOut: Double?
    /// Expected output length in seconds; nil when unknown (then there is no fade out).
    var end: Double?

    init(_ edits: LocalEdits, end: Double?) {
        fadeIn = edits.fadeIn
        fadeOut = end == nil ? nil : edits.fadeOut
        self.end = end
    }

    var isEmpty: Bool { fadeIn == nil && fadeOut == nil }

    /// The picture's gain (0 black … 1 as it is) for a picture shown from `t` for `frameDuration`
    /// seconds, or nil outside the fades. The first picture is black, and so is the last one:
    /// the fade out reaches zero where the last picture starts.
    func gain(at t: Double, frameDuration: Double) -> Double? {
        var g = 1.0
        if let d = fadeIn { g = min(g, t / d) }
        if let d = fadeOut, let end { g = min(g, (end - frameDuration - t) / max(d - frameDuration, frameDuration)) }
        return g >= 1 ? nil : max(0, g)
    }
}

extension LocalEdits {
    /// The report's notes: the edits applied, the sound edits an input without sound left
    /// nothing to change for, and a fade out that had no end to be placed at.
    func reportNotes(fades: FadeTimes, hasSound: Bool) -> [String] {
        var applied = self, idle = LocalEdits()
        if !hasSound {
            (idle.mute, idle.volumeDB, idle.loudnorm) = (mute, volumeDB, loudnorm)
            (applied.mute, applied.volumeDB, applied.loudnorm) = (false, nil, false)
        }
        var notes: [String] = []
        if !applied.isEmpty { notes.append("edits: " + applied.steps.joined(separator: "; ")) }
        if !idle.isEmpty { notes.append("no audio: nothing to change for " + idle.steps.joined(separator: "; ")) }
        if fadeOut != nil && fades.fadeOut == nil { notes.append("no fade out: the input does not say how long it is") }
        return notes
    }
}

/// Black and white and fades toward black on planar Y'CbCr pictures, with the CPixel kernels.
/// Black is Y 16 (0 in full range), neutral chroma 128, each scaled to the format's depth.
enum PictureKernels {
    /// Whether the kernels can work on this format (planar Y'CbCr or gray, 8 to 16 bits).
    static func canEdit(_ format: PixelFormat) -> Bool { format.isPlanarYUV }

    /// Sets both chroma planes to neutral: the picture keeps its luma only.
    static func removeColour(_ frame: Frame) {
        let f = frame.pixelFormat
        for p in 1...2 {
            guard let (data, stride, w, h) = plane(p, of: frame) else { continue }
            if f.bitDepth > 8 {
                tk_fill_plane16(data, ptrdiff_t(stride), Int32(w), Int32(h), UInt16(128 << (f.bitDepth - 8)))
            } else {
                tk_fill_plane(data, ptrdiff_t(stride), Int32(w), Int32(h), 128)
            }
        }
    }

    /// Writes `source` faded toward black by `gain` (0 … 1) into `target`, a picture of the same
    /// size and format (it may be `source` itself). Alpha, when there is one, is left alone.
    static func fade(_ source: Frame, into target: Frame, gain: Double, fullRange: Bool) {
        let f = source.pixelFormat
        let q = Int32((max(0, min(1, gain)) * 32768).rounded())
        for p in 0..<3 {
            guard let (src, ss, w, h) = plane(p, of: source), let (dst, ds, _, _) = plane(p, of: target) else { continue }
            let level8 = p == 0 ? (fullRange ? 0 : 16) : 128
            let level = Int32(level8 << (f.bitDepth - 8))
            if f.bitDepth > 8 {
                tk_fade_plane16(src, ptrdiff_t(ss), dst, ptrdiff_t(ds), Int32(w), Int32(h), level, q)
            } else {
                tk_fade_plane8(src, ptrdiff_t(ss), dst, ptrdiff_t(ds), Int32(w), Int32(h), level, q)
            }
        }
    }

    /// Plane `p`'s data, stride and size in samples; nil when the format has no such plane.
    private static func plane(_ p: Int, of frame: Frame) -> (UnsafeMutablePointer<UInt8>, Int, Int, Int)? {
        guard p < frame.pixelFormat.componentCount else { return nil }
        let (data, stride) = frame.plane(p)
        guard let data, stride > 0 else { return nil }
        let (sx, sy) = p == 0 ? (0, 0) : frame.pixelFormat.chromaShift
        let w = (frame.width + (1 << sx) - 1) >> sx, h = (frame.height + (1 << sy) - 1) >> sy
        return (data, Int(stride), w, h)
    }
}
