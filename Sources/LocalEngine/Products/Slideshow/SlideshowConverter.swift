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
public final class SlideshowConverter: Conversion {
    public let photos: [ProbeReport]
    public let options: SlideshowOptions
    private let target: ConversionTarget
    /// Where each photo's move heads: faces (`FaceTargetFinder`) by default; nil keeps the
    /// default moves (also when the face cascades are missing: then a note says so).
    var motionTargets: MotionTargetFinder?
    private var facesUnavailable: String?
    private var beatsFound: Int?
    /// The beats the cuts were moved to (nil: no --beat-sync, or no steady beat).
    private var usedBeats: [Double]?

    /// - Parameter photos: the photos' probe reports, in the order given; `options.order` may
    ///   sort them.
    public init(photos: [ProbeReport], options: SlideshowOptions, outputPath: String, overwrite: Bool,
                cancel: CancellationFlag? = nil, progress: ((ConversionProgress) -> Void)? = nil) throws {
        guard !photos.isEmpty else { throw LocalEngineError.noReadablePhotos(count: 0) }
        self.photos = PhotoOrdering.sorted(photos, by: options.order)
        self.options = options
        let inputs = photos.map(\.path) + [options.music?.path].compactMap { $0 }
        target = try ConversionTarget(outputPath: outputPath, overwrite: overwrite, inputPaths: inputs, cancel: cancel, progress: progress)
        if options.motion {
            do { motionTargets = try FaceTargetFinder() } catch { facesUnavailable = error.localizedDescription }
        }
    }

    public var temporaryPath: String { target.temporaryPath }

    /// A photo's decode needs tens of megabytes for a moment (a 12 MP HEIC: ~55 MB inside
    /// libde265), and glibc's default raises its mmap threshold to the largest block freed, so
    /// later blocks of that size come from the heap and stay resident once freed: the show's
    /// peak then grows by the decodes before it. Pinning the threshold at glibc's own starting
    /// value (128 KiB) gives every large block back when it is freed (the bench's 12 photos with
    /// the HEIC last: 448 → 419 MB peak, CPU unchanged).
    private static func returnLargeBlocksWhenFreed() {
        _ = tk_pin_mmap_threshold(128 * 1024)
    }

    public func run() throws -> ConversionResult {
        try target.run(stage: "slideshow") { try convert() }
    }

    private func convert() throws -> ConversionResult {
        let began = Date()
        Self.returnLargeBlocksWhenFreed()
        let log = ConversionLog()
        let songLength = try fittedLength()
        let beats = try beatGrid(showSeconds: try plan(count: photos.count, total: songLength, beats: nil, locked: [0]).duration, log: log)
        let replan: (Int, [Double]) throws -> SlideshowTimeline = { [unowned self] count, locked in
            try self.plan(count: count, total: songLength, beats: beats, locked: locked)
        }
        let roll = PhotoRoll(reports: photos, timeline: try replan(photos.count, [0]), replan: replan,
                             prepare: { [options, motionTargets] report, index in
            try PhotoPlate(report: report, index: index, motion: options.motion, targets: motionTargets)
        })
        let music = try openMusic(showSeconds: roll.timeline.duration, log: log)
        let sink = try TikTokSink(path: target.temporaryPath, contract: TikTokContract.photoOutput, options: options.encoding,
                                  withAudio: music != nil || options.silentAudio)
        if music == nil && !options.silentAudio {
            log.note("no music: the output has no audio (--music adds a song, --silent-audio a silent track)")
        }
        let frames = try film(roll, sink: sink, music: music, began: began)
        let end = Double(frames) / Double(SlideshowOptions.frameRate)
        try music?.finish(at: end, fade: MusicTrack.fadeSeconds(forShow: end), into: sink)
        try sink.finish(frames: Int64(frames))
        try target.commit()
        for s in roll.skipped { log.note("left out \(s.path): \(s.reason)") }
        return result(roll, frames: frames, music: music, log: log, began: began)
    }

    /// --fit-to-music: the song's length, which every photo shares (nil otherwise).
    private func fittedLength() throws -> Double? {
        guard options.fitToMusic, let song = options.music else { return nil }
        guard let length = song.duration, length > 0 else {
            throw LocalEngineError.musicUnusable(path: song.path, reason: "its length is unknown, so --fit-to-music cannot follow it")
        }
        if length / Double(photos.count) < SlideshowOptions.shortestPhoto {
            throw LocalEngineError.songTooShort(path: song.path, seconds: length, photos: photos.count)
        }
        return length
    }

