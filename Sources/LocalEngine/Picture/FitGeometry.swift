import MediaProbe
import Planning

/// An integer rectangle in pixels.
public struct PixelRect: Equatable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { self.x = x; self.y = y; self.width = width; self.height = height }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}

/// Where every pixel of the 1080x1920 frame comes from, worked out once per source shape.
///
/// Three coordinate spaces meet here: *stored* (the decoded frame), *display* (after the
/// pixel aspect ratio and the display-matrix rotation) and *output* (1080x1920). All fit
/// decisions are made in display space; the crop rectangles are mapped back to stored space
/// so the scaler reads only the pixels that will be seen.
public struct FitGeometry: Equatable, Sendable {
    public static let outputWidth = TikTokContract.width
    public static let outputHeight = TikTokContract.height
    /// Background blur is computed at 1/6 of the output size (180x320), then scaled up.
    public static let backgroundDivisor = 6

    public let storedWidth: Int, storedHeight: Int
    /// Degrees clockwise to turn the stored picture upright: 0, 90, 180 or 270.
    public let rotation: Int
    public let mode: FitMode
    /// The picture, scaled, in output coordinates.
    public let foreground: PixelRect
    /// The stored-space region the foreground is scaled from (the whole frame, except in crop mode).
    public let foregroundSource: PixelRect
    /// Stored-space region that covers the output frame (for the blurred background).
    public let backgroundSource: PixelRect?
    /// The scaler's canvas when it must be wider or taller than the output (crop mode): the
    /// foreground is scaled to `width`x`height` and the output frame looks at the 1080x1920
    /// window starting at (`x`, `y`) inside it, without copying.
    public private(set) var canvas: PixelRect
    /// Whether the output has areas the foreground does not cover (bars or blur).
    public var hasBackground: Bool { foreground != PixelRect(x: 0, y: 0, width: Self.outputWidth, height: Self.outputHeight) }

    /// - Parameters:
    ///   - sampleAspect: pixel width / pixel height (1 for square pixels).
    ///   - focus: crop mode's centre of interest in display space, 0…1 on each axis.
    ///   - panning: the crop window moves from picture to picture (a reframe path): place it to
    ///     the output pixel (see `panningCrop`) rather than to the even stored pixel.
    public init(storedWidth: Int, storedHeight: Int, sampleAspect: Double, rotation: Int,
                mode: FitMode, focus: (x: Double, y: Double) = (0.5, 0.5), panning: Bool = false) {
        self.storedWidth = storedWidth; self.storedHeight = storedHeight
        canvas = PixelRect(x: 0, y: 0, width: Self.outputWidth, height: Self.outputHeight)
        self.rotation = ((rotation % 360) + 360) % 360
        self.mode = mode
        let sar = sampleAspect > 0 && sampleAspect.isFinite ? sampleAspect : 1
        let rotated = self.rotation % 180 != 0
        // Display size before rotation, in "square pixel" units.
        let preW = Double(storedWidth) * sar, preH = Double(storedHeight)
        let dispW = rotated ? preH : preW, dispH = rotated ? preW : preH
        let outW = Double(Self.outputWidth), outH = Double(Self.outputHeight)

        let full = PixelRect(x: 0, y: 0, width: storedWidth, height: storedHeight)
        let aspectGap = abs((dispW / dispH) / (outW / outH) - 1)
        // Within 1% of 9:16: stretch imperceptibly rather than leave one-pixel bars.
        if aspectGap < 0.01 {
            foreground = PixelRect(x: 0, y: 0, width: Self.outputWidth, height: Self.outputHeight)
            foregroundSource = full
            backgroundSource = nil
            return
        }
        // The region of the display picture that covers the whole output (crop / background).
        let cover = max(outW / dispW, outH / dispH)
        let visW = outW / cover, visH = outH / cover
        let fx = min(max(focus.x, 0), 1), fy = min(max(focus.y, 0), 1)
        let visX = min(max(fx * dispW - visW / 2, 0), dispW - visW)
        let visY = min(max(fy * dispH - visH / 2, 0), dispH - visH)
        let coverStored = Self.toStored(x: visX, y: visY, w: visW, h: visH, dispW: dispW, dispH: dispH,
                                        rotation: self.rotation, sar: sar, storedW: storedWidth, storedH: storedHeight)
        switch mode {
        case .crop:
            foreground = PixelRect(x: 0, y: 0, width: Self.outputWidth, height: Self.outputHeight)
            backgroundSource = nil
            // Centred crop of an upright square-pixel picture: sample exactly where the familiar
            // "scale to cover, then crop" does (see `matchScaleThenCrop`), reading only ~4% more.
            if panning, self.rotation == 0, abs(sar - 1) < 1e-9, abs(visH - dispH) < 1e-6,
               let p = Self.panningCrop(windowX: visX, windowWidth: visW, storedWidth: storedWidth, storedHeight: storedHeight) {
                foregroundSource = p.source
                canvas = p.canvas
            } else if !panning, self.rotation == 0 && abs(sar - 1) < 1e-9 && abs(fx - 0.5) < 1e-9 && abs(fy - 0.5) < 1e-9,
               let m = Self.centredCropMatch(width: storedWidth, height: storedHeight) {
                foregroundSource = m.source
                canvas = m.canvas
            } else {
                foregroundSource = coverStored
            }
        case .pad, .blur, .smart:
            let fit = min(outW / dispW, outH / dispH)
            let w = Self.even(dispW * fit), h = Self.even(dispH * fit)
            foreground = PixelRect(x: Self.evenOffset((Self.outputWidth - w) / 2),
                                   y: Self.evenOffset((Self.outputHeight - h) / 2),
                                   width: w, height: h)
            foregroundSource = full
            backgroundSource = mode == .blur ? Self.toStored(x: (dispW - visW) / 2, y: (dispH - visH) / 2, w: visW, h: visH,
                                                             dispW: dispW, dispH: dispH, rotation: self.rotation, sar: sar,
                                                             storedW: storedWidth, storedH: storedHeight) : nil
        }
    }

