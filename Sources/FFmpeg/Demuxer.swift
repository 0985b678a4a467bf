import CFFmpeg

/// A demuxer chosen by content (libavformat's static format table; nothing to free).
public struct InputFormat {
    let pointer: UnsafePointer<AVInputFormat>
    public var name: String { String(cString: pointer.pointee.name) }

    /// The demuxer FFmpeg calls `name` ("jpeg_pipe"), e.g. the one the probe chose by content.
    public static func named(_ name: String) -> InputFormat? {
        av_find_input_format(name).map { InputFormat(pointer: $0) }
    }

    /// libavformat's own "probe again with more data" score: a match at or under it is weak.
    public static let weakScore = Int(AVPROBE_SCORE_RETRY)

    /// FFmpeg's best demuxer for the content alone (no file name), growing the probe buffer as
    /// libavformat's own `av_probe_input_buffer` does. Formats that only match by name never win.
    public static func detect(head: [UInt8]) -> (format: InputFormat, score: Int)? {
        let padding = Int(AVPROBE_PADDING_SIZE)
        var size = 2048
        var best: (InputFormat, Int)? = nil
        while true {
            let n = min(size, head.count)
            var buffer = [UInt8](repeating: 0, count: n + padding)
            buffer.replaceSubrange(0..<n, with: head[0..<n])
            var score: Int32 = 0
            let found: UnsafePointer<AVInputFormat>? = buffer.withUnsafeMutableBufferPointer { buf in
                "".withCString { name in
                    var pd = AVProbeData(filename: name, buf: buf.baseAddress, buf_size: Int32(n), mime_type: nil)
                    return av_probe_input_format3(&pd, 1, &score)
                }
            }
            if let found, score > AVPROBE_SCORE_RETRY { return (InputFormat(pointer: found), Int(score)) }
            if let found, n >= head.count, score > 0 { best = (InputFormat(pointer: found), Int(score)) }
            if n >= head.count { break }
            size *= 2
        }
        return best
    }
}

/// A stream as its header describes it before any decoding (for refusing absurd sizes early).
public struct StreamHeader {
    public let type: MediaType
    public let width: Int
    public let height: Int
}

/// Owns an input AVFormatContext (closed with avformat_close_input).
public final class Demuxer {
    let context: UnsafeMutablePointer<AVFormatContext>
    public let path: String

    /// Opens a local file, judging its format by content.
    /// - Parameter generatePTS: fill in missing presentation timestamps (AVI, raw streams) for remuxing.
    /// - Parameter format: a demuxer already chosen by content (`InputFormat.detect`), so the file
    ///   name's extension never influences the choice; nil lets libavformat probe.
    /// - Parameter beforeStreamInfo: called after the header is read and before
    ///   `avformat_find_stream_info` decodes anything, e.g. to refuse absurd dimensions; an error it
    ///   throws closes the input and is rethrown.
    /// - Parameter analyze: run `avformat_find_stream_info`, which reads and decodes the first
    ///   frames to learn what the header does not say. A file the probe layer has already analysed
    ///   can pass false: the analysis then still runs if any stream's header lacks its picture
    ///   size or sample rate (e.g. H.263 in 3GP keeps its size only in the bitstream).
    /// - Parameter neverAnalyze: skip the analysis even when a header lacks the picture size: for
    ///   a still image whose decoder needs nothing from the container, where the analysis would
    ///   decode the whole (possibly 50-megapixel) picture once more just to learn its size.
    public init(path: String, generatePTS: Bool = false, format: InputFormat? = nil, analyze: Bool = true,
                neverAnalyze: Bool = false, beforeStreamInfo: (([StreamHeader]) throws -> Void)? = nil) throws {
        try FFmpegLibraries.open()
        self.path = path
        var options: OpaquePointer? = nil
        // Only the file protocol: a path such as "concat:a|b" or a playlist inside a file must
        // never make FFmpeg open other files or the network on the user's behalf.
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        defer { av_dict_free(&options) }
        var ctx: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        guard ctx != nil else { throw FFmpegError.outOfMemory(what: "AVFormatContext") }
        if generatePTS { ctx!.pointee.flags |= AVFMT_FLAG_GENPTS }
        // "file:" keeps names with a colon or a leading dash from being read as protocols.
        let url = "file:" + path
        let opened = avformat_open_input(&ctx, url, format?.pointer, &options) // frees ctx on failure
        try check(opened, "avformat_open_input")
        // Everything that can fail runs before `context` is stored: once every stored property is
        // set, a throw from init also runs deinit, and closing here as well would free twice.
        do {
            try beforeStreamInfo?(Self.headers(ctx!))
            if !neverAnalyze && (analyze || !Self.headersDescribeStreams(ctx!)) {
                try check(avformat_find_stream_info(ctx, nil), "avformat_find_stream_info")
            }
        } catch {
            avformat_close_input(&ctx)
            throw error
        }
        context = ctx!
    }

