import FFmpeg
import Captions
import Foundation
import MediaProbe
import OutputFiles
import Planning
import Reframing

/// The tiktok plan: any video → 1080x1920 H.264 High yuv420p BT.709 CFR + AAC-LC 48 kHz stereo,
/// MP4 with the index first.
///
/// One pass, one thread of our own (x264 and the decoder run their own threads), as a chain of
/// stages: demux (`TikTokSource`) → decode → frame clock → fit (`VideoPath`, `FitStage`) →
/// encode → mux (`TikTokSink`), with the audio path (`AudioPath`) on the same clock, so both
/// tracks start at zero and end together. `convert()` reads like FFmpeg's transcode.c: open
/// input, open output, read loop, flush the decoders, then the encoders, then the trailer.
public final class TikTokConverter: Conversion {
    public let report: ProbeReport
    public let options: TikTokOptions
    private let target: ConversionTarget

    public init(report: ProbeReport, options: TikTokOptions, outputPath: String, overwrite: Bool,
                cancel: CancellationFlag? = nil, progress: ((ConversionProgress) -> Void)? = nil) throws {
        self.report = report
        self.options = options
        target = try ConversionTarget(outputPath: outputPath, overwrite: overwrite, inputPaths: [report.path],
                                      cancel: cancel, progress: progress)
    }

    public var temporaryPath: String { target.temporaryPath }
    /// With `--fit smart`: the path the render followed (analysed, or given), for `--reframe-out`.
    public private(set) var reframePath: ReframePath?

    public func run() throws -> ConversionResult {
        try target.run(stage: "convert") { try convert() }
    }

    private func convert() throws -> ConversionResult {
        if let info = report.animation {
            return try AnimationConverter(report: report, info: info, options: options, target: target).run()
        }
        if options.mode != .encode {
            return try TikTokPassthrough(report: report, options: options, target: target).run()
        }
        let began = Date()
        let log = ConversionLog()
        let source = try TikTokSource(report: report, start: options.start)
        let length = source.expectedOutputLength(options, report: report)
        // Captions are read before the output is opened: a bad subtitle file writes nothing.
        let captionScript = try CaptionLoader.script(options, report: report, outputLength: length, log: log)
        let sink = try openOutput(source, log: log)
        let fades = FadeTimes(options.edits, end: length)
        let captions = try captionScript.map {
            CaptionStage(renderer: try CaptionRenderer(script: $0, width: FitGeometry.outputWidth, height: FitGeometry.outputHeight),
                         offset: options.start ?? 0, speed: options.speed, fps: sink.fps)
        }
        let video = try openVideo(source, sink: sink, fades: fades, captions: captions, log: log, began: began)
        let audio = try openAudio(source, sink: sink, fades: fades, log: log)

        try pump(source, video: video, audio: audio)
        try video.flush()
        try audio?.flush()
        guard video.hasPicture else { throw LocalEngineError.noFramesDecoded(path: report.path) }
        if video.damage.isTooMuch, let summary = video.damage.summary {
            throw LocalEngineError.tooDamaged(path: report.path, summary: summary, percent: Int((video.damage.fraction * 100).rounded()))
        }
        if let summary = video.damage.summary { log.note(summary) }
        try video.finish(until: endSlot(video, sink: sink, hasSourceAudio: audio != nil))
        try sink.finish(frames: video.framesEncoded)
        try target.commit()
        return result(source, frames: video.framesEncoded, fps: sink.fps, fades: fades, log: log, began: began)
    }