    /// Size of the scaled foreground before rotation (what the scaler writes).
    public var foregroundScaledSize: (width: Int, height: Int) {
        if rotation % 180 != 0 { return (foreground.height, foreground.width) }
        return hasCanvas ? (canvas.width, canvas.height) : (foreground.width, foreground.height)
    }

    /// Whether the scaler writes a canvas larger than the output (see `canvas`).
    public var hasCanvas: Bool { canvas.width != Self.outputWidth || canvas.height != Self.outputHeight }

    /// The window and canvas that reproduce `scale=1080:1920:force_original_aspect_ratio=increase,
    /// crop=1080:1920` sample for sample, for a source of `width`x`height`.
    static func centredCropMatch(width: Int, height: Int) -> (source: PixelRect, canvas: PixelRect)? {
        let outW = outputWidth, outH = outputHeight
        if width * outH >= height * outW {
            // Wider than 9:16: full height, cut columns. FFmpeg's scaled width (rounded to
            // nearest, as the scale filter does) and crop offset (truncated, then even).
            let scaled = Int((Double(outH * width) / Double(height)).rounded(.toNearestOrEven))
            let x0 = ((scaled - outW) / 2) & ~1
            guard let m = matchScaleThenCrop(sourceLength: width, scaledLength: scaled, cropOffset: x0, outputLength: outW) else { return nil }
            return (PixelRect(x: m.start, y: 0, width: m.length, height: height), PixelRect(x: m.offset, y: 0, width: m.canvas, height: outH))
        } else {
            let scaled = Int((Double(outW * height) / Double(width)).rounded(.toNearestOrEven))
            let y0 = ((scaled - outH) / 2) & ~1
            guard let m = matchScaleThenCrop(sourceLength: height, scaledLength: scaled, cropOffset: y0, outputLength: outH) else { return nil }
            return (PixelRect(x: 0, y: m.start, width: width, height: m.length), PixelRect(x: 0, y: m.offset, width: outW, height: m.canvas))
        }
    }

