import CFFmpeg

/// Owns one AVPacket.
public final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    public init() throws {
        guard let p = av_packet_alloc() else { throw FFmpegError.outOfMemory(what: "AVPacket") }
        pointer = p
    }

    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&p)
    }

    public var streamIndex: Int {
        get { Int(pointer.pointee.stream_index) }
        set { pointer.pointee.stream_index = Int32(newValue) }
    }
    public var size: Int { Int(pointer.pointee.size) }
    public var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// Presentation time in the stream's time base; nil when the packet has none.
    public var pts: Int64? {
        get { pointer.pointee.pts.orNoPTS }
        set { pointer.pointee.pts = newValue.avTimestamp }
    }
    /// Decode time in the stream's time base; nil when the packet has none.
    public var dts: Int64? {
        get { pointer.pointee.dts.orNoPTS }
        set { pointer.pointee.dts = newValue.avTimestamp }
    }
    /// Duration in the stream's time base; 0 when unknown.
    public var duration: Int64 {
        get { pointer.pointee.duration }
        set { pointer.pointee.duration = newValue }
    }

    /// Converts pts, dts and duration from one time base to another.
    public func rescale(from: Rational, to: Rational) { av_packet_rescale_ts(pointer, from.av, to.av) }

    /// Forgets the byte position in the source file (meaningless in the output).
    public func clearPosition() { pointer.pointee.pos = -1 }

    /// A new owner referencing the same payload (no copy).
    public func reference() throws -> Packet {
        let copy = try Packet()
        try check(av_packet_ref(copy.pointer, pointer), "av_packet_ref")
        return copy
    }

    /// Drops the payload so the packet can be reused for the next read.
    public func unref() { av_packet_unref(pointer) }

    /// Replaces the payload with a copy of `bytes`.
    func setPayload(_ bytes: UnsafeRawBufferPointer) throws {
        unref()
        try check(av_new_packet(pointer, Int32(bytes.count)), "av_new_packet")
        if let base = bytes.baseAddress { pointer.pointee.data.update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
    }
}
