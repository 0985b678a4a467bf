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

/// One decoded text subtitle: shown from `start` to `end` (seconds on the file's clock), its
/// text as ASS markup (the text decoders all describe their cues as ASS dialogue).
public struct TextSubtitle: Equatable, Sendable {
    public var start: Double
    public var end: Double
    public var text: String
}

/// Reads a whole text subtitle stream of a file (subtitles are small: read before the
/// conversion, with a demuxer of their own).
public enum SubtitleStreamReader {
    public static func read(path: String, stream index: Int) throws -> [TextSubtitle] {
        let demuxer = try Demuxer(path: path)
        let decoder = try Decoder(demuxer: demuxer, stream: index, threads: 1)
        let timeBase = demuxer.parameters(of: index).timeBase
        let packet = try Packet()
        var out: [TextSubtitle] = []
        while try demuxer.read(into: packet) {
            defer { packet.unref() }
            guard packet.streamIndex == index else { continue }
            let sub = Subtitle()
            var got: Int32 = 0
            guard avcodec_decode_subtitle2(decoder.context, &sub.value, &got, packet.pointer) >= 0, got != 0 else { continue }
            guard let pts = packet.pts else { continue }
            let base = Double(pts) * timeBase.double
            let start = base + Double(sub.value.start_display_time) / 1000
            // An unknown end (0 or UINT32_MAX) falls back on the packet's duration.
            let endMs = sub.value.end_display_time
            let end = endMs > 0 && endMs != UInt32.max ? base + Double(endMs) / 1000 : base + Double(packet.duration) * timeBase.double
            let texts = (0..<Int(sub.value.num_rects)).compactMap { i -> String? in
                guard let rect = sub.value.rects[i], let ass = rect.pointee.ass else { return nil }
                return dialogueText(String(cString: ass))
            }
            if !texts.isEmpty, end > start { out.append(TextSubtitle(start: start, end: end, text: texts.joined(separator: "\\N"))) }
        }
        return out
    }

    /// The Text field of a decoder's dialogue line "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text".
    static func dialogueText(_ line: String) -> String {
        var rest = Substring(line)
        for _ in 0..<8 {
            guard let comma = rest.firstIndex(of: ",") else { return String(rest) }
            rest = rest[rest.index(after: comma)...]
        }
        return String(rest)
    }
}

/// Captions from a subtitle file → an MP4 mov_text track, cue by cue (soft text the player
/// can turn off, for the plan that keeps the picture as it is).
public final class MovTextWriter {
    private let encoder: Encoder
    public let outputIndex: Int
    private let outputTimeBase: () -> Rational
    private let packet: Packet
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private static let milliseconds = Rational(1, 1000)
    /// mov_text builds its sample description from an ASS header; one plain default style.
    private static let header = """
        [Script Info]
        ScriptType: v4.00+
        PlayResX: 384
        PlayResY: 288

        [V4+ Styles]
        Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
        Style: Default,Sans,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0

        [Events]
        Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text

        """

    public init(muxer: Muxer, language: String? = nil) throws {
        packet = try Packet()
        let globalHeader = muxer.wantsGlobalHeader
        encoder = try Encoder(name: "mov_text") { c in
            c.pointee.time_base = Self.milliseconds.av
            let bytes = Array(Self.header.utf8)
            // The encoder context frees it with av_free.
            if let copy = av_mallocz(bytes.count + 1) {
                copy.copyMemory(from: bytes, byteCount: bytes.count)
                c.pointee.subtitle_header = copy.assumingMemoryBound(to: UInt8.self)
                c.pointee.subtitle_header_size = Int32(bytes.count)
            }
            if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }
        outputIndex = try muxer.addStream(from: encoder)
        outputTimeBase = { [unowned muxer, outputIndex] in muxer.timeBase(of: outputIndex) }
    }

    /// One cue (ASS markup) shown from `start` to `end` seconds of the output, as a packet for
    /// the muxer (valid until the next call); nil when it encodes to nothing.
    public func cue(_ text: String, start: Double, end: Double) throws -> Packet? {
        let sub = Subtitle()
        guard let rects = av_mallocz(MemoryLayout<UnsafeMutablePointer<AVSubtitleRect>?>.size)?
                .assumingMemoryBound(to: UnsafeMutablePointer<AVSubtitleRect>?.self),
              let rect = av_mallocz(MemoryLayout<AVSubtitleRect>.size)?.assumingMemoryBound(to: AVSubtitleRect.self) else {
            throw FFmpegError.outOfMemory(what: "AVSubtitleRect")
        }
        // Owned by `sub` from here: avsubtitle_free frees the text, the rect and the array.
        rects[0] = rect
        sub.value.rects = rects
        sub.value.num_rects = 1
        rect.pointee.type = SUBTITLE_ASS
        rect.pointee.ass = av_strdup("0,0,Default,,0,0,0,," + text)
        let startMs = Int64((start * 1000).rounded()), endMs = Int64((end * 1000).rounded())
        guard endMs > startMs else { return nil }
        sub.value.pts = startMs * 1000
        sub.value.end_display_time = UInt32(endMs - startMs)
        let size = try buffer.withUnsafeMutableBufferPointer { buf in
            try check(avcodec_encode_subtitle(encoder.context, buf.baseAddress, Int32(buf.count), &sub.value), "avcodec_encode_subtitle")
        }
        guard size > 0 else { return nil }
        packet.unref()
        try buffer.withUnsafeBytes { try packet.setPayload(UnsafeRawBufferPointer(rebasing: $0[0..<Int(size)])) }
        packet.pts = startMs
        packet.dts = startMs
        packet.duration = endMs - startMs
        packet.rescale(from: Self.milliseconds, to: outputTimeBase())
        packet.streamIndex = outputIndex
        return packet
    }
}
