import CFFmpeg

/// What a codec's receive call produced.
public enum ReceiveResult {
    case got
    case needsInput
    case endOfStream
}

/// Owns a decoding AVCodecContext (freed with avcodec_free_context).
public final class Decoder {
    let context: UnsafeMutablePointer<AVCodecContext>

    /// A decoder for stream `index` of `demuxer`.
    /// - Parameter threads: 0 lets FFmpeg pick one per core.
    /// - Parameter fast: for looking at pictures, not showing them: the loop filter is skipped
    ///   (about a fifth faster on H.264) and the decoder may take non-spec-compliant shortcuts.
    ///   The pictures of a grainy P-frame-only stream then drift from their keyframe's until the
    ///   next keyframe resets them: a histogram jump the shot detector tells from a cut because
    ///   the picture's layout does not move. Every frame is still decoded, so a cut is seen on
    ///   its own frame.
    /// - Parameter lowres: decode at 1/2^lowres of the size, for codecs that can (JPEG: up to 3,
    ///   i.e. 1/8), skipping most of the work for a picture that will be shown smaller anyway.
    ///   Clamped to what the codec supports (`maxLowres`); the decoded frame says its real size.
    /// - Parameter strict: fail on the first damage the decoder detects instead of concealing it
    ///   (a photo checked before use; a concealed error shows as a grey or green block).
    public init(demuxer: Demuxer, stream index: Int, threads: Int = 0, fast: Bool = false, lowres: Int = 0, strict: Bool = false) throws {
        let stream = demuxer.stream(at: index)
        let par = stream.pointee.codecpar!
        guard let codec = avcodec_find_decoder(par.pointee.codec_id) else {
            throw FFmpegError.decoderMissing(codec: String(cString: avcodec_get_name(par.pointee.codec_id)))
        }
        guard let ctx = avcodec_alloc_context3(codec) else { throw FFmpegError.outOfMemory(what: "decoder context") }
        // Stored first: from here on deinit frees it, whatever fails below.
        context = ctx
        try check(avcodec_parameters_to_context(ctx, par), "avcodec_parameters_to_context")
        ctx.pointee.pkt_timebase = stream.pointee.time_base
        ctx.pointee.thread_count = Int32(threads)
        ctx.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        if fast {
            ctx.pointee.flags2 |= AV_CODEC_FLAG2_FAST
            ctx.pointee.skip_loop_filter = AVDISCARD_ALL
        }
        ctx.pointee.lowres = Int32(min(max(0, lowres), Int(codec.pointee.max_lowres)))
        if strict { ctx.pointee.err_recognition |= AV_EF_EXPLODE | AV_EF_BITSTREAM | AV_EF_BUFFER | AV_EF_CRCCHECK }
        try check(avcodec_open2(ctx, codec, nil), "avcodec_open2(\(String(cString: codec.pointee.name)))")
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
    }

    /// How far the decoder for stream `index` can reduce a picture while decoding (`lowres`):
    /// 0 when it cannot, 3 for JPEG (1/8 of the size).
    public static func maxLowres(demuxer: Demuxer, stream index: Int) -> Int {
        guard let par = demuxer.stream(at: index).pointee.codecpar,
              let codec = avcodec_find_decoder(par.pointee.codec_id) else { return 0 }
        return Int(codec.pointee.max_lowres)
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

    // What the stream's header (or the decoder) says, for setting up the encoder.
    public var width: Int { Int(context.pointee.width) }
    public var height: Int { Int(context.pointee.height) }
    public var pixelFormat: PixelFormat { PixelFormat(context.pointee.pix_fmt) }
    public var sampleAspectRatio: Rational { Rational(context.pointee.sample_aspect_ratio) }
    public var color: ColorDescription {
        let c = context.pointee
        return ColorDescription(primaries: c.color_primaries, transfer: c.color_trc, space: c.colorspace, range: c.color_range)
    }
    public var sampleRate: Int { Int(context.pointee.sample_rate) }
    public func channelLayout() throws -> ChannelLayout { try ChannelLayout(copying: &context.pointee.ch_layout) }
    /// Bits per decoded audio sample (the stream's own, else the sample format's).
    public var audioBitDepth: Int {
        let c = context.pointee
        return c.bits_per_raw_sample > 0 ? Int(c.bits_per_raw_sample) : Int(av_get_bytes_per_sample(c.sample_fmt)) * 8
    }

    /// Subtitle decoders describe styles as an ASS header (mov_text builds its sample
    /// description from it); nil when there is none.
    var subtitleHeader: [UInt8]? {
        guard let h = context.pointee.subtitle_header, context.pointee.subtitle_header_size > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: h, count: Int(context.pointee.subtitle_header_size)))
    }
}

/// What a video encoder is opened with.
public struct VideoEncoderSettings {
    public var codec: String
    public var width: Int
    public var height: Int
    public var pixelFormat: PixelFormat
    public var timeBase: Rational
    public var frameRate: Rational?
    public var sampleAspectRatio = Rational(1, 1)
    public var color: ColorDescription?
    /// Longest distance between keyframes, in frames.
    public var keyframeInterval: Int?
    /// VBV: peak rate (bits/s) and buffer (bits).
    public var maxBitRate: Int?
    public var bufferSize: Int?
    public var threads = 0
    public var globalHeader = false
    /// The encoder's private options (x264's "preset", "crf", "profile", "level", "x264-params").
    public var options: [String: String] = [:]

    public init(codec: String, width: Int, height: Int, pixelFormat: PixelFormat, timeBase: Rational) {
        self.codec = codec; self.width = width; self.height = height; self.pixelFormat = pixelFormat; self.timeBase = timeBase
    }
}