    /// The timeline for `count` photos, keeping the cuts in `locked`.
    private func plan(count: Int, total: Double?, beats: [Double]?, locked: [Double]) throws -> SlideshowTimeline {
        let transition = options.transition == .crossfade ? max(0, options.transitionDuration) : 0
        return SlideshowTimeline.plan(count: count, photoDuration: options.photoDuration, transition: transition, total: total,
                                      beats: beats, locked: locked)
    }

    /// --beat-sync: the song's beats over the slideshow's length (nil: cuts stay evenly spaced).
    private func beatGrid(showSeconds: Double, log: ConversionLog) throws -> [Double]? {
        guard options.beatSync else { return nil }
        guard let song = options.music else {
            log.note("--beat-sync needs --music: the cuts stay evenly spaced")
            return nil
        }
        let beats = try MusicBeats.find(song, seconds: showSeconds)
        beatsFound = beats.count
        if beats.count < 2 { log.note("--beat-sync: no steady beat found in the music; the cuts stay evenly spaced") }
        usedBeats = beats.count < 2 ? nil : beats
        return usedBeats
    }

    /// The music, measured and set to its gain for a show of `showSeconds` (nil without music).
    private func openMusic(showSeconds: Double, log: ConversionLog) throws -> MusicTrack? {
        guard let song = options.music else { return nil }
        let name = (song.path as NSString).lastPathComponent
        let cut = MusicTrack.isCut(song, showSeconds: showSeconds)
        let fade = cut ? MusicTrack.fadeSeconds(forShow: showSeconds) : 0
        let level = try MusicLoudness.gain(for: song, seconds: showSeconds, fade: fade)
        let track = try MusicTrack(report: song, gainDB: level.gainDB, measured: level.measured)
        if cut {
            log.note(String(format: "music: %@ cut at %.1f s and faded out over the last %.1f s", name, showSeconds, fade))
        } else if let d = song.duration, d < showSeconds - 0.05 {
            log.note(String(format: "music: %@ (%.1f s) ends before the slideshow (%.1f s); silence after it (--fit-to-music makes the slideshow as long as the song)",
                            name, d, showSeconds))
        }
        if let m = level.measured {
            log.note(String(format: "music loudness %.1f LUFS → about %.0f LUFS (%+.1f dB)", m, MusicTrack.targetLUFS, level.gainDB))
        } else {
            log.note("music: too quiet or too short to measure its loudness; left at its own level")
        }
        return track
    }

