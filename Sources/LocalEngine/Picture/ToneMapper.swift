import CPixel
import FFmpeg
import MediaProbe

/// HDR (PQ or HLG, BT.2020) → SDR BT.709 tone mapping, matching FFmpeg's
/// `zscale=t=linear:npl=100 → zscale=p=bt709 → tonemap=hable → zscale=t=bt709:m=bt709:r=tv`
/// without libavfilter: the C kernel (CPixel/tonemap.c) maps a 10-bit 4:2:0 picture through a
/// 3D table. The foreground is mapped near the source's size (`HDRForeground`), the blurred
/// background at its 180x320.
final class ToneMapper {
    let kind: HDRKind
    let peak: Double
    private let table: OpaquePointer

    /// The 10-bit format the fitter's scalers produce for this mapper.
    static let intermediateFormat = PixelFormat.yuv420p10

    /// `peak` in units of 100 cd/m², as vf_tonemap determines it: MaxCLL, else the mastering
    /// display's peak, else 10 (the 1000 cd/m² reference display).
    init(kind: HDRKind, peak: Double = 10, desaturation: Double = 2) throws {
        guard let t = tk_tonemap_create(kind == .hlg ? 1 : 0, peak, desaturation) else {
            throw LocalEngineError.ffmpeg(FFmpegError.outOfMemory(what: "tone-mapping tables"), stage: "tone mapping")
        }
        self.kind = kind
        self.peak = peak
        table = t
    }

    deinit { tk_tonemap_free(table) }

    /// Maps `source` (yuv420p10le, its full size) into 8-bit yuv420p planes.
    func map(_ source: Frame, into planes: [UnsafeMutablePointer<UInt8>?], strides: [Int32]) {
        map(source.dataPointers.map { UnsafePointer($0) }, strides: source.linesizes, width: source.width, height: source.height,
            into: planes, strides: strides)
    }

    /// Maps a width x height yuv420p10le picture given by its planes into 8-bit yuv420p planes.
    func map(_ s: [UnsafePointer<UInt8>?], strides ss: [Int32], width: Int, height: Int,
             into planes: [UnsafeMutablePointer<UInt8>?], strides: [Int32]) {
        tk_tonemap_420p10(table, s[0], Int(ss[0]), s[1], Int(ss[1]), s[2], Int(ss[2]), Int32(width), Int32(height),
                          planes[0], Int(strides[0]), planes[1], Int(strides[1]), planes[2], Int(strides[2]))
    }
}
