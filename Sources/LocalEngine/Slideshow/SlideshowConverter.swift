import CPixel
import FFmpeg
import Foundation
import MediaProbe
import OutputFiles
import Planning

/// The offline photo slideshow: photos → a 1080x1920 30 fps Ken Burns slideshow with
/// crossfades (and music), under the tiktok plan's output contract (`TikTokSink`).
///
/// One thread of our own: for each output frame, the photos it shows are sampled at sub-pixel
/// positions into the frame (`PhotoPlate`), blended during a crossfade, and handed to the sink
/// by slot; the music follows a few seconds behind (`MusicTrack`). Photos are decoded one at a
/// time, one ahead of the picture (`PhotoRoll`); an unreadable one is left out and named.
public final class SlideshowConverter {
    public let photos: [ProbeReport]
    public let options: SlideshowOptions
    private let output: OutputFile
    private let cancel: CancellationFlag?
    private let onProgress: ((ConversionProgress) -> Void)?
    /// The seam for moving towards faces: asked once per photo (nil: the default moves).
    var motionTargets: MotionTargetFinder?

    /// - Parameter photos: the photos' probe reports, in the order given; `options.order` may
    ///   sort them.
    public init(photos: [ProbeReport], options: SlideshowOptions, outputPath: String, overwrite: Bool,
                cancel: CancellationFlag? = nil, progress: ((ConversionProgress) -> Void)? = nil) throws {
        guard !photos.isEmpty else { throw LocalEngineError.noReadablePhotos(count: 0) }
        self.photos = PhotoOrdering.sorted(photos, by: options.order)
        self.options = options
        self.cancel = cancel
        onProgress = progress
        let inputs = photos.map(\.path) + [options.music?.path].compactMap { $0 }
        output = try OutputFile(finalPath: outputPath, overwrite: overwrite, inputPaths: inputs)
    }

    public var temporaryPath: String { output.temporaryPath }

    public func run() throws -> ConversionResult {
        do { return try convert() } catch let e as LocalEngineError {
            throw e.naming(output: output.finalPath)
        } catch let e as FFmpegError {
            throw LocalEngineError.ffmpeg(e, stage: "slideshow")
        }
    }

    private func convert() throws -> ConversionResult {
        let began = Date()
        let log = ConversionLog()
        let roll = PhotoRoll(reports: photos, timeline: try plan(count: photos.count), replan: { [unowned self] count, locked in
            try self.plan(count: count, locked: locked)
        }, prepare: { [options, motionTargets] report, index in
            try PhotoPlate(report: report, index: index, motion: options.motion, targets: motionTargets)
        })
        let rate = Rational(Int32(SlideshowOptions.frameRate), 1)
        let sink = try TikTokSink(path: output.temporaryPath, rate: rate, options: options.encoding, withAudio: options.silentAudio)
        if !options.silentAudio { log.note("no music: the output has no audio (--music adds a song, --silent-audio a silent track)") }
        let frames = try film(roll, sink: sink, began: began)
        try sink.finish(frames: Int64(frames))
        if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
        try output.commit()
        for s in roll.skipped { log.note("left out \(s.path): \(s.reason)") }
        return result(roll, frames: frames, log: log, began: began)
    }

    /// The timeline for `count` photos, keeping the cuts in `locked`.
    private func plan(count: Int, locked: [Double] = [0]) throws -> SlideshowTimeline {
        let transition = options.transition == .crossfade ? max(0, options.transitionDuration) : 0
        return SlideshowTimeline.plan(count: count, photoDuration: options.photoDuration, transition: transition, locked: locked)
    }

    /// The frame loop: every output slot drawn and encoded, until the (possibly re-planned) end.
    private func film(_ roll: PhotoRoll, sink: TikTokSink, began: Date) throws -> Int {
        let canvas = try FrameCanvas()
        var meter = ProgressMeter(began: began, totalSeconds: roll.timeline.duration, callback: onProgress)
        var plannedEnd = roll.timeline.duration
        var frame = 0
        while frame < roll.timeline.frameCount {
            if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
            let (shot, plate, next) = try roll.shot(atFrame: frame)
            let t = roll.timeline.seconds(ofFrame: frame)
            let u = progress(of: shot.photo, at: t, in: roll.timeline)
            let picture = try canvas.draw(plate, at: u, blending: next.map { ($0, progress(of: shot.photo + 1, at: t, in: roll.timeline), shot.weight) })
            try sink.encode(picture, slot: Int64(frame))
            let done = Double(frame + 1) / Double(SlideshowOptions.frameRate)
            if options.silentAudio { try sink.fillSilence(toSeconds: done) }
            if roll.timeline.duration != plannedEnd {
                plannedEnd = roll.timeline.duration
                meter = ProgressMeter(began: began, totalSeconds: plannedEnd, callback: onProgress)
            }
            meter.update(seconds: done, frames: frame + 1)
            frame += 1
        }
        return frame
    }