    /// Along one axis, "scale `sourceLength` to `scaledLength`, keep `outputLength` from
    /// `cropOffset`" maps output sample X to source position (X + cropOffset + ½)·r − ½ with
    /// r = source/scaled. Scaling only the window [start, start+length) to `canvas` samples and
    /// keeping them from `offset` gives start + (X + offset + ½)·q − ½ with q = length/canvas.
    /// 4:2:0 chroma follows the same rule on planes swscale sizes as ceil(luma / 2), so an odd
    /// scaled length (1920x1080 → 3413) gives FFmpeg's chroma a ratio slightly off its luma's:
    /// matching luma alone left chroma up to 0.19 of a sample off, which shows on hard edges.
    /// This picks the window (even start and offset so chroma stays addressable, a canvas at
    /// most 25% longer than the output) whose worst luma or chroma position error over the output
    /// is smallest: the first canvas within 0.02 of a sample, else the most accurate within 0.05.
    static func matchScaleThenCrop(sourceLength: Int, scaledLength: Int, cropOffset: Int, outputLength: Int)
        -> (start: Int, length: Int, canvas: Int, offset: Int)? {
        let r = Double(sourceLength) / Double(scaledLength)
        guard r < 1, cropOffset >= 0 else { return nil }
        func chroma(_ v: Int) -> Int { (v + 1) / 2 }
        let rc = Double(chroma(sourceLength)) / Double(chroma(scaledLength))
        let longest = outputLength * 5 / 4
        // The position error is linear in X, so its worst is at the first or last sample.
        func worst(start: Double, offset: Double, crop: Double, q: Double, r: Double, samples: Int) -> Double {
            let first = start + (offset + 0.5) * q - (crop + 0.5) * r
            return max(abs(first), abs(first + Double(samples - 1) * (q - r)))
        }
        var best: (error: Double, start: Int, length: Int, canvas: Int, offset: Int)?
        for length in Int((Double(outputLength) * r).rounded(.up))...sourceLength {
            let nominal = Int((Double(length) / r).rounded())
            if nominal - 1 > longest { break }
            for canvas in (nominal - 1)...(nominal + 1) where canvas >= outputLength && canvas <= longest {
                let q = Double(length) / Double(canvas)
                let qc = Double(chroma(length)) / Double(chroma(canvas))
                for offset in stride(from: 0, through: canvas - outputLength, by: 2) {
                    // The luma start that centres the luma error; chroma may prefer the next even one.
                    let ideal = (Double(cropOffset) + 0.5) * r - (Double(offset) + 0.5) * q
                        + Double(outputLength - 1) / 2 * (r - q)
                    let low = Int((ideal / 2).rounded(.down)) * 2
                    for start in [low, low + 2] where start >= 0 && start + length <= sourceLength {
                        let error = max(
                            worst(start: Double(start), offset: Double(offset), crop: Double(cropOffset), q: q, r: r, samples: outputLength),
                            worst(start: Double(start / 2), offset: Double(offset / 2), crop: Double(cropOffset / 2), q: qc, r: rc,
                                  samples: outputLength / 2))
                        if error < (best?.error ?? 0.05) { best = (error, start, length, canvas, offset) }
                    }
                }
            }
            // Canvases only grow from here: good enough now beats slightly better later.
            if let b = best, b.error <= 0.02 { break }
        }
        return best.map { ($0.start, $0.length, $0.canvas, $0.offset) }
    }

