import CFFmpeg
import FFmpeg
import MediaProbe

/// Decodes one source stream and encodes it again for the mp4 plan, keeping its geometry,
/// timing and (where the encoder can carry it) its pixel or sample format.
final class StreamTranscoder {
    private let decoder: Decoder
    private let inputTimeBase: AVRational
    let outputIndex: Int
    let outputCodecName: String
    /// What was kept or changed, for the report ("yuv444p kept", "resampled to 48 kHz").
    let detail: String
    private(set) var framesEncoded = 0
    private let muxer: Muxer

    private enum Kind {
        case video(encoder: Encoder)
        case audio(AudioTrack)
    }
    private let kind: Kind
    private var lastPTS = Int64.min
    /// Made from the first picture whose format the encoder does not take as it is.
    private var converter: (scaler: Scaler, frame: Frame)?
    /// Frame spacing seen so far, and the clock kept across timestamp restarts (joined files).
    private var lastStep: Int64 = 1
    private var restarts: TimestampRestarts
    /// The first video packet's decode time: where the picture starts in the source's timeline.
    private var firstDTS = noPTS
    private let frame: Frame
    private let packet: Packet

    init(stream: UnsafeMutablePointer<AVStream>, info: StreamInfo, options: MP4Options, muxer: Muxer) throws {
        self.muxer = muxer
        inputTimeBase = stream.pointee.time_base
        restarts = TimestampRestarts(timeBase: stream.pointee.time_base)
        frame = try Frame()
        packet = try Packet()
        decoder = try stage("open \(info.codec) decoder") { try Decoder(stream: stream, threads: Int32(options.threads)) }
        let dc = decoder.context
        if info.type == "video" {
            // The header's pixel format, else the probe's (WebM headers do not carry it).
            var source = dc.pointee.pix_fmt
            if source == AV_PIX_FMT_NONE, let name = info.pixelFormat { source = av_get_pix_fmt(name) }
            let target = Self.x264Format(for: source, width: dc.pointee.width, height: dc.pointee.height)
            // Pixel shape: the header's, else the probe's (H.263 and MPEG-4 keep it in the bitstream).
            var sar = dc.pointee.sample_aspect_ratio
            if !sar.isValid, let text = info.sampleAspectRatio {
                let p = text.split(separator: ":").compactMap { Int32($0) }
                if p.count == 2, p[0] > 0, p[1] > 0 { sar = AVRational(num: p[0], den: p[1]) }
            }
            // The stream's own rate when the header gives it, else what the probe measured.
            let probed = (info.averageFrameRate ?? info.realFrameRate).map { OutputFrameRate.nearestStandard($0) }
            let rate = stream.pointee.avg_frame_rate.isValid ? stream.pointee.avg_frame_rate
                : stream.pointee.r_frame_rate.isValid ? stream.pointee.r_frame_rate : probed ?? AVRational(num: 0, den: 1)
            let encoder = try stage("open H.264 encoder") {
                try Encoder(name: "libx264", options: ["preset": options.preset, "crf": String(options.crf)]) { c in
                    c.pointee.width = dc.pointee.width
                    c.pointee.height = dc.pointee.height
                    c.pointee.pix_fmt = target
                    // The source's own clock: every picture keeps its time (variable rates stay
                    // variable, a held frame stays one held frame).
                    c.pointee.time_base = stream.pointee.time_base
                    if rate.isValid { c.pointee.framerate = rate }
                    c.pointee.sample_aspect_ratio = sar
                    c.pointee.color_primaries = dc.pointee.color_primaries
                    c.pointee.color_trc = dc.pointee.color_trc
                    c.pointee.colorspace = dc.pointee.colorspace
                    c.pointee.color_range = dc.pointee.color_range
                    c.pointee.thread_count = Int32(options.threads)
                    if muxer.wantsGlobalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
                }
            }
            let out = try stage("add stream") { try muxer.addStream(from: encoder) }
            out.pointee.sample_aspect_ratio = sar
            MP4Converter.copySideData(from: stream, to: out)
            outputIndex = Int(out.pointee.index)
            outputCodecName = "h264"
            let name = { (f: AVPixelFormat) in String(cString: av_get_pix_fmt_name(f)) }
            detail = "x264 CRF \(options.crf), " + (source == target ? "\(name(source)) kept" : "\(name(source)) → \(name(target))")
            kind = .video(encoder: encoder)
        } else {
            let alac = options.losslessAudio
            let name = alac ? "alac" : "aac"
            guard let codec = avcodec_find_encoder_by_name(name) else { throw FFmpegError.encoderMissing(name: name) }
            let rate = Self.supportedRate(dc.pointee.sample_rate, codec)
            var layout = dc.pointee.ch_layout
            if layout.order == AV_CHANNEL_ORDER_UNSPEC || !Self.supports(codec, &layout) {
                // The encoder cannot take this channel order as it is: fall back to its default
                // layout for the same count, or stereo.
                var fallback = AVChannelLayout()
                av_channel_layout_default(&fallback, layout.nb_channels)
                if !Self.supports(codec, &fallback) { av_channel_layout_default(&fallback, 2) }
                layout = fallback
            }
            let format: AVSampleFormat = alac ? (Self.bitDepth(dc) > 16 ? AV_SAMPLE_FMT_S32P : AV_SAMPLE_FMT_S16P) : AV_SAMPLE_FMT_FLTP
            let track = try stage("open \(name) encoder") {
                try AudioTrack(encoderName: name, sampleFormat: format, sampleRate: rate, layout: layout,
                               bitrate: alac ? 0 : options.audioBitrate, limitSeconds: nil,
                               globalHeader: muxer.wantsGlobalHeader, padLeadWithSilence: false)
            }
            let out = try stage("add stream") { try muxer.addStream(from: track.encoder) }
            outputIndex = Int(out.pointee.index)
            outputCodecName = name
            detail = (alac ? "ALAC lossless" : "AAC \(options.audioBitrate / 1000)k")
                + (rate != dc.pointee.sample_rate ? ", resampled to \(rate) Hz" : "")
            kind = .audio(track)
        }
    }

