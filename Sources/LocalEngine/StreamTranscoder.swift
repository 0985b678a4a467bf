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
        case video(encoder: Encoder, converter: (Scaler, Frame)?)
        case audio(AudioTrack)
    }
    private let kind: Kind
    private var lastPTS = Int64.min
    /// Frame spacing seen so far, and the offset added after timestamps restarted (joined files).
    private var lastStep: Int64 = 1
    private var ptsOffset: Int64 = 0
    private let frame: Frame
    private let packet: Packet

    init(stream: UnsafeMutablePointer<AVStream>, info: StreamInfo, options: MP4Options, muxer: Muxer) throws {
        self.muxer = muxer
        inputTimeBase = stream.pointee.time_base
        frame = try Frame()
        packet = try Packet()
        decoder = try stage("open \(info.codec) decoder") { try Decoder(stream: stream, threads: Int32(options.threads)) }
        let dc = decoder.context
        if info.type == "video" {
            let source = dc.pointee.pix_fmt
            let target = Self.x264Format(for: source, width: dc.pointee.width, height: dc.pointee.height)
            let converter: (Scaler, Frame)? = target == source ? nil : try {
                let s = try Scaler(sourceWidth: dc.pointee.width, sourceHeight: dc.pointee.height, sourceFormat: source,
                                   destinationWidth: dc.pointee.width, destinationHeight: dc.pointee.height, destinationFormat: target)
                return (s, try Frame(width: dc.pointee.width, height: dc.pointee.height, format: target))
            }()
            let rate = stream.pointee.avg_frame_rate.isValid ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
            let encoder = try stage("open H.264 encoder") {
                try Encoder(name: "libx264", options: ["preset": options.preset, "crf": String(options.crf)]) { c in
                    c.pointee.width = dc.pointee.width
                    c.pointee.height = dc.pointee.height
                    c.pointee.pix_fmt = target
                    // The source's own clock: variable frame rates stay variable.
                    c.pointee.time_base = stream.pointee.time_base
                    if rate.isValid { c.pointee.framerate = rate }
                    c.pointee.sample_aspect_ratio = dc.pointee.sample_aspect_ratio
                    c.pointee.color_primaries = dc.pointee.color_primaries
                    c.pointee.color_trc = dc.pointee.color_trc
                    c.pointee.colorspace = dc.pointee.colorspace
                    c.pointee.color_range = dc.pointee.color_range
                    c.pointee.thread_count = Int32(options.threads)
                    if muxer.wantsGlobalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
                }
            }
            let out = try stage("add stream") { try muxer.addStream(from: encoder) }
            out.pointee.sample_aspect_ratio = dc.pointee.sample_aspect_ratio
            MP4Converter.copySideData(from: stream, to: out)
            outputIndex = Int(out.pointee.index)
            outputCodecName = "h264"
            let name = { (f: AVPixelFormat) in String(cString: av_get_pix_fmt_name(f)) }
            detail = "x264 CRF \(options.crf), " + (converter == nil ? "\(name(source)) kept" : "\(name(source)) → \(name(target))")
            kind = .video(encoder: encoder, converter: converter)
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
        do { try decoder.send(packet) } catch let e as FFmpegError where e.code == AVError.invalidData { return }
        try receiveFrames(write: write)
    }

    func finish(write: (Packet) throws -> Void) throws {
        try stage("flush decoder") { try decoder.send(nil) }
        try receiveFrames(write: write)
        switch kind {
        case let .video(encoder, _):
            try stage("flush H.264 encoder") { try encoder.send(nil) }
            try drain(encoder, write: write)
        case let .audio(track):
            try stage("finish audio") {
                try track.finish(totalSamples: .max) { try self.emit($0, from: track.encoder.context.pointee.time_base, write: write) }
            }
        }
    }

    private func receiveFrames(write: (Packet) throws -> Void) throws {
        while try stage("decode", { try decoder.receive(into: frame) }) == .got {
            defer { frame.unref() }
            switch kind {
            case let .video(encoder, converter):
                var pts = frame.bestEffortTimestamp
                if pts == noPTS { pts = lastPTS == .min ? 0 : lastPTS + lastStep } else { pts += ptsOffset }
                // A jump back by more than a second means the timestamps restarted: carry on
                // from the previous frame rather than squeezing the rest into 1-tick steps.
                let second = Int64(1 / max(inputTimeBase.double, 1e-9))
                if lastPTS != .min && pts < lastPTS - second {
                    let shift = lastPTS + lastStep - pts
                    ptsOffset += shift; pts += shift
                }
                if lastPTS != .min && pts > lastPTS { lastStep = min(pts - lastPTS, second) }
                // x264 needs strictly increasing timestamps; a repeated one is nudged forward.
                if lastPTS != .min && pts <= lastPTS { pts = lastPTS + 1 }
                lastPTS = pts
                var input = frame
                if let (scaler, converted) = converter {
                    scaler.scale(source: frame.dataPointers.map { UnsafePointer($0) }, sourceStrides: frame.linesizes,
                                 destination: converted.dataPointers, destinationStrides: converted.linesizes)
                    input = converted
                }
                input.pointer.pointee.pts = pts
                input.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
                try stage("encode video") { try encoder.send(input) }
                framesEncoded += 1
                try drain(encoder, write: write)
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

    private func drain(_ encoder: Encoder, write: (Packet) throws -> Void) throws {
        while try stage("encode", { try encoder.receive(into: packet) }) == .got {
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
