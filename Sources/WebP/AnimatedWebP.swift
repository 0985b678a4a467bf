import CWebP
import Foundation

/// The WebP layer's one error type.
public enum WebPError: Error, LocalizedError, Equatable {
    /// libwebp could not parse the file or decode a frame (`what` says which step).
    case unreadable(path: String, what: String)
    case outOfMemory(what: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadable(path, what): return "\(path): \(what)"
        case let .outOfMemory(what): return "out of memory allocating \(what)"
        }
    }

    /// The reason alone (for reports that name the file themselves).
    public var reason: String {
        switch self {
        case let .unreadable(_, what): return what
        case let .outOfMemory(what): return "out of memory allocating \(what)"
        }
    }
}

/// Owns a libwebp `WebPAnimDecoder` (freed with `WebPAnimDecoderDelete`) and the file's bytes,
/// which the decoder reads in place: an animated WebP, decoded frame by frame into whole RGBA
/// canvases (libwebp applies each frame's offset, blending and disposal).
public final class AnimatedWebP {
    public let path: String
    public let width: Int
    public let height: Int
    /// Each frame's display time in milliseconds, as stored (0 is kept: the caller decides how a
    /// zero delay plays).
    public let frameDurations: [Int]
    /// The animation's loop count (0: forever).
    public let loopCount: Int
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let decoder: OpaquePointer

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw WebPError.unreadable(path: path, what: "cannot read the file") }
        self.path = path
        bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, data.count))
        _ = bytes.initialize(from: data)
        var webpData = WebPData(bytes: UnsafePointer(bytes.baseAddress), size: data.count)
        var options = WebPAnimDecoderOptions()
        var message = [CChar](repeating: 0, count: 768)
        guard tk_webp_load(&message, message.count) == 0 else {
            bytes.deallocate()
            throw WebPError.unreadable(path: path, what: String(cString: message))
        }
        guard WebPAnimDecoderOptionsInit(&options) != 0 else {
            bytes.deallocate()
            throw WebPError.unreadable(path: path, what: "libwebp's animation decoder does not match its headers")
        }
        options.color_mode = MODE_RGBA
        options.use_threads = 0
        guard let decoder = WebPAnimDecoderNew(&webpData, &options) else {
            bytes.deallocate()
            throw WebPError.unreadable(path: path, what: "libwebp cannot parse the animation")
        }
        self.decoder = decoder
        var info = WebPAnimInfo()
        _ = WebPAnimDecoderGetInfo(decoder, &info)
        width = Int(info.canvas_width)
        height = Int(info.canvas_height)
        loopCount = Int(info.loop_count)
        frameDurations = Self.durations(WebPAnimDecoderGetDemuxer(decoder), count: Int(info.frame_count))
    }

    deinit {
        WebPAnimDecoderDelete(decoder)
        bytes.deallocate()
    }

    /// Stored frame durations, read from the demuxer without decoding any picture.
    private static func durations(_ demux: OpaquePointer?, count: Int) -> [Int] {
        guard let demux else { return [] }
        var iter = WebPIterator()
        var out: [Int] = []
        for n in 0..<count where WebPDemuxGetFrame(demux, Int32(n + 1), &iter) != 0 {
            out.append(Int(iter.duration))
        }
        WebPDemuxReleaseIterator(&iter)
        return out
    }

    /// The number of frames.
    public var frameCount: Int { frameDurations.count }

    /// Decodes the next frame's whole canvas (RGBA, straight alpha) into `destination` (rows of
    /// `stride` bytes, at least `width` × 4 each). False after the last frame.
    public func decodeNext(into destination: UnsafeMutablePointer<UInt8>, stride: Int) throws -> Bool {
        guard WebPAnimDecoderHasMoreFrames(decoder) != 0 else { return false }
        var canvas: UnsafeMutablePointer<UInt8>?
        var timestamp: Int32 = 0
        guard WebPAnimDecoderGetNext(decoder, &canvas, &timestamp) != 0, let canvas else {
            throw WebPError.unreadable(path: path, what: "a frame of the animation cannot be decoded (corrupt)")
        }
        let row = width * 4
        for y in 0..<height { (destination + y * stride).update(from: canvas + y * row, count: row) }
        return true
    }

    /// Starts again from the first frame (for a loop).
    public func rewind() { WebPAnimDecoderReset(decoder) }
}