    /// A full-height window at sub-pixel `windowX` (stored = display pixels: upright, square).
    /// Stored rectangles must start on even pixels (4:2:0 chroma), which in a 1080p source is a
    /// 3.5-output-pixel step: a slow pan would judder. So a slightly wider strip of constant
    /// width is scaled onto a canvas, and the output looks at the canvas from the window's own
    /// offset, to the output pixel. The strip's width and the canvas do not depend on `windowX`,
    /// so a moving window keeps its scalers (`VideoFitter.retarget`).
    ///
    /// Where the strip starts matters a little to the encoder: when every start lies on one
    /// lattice of the source scaled whole (`latticeStep`), all canvases are pieces of the same
    /// scaled picture, so a panning frame is its predecessor moved by whole pixels, which x264's
    /// motion search matches exactly; a start off the lattice resamples the picture at a new phase
    /// (the walking-face clip on the lattice: 1.4% fewer bytes, about 7% less CPU). A pan still
    /// costs x264 far more than a still crop: a whole-pixel pan of one picture, 2.0× the CPU.
    static func panningCrop(windowX: Double, windowWidth: Double, storedWidth: Int, storedHeight: Int)
        -> (source: PixelRect, canvas: PixelRect)? {
        let step = latticeStep(storedHeight: storedHeight)
        // Scaler taps reach a couple of source pixels past an edge, where a strip's copy of the
        // picture differs from the whole picture's: keep the window `margin` away from them.
        let margin = 4
        var stripWidth = Int(windowWidth.rounded(.up)) + step + 2 * margin
        stripWidth = (stripWidth + step - 1) / step * step
        guard stripWidth <= storedWidth else { return nil }
        var start = Int((windowX - Double(margin)) / Double(step)) * step
        if windowX - Double(margin) < 0 { start = 0 }
        if start + stripWidth > storedWidth {
            // At the right edge no lattice start holds the window: an even start there (the
            // window rests against the edge, so the phase does not keep changing).
            start = (storedWidth - stripWidth) & ~1
        }
        let scale = Double(outputHeight) / Double(storedHeight)
        let canvasWidth = Int((Double(stripWidth) * scale).rounded())
        let offset = Int(((windowX - Double(start)) * Double(canvasWidth) / Double(stripWidth)).rounded())
        guard canvasWidth >= outputWidth else { return nil }
        return (PixelRect(x: start, y: 0, width: stripWidth, height: storedHeight),
                PixelRect(x: min(max(0, offset), canvasWidth - outputWidth), y: 0, width: canvasWidth, height: outputHeight))
    }

    /// The smallest even number of stored pixels that scales to a whole number of output
    /// pixels (1080 rows → 1920: 9 pixels are 16, so 18), or 2 when that is over 64 pixels (an
    /// odd height such as 1079: no usable lattice, the strip starts on any even pixel).
    static func latticeStep(storedHeight: Int) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let q = storedHeight / gcd(outputHeight, storedHeight)
        let step = q % 2 == 0 ? q : 2 * q
        return step <= 64 ? step : 2
    }

    /// A size rounded to an even number of at least 2 (4:2:0 chroma needs even sizes).
    static func even(_ v: Double) -> Int {
        let i = min(Int(v.rounded()), 1 << 20)
        return max(2, i - (i & 1))
    }

    /// An offset rounded down to even, never negative.
    static func evenOffset(_ v: Int) -> Int { max(0, v - (v & 1)) }

    /// Maps a display-space rectangle back to an even-aligned stored-space rectangle.
    static func toStored(x: Double, y: Double, w: Double, h: Double, dispW: Double, dispH: Double,
                         rotation: Int, sar: Double, storedW: Int, storedH: Int) -> PixelRect {
        // Undo the rotation: display (X, Y) back to pre-rotation (x, y) with sizes (A, B).
        var px = x, py = y, pw = w, ph = h
        switch rotation {
        case 90:  px = y; py = dispW - x - w; pw = h; ph = w
        case 180: px = dispW - x - w; py = dispH - y - h
        case 270: px = dispH - y - h; py = x; pw = h; ph = w
        default: break
        }
        // Undo the pixel aspect ratio (horizontal only).
        px /= sar; pw /= sar
        // Even origin and size keep 4:2:0 chroma planes aligned with luma.
        var rx = Int(px.rounded(.down)); rx -= rx & 1
        var ry = Int(py.rounded(.down)); ry -= ry & 1
        var rw = Int((px + pw).rounded()) - rx, rh = Int((py + ph).rounded()) - ry
        rw = min(max(2, rw - (rw & 1)), storedW - rx)
        rh = min(max(2, rh - (rh & 1)), storedH - ry)
        return PixelRect(x: max(0, rx), y: max(0, ry), width: max(1, rw), height: max(1, rh))
    }
}
