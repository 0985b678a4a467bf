import CFFmpeg
import FFmpeg
import Foundation
import MediaProbe
import OutputFiles
import Planning

/// The tiktok plan: any video → 1080x1920 H.264 High yuv420p BT.709 CFR + AAC-LC 48 kHz stereo,
/// MP4 with the index first.
///
/// One pass, one thread of our own (x264 and the decoder run their own threads): demux →
/// decode → put each picture on the output frame clock → fit only the pictures that will be
/// shown → encode → interleave. Audio rides the same clock, so both tracks start at zero and
/// end together.
public final class TikTokConverter {
    public let report: ProbeReport
    public let options: TikTokOptions
    private let output: OutputFile
    private let cancel: CancellationFlag?
    private let onProgress: ((ConversionProgress) -> Void)?

    public init(report: ProbeReport, options: TikTokOptions, outputPath: String, overwrite: Bool,
                cancel: CancellationFlag? = nil, progress: ((ConversionProgress) -> Void)? = nil) throws {
        self.report = report
        self.options = options
        self.cancel = cancel
        self.onProgress = progress
        output = try OutputFile(finalPath: outputPath, overwrite: overwrite, inputPaths: [report.path])
    }

    public var temporaryPath: String { output.temporaryPath }

    public func run() throws -> ConversionResult {
        do { return try convert() } catch let e as LocalEngineError { throw e.naming(output: output.finalPath) }
    }

