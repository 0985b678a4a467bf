import CFFmpeg

/// Owns a SwsContext: scales and converts pixel formats in one pass.
public final class Scaler {
    public let context: OpaquePointer
    public let sourceWidth: Int32, sourceHeight: Int32
    public let destinationWidth: Int32, destinationHeight: Int32

    public init(sourceWidth: Int32, sourceHeight: Int32, sourceFormat: AVPixelFormat,
                destinationWidth: Int32, destinationHeight: Int32, destinationFormat: AVPixelFormat,
                flags: Int32 = SWS_BICUBIC) throws {
        guard let ctx = sws_getContext(sourceWidth, sourceHeight, sourceFormat,
                                       destinationWidth, destinationHeight, destinationFormat,
                                       flags, nil, nil, nil) else {
            throw FFmpegError.call(function: "sws_getContext", code: AVError.posix(EINVAL),
                                   message: "cannot scale \(sourceWidth)x\(sourceHeight) to \(destinationWidth)x\(destinationHeight)")
        }
        context = ctx
        self.sourceWidth = sourceWidth; self.sourceHeight = sourceHeight
        self.destinationWidth = destinationWidth; self.destinationHeight = destinationHeight
    }

    deinit { sws_freeContext(context) }

    /// Sets the YUV↔RGB matrices and ranges, so e.g. BT.601 SD video is converted to BT.709.
    public func setColorspace(source: AVColorSpace, sourceFullRange: Bool, destination: AVColorSpace, destinationFullRange: Bool) {
        func coefficients(_ cs: AVColorSpace) -> UnsafePointer<Int32> {
            switch cs {
            case AVCOL_SPC_BT709: return sws_getCoefficients(SWS_CS_ITU709)
            case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: return sws_getCoefficients(SWS_CS_BT2020)
            case AVCOL_SPC_FCC: return sws_getCoefficients(SWS_CS_FCC)
            case AVCOL_SPC_SMPTE240M: return sws_getCoefficients(SWS_CS_SMPTE240M)
            default: return sws_getCoefficients(SWS_CS_ITU601)
            }
        }
        // brightness 0, contrast and saturation 1.0 in swscale's 16.16 fixed point.
        sws_setColorspaceDetails(context, coefficients(source), sourceFullRange ? 1 : 0,
                                 coefficients(destination), destinationFullRange ? 1 : 0, 0, 1 << 16, 1 << 16)
    }

    /// Scales a whole picture given as plane pointers and strides.
    public func scale(source: [UnsafePointer<UInt8>?], sourceStrides: [Int32],
                      destination: [UnsafeMutablePointer<UInt8>?], destinationStrides: [Int32]) {
        _ = source.withUnsafeBufferPointer { src in
            sourceStrides.withUnsafeBufferPointer { ss in
                destination.withUnsafeBufferPointer { dst in
                    destinationStrides.withUnsafeBufferPointer { ds in
                        sws_scale(context, src.baseAddress, ss.baseAddress, 0, sourceHeight, dst.baseAddress, ds.baseAddress)
                    }
                }
            }
        }
    }
}
