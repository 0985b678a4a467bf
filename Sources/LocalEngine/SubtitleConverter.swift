import CFFmpeg
import FFmpeg

/// Text subtitles (SubRip, ASS, WebVTT…) → MP4's mov_text, for the mp4 plan.
///
/// Subtitles use FFmpeg's older one-call API (avcodec_decode_subtitle2 / avcodec_encode_subtitle)
/// rather than send/receive, so this is its own small converter.
final class SubtitleConverter {
    private let decoder: Decoder
    private let encoder: Encoder
    let outputIndex: Int
    private let muxer: Muxer
    private let packet: Packet
    /// mov_text samples are short; FFmpeg's own CLI uses a 1 MiB buffer for any subtitle.
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private static let milliseconds = AVRational(num: 1, den: 1000)

    init(stream: UnsafeMutablePointer<AVStream>, muxer: Muxer) throws {
        self.muxer = muxer
        packet = try Packet()
        decoder = try stage("open subtitle decoder") { try Decoder(stream: stream, threads: 1) }
        let header = decoder.context.pointee.subtitle_header
        let headerSize = decoder.context.pointee.subtitle_header_size
        let ms = Self.milliseconds
        let globalHeader = muxer.wantsGlobalHeader
        let encoder = try stage("open mov_text encoder") {
            try Encoder(name: "mov_text") { c in
                c.pointee.time_base = ms
                // The text decoders describe styles as an ASS header; mov_text builds its
                // sample description from it. The encoder context frees it with av_free.
                if let header, headerSize > 0, let copy = av_mallocz(Int(headerSize) + 1) {
                    memcpy(copy, header, Int(headerSize))
                    c.pointee.subtitle_header = copy.assumingMemoryBound(to: UInt8.self)
                    c.pointee.subtitle_header_size = headerSize
                }
                if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
            }
        }
        self.encoder = encoder
        let out = try stage("add stream") { try muxer.addStream(from: encoder) }
        if let lang = av_dict_get(stream.pointee.metadata, "language", nil, 0) {
            av_dict_set(&out.pointee.metadata, "language", lang.pointee.value, 0)
        }
        outputIndex = Int(out.pointee.index)
    }

    /// Decodes one subtitle packet and writes it again as mov_text.
    func send(_ input: Packet, write: (Packet) throws -> Void) throws {
        var sub = AVSubtitle()
        var got: Int32 = 0
        // A damaged subtitle is skipped, not fatal: the picture and sound matter more.
        guard avcodec_decode_subtitle2(decoder.context, &sub, &got, input.pointer) >= 0, got != 0 else { return }
        defer { avsubtitle_free(&sub) }
        guard sub.num_rects > 0, sub.pts != noPTS else { return }
        let size = try buffer.withUnsafeMutableBufferPointer { buf in
            try check(avcodec_encode_subtitle(encoder.context, buf.baseAddress, Int32(buf.count), &sub), "avcodec_encode_subtitle")
        }
        guard size > 0 else { return }
        packet.unref()
        try check(av_new_packet(packet.pointer, size), "av_new_packet")
        _ = buffer.withUnsafeBytes { memcpy(packet.pointer.pointee.data, $0.baseAddress!, Int(size)) }
        let start = av_rescale_q(sub.pts, AVRational(num: 1, den: tk_time_base()), Self.milliseconds) + Int64(sub.start_display_time)
        let p = packet.pointer
        p.pointee.pts = start
        p.pointee.dts = start
        p.pointee.duration = Int64(sub.end_display_time) - Int64(sub.start_display_time)
        av_packet_rescale_ts(p, Self.milliseconds, muxer.timeBase(of: outputIndex))
        p.pointee.stream_index = Int32(outputIndex)
        try write(packet)
    }
}
