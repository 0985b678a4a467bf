import FFmpeg
import MediaProbe

/// Decodes one source stream and encodes it again for the mp4 plan, keeping its geometry,
/// timing and (where the encoder can carry it) its pixel or sample format.
final class StreamTranscoder {
    private let decoder: Decoder
    private let inputTimeBase: Rational
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
    private var firstDTS: Int64?
    private var sawFirstPacket = false
    private let frame: Frame
    private let packet: Packet

    /// Opens a decoder for stream `info.index` of `demuxer` and the encoder for it in `muxer`.
    init(_ info: StreamInfo, of demuxer: Demuxer, options: MP4Options, muxer: Muxer) throws {
        self.muxer = muxer
        let stream = demuxer.parameters(of: info.index)
        inputTimeBase = stream.timeBase
        restarts = TimestampRestarts(timeBase: stream.timeBase)
        frame = try Frame()
        packet = try Packet()
        decoder = try stage("open \(info.codec) decoder") { try Decoder(demuxer: demuxer, stream: info.index, threads: options.threads) }
        let made = info.type == .video
            ? try Self.videoEncoder(decoder, stream, info, options, muxer, demuxer)
            : try Self.audioEncoder(decoder, options, muxer)
        (kind, outputIndex, outputCodecName, detail) = made
    }

    private typealias Made = (kind: Kind, index: Int, codec: String, detail: String)

    /// x264 at CRF, keeping the source's size, clock, pixel shape, colours and (where H.264 can
    /// carry it) pixel format.
    private static func videoEncoder(_ decoder: Decoder, _ stream: StreamParameters, _ info: StreamInfo, _ options: MP4Options,
                                     _ muxer: Muxer, _ demuxer: Demuxer) throws -> Made {
        // The header's pixel format, else the probe's (WebM headers do not carry it).
        var source = decoder.pixelFormat
        if source == .none, let name = info.pixelFormat, let f = PixelFormat(name: name) { source = f }
        let target = x264Format(for: source, width: decoder.width, height: decoder.height)
        // Pixel shape: the header's, else the probe's (H.263 and MPEG-4 keep it in the bitstream).
        var sar = decoder.sampleAspectRatio
        if !sar.isValid, let s = info.sampleAspectRatioValue { sar = s }
        // The stream's own rate when the header gives it, else what the probe measured.
        let probed = (info.averageFrameRate ?? info.realFrameRate).map { OutputFrameRate.nearestStandard($0) }
        let rate = stream.averageFrameRate.isValid ? stream.averageFrameRate
            : stream.realFrameRate.isValid ? stream.realFrameRate : probed
        // The source's own clock: every picture keeps its time (variable rates stay variable,
        // a held frame stays one held frame).
        var settings = VideoEncoderSettings(codec: "libx264", width: decoder.width, height: decoder.height,
                                            pixelFormat: target, timeBase: stream.timeBase)
        settings.frameRate = rate
        settings.sampleAspectRatio = sar
        settings.color = decoder.color
        settings.threads = options.threads
        settings.globalHeader = muxer.wantsGlobalHeader
        settings.options = ["preset": options.preset, "crf": String(options.crf)]
        let encoder = try stage("open H.264 encoder") { try Encoder(video: settings) }
        let out = try stage("add stream") { try muxer.addStream(from: encoder) }
        muxer.setSampleAspectRatio(sar, of: out)
        muxer.copyDisplaySideData(from: stream.index, of: demuxer, to: out)
        let detail = "x264 CRF \(options.crf), " + (source == target ? "\(source.name) kept" : "\(source.name) → \(target.name)")
        return (.video(encoder: encoder), out, "h264", detail)
    }

    /// AAC at the plan's bitrate, or ALAC (16 or 32 bits as the source needs), at a rate and
    /// channel layout the encoder takes.
    private static func audioEncoder(_ decoder: Decoder, _ options: MP4Options, _ muxer: Muxer) throws -> Made {
        let alac = options.losslessAudio
        let name = alac ? "alac" : "aac"
        let rates = Encoder.sampleRates(of: name)
        let rate = rates.isEmpty || rates.contains(decoder.sampleRate) ? decoder.sampleRate : 48_000
        var layout = try decoder.channelLayout()
        if !layout.isSpecified || !Encoder.accepts(layout, encoder: name) {
            // The encoder cannot take this channel order as it is: fall back to its default
            // layout for the same count, or stereo.
            layout = ChannelLayout(defaultFor: layout.channelCount)
            if !Encoder.accepts(layout, encoder: name) { layout = ChannelLayout(defaultFor: 2) }
        }
        let format: SampleFormat = alac ? (decoder.audioBitDepth > 16 ? .s32p : .s16p) : .fltp
        var settings = AudioEncoderSettings(codec: name, sampleFormat: format, sampleRate: rate, layout: layout)
        settings.bitRate = alac ? 0 : options.audioBitrate
        settings.globalHeader = muxer.wantsGlobalHeader
        let track = try stage("open \(name) encoder") { try AudioTrack(settings, limitSeconds: nil, padLeadWithSilence: false) }
        let out = try stage("add stream") { try muxer.addStream(from: track.encoder) }
        let detail = (alac ? "ALAC lossless" : "AAC \(options.audioBitrate / 1000)k")
            + (rate != decoder.sampleRate ? ", resampled to \(rate) Hz" : "")
        return (.audio(track), out, name, detail)
    }

