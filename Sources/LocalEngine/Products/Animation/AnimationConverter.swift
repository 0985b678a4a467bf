import FFmpeg
import Foundation
import MediaProbe
import Planning

/// The tiktok plan for an animated GIF, WebP or PNG: a thin composition of the video stages —
/// frames (`AnimationFrames`: FFmpeg for GIF/APNG, libwebp for WebP) → frame clock → fit
/// (`FitStage`) → picture edits → encode + mux (`TikTokSink`). Every frame keeps its own delay;
/// an animation shorter than TikTok's 3-second minimum plays whole cycles until it reaches it
/// (`--loop N` chooses the number of plays).
final class AnimationConverter {
    private let report: ProbeReport
    private let info: AnimationInfo
    private let options: TikTokOptions
    private let target: ConversionTarget

    init(report: ProbeReport, info: AnimationInfo, options: TikTokOptions, target: ConversionTarget) {
        self.report = report
        self.info = info
        self.options = options
        self.target = target
    }

    /// The output rate the plan names (`AnimationInfo.outputFPS`), as an exact rational.
    static func rate(_ info: AnimationInfo) -> Rational { StandardFrameRate.nearest(info.outputFPS) }

    func run() throws -> ConversionResult {
        let began = Date()
        let log = ConversionLog()
        let plays = info.plays(asked: options.loop)
        let total = Double(plays) * info.cycleSeconds
        let length = options.outputDuration.map { min($0, total) } ?? total
        let sink = try TikTokSink(path: target.temporaryPath, contract: TikTokOutput(rate: Self.rate(info)), options: options, withAudio: options.silentAudio)
        guard let stream = report.primaryVideo else { throw LocalEngineError.noVideoStream(path: report.path) }
        let frames = try AnimationDecoders.open(report, background: options.padColor)
        // Smart reframing follows shots of a video file; an animation is shown whole over its blurred fill.
        let fit = FitStage(windows: FixedFit(mode: options.fit == .smart ? .blur : options.fit, focus: options.focus), info: stream, padColor: options.padColor, log: log)
        var video = StillsPath(sink: sink, fit: fit,
                               edits: PictureEditStage(edits: options.edits, fades: FadeTimes(options.edits, end: length), fps: sink.fps),
                               limit: Int64((length * sink.fps).rounded()))
        var meter = ProgressMeter(began: began, totalSeconds: length, callback: target.progress)
        var t = 0.0
        for play in 0..<plays {
            if play > 0 { try frames.rewind() }
            while let (picture, delay) = try frames.next() {
                try target.checkCancelled()
                try video.show(picture, at: t, until: t + delay) { slot in
                    if options.silentAudio { try sink.fillSilence(toSeconds: Double(slot + 1) / sink.fps) }
                    meter.update(seconds: Double(slot + 1) / sink.fps, frames: Int(slot + 1))
                }
                t += delay
            }
        }
        guard video.encoded > 0 else { throw LocalEngineError.noFramesDecoded(path: report.path) }
        try sink.finish(frames: video.encoded)
        try target.commit()
        notes(log, plays: plays)
        let seconds = Double(video.encoded) / sink.fps
        let wall = Date().timeIntervalSince(began)
        let outcome = StreamOutcome(index: report.primaryVideo?.index ?? 0, type: .video, codec: report.primaryVideo?.codec ?? report.format,
                                    action: .reencoded, outputCodec: "h264", reason: "fit to 1080x1920 (\(options.fit.rawValue))")
        return ConversionResult(input: report.path, output: target.finalPath, plan: .tiktok, streams: [outcome], notes: log.notes,
                                durationSeconds: seconds, videoFrames: Int(video.encoded), wallSeconds: wall,
                                encodeFPS: Double(video.encoded) / max(wall, 1e-3))
    }

    private func notes(_ log: ConversionLog, plays: Int) {
        log.note(String(format: "animated %@: %d frames, %@, %.2f s a play", report.format.uppercased(), info.frames, info.delaysText,
                        info.cycleSeconds))
        if plays > 1 {
            log.note(options.loop != nil ? "played \(plays) times (--loop)"
                                         : String(format: "played %d times to reach TikTok's 3-second minimum (--loop N chooses)", plays))
        }
        if options.start != nil { log.note("--start does not apply to an animation; it plays from its first frame") }
        if !options.silentAudio { log.note("an animation has no sound: the output has none (--silent-audio adds silence)") }
    }
}

/// Pictures with their own display times onto the constant-rate output clock: each picture is
/// fitted once and shown in every slot it covers; a picture that covers no slot is never fitted.
struct StillsPath {
    let sink: TikTokSink
    let fit: FitStage
    let edits: PictureEditStage?
    /// No slot at or past this one is encoded (the trim).
    let limit: Int64
    private var clock: FrameClock

    init(sink: TikTokSink, fit: FitStage, edits: PictureEditStage?, limit: Int64) {
        self.sink = sink; self.fit = fit; self.edits = edits; self.limit = limit
        clock = FrameClock(fps: sink.fps)
    }

    var encoded: Int64 { clock.next }

    mutating func show(_ picture: Frame, at start: Double, until end: Double, onSlot: (Int64) throws -> Void) throws {
        let slots = clock.advance(to: clock.slot(atSeconds: end), limit: limit)
        guard !slots.isEmpty else { return }
        let fitted = try stage("fit animation") { try fit.fit(picture, at: start) }
        edits?.prepare(fitted)
        for n in slots {
            try onSlot(n)
            try sink.encode(try edits?.picture(fitted, slot: n) ?? fitted, slot: n)
        }
    }
}