/// What an audio encoder is opened with.
public struct AudioEncoderSettings {
    public var codec: String
    public var sampleFormat: SampleFormat
    public var sampleRate: Int
    public var layout: ChannelLayout
    /// Bits per second; 0 leaves the encoder's default (lossless codecs).
    public var bitRate = 0
    public var globalHeader = false

    public init(codec: String, sampleFormat: SampleFormat, sampleRate: Int, layout: ChannelLayout) {
        self.codec = codec; self.sampleFormat = sampleFormat; self.sampleRate = sampleRate; self.layout = layout
    }
}

/// Owns an encoding AVCodecContext (freed with avcodec_free_context).
public final class Encoder {
    let context: UnsafeMutablePointer<AVCodecContext>

    /// Finds the encoder by name, lets `configure` fill in the context, then opens it with
    /// private options. Internal: the layers above use the typed settings below.
    init(name: String, options: [String: String] = [:], configure: (UnsafeMutablePointer<AVCodecContext>) throws -> Void) throws {
        try FFmpegLibraries.open()
        guard let codec = avcodec_find_encoder_by_name(name) else { throw FFmpegError.encoderMissing(name: name) }
        guard let ctx = avcodec_alloc_context3(codec) else { throw FFmpegError.outOfMemory(what: "encoder context") }
        // Stored first: from here on deinit frees it, whatever fails below.
        context = ctx
        try configure(ctx)
        var dict: OpaquePointer? = nil
        for (k, v) in options { av_dict_set(&dict, k, v, 0) }
        defer { av_dict_free(&dict) }
        try check(avcodec_open2(ctx, codec, &dict), "avcodec_open2(\(name))")
    }

    public convenience init(video s: VideoEncoderSettings) throws {
        try self.init(name: s.codec, options: s.options) { c in
            c.pointee.width = Int32(s.width)
            c.pointee.height = Int32(s.height)
            c.pointee.pix_fmt = s.pixelFormat.av
            c.pointee.time_base = s.timeBase.av
            if let r = s.frameRate, r.isValid { c.pointee.framerate = r.av }
            c.pointee.sample_aspect_ratio = s.sampleAspectRatio.av
            if let color = s.color {
                c.pointee.color_primaries = color.primaries
                c.pointee.color_trc = color.transfer
                c.pointee.colorspace = color.space
                c.pointee.color_range = color.range
            }
            if let g = s.keyframeInterval { c.pointee.gop_size = Int32(g) }
            if let m = s.maxBitRate { c.pointee.rc_max_rate = Int64(m) }
            if let b = s.bufferSize { c.pointee.rc_buffer_size = Int32(b) }
            c.pointee.thread_count = Int32(s.threads)
            if s.globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }
    }

    public convenience init(audio s: AudioEncoderSettings) throws {
        try self.init(name: s.codec) { c in
            c.pointee.sample_fmt = s.sampleFormat.av
            c.pointee.sample_rate = Int32(s.sampleRate)
            try s.layout.copy(into: &c.pointee.ch_layout)
            if s.bitRate > 0 { c.pointee.bit_rate = Int64(s.bitRate) }
            c.pointee.time_base = AVRational(num: 1, den: Int32(s.sampleRate))
            if s.globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
    }

    public var timeBase: Rational { Rational(context.pointee.time_base) }
    public var frameRate: Rational { Rational(context.pointee.framerate) }
    public var width: Int { Int(context.pointee.width) }
    public var height: Int { Int(context.pointee.height) }
    public var pixelFormat: PixelFormat { PixelFormat(context.pointee.pix_fmt) }
    /// Samples per audio frame the encoder takes (0: any).
    public var frameSize: Int { Int(context.pointee.frame_size) }

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

    /// x264's packets carry no duration. The MP4 muxer ends the track (its edit list) at the
    /// last packet's pts plus its duration, so without one the last frame is cut off.
    public func setFrameDurationIfMissing(_ packet: Packet) {
        guard packet.duration <= 0 else { return }
        let c = context.pointee
        let frame = c.framerate.num > 0 && c.framerate.den > 0
            ? av_rescale_q(1, AVRational(num: c.framerate.den, den: c.framerate.num), c.time_base) : 1
        packet.duration = max(1, frame)
    }

    // MARK: What an encoder accepts

    /// The pixel formats the named encoder takes (empty: unknown or any).
    public static func pixelFormats(of name: String) -> [PixelFormat] {
        guard let codec = avcodec_find_encoder_by_name(name), var p = codec.pointee.pix_fmts else { return [] }
        var out: [PixelFormat] = []
        while p.pointee != AV_PIX_FMT_NONE { out.append(PixelFormat(p.pointee)); p += 1 }
        return out
    }

    /// The sample rates the named encoder takes (empty: any).
    public static func sampleRates(of name: String) -> [Int] {
        guard let codec = avcodec_find_encoder_by_name(name), var p = codec.pointee.supported_samplerates else { return [] }
        var out: [Int] = []
        while p.pointee != 0 { out.append(Int(p.pointee)); p += 1 }
        return out
    }

    /// Whether the named encoder takes `layout` (an encoder that lists none takes up to 8 channels).
    public static func accepts(_ layout: ChannelLayout, encoder name: String) -> Bool {
        guard let codec = avcodec_find_encoder_by_name(name), var p = codec.pointee.ch_layouts else { return layout.channelCount <= 8 }
        while p.pointee.nb_channels != 0 {
            var candidate = p.pointee
            if av_channel_layout_compare(&candidate, &layout.layout) == 0 { return true }
            p += 1
        }
        return false
    }
}
