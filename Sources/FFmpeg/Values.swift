import CFFmpeg

// Swift values for FFmpeg's small C types, so the layers above never import CFFmpeg: they pass
// these around and the owners in this module translate at the C boundary.

/// A rational number (FFmpeg's AVRational): time bases, frame rates, pixel aspect ratios.
public struct Rational: Hashable, Sendable, CustomStringConvertible {
    public var num: Int32
    public var den: Int32
    public init(_ num: Int32, _ den: Int32) { self.num = num; self.den = den }

    public var double: Double { den == 0 ? 0 : Double(num) / Double(den) }
    public var isValid: Bool { num > 0 && den > 0 }
    /// 1 / self (a frame rate's frame duration as a time base).
    public var inverse: Rational { Rational(den, num) }
    public var description: String { "\(num)/\(den)" }

    /// The closest rational with numerator and denominator at most `max` (av_d2q).
    public static func approximating(_ value: Double, max: Int32 = 60000) -> Rational { Rational(av_d2q(value, max)) }

    /// `value` in units of `from`, expressed in units of `to`, rounded to nearest (av_rescale_q).
    public static func rescale(_ value: Int64, from: Rational, to: Rational) -> Int64 { av_rescale_q(value, from.av, to.av) }

    init(_ r: AVRational) { num = r.num; den = r.den }
    var av: AVRational { AVRational(num: num, den: den) }
}

/// What a stream carries.
public enum MediaType: String, Codable, Sendable {
    case video, audio, subtitle, data, attachment

    init(_ t: AVMediaType) {
        switch t {
        case AVMEDIA_TYPE_VIDEO: self = .video
        case AVMEDIA_TYPE_AUDIO: self = .audio
        case AVMEDIA_TYPE_SUBTITLE: self = .subtitle
        case AVMEDIA_TYPE_ATTACHMENT: self = .attachment
        default: self = .data
        }
    }

    var av: AVMediaType {
        switch self {
        case .video: return AVMEDIA_TYPE_VIDEO
        case .audio: return AVMEDIA_TYPE_AUDIO
        case .subtitle: return AVMEDIA_TYPE_SUBTITLE
        case .attachment: return AVMEDIA_TYPE_ATTACHMENT
        case .data: return AVMEDIA_TYPE_DATA
        }
    }
}

/// A pixel format (AVPixelFormat) and what addressing its planes needs.
public struct PixelFormat: Hashable, Sendable, CustomStringConvertible {
    let raw: Int32
    init(_ f: AVPixelFormat) { raw = f.rawValue }
    var av: AVPixelFormat { AVPixelFormat(rawValue: raw) }

    public static let none = PixelFormat(AV_PIX_FMT_NONE)
    public static let yuv420p = PixelFormat(AV_PIX_FMT_YUV420P)
    public static let yuv422p = PixelFormat(AV_PIX_FMT_YUV422P)
    public static let yuv444p = PixelFormat(AV_PIX_FMT_YUV444P)
    public static let yuvj420p = PixelFormat(AV_PIX_FMT_YUVJ420P)
    public static let yuvj422p = PixelFormat(AV_PIX_FMT_YUVJ422P)
    public static let yuvj444p = PixelFormat(AV_PIX_FMT_YUVJ444P)
    public static let yuv420p10 = PixelFormat(AV_PIX_FMT_YUV420P10LE)
    public static let yuv422p10 = PixelFormat(AV_PIX_FMT_YUV422P10LE)
    public static let yuv444p10 = PixelFormat(AV_PIX_FMT_YUV444P10LE)
    public static let gray = PixelFormat(AV_PIX_FMT_GRAY8)
    public static let rgb24 = PixelFormat(AV_PIX_FMT_RGB24)
    public static let yuva420p = PixelFormat(AV_PIX_FMT_YUVA420P)
    public static let rgba = PixelFormat(AV_PIX_FMT_RGBA)

