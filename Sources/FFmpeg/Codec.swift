import CFFmpeg

/// What a codec's receive call produced.
public enum ReceiveResult {
    case got
    case needsInput
    case endOfStream
}

/// Owns a decoding AVCodecContext (freed with avcodec_free_context).
public final class Decoder {
    public let context: UnsafeMutablePointer<AVCodecContext>

    /// - Parameter threads: 0 lets FFmpeg pick one per core.
    public init(stream: UnsafeMutablePointer<AVStream>, threads: Int32 = 0) throws {
        let par = stream.pointee.codecpar!
        guard let codec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw FFmpegError.decoderMissing(codec: String(cString: avcodec_get_name(par.pointee.codec_id)))
        }
        guard let ctx = avcodec_alloc_context3(codec) else { throw FFmpegError.outOfMemory(what: "decoder context") }
        context = ctx
        try check(avcodec_parameters_to_context(ctx, par), "avcodec_parameters_to_context")
        ctx.pointee.pkt_timebase = stream.pointee.time_base
        ctx.pointee.thread_count = threads
        ctx.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        try check(avcodec_open2(ctx, codec, nil), "avcodec_open2(\(String(cString: codec.pointee.name)))")
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
    }

    /// Sends a packet; nil starts draining.
    public func send(_ packet: Packet?) throws {
        // Empty packets carry nothing to decode (Ogg emits them, e.g. for Theora's "repeat the
        // previous frame"); libavcodec rejects one that has data but no size with EINVAL.
        if let p = packet?.pointer, p.pointee.size == 0 { return }
        let r = avcodec_send_packet(context, packet?.pointer)
        if r == AVError.eof && packet == nil { return }
        try check(r, "avcodec_send_packet")
    }

    public func receive(into frame: Frame) throws -> ReceiveResult {
        let r = avcodec_receive_frame(context, frame.pointer)
        if r == AVError.again { return .needsInput }
        if r == AVError.eof { return .endOfStream }
        try check(r, "avcodec_receive_frame")
        return .got
    }
}

/// Owns an encoding AVCodecContext (freed with avcodec_free_context).
public final class Encoder {
    public let context: UnsafeMutablePointer<AVCodecContext>
    public let codec: UnsafePointer<AVCodec>

    /// Finds the encoder by name, lets the caller fill in the context, then opens it with
    /// private options (e.g. x264's "preset" and "crf").
    public init(name: String, options: [String: String] = [:],
                configure: (UnsafeMutablePointer<AVCodecContext>) throws -> Void) throws {
        guard let codec = avcodec_find_encoder_by_name(name) else { throw FFmpegError.encoderMissing(name: name) }
        self.codec = codec
        guard let ctx = avcodec_alloc_context3(codec) else { throw FFmpegError.outOfMemory(what: "encoder context") }
        context = ctx
        try configure(ctx)
        var dict: OpaquePointer? = nil
        for (k, v) in options { av_dict_set(&dict, k, v, 0) }
        defer { av_dict_free(&dict) }
        try check(avcodec_open2(ctx, codec, &dict), "avcodec_open2(\(name))")
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
    }

    /// Sends a frame; nil starts draining.
    public func send(_ frame: Frame?) throws {
        let r = avcodec_send_frame(context, frame?.pointer)
        if r == AVError.eof && frame == nil { return }
        try check(r, "avcodec_send_frame")
    }

    public func receive(into packet: Packet) throws -> ReceiveResult {
        let r = avcodec_receive_packet(context, packet.pointer)
        if r == AVError.again { return .needsInput }
        if r == AVError.eof { return .endOfStream }
        try check(r, "avcodec_receive_packet")
        return .got
    }
}