    /// Encoders and muxer, at the output rate the source's rate calls for.
    private func openOutput(_ source: TikTokSource, log: ConversionLog) throws -> TikTokSink {
        let contract = TikTokContract.output(for: source.video)
        if let d = source.video.averageFrameRate, abs(d - contract.framesPerSecond) / contract.framesPerSecond > 0.01 {
            log.note("frame rate \(FrameRateText.format(d)) → \(FrameRateText.format(contract.framesPerSecond)) fps, constant")
        }
        if source.audio == nil {
            log.note(options.silentAudio ? "no audio in the source: added a silent track"
                                         : "no audio in the source: the output has none (--silent-audio adds silence)")
        } else if options.edits.mute && options.silentAudio {
            log.note("muted: a silent track replaces the sound (--silent-audio)")
        }
        return try TikTokSink(path: target.temporaryPath, contract: contract, options: options,
                              withAudio: keepsSourceAudio(source) || options.silentAudio)
    }

    /// The source's sound is kept (there is one and it is not muted).
    private func keepsSourceAudio(_ source: TikTokSource) -> Bool { source.audio != nil && !options.edits.mute }

    /// The video stages, with the per-slot hook: cancellation, progress, and silence for a
    /// source without sound (or a muted one).
    private func openVideo(_ source: TikTokSource, sink: TikTokSink, fades: FadeTimes, captions: CaptionStage?, log: ConversionLog,
                           began: Date) throws -> VideoPath {
        let fit = FitStage(windows: try windows(for: source, log: log), info: source.video, padColor: options.padColor, log: log)
        let total = (options.duration ?? report.duration.map { max(0, $0 - (options.start ?? 0)) }).map { $0 / options.speed }
        var meter = ProgressMeter(began: began, totalSeconds: total, callback: target.progress)
        let silent = !keepsSourceAudio(source)
        let fps = sink.fps
        let edits = PictureEditStage(edits: options.edits, fades: fades, fps: fps)
        return try VideoPath(source: source, fit: fit, sink: sink, options: options, edits: edits, captions: captions,
                             log: log) { [target] slot in
            try target.checkCancelled()
            if silent { try sink.fillSilence(toSeconds: Double(slot + 1) / fps) }
            meter.update(seconds: Double(slot + 1) / fps, frames: Int(slot + 1))
        }
    }

    /// Where each picture's window comes from: the fit mode, or for `--fit smart` a reframe
    /// path — analysed now (a first, cheap pass over the video), or given with `--reframe-in`.
    private func windows(for source: TikTokSource, log: ConversionLog) throws -> FitWindowSource {
        guard options.fit == .smart else { return FixedFit(mode: options.fit, focus: options.focus) }
        guard let display = source.video.displaySize, SmartReframe.needsReframe(width: display.width, height: display.height) else {
            log.note("smart fit: the picture is already 9:16 or taller, nothing to reframe")
            return FixedFit(mode: .blur, focus: options.focus)
        }
        guard let path = try options.reframePath ?? analysedPath(log: log) else { return FixedFit(mode: .blur, focus: options.focus) }
        reframePath = path
        let modes = Dictionary(grouping: path.shots, by: \.mode).mapValues(\.count)
        log.note("smart fit: \(path.shots.count) shot\(path.shots.count == 1 ? "" : "s") (" + [Shot.Mode.still, .pan, .split, .fill]
            .compactMap { m in modes[m].map { "\($0) \(m.rawValue)" } }.joined(separator: ", ") + ")")
        return PathFit(path: path)
    }

    /// The analysed path, or nil when the analysis failed: analysis is an improvement, never the
    /// reason a conversion fails, so any error but a cancellation falls back to the blur fit.
    private func analysedPath(log: ConversionLog) throws -> ReframePath? {
        do {
            return try SmartReframe.analyse(report, options: options, cancel: target.cancel, progress: target.progress, note: { log.note($0) })
        } catch LocalEngineError.cancelled {
            throw LocalEngineError.cancelled
        } catch {
            log.note("smart fit: analysis failed (\(error.localizedDescription)); used the blur fit instead")
            return nil
        }
    }