    deinit {
        var c: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&c)
    }

    static func headers(_ ctx: UnsafeMutablePointer<AVFormatContext>) -> [StreamHeader] {
        (0..<Int(ctx.pointee.nb_streams)).compactMap { i in
            guard let par = ctx.pointee.streams[i]?.pointee.codecpar?.pointee else { return nil }
            return StreamHeader(type: MediaType(par.codec_type), width: Int(par.width), height: Int(par.height))
        }
    }

    /// Whether every audio and video stream's header gives what opening a decoder needs.
    static func headersDescribeStreams(_ ctx: UnsafeMutablePointer<AVFormatContext>) -> Bool {
        (0..<Int(ctx.pointee.nb_streams)).allSatisfy { i in
            guard let par = ctx.pointee.streams[i]?.pointee.codecpar?.pointee else { return false }
            switch par.codec_type {
            case AVMEDIA_TYPE_VIDEO: return par.width > 0 && par.height > 0
            case AVMEDIA_TYPE_AUDIO: return par.sample_rate > 0 && par.ch_layout.nb_channels > 0
            default: return true
            }
        }
    }

    /// The C stream, for the owners in this module (decoders, muxers copying parameters).
    func stream(at index: Int) -> UnsafeMutablePointer<AVStream> { context.pointee.streams[index]! }

    public var streamCount: Int { Int(context.pointee.nb_streams) }

    /// What stream `index` is, as its header and the analysis describe it.
    public func parameters(of index: Int) -> StreamParameters { StreamParameters(stream(at: index), index: index) }

    public var formatName: String { String(cString: context.pointee.iformat.pointee.name) }

    /// Containers that store no timestamps of their own (AVI, raw elementary streams): their
    /// presentation times are generated.
    public var storesNoTimestamps: Bool {
        context.pointee.iformat.pointee.flags & AVFMT_NOTIMESTAMPS != 0 || ["avi", "h264", "hevc"].contains(formatName)
    }

    /// A container-level metadata value ("major_brand"), when present.
    public func metadata(_ key: String) -> String? {
        av_dict_get(context.pointee.metadata, key, nil, 0)?.pointee.value.map { String(cString: $0) }
    }

    /// Duration in seconds, when the container knows it.
    public var duration: Double? {
        let d = context.pointee.duration
        return d == noPTS || d <= 0 ? nil : Double(d) / Double(tk_time_base())
    }

    public var startTime: Double? {
        let s = context.pointee.start_time
        return s == noPTS ? nil : Double(s) / Double(tk_time_base())
    }

    /// libavformat's choice of the best stream of a type (the default one, else the biggest).
    public func bestStream(_ type: MediaType) -> Int? {
        let i = av_find_best_stream(context, type.av, -1, -1, nil, 0)
        return i >= 0 ? Int(i) : nil
    }

    /// Reads the next packet. Returns false at end of file; a read error is thrown, not
    /// mistaken for the end.
    public func read(into packet: Packet) throws -> Bool {
        let r = av_read_frame(context, packet.pointer)
        if r == AVError.eof { return false }
        try check(r, "av_read_frame")
        return true
    }

    /// Seeks to the keyframe at or before `seconds` (from the file's start).
    public func seek(toSeconds seconds: Double) throws {
        let ts = Int64(seconds * Double(tk_time_base())) + (context.pointee.start_time == noPTS ? 0 : context.pointee.start_time)
        try check(avformat_seek_file(context, -1, Int64.min, ts, ts, 0), "avformat_seek_file")
    }
}
