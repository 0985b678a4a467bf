import CFFmpeg

/// Owns a decoded AVSubtitle (freed with avsubtitle_free).
final class Subtitle {
    var value = AVSubtitle()
    deinit { avsubtitle_free(&value) }
}

/// Text subtitles (SubRip, ASS, WebVTT…) → MP4's mov_text, packet by packet.
///
/// Subtitles use FFmpeg's older one-call API (avcodec_decode_subtitle2 / avcodec_encode_subtitle)
/// rather than send/receive, so this is its own small transcoder.
public final class SubtitleTranscoder {
    private let decoder: Decoder
    private let encoder: Encoder
    public let outputIndex: Int
    private let outputTimeBase: () -> Rational
    private let packet: Packet
    /// mov_text samples are short; FFmpeg's own CLI uses a 1 MiB buffer for any subtitle.
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private static let milliseconds = Rational(1, 1000)

    /// Adds a mov_text stream for stream `index` of `demuxer` to `muxer`.
    public init(stream index: Int, of demuxer: Demuxer, muxer: Muxer) throws {
        packet = try Packet()
        decoder = try Decoder(demuxer: demuxer, stream: index, threads: 1)
        let header = decoder.subtitleHeader
        let globalHeader = muxer.wantsGlobalHeader
        encoder = try Encoder(name: "mov_text") { c in
            c.pointee.time_base = Self.milliseconds.av
            // The text decoders describe styles as an ASS header; mov_text builds its sample
            // description from it. The encoder context frees it with av_free.
            if let header, let copy = av_mallocz(header.count + 1) {
                copy.copyMemory(from: header, byteCount: header.count)
                c.pointee.subtitle_header = copy.assumingMemoryBound(to: UInt8.self)
                c.pointee.subtitle_header_size = Int32(header.count)
            }
            if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }
        let out = try muxer.addStream(from: encoder)
        muxer.copyLanguage(from: index, of: demuxer, to: out)
        outputIndex = out
        outputTimeBase = { [unowned muxer] in muxer.timeBase(of: out) }
    }

    /// Decodes one subtitle packet and returns it as mov_text in the output stream's time base
    /// (valid until the next call), or nil when it carries nothing to show. A damaged subtitle
    /// is skipped, not fatal: the picture and sound matter more.
    public func transcode(_ input: Packet) throws -> Packet? {
        let sub = Subtitle()
        var got: Int32 = 0
        guard avcodec_decode_subtitle2(decoder.context, &sub.value, &got, input.pointer) >= 0, got != 0 else { return nil }
        guard sub.value.num_rects > 0, sub.value.pts != noPTS else { return nil }
        let size = try buffer.withUnsafeMutableBufferPointer { buf in
            try check(avcodec_encode_subtitle(encoder.context, buf.baseAddress, Int32(buf.count), &sub.value), "avcodec_encode_subtitle")
        }
        guard size > 0 else { return nil }
        try buffer.withUnsafeBytes { try packet.setPayload(UnsafeRawBufferPointer(rebasing: $0[0..<Int(size)])) }
        let start = Rational.rescale(sub.value.pts, from: Rational(1, tk_time_base()), to: Self.milliseconds)
            + Int64(sub.value.start_display_time)
        packet.pts = start
        packet.dts = start
        packet.duration = Int64(sub.value.end_display_time) - Int64(sub.value.start_display_time)
        packet.rescale(from: Self.milliseconds, to: outputTimeBase())
        packet.streamIndex = outputIndex
        return packet
    }
}
