import CFFmpeg

/// Owns an output AVFormatContext and its AVIOContext (closed with avio_closep, then
/// avformat_free_context — not avformat_close_input, which is for inputs).
public final class Muxer {
    public let context: UnsafeMutablePointer<AVFormatContext>
    private var headerWritten = false
    private var trailerWritten = false

    public init(path: String, format: String = "mp4") throws {
        var ctx: UnsafeMutablePointer<AVFormatContext>? = nil
        // The URL is kept in the context: "+faststart" re-opens the file by it to move the index.
        let url = "file:" + path
        try check(avformat_alloc_output_context2(&ctx, nil, format, url), "avformat_alloc_output_context2(\(format))")
        guard let c = ctx else { throw FFmpegError.outOfMemory(what: "output AVFormatContext") }
        // Opened before `context` is stored: once every stored property is set, a throw from init
        // also runs deinit, so freeing here as well would free twice.
        var pb: UnsafeMutablePointer<AVIOContext>? = nil
        let opened = avio_open(&pb, url, AVIO_FLAG_WRITE)
        guard opened >= 0 else {
            avformat_free_context(c)
            throw FFmpegError.call(function: "avio_open", code: opened, message: AVError.message(opened))
        }
        c.pointee.pb = pb
        context = c
    }

    deinit {
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// Whether encoders feeding this muxer must put codec headers in extradata.
    public var wantsGlobalHeader: Bool { context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    /// A new stream described by an opened encoder.
    @discardableResult
    public func addStream(from encoder: Encoder) throws -> UnsafeMutablePointer<AVStream> {
        guard let st = avformat_new_stream(context, nil) else { throw FFmpegError.outOfMemory(what: "AVStream") }
        try check(avcodec_parameters_from_context(st.pointee.codecpar, encoder.context), "avcodec_parameters_from_context")
        st.pointee.time_base = encoder.context.pointee.time_base
        return st
    }

    /// A new stream that will receive copied packets described by `parameters`.
    @discardableResult
    public func addStream(copying parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational) throws -> UnsafeMutablePointer<AVStream> {
        guard let st = avformat_new_stream(context, nil) else { throw FFmpegError.outOfMemory(what: "AVStream") }
        try check(avcodec_parameters_copy(st.pointee.codecpar, parameters), "avcodec_parameters_copy")
        // The source container's tag rarely means the same in MP4; let the muxer choose.
        st.pointee.codecpar.pointee.codec_tag = 0
        st.pointee.time_base = timeBase
        return st
    }

    public func writeHeader(options: [String: String] = [:]) throws {
        var dict: OpaquePointer? = nil
        for (k, v) in options { av_dict_set(&dict, k, v, 0) }
        defer { av_dict_free(&dict) }
        try check(avformat_write_header(context, &dict), "avformat_write_header")
        headerWritten = true
    }

    /// Time base the muxer chose for a stream (valid after writeHeader).
    public func timeBase(of index: Int) -> AVRational { context.pointee.streams[index]!.pointee.time_base }

    /// Writes one packet (timestamps already in the stream's time base), interleaving by time.
    public func write(_ packet: Packet) throws {
        try check(av_interleaved_write_frame(context, packet.pointer), "av_interleaved_write_frame")
    }

    /// Writes the index (moov) and flushes. With "+faststart" the index is moved to the front.
    public func finish() throws {
        guard headerWritten, !trailerWritten else { return }
        trailerWritten = true
        try check(av_write_trailer(context), "av_write_trailer")
        avio_closep(&context.pointee.pb)
    }
}
