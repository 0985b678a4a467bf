import CPixel
import FFmpeg
import Planning

/// Turns one decoded frame into one 1080x1920 yuv420p BT.709 frame, per a `FitGeometry`.
///
/// Speed comes from never building full-size intermediates: the foreground is scaled from
/// only the stored pixels that will be seen straight into its rectangle of the output frame;
/// the blurred background is made at 180x320 and only its visible bands are scaled up.
final class VideoFitter {
    private(set) var geometry: FitGeometry
    let sourceFormat: PixelFormat
    let deinterlace: Bool
    private let planeLayout: [(step: Int, shiftX: Int, shiftY: Int)]
    private let padColor: (y: UInt8, u: UInt8, v: UInt8)

    private let foregroundScaler: Scaler
    /// The output pictures (1080x1920, or the crop mode's canvas), reused once the encoder is done with them.
    private let outputPool: FramePool
    /// Stored-orientation foreground, rotated into place afterwards (rotated sources only).
    private let rotationBuffer: Frame?

    private let backgroundScaler: Scaler?
    private let backgroundStored: Frame?   // low-res, stored orientation (rotated sources)
    private let background: Frame?         // low-res, display orientation, blurred in place
    private var bandScalers: [(scaler: Scaler, sourceRow: Int, sourceCol: Int, destRow: Int, destCol: Int)] = []
    private var blurScratch: [UInt8] = []
    /// HDR sources only: the foreground is tone-mapped before its scaler (`HDRForeground`); the
    /// background scaler writes 10-bit BT.2020 into `hdrBackground` and `toneMapper` maps that.
    private let toneMapper: ToneMapper?
    private let hdrForeground: HDRForeground?
    private let hdrBackground: Frame?

    static let lowWidth = FitGeometry.outputWidth / FitGeometry.backgroundDivisor    // 180
    static let lowHeight = FitGeometry.outputHeight / FitGeometry.backgroundDivisor  // 320
    /// The background blur users know from the ffmpeg recipe, `gblur=sigma=20` at 1080x1920,
    /// is sigma 20/6 at 180x320. Like gblur, every plane gets it in its own samples (chroma is
    /// blurred twice as far in picture terms); with gblur's own recursive filter this matches
    /// its look to SSIM 0.9989 on a lossless comparison (three box passes: 0.9966).
    static let lowSigma = Float(20) / Float(FitGeometry.backgroundDivisor)

    init(geometry: FitGeometry, sourceFormat: PixelFormat, colorSpace: ColorMatrix, fullRange: Bool,
         deinterlace: Bool, padColor: (y: UInt8, u: UInt8, v: UInt8), toneMapper: ToneMapper? = nil) throws {
        self.geometry = geometry
        self.sourceFormat = sourceFormat
        self.deinterlace = deinterlace
        planeLayout = sourceFormat.planeLayout
        self.padColor = padColor
        self.toneMapper = toneMapper
        let out = PixelFormat.yuv420p
        outputPool = geometry.hasCanvas
            ? try FramePool(width: geometry.canvas.width, height: geometry.canvas.height, format: out)
            : try FramePool(width: FitGeometry.outputWidth, height: FitGeometry.outputHeight, format: out)
        // HDR background: scaled to a 10-bit intermediate with no matrix change; the tone mapper converts.
        let scaledFormat = toneMapper == nil ? out : ToneMapper.intermediateFormat
        // BT.601 or full-range sources are converted to BT.709 limited range. A BT.709 limited
        // source needs no matrix, and saying so anyway would keep swscale from copying a
        // same-size picture exactly (it would run it through its filters instead).
        let needsMatrix = !(colorSpace == .bt709 && !fullRange)
        let fgSrc = geometry.foregroundSource
        let scaled = geometry.foregroundScaledSize
        let fgHeight = deinterlace ? fgSrc.height / 2 : fgSrc.height
        hdrForeground = try toneMapper.map {
            try HDRForeground(toneMapper: $0, sourceWidth: fgSrc.width, sourceHeight: fgHeight, sourceFormat: sourceFormat,
                              scaledWidth: scaled.width, scaledHeight: scaled.height)
        }
        foregroundScaler = try Scaler(sourceWidth: hdrForeground?.width ?? fgSrc.width, sourceHeight: hdrForeground?.height ?? fgHeight,
                                      sourceFormat: hdrForeground == nil ? sourceFormat : out,
                                      destinationWidth: scaled.width, destinationHeight: scaled.height,
                                      destinationFormat: out, filter: .bicubic)
        if toneMapper == nil, needsMatrix {
            foregroundScaler.setColorspace(source: colorSpace, sourceFullRange: fullRange, destination: .bt709, destinationFullRange: false)
        }
        rotationBuffer = geometry.rotation == 0 ? nil
            : try Frame(width: scaled.width, height: scaled.height, format: out)

        if let bgSrc = geometry.backgroundSource {
            let rotated = geometry.rotation % 180 != 0
            let lowStoredW = rotated ? Self.lowHeight : Self.lowWidth
            let lowStoredH = rotated ? Self.lowWidth : Self.lowHeight
            // Area averaging is the right filter for a large reduction (no aliasing) and is cheap.
            let s = try Scaler(sourceWidth: bgSrc.width, sourceHeight: deinterlace ? bgSrc.height / 2 : bgSrc.height,
                               sourceFormat: sourceFormat, destinationWidth: lowStoredW, destinationHeight: lowStoredH,
                               destinationFormat: scaledFormat, filter: .area)
            if toneMapper == nil {
                if needsMatrix {
                    s.setColorspace(source: colorSpace, sourceFullRange: fullRange, destination: .bt709, destinationFullRange: false)
                }
            }
            hdrBackground = toneMapper == nil ? nil : try Frame(width: lowStoredW, height: lowStoredH, format: scaledFormat)
            backgroundScaler = s
            backgroundStored = geometry.rotation == 0 ? nil : try Frame(width: lowStoredW, height: lowStoredH, format: out)
            background = try Frame(width: Self.lowWidth, height: Self.lowHeight, format: out)
            blurScratch = [UInt8](repeating: 0, count: tk_blur_scratch_size(Int32(Self.lowWidth), Int32(Self.lowHeight)))
            try makeBandScalers()
        } else {
            backgroundScaler = nil; backgroundStored = nil; background = nil; hdrBackground = nil
        }
    }