    func send(_ packet: Packet, write: (Packet) throws -> Void) throws {
        if firstDTS == noPTS, case .video = kind { firstDTS = packet.pointer.pointee.dts }
        do { try decoder.send(packet) } catch let e as FFmpegError where e.code == AVError.invalidData { return }
        try receiveFrames(write: write)
    }

    func finish(write: (Packet) throws -> Void) throws {
        try stage("flush decoder") { try decoder.send(nil) }
        try receiveFrames(write: write)
        switch kind {
        case let .video(encoder):
            try stage("flush H.264 encoder") { try encoder.send(nil) }
            try drain(encoder, write: write)
        case let .audio(track):
            try stage("finish audio") {
                try track.finish(totalSamples: nil) { try self.emit($0, from: track.encoder.context.pointee.time_base, write: write) }
            }
        }
    }

    private func receiveFrames(write: (Packet) throws -> Void) throws {
        while try stage("decode", { try decoder.receive(into: frame) }) == .got {
            defer { frame.unref() }
            switch kind {
            case let .video(encoder):
                var pts = frame.bestEffortTimestamp
                if lastPTS == .min, pts != noPTS, firstDTS != noPTS, pts > firstDTS {
                    // Generated timestamps (AVI) can put the first picture after the first decode
                    // time; the source shows it from there, so the track starts there too.
                    restarts.offset = firstDTS - pts
                }
                pts = pts == noPTS ? (lastPTS == .min ? 0 : lastPTS + lastStep)
                    : restarts.continuing(pts, after: lastPTS, step: lastStep)
                if lastPTS != .min && pts > lastPTS { lastStep = min(pts - lastPTS, restarts.second) }
                // x264 needs strictly increasing timestamps; a repeated one is nudged forward.
                if lastPTS != .min && pts <= lastPTS { pts = lastPTS + 1 }
                lastPTS = pts
                try encodePicture(frame, pts: pts, encoder, write: write)
            case let .audio(track):
                let ts = frame.bestEffortTimestamp
                try stage("encode audio") {
                    try track.add(frame, atSeconds: ts == noPTS ? nil : Double(ts) * inputTimeBase.double) {
                        try self.emit($0, from: track.encoder.context.pointee.time_base, write: write)
                    }
                }
            }
        }
    }

