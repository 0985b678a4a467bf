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
    public static let outputWidth = 1080
    public static let outputHeight = 1920
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
    /// Whether the output has areas the foreground does not cover (bars or blur).
    public var hasBackground: Bool { foreground != PixelRect(x: 0, y: 0, width: Self.outputWidth, height: Self.outputHeight) }

    /// - Parameters:
    ///   - sampleAspect: pixel width / pixel height (1 for square pixels).
    ///   - focus: crop mode's centre of interest in display space, 0…1 on each axis.
    public init(storedWidth: Int, storedHeight: Int, sampleAspect: Double, rotation: Int,
                mode: FitMode, focus: (x: Double, y: Double) = (0.5, 0.5)) {
        self.storedWidth = storedWidth; self.storedHeight = storedHeight
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
            foregroundSource = coverStored
            backgroundSource = nil
        case .pad, .blur:
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
        rotation % 180 != 0 ? (foreground.height, foreground.width) : (foreground.width, foreground.height)
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