    /// One up-scaler per visible band of background (above/below or left/right of the picture).
    /// Each band is scaled from the matching strip of the 180x320 image; bands may overshoot into
    /// the picture's rectangle, which the foreground then overwrites.
    private func makeBandScalers() throws {
        let k = FitGeometry.backgroundDivisor
        let fg = geometry.foreground
        let lw = Self.lowWidth, lh = Self.lowHeight
        func evenUp(_ v: Int) -> Int { v + (v & 1) }
        func evenDown(_ v: Int) -> Int { v - (v & 1) }
        var bands: [(sx: Int, sy: Int, sw: Int, sh: Int)] = []
        if fg.y > 0 {
            let rows = min(lh, evenUp((fg.y + k - 1) / k + 1))
            bands.append((0, 0, lw, rows))
            let start = max(0, evenDown((fg.y + fg.height) / k - 1))
            bands.append((0, start, lw, lh - start))
        }
        if fg.x > 0 {
            let cols = min(lw, evenUp((fg.x + k - 1) / k + 1))
            bands.append((0, 0, cols, lh))
            let start = max(0, evenDown((fg.x + fg.width) / k - 1))
            bands.append((start, 0, lw - start, lh))
        }
        for b in bands {
            let s = try Scaler(sourceWidth: b.sw, sourceHeight: b.sh, sourceFormat: .yuv420p,
                               destinationWidth: b.sw * k, destinationHeight: b.sh * k,
                               destinationFormat: .yuv420p, filter: .bilinear)
            bandScalers.append((s, b.sy, b.sx, b.sy * k, b.sx * k))
        }
    }

    /// Takes `other` if it differs from this fitter's geometry only in where its window sits in
    /// the source (a panning crop): the scalers depend on sizes alone, so they are kept and only
    /// the source rectangle moves. Returns false when a new fitter is needed.
    func retarget(_ other: FitGeometry) -> Bool {
        let g = geometry
        guard other.mode == g.mode, other.rotation == g.rotation, !g.hasBackground, !other.hasBackground,
              other.storedWidth == g.storedWidth, other.storedHeight == g.storedHeight,
              other.foreground == g.foreground,
              other.canvas.width == g.canvas.width, other.canvas.height == g.canvas.height,
              other.foregroundSource.width == g.foregroundSource.width,
              other.foregroundSource.height == g.foregroundSource.height else { return false }
        geometry = other
        return true
    }

    /// Fits `frame` into a new output frame.
    func fit(_ frame: Frame) throws -> Frame {
        if geometry.hasCanvas { return try fitOnCanvas(frame) }
        let out = try outputPool.frame()
        if geometry.hasBackground {
            if geometry.mode == .blur { try drawBackground(frame, into: out) } else { paintBars(out) }
        }
        let src = foregroundPlanes(frame)
        let fg = geometry.foreground
        if let rot = rotationBuffer {
            scale(foregroundScaler, src, hdr: nil, into: rot.dataPointers, strides: rot.linesizes)
            rotate(rot, into: out, at: fg)
        } else {
            scale(foregroundScaler, src, hdr: nil, into: Self.offset(out, x: fg.x, y: fg.y), strides: out.linesizes)
        }
        return out
    }

    /// Crop mode: scale onto the slightly larger canvas, then let the frame point at the output
    /// window inside it (FFmpeg's own cropping moves the data pointers; nothing is copied).
    private func fitOnCanvas(_ frame: Frame) throws -> Frame {
        let c = geometry.canvas
        let out = try outputPool.frame()
        scale(foregroundScaler, foregroundPlanes(frame), hdr: nil, into: out.dataPointers, strides: out.linesizes)
        try out.crop(left: c.x, top: c.y, right: c.width - FitGeometry.outputWidth - c.x, bottom: c.height - FitGeometry.outputHeight - c.y)
        return out
    }

