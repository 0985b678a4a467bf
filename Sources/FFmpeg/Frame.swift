import CFFmpeg

/// Owns one AVFrame (and, through it, references to its data buffers).
public final class Frame {
    public let pointer: UnsafeMutablePointer<AVFrame>

    public init() throws {
        guard let f = av_frame_alloc() else { throw FFmpegError.outOfMemory(what: "AVFrame") }
        pointer = f
    }

    /// A new frame with its own buffers for the given video geometry.
    public convenience init(width: Int32, height: Int32, format: AVPixelFormat) throws {
        try self.init()
        pointer.pointee.width = width
        pointer.pointee.height = height
        pointer.pointee.format = format.rawValue
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer(\(width)x\(height))")
    }

    deinit {
        var f: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&f)
    }

    public var width: Int32 { pointer.pointee.width }
    public var height: Int32 { pointer.pointee.height }
    public var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }
    public var sampleFormat: AVSampleFormat { AVSampleFormat(rawValue: pointer.pointee.format) }
    public var sampleCount: Int32 { pointer.pointee.nb_samples }

    /// The decoder's best guess at the presentation time (pts, else dts-derived).
    public var bestEffortTimestamp: Int64 { pointer.pointee.best_effort_timestamp }

    /// A new owner referencing the same buffers (no pixel copy).
    public func reference() throws -> Frame {
        let copy = try Frame()
        try check(av_frame_ref(copy.pointer, pointer), "av_frame_ref")
        return copy
    }

    public func unref() { av_frame_unref(pointer) }

    /// Plane data pointer and stride.
    public func plane(_ i: Int) -> (data: UnsafeMutablePointer<UInt8>?, linesize: Int32) {
        withUnsafePointer(to: &pointer.pointee.data) { tuple in
            tuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { data in
                withUnsafePointer(to: &pointer.pointee.linesize) { ls in
                    ls.withMemoryRebound(to: Int32.self, capacity: 8) { lines in (data[i], lines[i]) }
                }
            }
        }
    }

    /// The data pointers as a C array of 4 (what swscale takes).
    public var dataPointers: [UnsafeMutablePointer<UInt8>?] { (0..<4).map { plane($0).data } }
    public var linesizes: [Int32] { (0..<4).map { plane($0).linesize } }
}
