import CFFmpeg

/// Owns an AVFilterGraph (freed with avfilter_graph_free, which also frees every filter in it):
/// an audio chain written in FFmpeg's filter syntax ("volume=-3dB,afade=t=out:st=28:d=2"),
/// between a buffer source and a buffer sink. The filter contexts belong to the graph; this
/// class is the only code that touches them.
public final class AudioFilterGraph {
    let graph: UnsafeMutablePointer<AVFilterGraph>
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    private let inputRate: Int
    /// The next input frame's position in samples: the chain sees a clock that starts at zero and
    /// never jumps, whatever the decoder's timestamps say.
    private var nextSample: Int64 = 0

    /// - Parameters:
    ///   - description: the chain, e.g. "aresample=48000,ebur128=metadata=1".
    ///   - inputRate, inputFormat, inputLayout: what the frames sent in will carry.
    public init(description: String, inputRate: Int, inputFormat: SampleFormat, inputLayout: ChannelLayout) throws {
        guard let g = avfilter_graph_alloc() else { throw FFmpegError.outOfMemory(what: "AVFilterGraph") }
        // Everything that can fail runs before the stored properties are set, so a failure frees
        // the graph here and deinit never runs (it would free it a second time).
        do {
            let made = try Self.build(g, description: description, rate: inputRate, format: inputFormat, layout: inputLayout)
            source = made.source
            sink = made.sink
        } catch {
            var p: UnsafeMutablePointer<AVFilterGraph>? = g
            avfilter_graph_free(&p)
            throw error
        }
        graph = g
        self.inputRate = inputRate
    }

    deinit {
        var p: UnsafeMutablePointer<AVFilterGraph>? = graph
        avfilter_graph_free(&p)
    }

    private static func build(_ g: UnsafeMutablePointer<AVFilterGraph>, description: String, rate: Int, format: SampleFormat,
                              layout: ChannelLayout) throws -> (source: UnsafeMutablePointer<AVFilterContext>, sink: UnsafeMutablePointer<AVFilterContext>) {
        let args = "time_base=1/\(rate):sample_rate=\(rate):sample_fmt=\(format.name):channel_layout=\(layout.description)"
        var src: UnsafeMutablePointer<AVFilterContext>?
        var snk: UnsafeMutablePointer<AVFilterContext>?
        try check(avfilter_graph_create_filter(&src, avfilter_get_by_name("abuffer"), "in", args, nil, g), "abuffer(\(args))")
        try check(avfilter_graph_create_filter(&snk, avfilter_get_by_name("abuffersink"), "out", nil, nil, g), "abuffersink")
        guard let src, let snk else { throw FFmpegError.outOfMemory(what: "audio filter") }
        // The chain's open input is fed by the source ("in"); its open output feeds the sink ("out").
        var outputs = avfilter_inout_alloc(), inputs = avfilter_inout_alloc()
        defer { avfilter_inout_free(&outputs); avfilter_inout_free(&inputs) }
        guard let o = outputs, let i = inputs else { throw FFmpegError.outOfMemory(what: "AVFilterInOut") }
        o.pointee.name = av_strdup("in"); o.pointee.filter_ctx = src; o.pointee.pad_idx = 0; o.pointee.next = nil
        i.pointee.name = av_strdup("out"); i.pointee.filter_ctx = snk; i.pointee.pad_idx = 0; i.pointee.next = nil
        try check(avfilter_graph_parse_ptr(g, description, &inputs, &outputs, nil), "avfilter_graph_parse_ptr(\(description))")
        try check(avfilter_graph_config(g, nil), "avfilter_graph_config(\(description))")
        return (src, snk)
    }

    /// Sends decoded audio in (the frame itself is left as it was, apart from its timestamp);
    /// nil ends the input so the chain flushes what it holds.
    public func send(_ frame: Frame?) throws {
        guard let frame else {
            try check(av_buffersrc_add_frame_flags(source, nil, 0), "av_buffersrc_add_frame_flags(end)")
            return
        }
        guard frame.sampleRate == inputRate else {
            throw FFmpegError.call(function: "audio filter", code: AVError.posix(EINVAL),
                                   message: "the sample rate changed mid-stream (\(inputRate) → \(frame.sampleRate) Hz)")
        }
        frame.pts = nextSample
        nextSample += Int64(frame.sampleCount)
        try check(av_buffersrc_add_frame_flags(source, frame.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)), "av_buffersrc_add_frame_flags")
    }

    /// The next filtered frame, with its pts in samples of the output rate.
    public func receive(into frame: Frame) throws -> ReceiveResult {
        let r = av_buffersink_get_frame(sink, frame.pointer)
        if r == AVError.again { return .needsInput }
        if r == AVError.eof { return .endOfStream }
        try check(r, "av_buffersink_get_frame")
        return .got
    }
}
