import FFmpeg

/// The HDR foreground's first step: tone-maps the source rectangle near its own size into an
/// 8-bit BT.709 picture, which the fitter's scaler then shrinks like any SDR source.
///
/// Mapping before the shrink is what the reference chain (zscale + tonemap, then scale) does,
/// and it matters: the curve is far from linear on saturated colours, so a picture whose grain
/// the scaler has already averaged maps differently (SSIM 0.90 against that chain on a frame of
/// bench J8's HLG clip; mapped first, 0.997). The mapped size is capped at twice the scaled size
/// per side, so a 4K source costs at most four foregrounds' worth of mapping.
final class HDRForeground {
    /// The size the mapper works at (the scaler's source size).
    let width: Int
    let height: Int
    private let toneMapper: ToneMapper
    /// 10-bit 4:2:0 at the mapped size, for sources that are larger or in another layout.
    private let preScaler: Scaler?
    private let preScaled: Frame?
    private let mapped: Frame

    init(toneMapper: ToneMapper, sourceWidth: Int, sourceHeight: Int, sourceFormat: PixelFormat,
         scaledWidth: Int, scaledHeight: Int) throws {
        width = min(sourceWidth, 2 * scaledWidth)
        height = min(sourceHeight, 2 * scaledHeight)
        self.toneMapper = toneMapper
        if width == sourceWidth, height == sourceHeight, sourceFormat == ToneMapper.intermediateFormat {
            preScaler = nil
            preScaled = nil
        } else {
            preScaler = try Scaler(sourceWidth: sourceWidth, sourceHeight: sourceHeight, sourceFormat: sourceFormat,
                                   destinationWidth: width, destinationHeight: height,
                                   destinationFormat: ToneMapper.intermediateFormat, filter: .bicubic)
            preScaled = try Frame(width: width, height: height, format: ToneMapper.intermediateFormat)
        }
        mapped = try Frame(width: width, height: height, format: .yuv420p)
    }

    /// Maps the source rectangle's planes; returns the 8-bit planes for the fitter's scaler.
    func map(_ src: (data: [UnsafePointer<UInt8>?], strides: [Int32])) -> (data: [UnsafePointer<UInt8>?], strides: [Int32]) {
        if let preScaler, let preScaled {
            preScaler.scale(source: src.data, sourceStrides: src.strides,
                            destination: preScaled.dataPointers, destinationStrides: preScaled.linesizes)
            toneMapper.map(preScaled.dataPointers.map { UnsafePointer($0) }, strides: preScaled.linesizes,
                           width: width, height: height, into: mapped.dataPointers, strides: mapped.linesizes)
        } else {
            toneMapper.map(src.data, strides: src.strides, width: width, height: height,
                           into: mapped.dataPointers, strides: mapped.linesizes)
        }
        return (mapped.dataPointers.map { UnsafePointer($0) }, mapped.linesizes)
    }
}
