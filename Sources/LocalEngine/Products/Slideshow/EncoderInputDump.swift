import CPixel
import FFmpeg
import Foundation

/// With TIKCONV_DEBUG_FRAMES=<file> (undocumented for users), every picture the slideshow hands
/// its encoder is appended to <file> as raw yuv420p 1080x1920: the bench times x264 alone on
/// exactly these frames (decoding the output instead would give it pictures the first encode
/// has already smoothed, which are cheaper to encode). A file that cannot be opened is ignored.
final class EncoderInputDump {
    private let handle: FileHandle
    private var packed: [UInt8]

    static func ifAsked() -> EncoderInputDump? {
        guard let path = ProcessInfo.processInfo.environment["TIKCONV_DEBUG_FRAMES"], !path.isEmpty else { return nil }
        // Truncating, not replacing: <file> may be a FIFO a reader already has open.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        return EncoderInputDump(handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true))
    }

    private init(handle: FileHandle) {
        self.handle = handle
        packed = [UInt8](repeating: 0, count: FitGeometry.outputWidth * FitGeometry.outputHeight * 3 / 2)
    }

    /// Appends `picture` (yuv420p at the output size), its rows without padding.
    func write(_ picture: Frame) {
        let w = FitGeometry.outputWidth, h = FitGeometry.outputHeight
        packed.withUnsafeMutableBytes { buffer in
            guard var dst = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            for p in 0..<3 {
                let shift = p == 0 ? 0 : 1
                let (src, stride) = picture.plane(p)
                tk_copy_plane(src, Int(stride), dst, w >> shift, Int32(w >> shift), Int32(h >> shift))
                dst += (w >> shift) * (h >> shift)
            }
        }
        packed.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            try? handle.write(contentsOf: Data(bytesNoCopy: base, count: bytes.count, deallocator: .none))
        }
    }
}
