import CFFmpeg

/// Owns a SwsContext: scales and converts pixel formats in one pass.
public final class Scaler {
    let context: OpaquePointer
    public let sourceWidth: Int, sourceHeight: Int
    public let destinationWidth: Int, destinationHeight: Int

    /// The resampling filter: bicubic for pictures people look at, area averaging for large
    /// reductions (no aliasing, cheap), bilinear for enlarging what is blurred anyway.
    public enum Filter {
        case bicubic, area, bilinear
        var flags: Int32 {
            switch self {
            case .bicubic: return SWS_BICUBIC
            case .area: return SWS_AREA
            case .bilinear: return SWS_BILINEAR
            }
        }
    }

    public init(sourceWidth: Int, sourceHeight: Int, sourceFormat: PixelFormat,
                destinationWidth: Int, destinationHeight: Int, destinationFormat: PixelFormat,
                filter: Filter = .bicubic) throws {
        guard let ctx = sws_getContext(Int32(sourceWidth), Int32(sourceHeight), sourceFormat.av,
                                       Int32(destinationWidth), Int32(destinationHeight), destinationFormat.av,
                                       filter.flags, nil, nil, nil) else {
            throw FFmpegError.call(function: "sws_getContext", code: AVError.posix(EINVAL),
                                   message: "cannot scale \(sourceWidth)x\(sourceHeight) to \(destinationWidth)x\(destinationHeight)")
        }
        context = ctx
        self.sourceWidth = sourceWidth; self.sourceHeight = sourceHeight
        self.destinationWidth = destinationWidth; self.destinationHeight = destinationHeight
    }

    deinit { sws_freeContext(context) }

    /// Sets the YUV↔RGB matrices and ranges, so e.g. BT.601 SD video is converted to BT.709.
    public func setColorspace(source: ColorMatrix, sourceFullRange: Bool, destination: ColorMatrix, destinationFullRange: Bool) {
        // brightness 0, contrast and saturation 1.0 in swscale's 16.16 fixed point.
        sws_setColorspaceDetails(context, source.swsCoefficients, sourceFullRange ? 1 : 0,
                                 destination.swsCoefficients, destinationFullRange ? 1 : 0, 0, 1 << 16, 1 << 16)
    }

    /// Scales a whole picture given as plane pointers and strides.
    public func scale(source: [UnsafePointer<UInt8>?], sourceStrides: [Int32],
                      destination: [UnsafeMutablePointer<UInt8>?], destinationStrides: [Int32]) {
        _ = source.withUnsafeBufferPointer { src in
            sourceStrides.withUnsafeBufferPointer { ss in
                destination.withUnsafeBufferPointer { dst in
                    destinationStrides.withUnsafeBufferPointer { ds in
                        sws_scale(context, src.baseAddress, ss.baseAddress, 0, Int32(sourceHeight), dst.baseAddress, ds.baseAddress)
                    }
                }
            }
        }
    }

    /// Scales a whole frame into another of the destination's size and format.
    public func scale(_ source: Frame, into destination: Frame) {
        scale(source: source.dataPointers.map { UnsafePointer($0) }, sourceStrides: source.linesizes,
              destination: destination.dataPointers, destinationStrides: destination.linesizes)
    }
}