    /// Converts (when the encoder needs another pixel format) and encodes one picture at `pts`.
    private func encodePicture(_ picture: Frame, pts: Int64, _ encoder: Encoder, write: (Packet) throws -> Void) throws {
        var input = picture
        let c = encoder.context.pointee
        if picture.pixelFormat != c.pix_fmt && converter == nil {
            let s = try Scaler(sourceWidth: picture.width, sourceHeight: picture.height, sourceFormat: picture.pixelFormat,
                               destinationWidth: c.width, destinationHeight: c.height, destinationFormat: c.pix_fmt)
            converter = (s, try Frame(width: c.width, height: c.height, format: c.pix_fmt))
        }
        if picture.pixelFormat != c.pix_fmt, let (scaler, converted) = converter {
            // The buffer is reused for every picture: if the encoder still references the last
            // one, this gives the scaler a fresh buffer instead of overwriting it.
            try check(av_frame_make_writable(converted.pointer), "av_frame_make_writable")
            scaler.scale(source: picture.dataPointers.map { UnsafePointer($0) }, sourceStrides: picture.linesizes,
                         destination: converted.dataPointers, destinationStrides: converted.linesizes)
            input = converted
        }
        input.pointer.pointee.pts = pts
        input.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
        try stage("encode video") { try encoder.send(input) }
        framesEncoded += 1
        try drain(encoder, write: write)
    }

    private func drain(_ encoder: Encoder, write: (Packet) throws -> Void) throws {
        while try stage("encode", { try encoder.receive(into: packet) }) == .got {
            if case .video = kind { packet.setFrameDurationIfMissing(encoder: encoder) }
            try emit(packet, from: encoder.context.pointee.time_base, write: write)
            packet.unref()
        }
    }

    private func emit(_ p: Packet, from tb: AVRational, write: (Packet) throws -> Void) throws {
        av_packet_rescale_ts(p.pointer, tb, muxer.timeBase(of: outputIndex))
        p.pointer.pointee.stream_index = Int32(outputIndex)
        try write(p)
    }

    /// The source's pixel format when libx264 takes it, else the nearest it does take.
    /// Odd sizes need 4:4:4: 4:2:0 and 4:2:2 cannot represent them, and cropping would lose pixels.
    static func x264Format(for source: AVPixelFormat, width: Int32, height: Int32) -> AVPixelFormat {
        guard let codec = avcodec_find_encoder_by_name("libx264"), let desc = av_pix_fmt_desc_get(source) else { return AV_PIX_FMT_YUV420P }
        let deep = desc.pointee.comp.0.depth > 8
        let odd = width % 2 != 0 || height % 2 != 0
        var supported: [AVPixelFormat] = []
        if var p = codec.pointee.pix_fmts { while p.pointee != AV_PIX_FMT_NONE { supported.append(p.pointee); p += 1 } }
        func pick(_ f: AVPixelFormat) -> AVPixelFormat? { supported.contains(f) ? f : nil }
        if odd {
            return pick(deep ? AV_PIX_FMT_YUV444P10LE : AV_PIX_FMT_YUV444P) ?? AV_PIX_FMT_YUV444P
        }
        if supported.contains(source) { return source }
        let cw = desc.pointee.log2_chroma_w, ch = desc.pointee.log2_chroma_h
        let isRGB = desc.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0
        let chroma: [AVPixelFormat] = isRGB || (cw == 0 && ch == 0)
            ? (deep ? [AV_PIX_FMT_YUV444P10LE, AV_PIX_FMT_YUV444P] : [AV_PIX_FMT_YUV444P])
            : (cw == 1 && ch == 0) ? (deep ? [AV_PIX_FMT_YUV422P10LE, AV_PIX_FMT_YUV422P] : [AV_PIX_FMT_YUV422P])
            : (deep ? [AV_PIX_FMT_YUV420P10LE, AV_PIX_FMT_YUV420P] : [AV_PIX_FMT_YUV420P])
        return chroma.compactMap(pick).first ?? AV_PIX_FMT_YUV420P
    }

    static func supportedRate(_ rate: Int32, _ codec: UnsafePointer<AVCodec>) -> Int32 {
        guard var p = codec.pointee.supported_samplerates else { return rate }
        var rates: [Int32] = []
        while p.pointee != 0 { rates.append(p.pointee); p += 1 }
        return rates.contains(rate) ? rate : 48_000
    }

    static func supports(_ codec: UnsafePointer<AVCodec>, _ layout: UnsafeMutablePointer<AVChannelLayout>) -> Bool {
        guard var p = codec.pointee.ch_layouts else { return layout.pointee.nb_channels <= 8 }
        while p.pointee.nb_channels != 0 {
            var candidate = p.pointee
            if av_channel_layout_compare(&candidate, layout) == 0 { return true }
            p += 1
        }
        return false
    }

    static func bitDepth(_ c: UnsafeMutablePointer<AVCodecContext>) -> Int32 {
        c.pointee.bits_per_raw_sample > 0 ? c.pointee.bits_per_raw_sample : av_get_bytes_per_sample(c.pointee.sample_fmt) * 8
    }
}