    /// By FFmpeg's name ("yuv420p"); nil for a name this FFmpeg does not know.
    public init?(name: String) {
        let f = av_get_pix_fmt(name)
        guard f != AV_PIX_FMT_NONE else { return nil }
        raw = f.rawValue
    }

    public var name: String { av_get_pix_fmt_name(av).map { String(cString: $0) } ?? "none" }
    public var description: String { name }
    private var descriptor: AVPixFmtDescriptor? { av_pix_fmt_desc_get(av)?.pointee }

    /// Bits per sample of the first component (8 for yuv420p, 10 for yuv420p10le).
    public var bitDepth: Int { descriptor.map { Int($0.comp.0.depth) } ?? 8 }
    public var isRGB: Bool { descriptor.map { $0.flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0 } ?? false }
    /// log2 of the chroma subsampling (1, 1 for 4:2:0; 1, 0 for 4:2:2; 0, 0 for 4:4:4).
    public var chromaShift: (x: Int, y: Int) { descriptor.map { (Int($0.log2_chroma_w), Int($0.log2_chroma_h)) } ?? (0, 0) }
    /// Whether the pictures carry transparency (an alpha plane or component, or a palette with alpha).
    public var hasAlpha: Bool { descriptor.map { $0.flags & UInt64(AV_PIX_FMT_FLAG_ALPHA) != 0 } ?? false }
    /// Palette pictures (each sample an index into a colour table).
    public var isPalette: Bool { descriptor.map { $0.flags & UInt64(AV_PIX_FMT_FLAG_PAL) != 0 } ?? false }
    /// Grey pictures (with or without alpha): luma only, which swscale takes as full range.
    public var isGray: Bool {
        guard let d = descriptor else { return false }
        return d.nb_components <= 2 && !isRGB && d.flags & UInt64(AV_PIX_FMT_FLAG_PAL) == 0
    }
    /// Full-range ("JPEG") YUV formats.
    public var isFullRangeYUV: Bool { [Self.yuvj420p, Self.yuvj422p, Self.yuvj444p].contains(self) }

    /// Whether a rectangle inside a picture of this format can be addressed by moving plane
    /// pointers (byte-aligned planar or packed samples; not palettes, not bit-packed formats).
    public var isAddressable: Bool {
        guard let d = descriptor else { return false }
        let bad = UInt64(AV_PIX_FMT_FLAG_PAL) | UInt64(AV_PIX_FMT_FLAG_BITSTREAM) | UInt64(AV_PIX_FMT_FLAG_HWACCEL)
        return d.flags & bad == 0
    }

    /// Y'CbCr (or gray) with each component in a plane of its own, one right-aligned, native-endian
    /// sample of 8 or 16 bits per position (yuv420p, yuvj444p, yuv422p10le, gray): a picture whose planes
    /// can be faded or neutralised sample by sample. Planes 1 and 2 are chroma, 3 is alpha.
    public var isPlanarYUV: Bool {
        guard let d = descriptor, isAddressable, !isRGB, d.nb_components >= 1,
              d.flags & UInt64(AV_PIX_FMT_FLAG_BE) == 0 else { return false }
        let comps = [d.comp.0, d.comp.1, d.comp.2, d.comp.3].prefix(Int(d.nb_components))
        let planes = Set(comps.map(\.plane))
        return planes.count == comps.count && comps.allSatisfy { c in
            c.shift == 0 && c.offset == 0 && c.depth <= 16 && Int(c.step) == (c.depth > 8 ? 2 : 1)
        }
    }

    /// Colour components (3 for Y'CbCr, 1 for gray, 4 with alpha).
    public var componentCount: Int { descriptor.map { Int($0.nb_components) } ?? 0 }

