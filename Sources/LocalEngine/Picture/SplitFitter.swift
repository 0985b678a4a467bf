import FFmpeg
import Reframing

/// A split shot's two windows at one time, in display pixels (upper half, lower half).
struct SplitWindows: Equatable {
    let upper: ReframeRect
    let lower: ReframeRect
}

/// The split layout: two stacked 1080x960 halves, each scaled from only the stored pixels its
/// window keeps straight into its half of the output frame (no full-size intermediate, no copy).
/// A scaler depends only on its window's size, so one is kept per half while the size holds
/// and a moving window just reads from elsewhere.
final class SplitFitter {
    static let halfHeight = FitGeometry.outputHeight / 2

    private let sourceFormat: PixelFormat
    private let colour: (matrix: ColorMatrix, fullRange: Bool)
    private let deinterlace: Bool
    private let planeLayout: [(step: Int, shiftX: Int, shiftY: Int)]
    private var scalers: [(width: Int, height: Int, scaler: Scaler)?] = [nil, nil]

    init(sourceFormat: PixelFormat, colorSpace: ColorMatrix, fullRange: Bool, deinterlace: Bool) {
        self.sourceFormat = sourceFormat
        colour = (colorSpace, fullRange)
        self.deinterlace = deinterlace
        planeLayout = sourceFormat.planeLayout
    }

    /// Whether a picture of this shape can be split here: upright stored pictures (any pixel
    /// aspect). Rotated sources would need a rotation buffer per half; they get the fill instead.
    static func supports(_ picture: SourcePicture) -> Bool { picture.rotation % 360 == 0 }

    func fit(_ frame: Frame, windows: SplitWindows, picture: SourcePicture) throws -> Frame {
        let out = try Frame(width: FitGeometry.outputWidth, height: FitGeometry.outputHeight, format: .yuv420p)
        for (half, window) in [windows.upper, windows.lower].enumerated() {
            let source = Self.stored(window, picture: picture)
            let scaler = try self.scaler(half, source)
            let src = sourcePlanes(frame, source)
            scaler.scale(source: src.data, sourceStrides: src.strides,
                         destination: VideoFitter.offset(out, x: 0, y: half * Self.halfHeight), destinationStrides: out.linesizes)
        }
        return out
    }

    /// A display-space window as an even stored-space rectangle inside the picture. The size
    /// is rounded on its own (not from the rounded corners), so a window that moves keeps it.
    static func stored(_ r: ReframeRect, picture p: SourcePicture) -> PixelRect {
        let sar = p.sampleAspect > 0 && p.sampleAspect.isFinite ? p.sampleAspect : 1
        func even(_ v: Double) -> Int { Int(v.rounded()) & ~1 }
        let w = min(max(2, even(r.w / sar)), p.storedWidth & ~1), h = min(max(2, even(r.h)), p.storedHeight & ~1)
        let x = min(max(0, even(r.x / sar)), (p.storedWidth - w) & ~1), y = min(max(0, even(r.y)), (p.storedHeight - h) & ~1)
        return PixelRect(x: x, y: y, width: w, height: h)
    }

    private func scaler(_ half: Int, _ source: PixelRect) throws -> Scaler {
        if let s = scalers[half], s.width == source.width, s.height == source.height { return s.scaler }
        let scaler = try Scaler(sourceWidth: source.width, sourceHeight: deinterlace ? source.height / 2 : source.height,
                                sourceFormat: sourceFormat, destinationWidth: FitGeometry.outputWidth,
                                destinationHeight: Self.halfHeight, destinationFormat: .yuv420p, filter: .bicubic)
        // As VideoFitter: only sources that are not BT.709 limited range need the matrix.
        if !(colour.matrix == .bt709 && !colour.fullRange) {
            scaler.setColorspace(source: colour.matrix, sourceFullRange: colour.fullRange, destination: .bt709, destinationFullRange: false)
        }
        scalers[half] = (source.width, source.height, scaler)
        return scaler
    }

    private func sourcePlanes(_ frame: Frame, _ r: PixelRect) -> (data: [UnsafePointer<UInt8>?], strides: [Int32]) {
        SourcePlanes.of(frame, r, layout: planeLayout, deinterlace: deinterlace)
    }
}
