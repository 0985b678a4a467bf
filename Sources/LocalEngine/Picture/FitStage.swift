import FFmpeg
import MediaProbe
import Planning

/// The shape of a decoded picture, which a window source needs to place its window.
struct SourcePicture: Equatable {
    let storedWidth: Int, storedHeight: Int
    /// Pixel width / pixel height.
    let sampleAspect: Double
    /// Degrees clockwise to turn the stored picture upright.
    let rotation: Int
}

/// Where each output frame's picture comes from: the seam where a fit mode (or a reframing
/// path) plugs into the pipeline. A fixed fit gives one geometry for the whole clip; a camera
/// path gives one per picture, by the picture's own time (so a cut's first picture gets the
/// new shot's window even when the frame-rate change moves it by part of a frame).
protocol FitWindowSource {
    func geometry(at seconds: Double, for picture: SourcePicture) -> FitGeometry
    /// The two windows of a split layout at `seconds`; nil when the picture is not split.
    func split(at seconds: Double) -> SplitWindows?
}

extension FitWindowSource {
    func split(at seconds: Double) -> SplitWindows? { nil }
}

/// `--fit blur|pad|crop [--focus]`: one geometry for the whole clip.
struct FixedFit: FitWindowSource {
    let mode: FitMode
    let focus: (x: Double, y: Double)
    func geometry(at seconds: Double, for p: SourcePicture) -> FitGeometry {
        FitGeometry(storedWidth: p.storedWidth, storedHeight: p.storedHeight, sampleAspect: p.sampleAspect,
                    rotation: p.rotation, mode: mode, focus: focus)
    }
}

/// Fit stage: decoded picture → 1080x1920 yuv420p BT.709, per the window source. The colour
/// set-up (matrix, range, deinterlacing, HDR tone mapping) is decided once, from the first
/// picture; a fitter is made for each new geometry and kept while the geometry holds.
final class FitStage {
    private let windows: FitWindowSource
    private let info: StreamInfo
    private let padColor: (y: UInt8, u: UInt8, v: UInt8)
    private let log: ConversionLog
    private var setup: ColourSetup?
    private var fitter: VideoFitter?
    private var splitter: SplitFitter?

    /// What every fitter of this clip shares, worked out from its first picture.
    private struct ColourSetup {
        let picture: SourcePicture
        let format: PixelFormat
        let matrix: ColorMatrix
        let fullRange: Bool
        let interlaced: Bool
        let toneMapper: ToneMapper?
        /// Palette and bit-packed pictures are first unpacked to planar 4:4:4.
        let normalizer: (scaler: Scaler, frame: Frame)?
    }

    init(windows: FitWindowSource, info: StreamInfo, padColor: (r: UInt8, g: UInt8, b: UInt8), log: ConversionLog) {
        self.windows = windows
        self.info = info
        self.padColor = Self.yuv(padColor)
        self.log = log
    }

    /// Fits `frame`, the picture at source time `seconds` (from the origin).
    func fit(_ frame: Frame, at seconds: Double) throws -> Frame {
        let setup = try self.setup ?? makeSetup(frame)
        self.setup = setup
        // HDR sources would need the tone mapper per half: they keep the fill.
        if let halves = windows.split(at: seconds), setup.toneMapper == nil, SplitFitter.supports(setup.picture) {
            return try fitSplit(frame, halves, setup)
        }
        let geometry = windows.geometry(at: seconds, for: setup.picture)
        if let f = fitter, f.geometry == geometry || f.retarget(geometry) {
            // Same scalers: a fixed fit, or a crop window that only moved.
        } else {
            fitter = try VideoFitter(geometry: geometry, sourceFormat: setup.format, colorSpace: setup.matrix,
                                     fullRange: setup.fullRange, deinterlace: setup.interlaced, padColor: padColor,
                                     toneMapper: setup.toneMapper)
        }
        var source = frame
        if let n = setup.normalizer {
            n.scaler.scale(frame, into: n.frame)
            source = n.frame
        }
        return try fitter!.fit(source)
    }

    private func fitSplit(_ frame: Frame, _ halves: SplitWindows, _ setup: ColourSetup) throws -> Frame {
        let splitter = self.splitter ?? SplitFitter(sourceFormat: setup.format, colorSpace: setup.matrix,
                                                    fullRange: setup.fullRange, deinterlace: setup.interlaced)
        self.splitter = splitter
        var source = frame
        if let n = setup.normalizer {
            n.scaler.scale(frame, into: n.frame)
            source = n.frame
        }
        return try splitter.fit(source, windows: halves, picture: setup.picture)
    }

    private func makeSetup(_ frame: Frame) throws -> ColourSetup {
        var format = frame.pixelFormat
        var normalizer: (Scaler, Frame)?
        if !format.isAddressable {
            let s = try Scaler(sourceWidth: frame.width, sourceHeight: frame.height, sourceFormat: format,
                               destinationWidth: frame.width, destinationHeight: frame.height, destinationFormat: .yuv444p)
            normalizer = (s, try Frame(width: frame.width, height: frame.height, format: .yuv444p))
            format = .yuv444p
        }
        let sar = frame.sampleAspectRatio.isValid ? frame.sampleAspectRatio.double : info.sampleAspectRatioValue?.double ?? 1
        let picture = SourcePicture(storedWidth: frame.width, storedHeight: frame.height, sampleAspect: sar, rotation: info.rotation ?? 0)
        // Untagged video: HD is BT.709 by convention, SD is BT.601.
        var matrix = frame.color.matrix
        if matrix == .unspecified { matrix = frame.height >= 720 ? .bt709 : .bt601 }
        let fullRange = frame.color.isFullRange || format.isFullRangeYUV
        let interlaced = frame.isInterlaced || ["tt", "bb", "tb", "bt"].contains(info.fieldOrder ?? "")
        if interlaced { log.note("deinterlaced (\(info.fieldOrder ?? "interlaced"))") }
        // HDR (PQ/HLG): tone-mapped to SDR BT.709; SDR sources take the plain path.
        var toneMapper: ToneMapper?
        if let hdr = info.hdr {
            let mapper = try ToneMapper(kind: hdr, peak: frame.hdrSignalPeak ?? 10)
            log.note(String(format: "HDR (%@) tone-mapped to SDR BT.709 (hable, peak %.0f cd/m²)", hdr.rawValue, mapper.peak * 100))
            toneMapper = mapper
        }
        return ColourSetup(picture: picture, format: format, matrix: matrix, fullRange: fullRange, interlaced: interlaced,
                           toneMapper: toneMapper, normalizer: normalizer)
    }

    /// BT.709 limited-range Y'CbCr for an 8-bit RGB colour (bar colour).
    static func yuv(_ c: (r: UInt8, g: UInt8, b: UInt8)) -> (y: UInt8, u: UInt8, v: UInt8) {
        let r = Double(c.r) / 255, g = Double(c.g) / 255, b = Double(c.b) / 255
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let u = (b - y) / 1.8556, v = (r - y) / 1.5748
        func clamp(_ x: Double) -> UInt8 { UInt8(max(0, min(255, x.rounded()))) }
        return (clamp(16 + 219 * y), clamp(128 + 224 * u), clamp(128 + 224 * v))
    }
}