    /// Bytes per pixel step and chroma subsampling of each of the 4 planes, for addressing a
    /// rectangle inside a frame.
    public var planeLayout: [(step: Int, shiftX: Int, shiftY: Int)] {
        guard let desc = descriptor else { return [] }
        let comps = [desc.comp.0, desc.comp.1, desc.comp.2, desc.comp.3]
        let rgb = isRGB
        return (0..<4).map { p in
            var step: Int32 = 1
            var chroma = false
            for (ci, c) in comps.enumerated() where Int(c.plane) == p && ci < Int(desc.nb_components) {
                step = max(step, c.step)
                if ci == 1 || ci == 2 { chroma = true }
            }
            let sub = chroma && !rgb
            return (Int(step), sub ? Int(desc.log2_chroma_w) : 0, sub ? Int(desc.log2_chroma_h) : 0)
        }
    }
}

/// An audio sample format (AVSampleFormat).
public struct SampleFormat: Hashable, Sendable {
    let raw: Int32
    init(_ f: AVSampleFormat) { raw = f.rawValue }
    var av: AVSampleFormat { AVSampleFormat(rawValue: raw) }

    public static let fltp = SampleFormat(AV_SAMPLE_FMT_FLTP)
    public static let flt = SampleFormat(AV_SAMPLE_FMT_FLT)
    public static let s16p = SampleFormat(AV_SAMPLE_FMT_S16P)
    public static let s32p = SampleFormat(AV_SAMPLE_FMT_S32P)

    public var bytesPerSample: Int { Int(av_get_bytes_per_sample(av)) }
    public var isPlanar: Bool { av_sample_fmt_is_planar(av) != 0 }
    public var name: String { av_get_sample_fmt_name(av).map { String(cString: $0) } ?? "none" }
}

/// How a picture's colours are coded: primaries, transfer, matrix and range.
public struct ColorDescription: Hashable, Sendable {
    var primaries: AVColorPrimaries
    var transfer: AVColorTransferCharacteristic
    var space: AVColorSpace
    var range: AVColorRange

    /// What the tiktok plan writes: BT.709 limited range.
    public static let bt709 = ColorDescription(primaries: AVCOL_PRI_BT709, transfer: AVCOL_TRC_BT709,
                                               space: AVCOL_SPC_BT709, range: AVCOL_RANGE_MPEG)

    public var isFullRange: Bool { range == AVCOL_RANGE_JPEG }
    public var matrix: ColorMatrix {
        switch space {
        case AVCOL_SPC_UNSPECIFIED, AVCOL_SPC_RESERVED: return .unspecified
        case AVCOL_SPC_BT709: return .bt709
        case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: return .bt2020
        case AVCOL_SPC_FCC: return .fcc
        case AVCOL_SPC_SMPTE240M: return .smpte240m
        default: return .bt601
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.primaries == b.primaries && a.transfer == b.transfer && a.space == b.space && a.range == b.range
    }
    public func hash(into h: inout Hasher) {
        h.combine(primaries.rawValue); h.combine(transfer.rawValue); h.combine(space.rawValue); h.combine(range.rawValue)
    }
}

/// The YUV↔RGB matrix families swscale knows.
public enum ColorMatrix: Sendable {
    case unspecified, bt601, bt709, bt2020, fcc, smpte240m

    var swsCoefficients: UnsafePointer<Int32> {
        switch self {
        case .bt709: return sws_getCoefficients(SWS_CS_ITU709)
        case .bt2020: return sws_getCoefficients(SWS_CS_BT2020)
        case .fcc: return sws_getCoefficients(SWS_CS_FCC)
        case .smpte240m: return sws_getCoefficients(SWS_CS_SMPTE240M)
        case .bt601, .unspecified: return sws_getCoefficients(SWS_CS_ITU601)
        }
    }
}

/// Converts FFmpeg's "no timestamp" sentinel to nil and back.
extension Int64 {
    var orNoPTS: Int64? { self == noPTS ? nil : self }
}
extension Optional where Wrapped == Int64 {
    var avTimestamp: Int64 { self ?? noPTS }
}
