import Captions
import FFmpeg
import Foundation
import MediaProbe
import Planning

/// The audiogram: an audio-only input as a 1080x1920 video — a thin composition of the stages:
/// demux + decode the sound → the sink's AAC track (all of it); the same sound → `LevelMeter`
/// (band levels per output frame) → `AudiogramPicture` (the cover plate, with only the bars'
/// strip redrawn) → `TikTokSink`. The picture is mostly still, so x264 spends little on it.
public final class AudiogramConverter: Conversion {
    public let report: ProbeReport
    private let cover: ProbeReport?
    private let options: TikTokOptions
    private let target: ConversionTarget
    static let fps = Rational(30, 1)

    /// - Parameter cover: the probed `--cover` photo; nil uses the file's own cover art, else a plain plate.
    public init(report: ProbeReport, cover: ProbeReport?, options: TikTokOptions, outputPath: String, overwrite: Bool,
                cancel: CancellationFlag? = nil, progress: ((ConversionProgress) -> Void)? = nil) throws {
        self.report = report
        self.cover = cover
        self.options = options
        target = try ConversionTarget(outputPath: outputPath, overwrite: overwrite, inputPaths: [report.path] + (cover.map { [$0.path] } ?? []),
                                      cancel: cancel, progress: progress)
    }

    public var temporaryPath: String { target.temporaryPath }

    public func run() throws -> ConversionResult {
        try target.run(stage: "audiogram") { try convert() }
    }

    private func convert() throws -> ConversionResult {
        let began = Date()
        guard let audio = report.primaryAudio else { throw LocalEngineError.musicUnusable(path: report.path, reason: "no audio stream") }
        let log = ConversionLog()
        let picture = try AudiogramPicture(plate: try withTitle(try plate(log: log), log: log))
        let demuxer = try stage("open input") { try Demuxer(path: report.path, analyze: !report.headerIsComplete) }
        if let start = options.start, start > 0 { try stage("seek") { try demuxer.seek(toSeconds: start) } }
        let origin = (audio.startTime ?? 0) + (options.start ?? 0)
        let decoder = try stage("open audio decoder") { try Decoder(demuxer: demuxer, stream: audio.index) }
        let timeBase = demuxer.parameters(of: audio.index).timeBase.double
        let sink = try TikTokSink(path: target.temporaryPath, contract: TikTokOutput(rate: Self.fps), options: options, withAudio: true, tags: report.tags ?? [:])
        let meter = LevelMeter(bands: AudiogramPlan.bars, fps: sink.fps)
        let length = options.outputDuration ?? report.duration.map { max(0, $0 - (options.start ?? 0)) }
        var progress = ProgressMeter(began: began, totalSeconds: length, callback: target.progress)
        let frame = try Frame(), packet = try Packet()

        /// Encodes every frame whose sound is in (all of them at the end).
        func pictures(final: Bool) throws {
            let limit = options.outputDuration.map { Int64(($0 * sink.fps).rounded(.up)) } ?? .max
            while meter.nextSlot < limit, let levels = meter.nextLevels(final: final && meter.nextSlot < lastSlot(meter, sink)) {
                try target.checkCancelled()
                let slot = meter.nextSlot - 1
                try sink.encode(try picture.draw(levels), slot: slot)
                progress.update(seconds: Double(slot + 1) / sink.fps, frames: Int(slot + 1))
            }
        }
        func receive() throws {
            while try stage("decode audio", { try decoder.receive(into: frame) }) == .got {
                defer { frame.unref() }
                let t = frame.bestEffortTimestamp.map { Double($0) * timeBase - origin }
                if let t, t + Double(frame.sampleCount) / Double(max(1, frame.sampleRate)) <= 0 { continue }
                try sink.addAudio(frame, atSeconds: t)
                try stage("measure levels") { try meter.add(frame) }
                try pictures(final: false)
            }
        }
        while try stage("read input", { try demuxer.read(into: packet) }) {
            defer { packet.unref() }
            guard packet.streamIndex == audio.index else { continue }
            if let length = options.outputDuration, Double(meter.total) / Double(LevelMeter.rate) > length + 0.5 { break }
            do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { log.note("skipped a damaged audio packet"); continue }
            try receive()
        }
        try stage("flush audio decoder") { try decoder.send(nil) }
        try receive()
        try stage("measure levels") { try meter.finish() }
        try pictures(final: true)
        guard meter.nextSlot > 0 else { throw LocalEngineError.musicUnusable(path: report.path, reason: "no sound could be decoded") }
        noteIfShort(decoded: Double(meter.total) / Double(LevelMeter.rate), log: log)
        try sink.finish(frames: meter.nextSlot)
        try target.commit()
        return result(frames: meter.nextSlot, fps: sink.fps, audio: audio, log: log, began: began)
    }