    private func convert() throws -> ConversionResult {
        let began = Date()
        guard let videoInfo = report.primaryVideo else { throw LocalEngineError.noVideoStream(path: report.path) }
        let audioInfo = report.primaryAudio
        var notes: [String] = []
        var outcomes: [StreamOutcome] = []
        for s in report.streams where s.index != videoInfo.index && s.index != audioInfo?.index {
            outcomes.append(StreamOutcome(index: s.index, type: s.type, codec: s.codec, action: .dropped, outputCodec: nil,
                                          reason: s.type == "audio" ? "only the default audio stream is kept" : "TikTok uploads carry one video and one audio stream"))
            notes.append("dropped \(s.type) stream #\(s.index) (\(s.codec))")
        }

        // The probe already analysed the file; its report stands in for a second analysis.
        let demuxer = try stage("open input") { try Demuxer(path: report.path, analyze: !report.headerIsComplete) }
        let vStream = demuxer.streams[videoInfo.index]
        let aStream = audioInfo.map { demuxer.streams[$0.index] }
        let videoDecoder = try stage("open video decoder") { try Decoder(stream: vStream, threads: Int32(options.threads)) }
        let audioDecoder = try aStream.map { s in try stage("open audio decoder") { try Decoder(stream: s) } }

        let rate = OutputFrameRate.choose(average: videoInfo.averageFrameRate, real: videoInfo.realFrameRate)
        let fps = rate.double
        if let d = videoInfo.averageFrameRate, abs(d - fps) / fps > 0.01 {
            notes.append(String(format: "frame rate %.3g → %.5g fps (constant)", d, fps))
        }

        // The time origin: the first timestamp of the streams we keep, plus any trim.
        var origin = [videoInfo.startTime, audioInfo?.startTime].compactMap { $0 }.min() ?? 0
        if let start = options.start, start > 0 {
            try stage("seek") { try demuxer.seek(toSeconds: start) }
            origin += start
        }
        let limitSlot = options.duration.map { Int64(($0 * fps).rounded()) }

        // Output: encoders first (the muxer needs their extradata), then the muxer header.
        let muxer = try stage("create output") { try Muxer(path: output.temporaryPath) }
        let level = H264Level.forTikTok(fps: fps)
        let videoEncoder = try stage("open H.264 encoder") {
            // 8x8dct keeps the stream High profile even with the fastest presets, which turn it off.
            try Encoder(name: "libx264", options: [
                "preset": options.preset, "crf": String(options.crf), "profile": "high", "level": level.name,
                "x264-params": "8x8dct=1",
            ]) { c in
                c.pointee.width = Int32(FitGeometry.outputWidth)
                c.pointee.height = Int32(FitGeometry.outputHeight)
                c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
                c.pointee.time_base = AVRational(num: rate.den, den: rate.num)
                c.pointee.framerate = rate
                c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
                // A keyframe at least every 2 s so TikTok's scrubbing and trimming stay responsive.
                c.pointee.gop_size = Int32((2 * fps).rounded(.down))
                c.pointee.color_primaries = AVCOL_PRI_BT709
                c.pointee.color_trc = AVCOL_TRC_BT709
                c.pointee.colorspace = AVCOL_SPC_BT709
                c.pointee.color_range = AVCOL_RANGE_MPEG
                // The declared level's rate limits, so the stream keeps the promise its level makes.
                c.pointee.rc_max_rate = Int64(level.maxBitRate)
                c.pointee.rc_buffer_size = Int32(level.maxBufferSize)
                c.pointee.thread_count = Int32(options.threads)
                if muxer.wantsGlobalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
            }
        }
        try stage("add video stream") { try muxer.addStream(from: videoEncoder) }
        let audio: AudioTrack? = (aStream != nil || options.silentAudio)
            ? try stage("open AAC encoder") { try AudioTrack(bitrate: options.audioBitrate, limitSeconds: options.duration, globalHeader: muxer.wantsGlobalHeader) }
            : nil
        if let audio { try stage("add audio stream") { try muxer.addStream(from: audio.encoder) } }
        if audioInfo == nil {
            notes.append(options.silentAudio ? "no audio in the source: added a silent track" : "no audio in the source: the output has none (--silent-audio adds silence)")
        }
        try stage("write header") { try muxer.writeHeader(options: ["movflags": "+faststart"]) }

        let videoOut = try Packet()
        func writeVideo(_ p: Packet) throws {
            p.setFrameDurationIfMissing(encoder: videoEncoder)
            av_packet_rescale_ts(p.pointer, videoEncoder.context.pointee.time_base, muxer.timeBase(of: 0))
            p.pointer.pointee.stream_index = 0
            try stage("write video") { try muxer.write(p) }
        }
        func writeAudio(_ p: Packet) throws {
            av_packet_rescale_ts(p.pointer, audio!.encoder.context.pointee.time_base, muxer.timeBase(of: 1))
            p.pointer.pointee.stream_index = 1
            try stage("write audio") { try muxer.write(p) }
        }
        func drainVideo() throws {
            while try stage("encode video", { try videoEncoder.receive(into: videoOut) }) == .got {
                try writeVideo(videoOut)
                videoOut.unref()
            }
        }

        // Video clock state.
        var fitter: VideoFitter?
        var normalizer: (scaler: Scaler, frame: Frame)?
        var pending: Frame? = nil
        var pendingFitted: Frame? = nil
        var clock = FrameClock(fps: fps)
        var lastTime = 0.0, lastDuration = 1 / fps
        var videoDone = false
        let vtb = vStream.pointee.time_base
        let totalSeconds = options.duration ?? report.duration.map { max(0, $0 - (options.start ?? 0)) }
        var lastProgress = Date.distantPast

        func fitted(_ frame: Frame) throws -> Frame {
            var source = frame
            if fitter == nil {
                var format = frame.pixelFormat
                if !VideoFitter.isAddressable(format) {
                    // Palette and bit-packed pictures are first unpacked to planar 4:4:4.
                    let s = try Scaler(sourceWidth: frame.width, sourceHeight: frame.height, sourceFormat: format,
                                       destinationWidth: frame.width, destinationHeight: frame.height, destinationFormat: AV_PIX_FMT_YUV444P)
                    normalizer = (s, try Frame(width: frame.width, height: frame.height, format: AV_PIX_FMT_YUV444P))
                    format = AV_PIX_FMT_YUV444P
                }
                let geometry = FitGeometry(storedWidth: Int(frame.width), storedHeight: Int(frame.height),
                                           sampleAspect: Self.sampleAspect(frame, videoInfo), rotation: videoInfo.rotation ?? 0,
                                           mode: options.fit, focus: options.focus)
                var cs = frame.pointer.pointee.colorspace
                if cs == AVCOL_SPC_UNSPECIFIED || cs == AVCOL_SPC_RESERVED {
                    // Untagged video: HD is BT.709 by convention, SD is BT.601.
                    cs = frame.height >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M
                }
                let fullRange = frame.pointer.pointee.color_range == AVCOL_RANGE_JPEG
                    || [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P].contains(format)
                let interlaced = frame.pointer.pointee.interlaced_frame != 0
                    || ["tt", "bb", "tb", "bt"].contains(videoInfo.fieldOrder ?? "")
                if interlaced { notes.append("deinterlaced (\(videoInfo.fieldOrder ?? "interlaced"))") }
                // HDR (PQ/HLG): tone-mapped to SDR BT.709; SDR sources take the plain path.
                var toneMapper: ToneMapper?
                if let hdr = videoInfo.hdr {
                    toneMapper = try ToneMapper(kind: hdr, peak: ToneMapper.signalPeak(of: frame) ?? 10)
                    notes.append(String(format: "HDR (%@) tone-mapped to SDR BT.709 (hable, peak %.0f cd/m²)", hdr.rawValue, toneMapper!.peak * 100))
                }
                fitter = try VideoFitter(geometry: geometry, sourceFormat: format, colorSpace: cs, fullRange: fullRange,
                                         deinterlace: interlaced, padColor: Self.yuv(options.padColor), toneMapper: toneMapper)
            }
            if let n = normalizer {
                n.scaler.scale(source: frame.dataPointers.map { UnsafePointer($0) }, sourceStrides: frame.linesizes,
                               destination: n.frame.dataPointers, destinationStrides: n.frame.linesizes)
                source = n.frame
            }
            return try fitter!.fit(source)
        }

        /// Sends the pending picture for every output slot before `slot`.
        func emit(until slot: Int64) throws {
            guard let p = pending else { return }
            for n in clock.advance(to: slot, limit: limitSlot ?? .max) {
                if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
                if pendingFitted == nil { pendingFitted = try stage("fit video") { try fitted(p) } }
                let out = pendingFitted!
                out.pointer.pointee.pts = n
                try stage("encode video") { try videoEncoder.send(out) }
                try drainVideo()
                if let audio, aStream == nil { try audio.fill(toSeconds: Double(n + 1) / fps, emit: writeAudio) }
                if let onProgress, Date().timeIntervalSince(lastProgress) > 0.25 {
                    lastProgress = Date()
                    let wall = Date().timeIntervalSince(began)
                    let secs = Double(n + 1) / fps
                    onProgress(ConversionProgress(seconds: secs, totalSeconds: totalSeconds, frames: Int(n + 1),
                                                  framesPerSecond: Double(n + 1) / max(wall, 1e-3), speed: secs / max(wall, 1e-3)))
                }
            }
        }

        var received = try Frame()
        func takeVideoFrames() throws {
            while try stage("decode video", { try videoDecoder.receive(into: received) }) == .got {
                if videoDone { received.unref(); continue }
                let ts = received.bestEffortTimestamp
                let t = ts == noPTS ? lastTime + lastDuration : Double(ts) * vtb.double - origin
                let d = received.pointer.pointee.pkt_duration
                if d > 0 { lastDuration = Double(d) * vtb.double }
                lastTime = t
                if let dur = options.duration, t >= dur - 0.5 / fps { videoDone = true; received.unref(); continue }
                try emit(until: clock.slot(atSeconds: t))
                // The new picture replaces the pending one; the old frame object is reused.
                let old = try pending ?? Frame()
                old.unref()
                pending = received
                pendingFitted = nil
                received = old
            }
        }

        let decodedAudio = try Frame()
        let atb = aStream?.pointee.time_base ?? AVRational(num: 1, den: 1)
        func takeAudioFrames() throws {
            guard let audioDecoder, let audio else { return }
            while try stage("decode audio", { try audioDecoder.receive(into: decodedAudio) }) == .got {
                let ts = decodedAudio.bestEffortTimestamp
                if !audio.isFull {
                    try stage("convert audio") {
                        try audio.add(decodedAudio, atSeconds: ts == noPTS ? nil : Double(ts) * atb.double - origin, emit: writeAudio)
                    }
                }
                decodedAudio.unref()
            }
        }

        // Demux loop.
        let packet = try Packet()
        while try stage("read input", { try demuxer.read(into: packet) }) {
            if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
            defer { packet.unref() }
            if packet.streamIndex == videoInfo.index {
                if videoDone { continue }
                do { try videoDecoder.send(packet) } catch let e as FFmpegError where e.code == AVError.invalidData {
                    notes.append("skipped a damaged video packet"); continue
                }
                try takeVideoFrames()
            } else if let a = audioInfo, packet.streamIndex == a.index, let audioDecoder {
                if audio?.isFull == true { continue }
                do { try audioDecoder.send(packet) } catch let e as FFmpegError where e.code == AVError.invalidData {
                    notes.append("skipped a damaged audio packet"); continue
                }
                try takeAudioFrames()
            }
            if videoDone && (audio == nil || aStream == nil || audio!.isFull) { break }
        }
        try stage("flush video decoder") { try videoDecoder.send(nil) }
        try takeVideoFrames()
        if let audioDecoder {
            try stage("flush audio decoder") { try audioDecoder.send(nil) }
            try takeAudioFrames()
        }
        guard pending != nil else { throw LocalEngineError.noFramesDecoded(path: report.path) }

        // The last picture lasts its own duration, and longer if the sound runs on.
        var endSlot = max(clock.next + 1, clock.slot(atSeconds: lastTime + lastDuration))
        if let audio, aStream != nil {
            // Rounded, not ceiled: a few ms of AAC padding past the last picture must not add a
            // duplicated frame (the audio is cut to the video's end instead, well within a frame).
            endSlot = max(endSlot, Int64((audio.endSeconds * fps).rounded()))
        }
        try emit(until: endSlot)
        let frames = clock.next
        try stage("flush H.264 encoder") { try videoEncoder.send(nil) }
        try drainVideo()
        if let audio {
            let total = Int64((Double(frames) / fps * Double(AudioTrack.rate)).rounded())
            try stage("finish audio") { try audio.finish(totalSamples: total, emit: writeAudio) }
        }
        try stage("finish MP4") { try muxer.finish() }
        if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
        try output.commit()

        let wall = Date().timeIntervalSince(began)
        outcomes.insert(StreamOutcome(index: videoInfo.index, type: "video", codec: videoInfo.codec, action: .reencoded, outputCodec: "h264",
                                      reason: "fit to 1080x1920 (\(options.fit.rawValue))"), at: 0)
        if let a = audioInfo {
            outcomes.insert(StreamOutcome(index: a.index, type: "audio", codec: a.codec, action: .reencoded, outputCodec: "aac",
                                          reason: "AAC-LC 48 kHz stereo"), at: 1)
        }
        let seconds = Double(frames) / fps
        if seconds > 60.5 { notes.append(String(format: "the result is %.0f s long; TikTok's default upload limit for many accounts is 60 s (--duration trims)", seconds)) }
        return ConversionResult(input: report.path, output: output.finalPath, plan: .tiktok, streams: outcomes, notes: notes,
                                durationSeconds: seconds, videoFrames: Int(frames), wallSeconds: wall,
                                encodeFPS: Double(frames) / max(wall, 1e-3))
    }

    /// Pixel aspect ratio: the decoder's if set, else the probe's.
    static func sampleAspect(_ frame: Frame, _ info: StreamInfo) -> Double {
        let sar = frame.pointer.pointee.sample_aspect_ratio
        if sar.num > 0 && sar.den > 0 { return Double(sar.num) / Double(sar.den) }
        if let s = info.sampleAspectRatio {
            let p = s.split(separator: ":").compactMap { Double($0) }
            if p.count == 2, p[0] > 0, p[1] > 0 { return p[0] / p[1] }
        }
        return 1
    }

    /// BT.709 limited-range Y'CbCr for an 8-bit RGB colour (bar colour).
    static func yuv(_ c: (r: UInt8, g: UInt8, b: UInt8)) -> (y: UInt8, u: UInt8, v: UInt8) {
        let r = Double(c.r) / 255, g = Double(c.g) / 255, b = Double(c.b) / 255
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let u = (b - y) / 1.8556, v = (r - y) / 1.5748
        func clamp(_ x: Double) -> UInt8 { UInt8(max(0, min(255, x.rounded()))) }
        return (clamp(16 + 219 * y), clamp(128 + 224 * u), clamp(128 + 224 * v))
    }
}
