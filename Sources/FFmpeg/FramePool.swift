import CFFmpeg

/// Pictures of one size and format whose pixels come from an AVBufferPool: a buffer goes back
/// to the pool when the last reference to it (the encoder's included) is dropped, so a stage
/// that makes one picture per frame reuses a few buffers instead of mapping fresh pages
/// (a 1080x1920 picture is 3 MB: about 760 page faults per frame when allocated anew).
public final class FramePool {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    private let pool: OpaquePointer
    /// Row alignment, as av_frame_get_buffer picks for SIMD code.
    private static let align: Int32 = 64

    public init(width: Int, height: Int, format: PixelFormat) throws {
        let size = av_image_get_buffer_size(format.av, Int32(width), Int32(height), Self.align)
        guard size > 0 else { throw FFmpegError.outOfMemory(what: "a \(width)x\(height) picture pool") }
        // Slack past the last row for SIMD readers that overshoot (av_frame_get_buffer's padding).
        guard let p = av_buffer_pool_init(Int(size) + 64, nil) else {
            throw FFmpegError.outOfMemory(what: "a \(width)x\(height) picture pool")
        }
        self.width = width
        self.height = height
        self.format = format
        pool = p
    }

    deinit {
        var p: OpaquePointer? = pool
        av_buffer_pool_uninit(&p)
    }

    /// A picture on a pooled buffer (its previous contents are left as they were).
    public func frame() throws -> Frame {
        let f = try Frame()
        guard let buf = av_buffer_pool_get(pool) else { throw FFmpegError.outOfMemory(what: "a pooled picture") }
        let av = f.pointer
        av.pointee.buf.0 = buf
        av.pointee.width = Int32(width)
        av.pointee.height = Int32(height)
        av.pointee.format = format.raw
        var data = [UnsafeMutablePointer<UInt8>?](repeating: nil, count: 4)
        var lines = [Int32](repeating: 0, count: 4)
        try check(av_image_fill_arrays(&data, &lines, buf.pointee.data, format.av, Int32(width), Int32(height), Self.align),
                  "av_image_fill_arrays(\(width)x\(height))")
        av.pointee.data = (data[0], data[1], data[2], data[3], nil, nil, nil, nil)
        av.pointee.linesize = (lines[0], lines[1], lines[2], lines[3], 0, 0, 0, 0)
        return f
    }
}