    /// A file whose sound stops decoding long before the length it claims (a damaged or cut
    /// stream) gives a shorter audiogram; the user is told rather than left to find out.
    private func noteIfShort(decoded: Double, log: ConversionLog) {
        guard options.outputDuration == nil, let claimed = report.duration.map({ $0 - (options.start ?? 0) }),
              claimed - decoded > max(1, 0.05 * claimed) else { return }
        log.note(String(format: "the sound ends at %.1f s though the file says %.1f s: the rest could not be decoded (damaged or missing)",
                        decoded, claimed))
    }

    /// The slot after the last one the sound reaches (rounded up: the whole sound is kept).
    private func lastSlot(_ meter: LevelMeter, _ sink: TikTokSink) -> Int64 {
        Int64((Double(meter.total) / Double(LevelMeter.rate) * sink.fps - 1e-6).rounded(.up))
    }

    /// The cover fitted to 1080x1920 over its own blurred fill, or the plain plate.
    private func plate(log: ConversionLog) throws -> Frame {
        let source: ProbeReport?
        switch AudiogramPlan.cover(for: report, given: cover?.path) {
        case .given: source = cover; log.note("picture: the cover \((cover?.path as NSString?)?.lastPathComponent ?? "") (--cover)")
        case .embedded: source = report; log.note("picture: the file's embedded cover art")
        case .plain: source = nil; log.note("picture: a plain background (no --cover, no cover art in the file)")
        }
        guard let source, let size = PhotoReader.displaySize(source) else { return try AudiogramPicture.plainPlate() }
        // Read at the width it will be shown (even sizes), then fitted whole over its blurred fill.
        let width = FitGeometry.outputWidth
        let height = max(2, Int((Double(size.height) * Double(width) / Double(size.width) / 2).rounded()) * 2)
        let photo = try PhotoReader.read(source, width: width, height: min(height, FitGeometry.outputHeight))
        var info = StreamInfo(index: 0, type: .video, codec: "rawvideo")
        info.width = photo.width; info.height = photo.height
        let fit = FitStage(windows: FixedFit(mode: .blur, focus: (0.5, 0.5)), info: info, padColor: options.padColor, log: log)
        return try stage("fit cover") { try fit.fit(photo.frame, at: 0).reference() }
    }

    /// The file's tagged title (and artist, on a second line) at the top of the safe zone, above
    /// the cover. The plate is the same in every frame, so libass renders it once, here.
    private func withTitle(_ plate: Frame, log: ConversionLog) throws -> Frame {
        guard let title = Self.tag("title", report) else { return plate }
        let artist = Self.tag("artist", report)
        let named = "'\(title)'" + (artist.map { " by \($0)" } ?? "")
        let script = CaptionScript(cues: [], titles: [TitleText(text: artist.map { "\(title)\n\($0)" } ?? title, start: 0, end: 86_400)],
                                   style: options.captionStyle)
        let renderer: CaptionRenderer
        do { renderer = try CaptionRenderer(script: script, width: plate.width, height: plate.height) } catch {
            log.note("tagged title \(named): kept as the MP4's tags; not drawn (\(error.localizedDescription))")
            return plate
        }
        if let overlay = renderer.overlay(atSeconds: 0) {
            try stage("draw title") { try plate.makeWritable() }
            CaptionStage.blend(overlay, into: plate)
        }
        log.note("tagged title \(named): drawn above the picture and kept as the MP4's tags")
        return plate
    }

    private static func tag(_ key: String, _ report: ProbeReport) -> String? {
        guard let v = report.tags?[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    private func result(frames: Int64, fps: Double, audio: StreamInfo, log: ConversionLog, began: Date) -> ConversionResult {
        let seconds = Double(frames) / fps
        if seconds > 60.5 {
            log.note(String(format: "the result is %.0f s long; TikTok's default upload limit for many accounts is 60 s (--duration trims)", seconds))
        }
        let wall = Date().timeIntervalSince(began)
        let streams = [StreamOutcome(index: audio.index, type: .audio, codec: audio.codec, action: .reencoded, outputCodec: "aac",
                                     reason: "AAC-LC 48 kHz stereo (the TikTok contract), all of it"),
                       StreamOutcome(index: -1, type: .video, codec: "audiogram", action: .reencoded, outputCodec: "h264",
                                     reason: "cover with \(AudiogramPlan.bars) level bars, 1080x1920 30 fps")]
        return ConversionResult(input: report.path, output: target.finalPath, plan: .tiktok, streams: streams, notes: log.notes,
                                durationSeconds: seconds, videoFrames: Int(frames), wallSeconds: wall, encodeFPS: Double(frames) / max(wall, 1e-3))
    }
}