    /// Scales straight into 8-bit planes, or (HDR) into the 10-bit intermediate then tone-maps.
    private func scale(_ scaler: Scaler, _ src: (data: [UnsafePointer<UInt8>?], strides: [Int32]), hdr: Frame?,
                       into planes: [UnsafeMutablePointer<UInt8>?], strides: [Int32]) {
        if let hdr, let toneMapper {
            scaler.scale(source: src.data, sourceStrides: src.strides, destination: hdr.dataPointers, destinationStrides: hdr.linesizes)
            toneMapper.map(hdr, into: planes, strides: strides)
        } else {
            scaler.scale(source: src.data, sourceStrides: src.strides, destination: planes, destinationStrides: strides)
        }
    }

    private func paintBars(_ out: Frame) {
        let fg = geometry.foreground
        let W = FitGeometry.outputWidth, H = FitGeometry.outputHeight
        for (p, value) in [(0, padColor.y), (1, padColor.u), (2, padColor.v)] {
            let shift = p == 0 ? 0 : 1
            let (data, ls) = out.plane(p)
            guard let base = data else { continue }
            let w = W >> shift, fx = fg.x >> shift, fy = fg.y >> shift, fw = fg.width >> shift, fh = fg.height >> shift
            let h = H >> shift
            let stride = Int(ls)
            tk_fill_plane(base, stride, Int32(w), Int32(fy), value)                                   // above
            tk_fill_plane(base + (fy + fh) * stride, stride, Int32(w), Int32(h - fy - fh), value)     // below
            tk_fill_plane(base + fy * stride, stride, Int32(fx), Int32(fh), value)                    // left
            tk_fill_plane(base + fy * stride + fx + fw, stride, Int32(w - fx - fw), Int32(fh), value)  // right
        }
    }

    private func drawBackground(_ frame: Frame, into out: Frame) throws {
        guard let scaler = backgroundScaler, let low = background, let bgSrc = geometry.backgroundSource else { return }
        let src = sourcePlanes(frame, bgSrc)
        if let stored = backgroundStored {
            scale(scaler, src, hdr: hdrBackground, into: stored.dataPointers, strides: stored.linesizes)
            rotate(stored, into: low, at: PixelRect(x: 0, y: 0, width: Self.lowWidth, height: Self.lowHeight))
        } else {
            scale(scaler, src, hdr: hdrBackground, into: low.dataPointers, strides: low.linesizes)
        }
        blurScratch.withUnsafeMutableBytes { scratch in
            for p in 0..<3 {
                let (data, ls) = low.plane(p)
                let w = p == 0 ? Self.lowWidth : Self.lowWidth / 2, h = p == 0 ? Self.lowHeight : Self.lowHeight / 2
                tk_blur_plane(data, Int(ls), Int32(w), Int32(h), Self.lowSigma, 1, scratch.baseAddress)
            }
        }
        for band in bandScalers {
            let src = Self.offset(low, x: band.sourceCol, y: band.sourceRow).map { UnsafePointer($0) }
            band.scaler.scale(source: src, sourceStrides: low.linesizes,
                              destination: Self.offset(out, x: band.destCol, y: band.destRow), destinationStrides: out.linesizes)
        }
    }

    /// Rotates a yuv420p frame's three planes into `rect` of a yuv420p destination.
    private func rotate(_ src: Frame, into dst: Frame, at rect: PixelRect) {
        let dstPlanes = Self.offset(dst, x: rect.x, y: rect.y)
        for p in 0..<3 {
            let shift = p == 0 ? 0 : 1
            let (s, ss) = src.plane(p)
            tk_rotate_plane(s, Int(ss), Int32(src.width >> shift), Int32(src.height >> shift), dstPlanes[p], Int(dst.linesizes[p]), Int32(geometry.rotation))
        }
    }

    /// Plane pointers of a yuv420p frame moved to (x, y) (both even).
    static func offset(_ f: Frame, x: Int, y: Int) -> [UnsafeMutablePointer<UInt8>?] {
        (0..<4).map { p in
            let (d, ls) = f.plane(p)
            guard let d else { return nil }
            let shift = p == 0 ? 0 : 1
            return d + (y >> shift) * Int(ls) + (x >> shift)
        }
    }

    private func sourcePlanes(_ frame: Frame, _ r: PixelRect) -> (data: [UnsafePointer<UInt8>?], strides: [Int32]) {
        SourcePlanes.of(frame, r, layout: planeLayout, deinterlace: deinterlace)
    }

    /// The foreground scaler's input: the source rectangle, or (HDR) its tone-mapped picture.
    private func foregroundPlanes(_ frame: Frame) -> (data: [UnsafePointer<UInt8>?], strides: [Int32]) {
        let src = sourcePlanes(frame, geometry.foregroundSource)
        return hdrForeground?.map(src) ?? src
    }
}