    /// The frame loop: every output slot drawn and encoded, until the (possibly re-planned) end;
    /// the music follows `MusicTrack.lag` seconds behind.
    private func film(_ roll: PhotoRoll, sink: TikTokSink, music: MusicTrack?, began: Date) throws -> Int {
        let canvas = try FrameCanvas()
        let dump = EncoderInputDump.ifAsked()
        var meter = ProgressMeter(began: began, totalSeconds: roll.timeline.duration, callback: target.progress)
        var plannedEnd = roll.timeline.duration
        var frame = 0
        while frame < roll.timeline.frameCount {
            try target.checkCancelled()
            let (shot, plate, next) = try roll.shot(atFrame: frame)
            let t = roll.timeline.seconds(ofFrame: frame)
            let u = progress(of: shot.photo, at: t, in: roll.timeline)
            let picture = try canvas.draw(plate, at: u, blending: next.map { ($0, progress(of: shot.photo + 1, at: t, in: roll.timeline), shot.weight) })
            dump?.write(picture)
            try sink.encode(picture, slot: Int64(frame))
            let done = Double(frame + 1) / Double(SlideshowOptions.frameRate)
            if options.silentAudio && music == nil { try sink.fillSilence(toSeconds: done) }
            try music?.feed(upTo: done - MusicTrack.lag, into: sink)
            if roll.timeline.duration != plannedEnd {
                plannedEnd = roll.timeline.duration
                meter = ProgressMeter(began: began, totalSeconds: plannedEnd, callback: target.progress)
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

    private func result(_ roll: PhotoRoll, frames: Int, music: MusicTrack?, log: ConversionLog, began: Date) -> ConversionResult {
        let seconds = Double(frames) / Double(SlideshowOptions.frameRate)
        let timeline = roll.timeline
        var motion = options.motion ? "Ken Burns" : "still"
        if options.transition == .crossfade { motion += String(format: ", %.2g s crossfades", timeline.transition) }
        let video = StreamOutcome(index: 0, type: .video, codec: "photos", action: .reencoded, outputCodec: "h264",
                                  reason: "\(roll.shown.count) photos, \(motion), 1080x1920 30 fps")
        var streams = [video]
        if let music, let a = music.report.primaryAudio {
            streams.append(StreamOutcome(index: a.index, type: .audio, codec: a.codec, action: .reencoded, outputCodec: "aac",
                                         reason: "music: AAC-LC 48 kHz stereo at about \(Int(MusicTrack.targetLUFS)) LUFS"))
        }
        var notes = log.notes
        if seconds > 60.5 {
            notes.append(String(format: "the result is %.0f s long; TikTok's default upload limit for many accounts is 60 s", seconds))
        }
        if let facesUnavailable { notes.append("the photos' moves do not look for faces: \(facesUnavailable)") }
        var summary = SlideshowSummary(photos: roll.shown, skipped: roll.skipped, photoSeconds: timeline.photoSeconds)
        if let faces = motionTargets as? FaceTargetFinder, faces.searched > 0 {
            summary.photosWithFaces = faces.found
            summary.faceSearchMilliseconds = faces.cpuMilliseconds / Double(faces.searched)
            if faces.found > 0 {
                notes.append(String(format: "moves towards faces in %d of %d photos (face search %.0f ms of CPU a photo)",
                                    faces.found, faces.searched, faces.cpuMilliseconds / Double(faces.searched)))
            }
        }
        summary.music = music?.report.path
        summary.musicLoudness = music?.measuredLUFS
        summary.musicGainDB = music?.gainDB
        summary.beatsFound = beatsFound
        if let beats = usedBeats {
            let onBeat = timeline.cuts.dropFirst().dropLast().filter { beats.contains($0) }.count
            notes.append("--beat-sync: \(beats.count) beats found; \(onBeat) of \(max(0, timeline.photoCount - 1)) cuts on a beat")
        }
        let wall = Date().timeIntervalSince(began)
        return ConversionResult(input: roll.shown.first ?? photos[0].path, output: target.finalPath, plan: .tiktok, streams: streams,
                                notes: notes, durationSeconds: seconds, videoFrames: frames, wallSeconds: wall,
                                encodeFPS: Double(frames) / max(wall, 1e-3), slideshow: summary)
    }
}

/// The output frame and the two scratch pictures a crossfade blends, reused for every frame.
final class FrameCanvas {
    private let out: Frame
    private let a: Frame, b: Frame
    /// The plate whose background each picture still holds around its foreground (by frame):
    /// a photo's background is still, so it is drawn once, not once a frame. Weak, so a plate
    /// gone (and its address reused by a later one) never matches.
    private struct Drawn { weak var plate: PhotoPlate? }
    private var backgrounds: [ObjectIdentifier: Drawn] = [:]

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
        // The encoder has copied the previous picture; this only copies if it still holds it
        // (and a copy keeps the pixels, so the background drawn last time is still there).
        try stage("reuse output frame") { try out.makeWritable() }
        guard let next else {
            try render(plate, at: u, into: out)
            return out
        }
        try render(plate, at: u, into: a)
        try render(next.plate, at: next.u, into: b)
        backgrounds[ObjectIdentifier(out)] = nil
        let weight = Int32((next.weight * 256).rounded())
        for p in 0..<3 {
            let shift = p == 0 ? 0 : 1
            let (pa, sa) = a.plane(p), (pb, sb) = b.plane(p), (po, so) = out.plane(p)
            tk_blend_plane(pa, Int(sa), pb, Int(sb), po, Int(so), Int32(FitGeometry.outputWidth >> shift),
                           Int32(FitGeometry.outputHeight >> shift), weight)
        }
        return out
    }

    private func render(_ plate: PhotoPlate, at u: Double, into frame: Frame) throws {
        let key = ObjectIdentifier(frame)
        try plate.render(at: u, into: frame, backgroundDrawn: backgrounds[key]?.plate === plate)
        backgrounds[key] = Drawn(plate: plate)
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