    /// How far photo `i`'s move has got at `t` (0 at its first visible instant, 1 at its last).
    private func progress(of i: Int, at t: Double, in timeline: SlideshowTimeline) -> Double {
        let v = timeline.visible(i)
        return v.end > v.start ? (t - v.start) / (v.end - v.start) : 0
    }

    private func result(_ roll: PhotoRoll, frames: Int, log: ConversionLog, began: Date) -> ConversionResult {
        let seconds = Double(frames) / Double(SlideshowOptions.frameRate)
        let timeline = roll.timeline
        var motion = options.motion ? "Ken Burns" : "still"
        if options.transition == .crossfade { motion += String(format: ", %.2g s crossfades", timeline.transition) }
        let video = StreamOutcome(index: 0, type: "video", codec: "photos", action: .reencoded, outputCodec: "h264",
                                  reason: "\(roll.shown.count) photos, \(motion), 1080x1920 30 fps")
        var notes = log.notes
        if seconds > 60.5 {
            notes.append(String(format: "the result is %.0f s long; TikTok's default upload limit for many accounts is 60 s", seconds))
        }
        let summary = SlideshowSummary(photos: roll.shown, skipped: roll.skipped, photoSeconds: timeline.photoSeconds)
        let wall = Date().timeIntervalSince(began)
        return ConversionResult(input: roll.shown.first ?? photos[0].path, output: output.finalPath, plan: .tiktok, streams: [video],
                                notes: notes, durationSeconds: seconds, videoFrames: frames, wallSeconds: wall,
                                encodeFPS: Double(frames) / max(wall, 1e-3), slideshow: summary)
    }
}

/// The output frame and the two scratch pictures a crossfade blends, reused for every frame.
final class FrameCanvas {
    private let out: Frame
    private let a: Frame, b: Frame

    init() throws {
        let w = FitGeometry.outputWidth, h = FitGeometry.outputHeight
        (out, a, b) = try stage("allocate frames") {
            (try Frame(width: w, height: h, format: .yuv420p), try Frame(width: w, height: h, format: .yuv420p),
             try Frame(width: w, height: h, format: .yuv420p))
        }
    }

    /// One output picture: `plate` at progress `u`, or — during a crossfade — blended with the
    /// next photo at its own progress, `weight` of it (0…1).
    func draw(_ plate: PhotoPlate, at u: Double, blending next: (plate: PhotoPlate, u: Double, weight: Double)?) throws -> Frame {
        // The encoder has copied the previous picture; this only copies if it still holds it.
        try stage("reuse output frame") { try out.makeWritable() }
        guard let next else {
            try plate.render(at: u, into: out)
            return out
        }
        try plate.render(at: u, into: a)
        try next.plate.render(at: next.u, into: b)
        let weight = Int32((next.weight * 256).rounded())
        for p in 0..<3 {
            let shift = p == 0 ? 0 : 1
            let (pa, sa) = a.plane(p), (pb, sb) = b.plane(p), (po, so) = out.plane(p)
            tk_blend_plane(pa, Int(sa), pb, Int(sb), po, Int(so), Int32(FitGeometry.outputWidth >> shift),
                           Int32(FitGeometry.outputHeight >> shift), weight)
        }
        return out
    }
}

/// The order photos are shown in.
enum PhotoOrdering {
    static func sorted(_ photos: [ProbeReport], by order: PhotoOrder) -> [ProbeReport] {
        switch order {
        case .given: return photos
        case .name:
            return photos.enumerated().sorted { l, r in
                let c = Self.compareNames(l.element.path, r.element.path)
                return c == .orderedSame ? l.offset < r.offset : c == .orderedAscending
            }.map(\.element)
        case .time:
            // Undated photos keep their order, after the dated ones (a stable sort).
            return photos.enumerated().sorted { l, r in
                switch (l.element.captureTime, r.element.captureTime) {
                case let (a?, b?): return a == b ? l.offset < r.offset : a < b
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return l.offset < r.offset
                }
            }.map(\.element)
        }
    }

    /// File names compared the way people read them: IMG_2 before IMG_10, case ignored.
    static func compareNames(_ a: String, _ b: String) -> ComparisonResult {
        let na = (a as NSString).lastPathComponent, nb = (b as NSString).lastPathComponent
        return na.compare(nb, options: [.numeric, .caseInsensitive])
    }
}