    func send(_ packet: Packet, write: (Packet) throws -> Void) throws {
        if !sawFirstPacket, case .video = kind { firstDTS = packet.dts; sawFirstPacket = true }
        do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { return }
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
                try track.finish(totalSamples: nil) { try self.emit($0, from: track.encoder.timeBase, write: write) }
            }
        }
    }

    private func receiveFrames(write: (Packet) throws -> Void) throws {
        while try stage("decode", { try decoder.receive(into: frame) }) == .got {
            defer { frame.unref() }
            switch kind {
            case let .video(encoder):
                let stamp = frame.bestEffortTimestamp
                if lastPTS == .min, let stamp, let firstDTS, stamp > firstDTS {
                    // Generated timestamps (AVI) can put the first picture after the first decode
                    // time; the source shows it from there, so the track starts there too.
                    restarts.offset = firstDTS - stamp
                }
                var pts = stamp.map { restarts.continuing($0, after: lastPTS, step: lastStep) }
                    ?? (lastPTS == .min ? 0 : lastPTS + lastStep)
                if lastPTS != .min && pts > lastPTS { lastStep = min(pts - lastPTS, restarts.second) }
                // x264 needs strictly increasing timestamps; a repeated one is nudged forward.
                if lastPTS != .min && pts <= lastPTS { pts = lastPTS + 1 }
                lastPTS = pts
                try encodePicture(frame, pts: pts, encoder, write: write)
            case let .audio(track):
                let seconds = frame.bestEffortTimestamp.map { Double($0) * inputTimeBase.double }
                try stage("encode audio") {
                    try track.add(frame, atSeconds: seconds) { try self.emit($0, from: track.encoder.timeBase, write: write) }
                }
            }
        }
    }

    /// Converts (when the encoder needs another pixel format) and encodes one picture at `pts`.
    private func encodePicture(_ picture: Frame, pts: Int64, _ encoder: Encoder, write: (Packet) throws -> Void) throws {
        var input = picture
        let target = encoder.pixelFormat
        if picture.pixelFormat != target && converter == nil {
            let s = try Scaler(sourceWidth: picture.width, sourceHeight: picture.height, sourceFormat: picture.pixelFormat,
                               destinationWidth: encoder.width, destinationHeight: encoder.height, destinationFormat: target)
            converter = (s, try Frame(width: encoder.width, height: encoder.height, format: target))
        }
        if picture.pixelFormat != target, let (scaler, converted) = converter {
            // The buffer is reused for every picture: if the encoder still references the last
            // one, this gives the scaler a fresh buffer instead of overwriting it.
            try converted.makeWritable()
            scaler.scale(picture, into: converted)
            input = converted
        }
        input.pts = pts
        input.clearPictureType()
        try stage("encode video") { try encoder.send(input) }
        framesEncoded += 1
        try drain(encoder, write: write)
    }

    private func drain(_ encoder: Encoder, write: (Packet) throws -> Void) throws {
        while try stage("encode", { try encoder.receive(into: packet) }) == .got {
            if case .video = kind { encoder.setFrameDurationIfMissing(packet) }
            try emit(packet, from: encoder.timeBase, write: write)
            packet.unref()
        }
    }

    private func emit(_ p: Packet, from tb: Rational, write: (Packet) throws -> Void) throws {
        p.rescale(from: tb, to: muxer.timeBase(of: outputIndex))
        p.streamIndex = outputIndex
        try write(p)
    }

    /// The source's pixel format when libx264 takes it, else the nearest it does take.
    /// Odd sizes need 4:4:4: 4:2:0 and 4:2:2 cannot represent them, and cropping would lose pixels.
    static func x264Format(for source: PixelFormat, width: Int, height: Int) -> PixelFormat {
        let supported = Encoder.pixelFormats(of: "libx264")
        guard !supported.isEmpty, source != .none else { return .yuv420p }
        let deep = source.bitDepth > 8
        func pick(_ f: PixelFormat) -> PixelFormat? { supported.contains(f) ? f : nil }
        if width % 2 != 0 || height % 2 != 0 {
            return pick(deep ? .yuv444p10 : .yuv444p) ?? .yuv444p
        }
        if supported.contains(source) { return source }
        let (cw, ch) = source.chromaShift
        let chroma: [PixelFormat] = source.isRGB || (cw == 0 && ch == 0)
            ? (deep ? [.yuv444p10, .yuv444p] : [.yuv444p])
            : (cw == 1 && ch == 0) ? (deep ? [.yuv422p10, .yuv422p] : [.yuv422p])
            : (deep ? [.yuv420p10, .yuv420p] : [.yuv420p])
        return chroma.compactMap(pick).first ?? .yuv420p
    }
}
