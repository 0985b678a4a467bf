import CFFmpeg

/// Owns an output AVFormatContext and its AVIOContext (closed with avio_closep, then
/// avformat_free_context — not avformat_close_input, which is for inputs).
public final class Muxer {
    let context: UnsafeMutablePointer<AVFormatContext>
    private var headerWritten = false
    private var trailerWritten = false

    public init(path: String, format: String = "mp4") throws {
        try FFmpegLibraries.open()
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

    /// A new stream described by an opened encoder; returns its index.
    @discardableResult
    public func addStream(from encoder: Encoder) throws -> Int {
        guard let st = avformat_new_stream(context, nil) else { throw FFmpegError.outOfMemory(what: "AVStream") }
        try check(avcodec_parameters_from_context(st.pointee.codecpar, encoder.context), "avcodec_parameters_from_context")
        st.pointee.time_base = encoder.context.pointee.time_base
        return Int(st.pointee.index)
    }

    /// A new stream that will receive packets copied from stream `index` of `demuxer`; returns
    /// its index. `codecTag` replaces the source container's tag (e.g. "hvc1"); without one the
    /// muxer chooses, since another container's tag rarely means the same in MP4.
    @discardableResult
    public func addStream(copying index: Int, of demuxer: Demuxer, codecTag: String? = nil) throws -> Int {
        let source = demuxer.stream(at: index)
        guard let st = avformat_new_stream(context, nil) else { throw FFmpegError.outOfMemory(what: "AVStream") }
        try check(avcodec_parameters_copy(st.pointee.codecpar, source.pointee.codecpar), "avcodec_parameters_copy")
        st.pointee.codecpar.pointee.codec_tag = codecTag.map(Self.fourCC) ?? 0
        st.pointee.time_base = source.pointee.time_base
        return Int(st.pointee.index)
    }

    /// Keeps the display matrix (rotation) and HDR metadata of a source stream on an output
    /// stream: "without losing" includes how the picture shows.
    public func copyDisplaySideData(from index: Int, of demuxer: Demuxer, to output: Int) {
        let src = demuxer.stream(at: index), dst = stream(output)
        for i in 0..<Int(src.pointee.nb_side_data) {
            let sd = src.pointee.side_data[i]
            guard [AV_PKT_DATA_DISPLAYMATRIX, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, AV_PKT_DATA_CONTENT_LIGHT_LEVEL].contains(sd.type),
                  let buf = av_stream_new_side_data(dst, sd.type, sd.size) else { continue }
            buf.update(from: sd.data, count: sd.size)
        }
    }

    /// The source stream's language tag, on an output stream.
    public func copyLanguage(from index: Int, of demuxer: Demuxer, to output: Int) {
        guard let lang = av_dict_get(demuxer.stream(at: index).pointee.metadata, "language", nil, 0) else { return }
        av_dict_set(&stream(output).pointee.metadata, "language", lang.pointee.value, 0)
    }

    /// Sets a container-level metadata value (MP4: "comment" is written as ©cmt); before writeHeader.
    public func setMetadata(_ key: String, _ value: String) { av_dict_set(&context.pointee.metadata, key, value, 0) }

    public func setSampleAspectRatio(_ sar: Rational, of output: Int) { stream(output).pointee.sample_aspect_ratio = sar.av }

    private func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> { context.pointee.streams[index]! }

    static func fourCC(_ s: String) -> UInt32 {
        s.utf8.prefix(4).enumerated().reduce(UInt32(0)) { $0 | (UInt32($1.element) << (8 * UInt32($1.offset))) }
    }

    /// Sets a file-level tag ("title", "artist"); before the header is written.
    public func setTag(_ key: String, _ value: String) {
        av_dict_set(&context.pointee.metadata, key, value, 0)
    }

    public func writeHeader(options: [String: String] = [:]) throws {
        var dict: OpaquePointer? = nil
        for (k, v) in options { av_dict_set(&dict, k, v, 0) }
        defer { av_dict_free(&dict) }
        try check(avformat_write_header(context, &dict), "avformat_write_header")
        headerWritten = true
    }

    /// Time base the muxer chose for a stream (valid after writeHeader).
    public func timeBase(of index: Int) -> Rational { Rational(stream(index).pointee.time_base) }

    /// Writes one packet (timestamps already in the output stream's time base), interleaving by time.
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