    /// The audio stages, with the sound edits when there are any; nil when no sound is kept.
    private func openAudio(_ source: TikTokSource, sink: TikTokSink, fades: FadeTimes, log: ConversionLog) throws -> AudioPath? {
        guard keepsSourceAudio(source), let stream = source.audio else { return nil }
        var edits: AudioEditStage?
        if options.edits.changesSound, let track = sink.audio {
            let target = AudioEditStage.Target(format: track.sampleFormat, rate: track.sampleRate, layout: track.outputLayout)
            var loudness: Loudness?
            if options.edits.loudnorm {
                loudness = try LoudnessScan.measure(path: report.path, stream: stream.index, analyze: !report.headerIsComplete,
                                                    seek: options.start, origin: source.origin, length: options.duration,
                                                    target: target, cancel: self.target.cancel)
            }
            edits = try AudioEditStage(edits: options.edits, target: target, fades: fades, loudness: loudness)
        }
        return try AudioPath(source: source, stream: stream, sink: sink, edits: edits, trim: options.duration, log: log)
    }

    /// The read loop: every packet to its stage, until the trim's end is reached on both.
    private func pump(_ source: TikTokSource, video: VideoPath, audio: AudioPath?) throws {
        while let packet = try source.read() {
            try target.checkCancelled()
            if packet.streamIndex == source.video.index {
                try video.send(packet)
            } else if let audio, packet.streamIndex == source.audio?.index {
                try audio.send(packet)
            }
            if video.isDone && (audio?.isFull ?? true) { break }
        }
    }

    /// The last picture lasts its own duration, and longer if the sound runs on.
    private func endSlot(_ video: VideoPath, sink: TikTokSink, hasSourceAudio: Bool) -> Int64 {
        var end = video.naturalEndSlot
        if hasSourceAudio, let audio = sink.audio {
            // Rounded, not ceiled: a few ms of AAC padding past the last picture must not add a
            // duplicated frame (the audio is cut to the video's end instead, well within a frame).
            end = max(end, Int64((audio.endSeconds * sink.fps).rounded()))
        }
        return end
    }

    private func result(_ source: TikTokSource, frames: Int64, fps: Double, fades: FadeTimes, log: ConversionLog,
                        began: Date) -> ConversionResult {
        let dropped = TikTokSource.droppedStreams(report, keeping: [source.video.index, source.audio?.index].compactMap { $0 })
        var outcomes = [StreamOutcome(index: source.video.index, type: .video, codec: source.video.codec, action: .reencoded,
                                      outputCodec: "h264", reason: "fit to 1080x1920 (\(options.fit.rawValue))" + edited(options.edits.pictureSummary))]
        if let a = source.audio {
            outcomes.append(options.edits.mute
                ? StreamOutcome(index: a.index, type: .audio, codec: a.codec, action: .dropped, outputCodec: nil,
                                reason: "muted" + (options.silentAudio ? " (a silent track replaces it)" : ""))
                : StreamOutcome(index: a.index, type: .audio, codec: a.codec, action: .reencoded, outputCodec: "aac",
                                reason: "AAC-LC 48 kHz stereo" + edited(options.edits.soundSummary)))
        }
        var notes = dropped.notes + log.notes + options.edits.reportNotes(fades: fades, hasSound: source.audio != nil)
        let seconds = Double(frames) / fps
        if seconds > 60.5 {
            notes.append(String(format: "the result is %.0f s long; TikTok's default upload limit for many accounts is 60 s (--duration trims)", seconds))
        }
        let wall = Date().timeIntervalSince(began)
        var result = ConversionResult(input: report.path, output: target.finalPath, plan: .tiktok, streams: outcomes + dropped.outcomes,
                                      notes: notes, durationSeconds: seconds, videoFrames: Int(frames), wallSeconds: wall,
                                      encodeFPS: Double(frames) / max(wall, 1e-3))
        result.shots = reframePath.map(SmartReframe.summary)
        return result
    }

    private func edited(_ summary: String) -> String { summary.isEmpty ? "" : "; " + summary }
}
