import FFmpeg
import MediaProbe

/// Decodes one source stream and encodes it again for the mp4 plan, keeping its geometry,
/// timing and (where the encoder can carry it) its pixel or sample format, with the local
/// edits that change it (speed, fades, black and white; volume, loudness).
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
        case video(encoder: Encoder, edits: MP4PictureEdits?)
        case audio(AudioTrack, edits: AudioEditStage?)
    }
    private let clock: MP4EditClock
    private let trim: MP4Trim
    private let kind: Kind
    private var lastPTS = Int64.min
    /// Made from the first picture whose format the encoder does not take as it is.
    private var converter: (scaler: Scaler, frame: Frame)?
    /// Frame spacing seen so far, and the clock kept across timestamp restarts (joined files).
    private var lastStep: Int64 = 1
    private var restarts: TimestampRestarts
    /// The first video packet's decode time: where the picture starts in the source's timeline,
    /// for a container without presentation times (AVI), whose generated ones start later.
    private var firstDTS: Int64?
    private let generatedTimestamps: Bool
    private var sawFirstPacket = false
    private let frame: Frame
    private let packet: Packet

    /// Opens a decoder for stream `info.index` of `demuxer` and the encoder for it in `muxer`.
    init(_ info: StreamInfo, of demuxer: Demuxer, options: MP4Options, clock: MP4EditClock, trim: MP4Trim, muxer: Muxer,
         cancel: CancellationFlag? = nil) throws {
        self.muxer = muxer
        self.clock = clock
        self.trim = trim
        // A container with real presentation times (MP4 with B-frames starts its decode times
        // before zero) keeps them: only generated ones are moved back to the first decode time.
        generatedTimestamps = demuxer.storesNoTimestamps
        let stream = demuxer.parameters(of: info.index)
        inputTimeBase = stream.timeBase
        restarts = TimestampRestarts(timeBase: stream.timeBase)
        frame = try Frame()
        packet = try Packet()
        decoder = try stage("open \(info.codec) decoder") { try Decoder(demuxer: demuxer, stream: info.index, threads: options.threads) }
        let made = info.type == .video
            ? try Self.videoEncoder(decoder, stream, info, options, clock, muxer, demuxer)
            : try Self.audioEncoder(decoder, info, options, clock, trim, muxer, demuxer, cancel)
        (kind, outputIndex, outputCodecName, detail) = made
    }

    private typealias Made = (kind: Kind, index: Int, codec: String, detail: String)

    /// x264 at CRF, keeping the source's size, clock, pixel shape, colours and (where H.264 can
    /// carry it) pixel format.
    private static func videoEncoder(_ decoder: Decoder, _ stream: StreamParameters, _ info: StreamInfo, _ options: MP4Options,
                                     _ clock: MP4EditClock, _ muxer: Muxer, _ demuxer: Demuxer) throws -> Made {
        // The header's pixel format, else the probe's (WebM headers do not carry it).
        var source = decoder.pixelFormat
        if source == .none, let name = info.pixelFormat, let f = PixelFormat(name: name) { source = f }
        let edited = clock.edits.changesPicture
        let target = x264Format(for: source, width: decoder.width, height: decoder.height, editable: edited)
        // Pixel shape: the header's, else the probe's (H.263 and MPEG-4 keep it in the bitstream).
        var sar = decoder.sampleAspectRatio
        if !sar.isValid, let s = info.sampleAspectRatioValue { sar = s }
        // The stream's own rate when the header gives it, else what the probe measured.
        let probed = (info.averageFrameRate ?? info.realFrameRate).map { StandardFrameRate.nearest($0) }
        let rate = stream.averageFrameRate.isValid ? stream.averageFrameRate
            : stream.realFrameRate.isValid ? stream.realFrameRate : probed
        let edits = edited ? MP4PictureEdits(clock: clock, sourceTimeBase: stream.timeBase, sourceRate: rate) : nil
        // The source's own clock: every picture keeps its time (variable rates stay variable,
        // a held frame stays one held frame); a speed change divides it.
        var settings = VideoEncoderSettings(codec: "libx264", width: decoder.width, height: decoder.height,
                                            pixelFormat: target, timeBase: edits?.timeBase ?? stream.timeBase)
        settings.frameRate = edits == nil ? rate : edits?.frameRate
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
        return (.video(encoder: encoder, edits: edits), out, "h264", detail)
    }

    /// AAC at the plan's bitrate, or ALAC (16 or 32 bits as the source needs), at a rate and
    /// channel layout the encoder takes.
    private static func audioEncoder(_ decoder: Decoder, _ info: StreamInfo, _ options: MP4Options, _ clock: MP4EditClock,
                                     _ trim: MP4Trim, _ muxer: Muxer, _ demuxer: Demuxer, _ cancel: CancellationFlag?) throws -> Made {
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
        // The trim's end on the output clock (the track counts from time zero, before the first sample too).
        let limit = trim.endOnOutputClock.map { $0 / clock.speed }
        let track = try stage("open \(name) encoder") { try AudioTrack(settings, limitSeconds: limit, padLeadWithSilence: false) }
        let out = try stage("add stream") { try muxer.addStream(from: track.encoder) }
        let detail = (alac ? "ALAC lossless" : "AAC \(options.audioBitrate / 1000)k")
            + (rate != decoder.sampleRate ? ", resampled to \(rate) Hz" : "")
        guard clock.edits.changesSound else { return (.audio(track, edits: nil), out, name, detail) }
        let target = AudioEditStage.Target(format: format, rate: rate, layout: layout)
        var loudness: Loudness?
        if clock.edits.loudnorm {
            // The whole stream, on its own clock (the mp4 plan does not trim).
            loudness = try LoudnessScan.measure(path: demuxer.path, stream: info.index, analyze: true, seek: nil, origin: 0,
                                                length: nil, target: target, cancel: cancel)
        }
        let edits = try AudioEditStage(edits: clock.edits, target: target, fades: clock.fades, loudness: loudness)
        return (.audio(track, edits: edits), out, name, detail)
    }

    func send(_ packet: Packet, write: (Packet) throws -> Void) throws {
        if !sawFirstPacket, generatedTimestamps, case .video = kind { firstDTS = packet.dts }
        sawFirstPacket = true
        do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { return }
        try receiveFrames(write: write)
    }

    func finish(write: (Packet) throws -> Void) throws {
        try stage("flush decoder") { try decoder.send(nil) }
        try receiveFrames(write: write)
        switch kind {
        case let .video(encoder, _):
            try stage("flush H.264 encoder") { try encoder.send(nil) }
            try drain(encoder, write: write)
        case let .audio(track, edits):
            try edits?.finish { f, t in try add(f, atSeconds: t + clock.origin / clock.speed, to: track, write: write) }
            try stage("finish audio") {
                try track.finish(totalSamples: nil) { try self.emit($0, from: track.encoder.timeBase, write: write) }
            }
        }
    }

    private func receiveFrames(write: (Packet) throws -> Void) throws {
        while try stage("decode", { try decoder.receive(into: frame) }) == .got {
            defer { frame.unref() }
            switch kind {
            case let .video(encoder, edits):
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
                try encodePicture(frame, pts: pts, encoder, edits, write: write)
            case let .audio(track, edits):
                let seconds = frame.bestEffortTimestamp.map { Double($0) * inputTimeBase.double }
                guard let edits else { try add(frame, atSeconds: seconds, to: track, write: write); continue }
                // The edits work from the container's start; the track keeps the source's timing.
                try edits.add(frame, atSeconds: seconds.map { $0 - clock.origin }) { f, t in
                    try add(f, atSeconds: t + clock.origin / clock.speed, to: track, write: write)
                }
            }
        }
    }

    /// What the loudness normalisation did (after `finish`), when it was asked for.
    var loudnessNote: String? {
        if case let .audio(_, edits) = kind { return edits?.loudnessNote }
        return nil
    }

    private func add(_ frame: Frame, atSeconds seconds: Double?, to track: AudioTrack, write: (Packet) throws -> Void) throws {
        try stage("encode audio") {
            try track.add(frame, atSeconds: seconds) { try self.emit($0, from: track.encoder.timeBase, write: write) }
        }
    }

    /// Converts (when the encoder needs another pixel format), edits and encodes one picture at
    /// `pts` (source clock).
    private func encodePicture(_ picture: Frame, pts: Int64, _ encoder: Encoder, _ edits: MP4PictureEdits?,
                               write: (Packet) throws -> Void) throws {
        guard trim.keeps(pts, timeBase: inputTimeBase), let outputPTS = edits.map({ $0.outputPTS(pts) }) ?? pts else { return }
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
        if let edits, edits.changes(pts) {
            // A decoded picture may still be the decoder's reference: edit a copy of it.
            if input === picture { try stage("edit video") { try picture.makeWritable() } }
            edits.apply(to: input, sourcePTS: pts, fullRange: input.color.isFullRange || input.pixelFormat.isFullRangeYUV)
        }
        input.pts = outputPTS
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
    /// `editable`: a planar format the picture edits work on (not NV12 and its kin).
    static func x264Format(for source: PixelFormat, width: Int, height: Int, editable: Bool = false) -> PixelFormat {
        let supported = Encoder.pixelFormats(of: "libx264").filter { !editable || $0.isPlanarYUV }
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
