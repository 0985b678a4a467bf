import CFFmpeg
import CFFmpegLoader

/// Owns an AVFilterGraph that edits one audio stream: `abuffer` (the input's format) →
/// `description` (libavfilter's own syntax, e.g. "atempo=2,volume=6dB") → `abuffersink`.
///
/// Frames go in with `push`, edited frames come out with `pull`; `push(nil)` ends the input so
/// the filters that hold samples back (tempo windows, loudness look-ahead) give them up. The
/// chain sees a clock that starts at zero and never jumps, whatever the decoder's timestamps
/// say: each pushed frame is stamped with its position in samples.
public final class AudioFilterGraph {
    let graph: UnsafeMutablePointer<AVFilterGraph>
    /// Owned by the graph (freed with it).
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    public let description: String
    private let inputRate: Int
    private var nextSample: Int64 = 0
    private var ended = false

    /// - Parameters: the format, rate and layout of the frames that will be pushed.
    public init(format: SampleFormat, rate: Int, layout: ChannelLayout, description: String) throws {
        // libavfilter is opened on first use: conversions without audio edits never map it.
        var message = [CChar](repeating: 0, count: 768)
        guard tk_avfilter_load(&message, message.count) == 0 else { throw FFmpegError.libraryMissing(String(cString: message)) }
        guard let g = avfilter_graph_alloc() else { throw FFmpegError.outOfMemory(what: "AVFilterGraph") }
        // Audio filters do not slice-thread; one thread avoids a pool nobody uses.
        g.pointee.nb_threads = 1
        let ends: (UnsafeMutablePointer<AVFilterContext>, UnsafeMutablePointer<AVFilterContext>)
        do {
            ends = try Self.build(g, format: format, rate: rate, layout: layout, description: description)
        } catch {
            // No stored property is set yet, so deinit will not run: free the graph here.
            var p: UnsafeMutablePointer<AVFilterGraph>? = g
            avfilter_graph_free(&p)
            throw error
        }
        graph = g
        (source, sink) = ends
        self.description = description
        inputRate = rate
    }

    deinit {
        var p: UnsafeMutablePointer<AVFilterGraph>? = graph
        avfilter_graph_free(&p)
    }

    private static func build(_ g: UnsafeMutablePointer<AVFilterGraph>, format: SampleFormat, rate: Int, layout: ChannelLayout,
                              description: String) throws -> (UnsafeMutablePointer<AVFilterContext>, UnsafeMutablePointer<AVFilterContext>) {
        let args = "time_base=1/\(rate):sample_rate=\(rate):sample_fmt=\(format.name):channel_layout=\(layout.description)"
        var src: UnsafeMutablePointer<AVFilterContext>?
        try check(avfilter_graph_create_filter(&src, avfilter_get_by_name("abuffer"), "in", args, nil, g),
                  "avfilter_graph_create_filter(abuffer \(args))")
        var snk: UnsafeMutablePointer<AVFilterContext>?
        try check(avfilter_graph_create_filter(&snk, avfilter_get_by_name("abuffersink"), "out", nil, nil, g),
                  "avfilter_graph_create_filter(abuffersink)")
        guard let src, let snk else { throw FFmpegError.outOfMemory(what: "audio filter") }
        // The parser's open ends: "in" feeds the description's first filter, "out" takes its last.
        var outputs = avfilter_inout_alloc(), inputs = avfilter_inout_alloc()
        defer { avfilter_inout_free(&outputs); avfilter_inout_free(&inputs) }
        guard let o = outputs, let i = inputs else { throw FFmpegError.outOfMemory(what: "AVFilterInOut") }
        o.pointee.name = av_strdup("in"); o.pointee.filter_ctx = src; o.pointee.pad_idx = 0; o.pointee.next = nil
        i.pointee.name = av_strdup("out"); i.pointee.filter_ctx = snk; i.pointee.pad_idx = 0; i.pointee.next = nil
        try check(avfilter_graph_parse_ptr(g, description, &inputs, &outputs, nil), "avfilter_graph_parse_ptr(\(description))")
        try check(avfilter_graph_config(g, nil), "avfilter_graph_config(\(description))")
        return (src, snk)
    }

    /// Adds one frame (the caller keeps its own reference; its pts is set to its position in
    /// the chain's clock); nil ends the input.
    public func push(_ frame: Frame?) throws {
        guard let frame else {
            guard !ended else { return }
            ended = true
            try check(av_buffersrc_add_frame_flags(source, nil, 0), "av_buffersrc_add_frame_flags(end)")
            return
        }
        guard frame.sampleRate == inputRate else {
            throw FFmpegError.call(function: "audio filter", code: AVError.posix(EINVAL),
                                   message: "the sample rate changed mid-stream (\(inputRate) → \(frame.sampleRate) Hz)")
        }
        frame.pts = nextSample
        nextSample += Int64(frame.sampleCount)
        try check(av_buffersrc_add_frame_flags(source, frame.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)),
                  "av_buffersrc_add_frame_flags")
    }

    /// The next edited frame: `.got` (in `frame`), `.needsInput` (push more), or
    /// `.endOfStream` (everything after `push(nil)` has come out).
    public func pull(into frame: Frame) throws -> ReceiveResult {
        let r = av_buffersink_get_frame(sink, frame.pointer)
        if r == AVError.again { return .needsInput }
        if r == AVError.eof { return .endOfStream }
        try check(r, "av_buffersink_get_frame")
        return .got
    }

    /// Whether this FFmpeg has a filter of that name ("atempo", "loudnorm").
    public static func hasFilter(_ name: String) -> Bool { avfilter_get_by_name(name) != nil }
}
