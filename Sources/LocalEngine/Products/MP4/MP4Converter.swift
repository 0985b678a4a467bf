import FFmpeg
import Foundation
import MediaProbe
import OutputFiles
import Planning

/// The mp4 plan: "to MP4 without losing quality". Streams MP4 can hold are copied packet for
/// packet (bit-exact, no decoding); only the others are re-encoded — video visually lossless
/// (x264 CRF 18, the source's pixel format when H.264 can carry it), audio AAC 256k or ALAC.
/// Local edits re-encode the streams they change (`MP4Compatibility.action(for:edits:)`).
public final class MP4Converter: Conversion {
    public let report: ProbeReport
    public let options: MP4Options
    private let target: ConversionTarget

    public init(report: ProbeReport, options: MP4Options, outputPath: String, overwrite: Bool,
                cancel: CancellationFlag? = nil, progress: ((ConversionProgress) -> Void)? = nil) throws {
        self.report = report
        self.options = options
        target = try ConversionTarget(outputPath: outputPath, overwrite: overwrite, inputPaths: [report.path],
                                      cancel: cancel, progress: progress)
    }

    public var temporaryPath: String { target.temporaryPath }

    /// One kept stream: copied, or decoded and re-encoded.
    private final class Route {
        let inputIndex: Int
        var outputIndex = 0
        let inputTimeBase: Rational
        var transcoder: StreamTranscoder?
        var subtitles: SubtitleTranscoder?
        var lastDTS = Int64.min
        /// Leading packets with no decode time, held until one arrives (see `copy`).
        var waiting: [Packet] = []
        var lastDuration: Int64 = 1
        /// A packet past the trim's end has been read: the rest of this stream is not needed.
        var pastEnd = false
        /// Continues the clock across timestamp restarts (joined files).
        var restarts: TimestampRestarts
        /// H.264/HEVC the decoder says has no frame reordering: presentation time = decode time.
        var noReordering = false
        init(inputIndex: Int, inputTimeBase: Rational) {
            self.inputIndex = inputIndex; self.inputTimeBase = inputTimeBase
            restarts = TimestampRestarts(timeBase: inputTimeBase)
        }
    }

    public func run() throws -> ConversionResult {
        try target.run(stage: "convert") { try convert() }
    }

    private func convert() throws -> ConversionResult {
        if let info = report.animation {
            return try AnimationMP4Converter(report: report, info: info, options: options, loop: options.loop, target: target).run()
        }
        let began = Date()
        // Generated timestamps: AVI and raw streams often lack presentation times.
        // Copied packets need decode timestamps, which libavformat derives from the codec's
        // reordering delay that only the analysis learns (Matroska stores presentation times
        // only): a remux always analyses. It is cheap next to copying the file.
        let demuxer = try stage("open input") { try Demuxer(path: report.path, generatePTS: true) }
        let captions = try options.captionsFile.map { try MP4Captions(path: $0) }
        let muxer = try stage("create output") { try Muxer.tikconvOutput(path: target.temporaryPath) }
        let trim = MP4Trim(start: options.start, duration: options.duration, sourceStart: demuxer.startTime ?? 0)
        if trim.shift > 0, let start = options.start { try stage("seek") { try demuxer.seek(toSeconds: start) } }
        let length = trim.length(sourceDuration: report.duration)
        // Trimmed from a start, the streams' times count from it; otherwise from the container's start.
        let clock = MP4EditClock(edits: options.edits, origin: trim.shift > 0 ? 0 : demuxer.startTime ?? 0, sourceDuration: length)
        var routes: [Int: Route] = [:]
        var outcomes: [StreamOutcome] = []
        var notes: [String] = []
        for info in report.streams {
            guard let route = try self.route(info, demuxer: demuxer, muxer: muxer, clock: clock, trim: trim,
                                             outcomes: &outcomes, notes: &notes) else { continue }
            routes[info.index] = route
        }
        guard !routes.isEmpty else { throw LocalEngineError.noVideoStream(path: report.path) }
        let movText = try captions.map { _ in try stage("open captions track") { try MovTextWriter(muxer: muxer) } }
        try stage("write header") { try muxer.writeHeader(options: ["movflags": "+faststart"]) }
        if let captions, let movText {
            notes.append(try captions.write(with: movText, start: options.start, duration: options.duration,
                                            speed: options.edits.speed ?? 1, into: muxer))
        }

        let lastSeconds = try pump(demuxer, routes: routes, muxer: muxer, trim: trim, total: length, began: began)
        for route in routes.values.sorted(by: { $0.inputIndex < $1.inputIndex }) {
            try flushWaiting(route, muxer: muxer)
            try route.transcoder?.finish { try self.write($0, muxer: muxer) }
            if let note = route.transcoder?.loudnessNote { notes.append("audio stream #\(route.inputIndex): \(note)") }
        }
        try stage("finish MP4") { try muxer.finish() }
        try target.commit()
        let wall = Date().timeIntervalSince(began)
        let frames = routes.values.compactMap { $0.transcoder?.framesEncoded }.reduce(0, +)
        notes += options.edits.reportNotes(fades: clock.fades, hasSound: !report.audioStreams.isEmpty)
        return ConversionResult(input: report.path, output: target.finalPath, plan: .mp4, streams: outcomes, notes: notes,
                                durationSeconds: (length ?? lastSeconds) / clock.speed, videoFrames: frames, wallSeconds: wall,
                                encodeFPS: Double(frames) / max(wall, 1e-3))
    }

    /// The read loop: each packet inside the trim to its route (copy, subtitle conversion or
    /// re-encode), until every stream is past the trim's end. Returns the last decode time seen.
    private func pump(_ demuxer: Demuxer, routes: [Int: Route], muxer: Muxer, trim: MP4Trim, total: Double?,
                      began: Date) throws -> Double {
        let packet = try Packet()
        var meter = ProgressMeter(began: began, totalSeconds: total, callback: target.progress)
        var lastSeconds = 0.0
        while try stage("read input", { try demuxer.read(into: packet) }) {
            try target.checkCancelled()
            defer { packet.unref() }
            guard let route = routes[packet.streamIndex], !route.pastEnd else { continue }
            if trim.isPastEnd(dts: packet.dts, pts: packet.pts, timeBase: route.inputTimeBase) {
                route.pastEnd = true
                if routes.values.allSatisfy(\.pastEnd) { break }
                continue
            }
            trim.move(packet, timeBase: route.inputTimeBase)
            if let dts = packet.dts { lastSeconds = max(lastSeconds, Double(dts) * route.inputTimeBase.double) }
            if let t = route.transcoder {
                try t.send(packet) { try self.write($0, muxer: muxer) }
            } else if let s = route.subtitles {
                if let cue = try stage("convert subtitle", { try s.transcode(packet) }),
                   trim.clipCue(cue, timeBase: muxer.timeBase(of: s.outputIndex)) { try write(cue, muxer: muxer) }
            } else {
                try copy(packet, route: route, muxer: muxer)
            }
            meter.update(seconds: lastSeconds, frames: 0)
        }
        return lastSeconds
    }

    /// How one source stream reaches the output: copied, converted (text subtitles), re-encoded,
    /// or dropped (nil), with the outcome and any note recorded.
    private func route(_ info: StreamInfo, demuxer: Demuxer, muxer: Muxer, clock: MP4EditClock, trim: MP4Trim,
                       outcomes: inout [StreamOutcome], notes: inout [String]) throws -> Route? {
        let st = demuxer.parameters(of: info.index)
        let route = Route(inputIndex: info.index, inputTimeBase: st.timeBase)
        // Generated PTS (AVI has none) are "the next packet's DTS", which for a stream with no
        // reordering shows every frame one slot late; there, PTS = DTS is exact.
        // Only containers without presentation times (AVI, raw streams) are concerned.
        route.noReordering = ["h264", "hevc"].contains(info.codec) && st.videoDelay == 0 && demuxer.storesNoTimestamps
        func outcome(_ action: StreamOutcome.Action, _ codec: String?, _ reason: String) {
            outcomes.append(StreamOutcome(index: info.index, type: info.type, codec: info.codec, action: action, outputCodec: codec, reason: reason))
        }
        switch MP4Compatibility.action(for: info, edits: options.edits) {
        case .copy:
            // hvc1 (parameter sets in the sample description) is what Apple players require.
            let out = try stage("add stream") { try muxer.addStream(copying: info.index, of: demuxer, codecTag: info.codec == "hevc" ? "hvc1" : nil) }
            muxer.copyDisplaySideData(from: info.index, of: demuxer, to: out)
            route.outputIndex = out
            outcome(.copied, info.codec, "MP4 holds \(info.codec) as it is")
        case let .convert(to):
            let s = try stage("open subtitle converter") { try SubtitleTranscoder(stream: info.index, of: demuxer, muxer: muxer) }
            route.subtitles = s
            route.outputIndex = s.outputIndex
            outcome(.reencoded, to, "MP4 keeps text subtitles as \(to)")
        case let .reencode(_, why):
            let t = try StreamTranscoder(info, of: demuxer, options: options, clock: clock, trim: trim, muxer: muxer, cancel: target.cancel)
            route.transcoder = t
            route.outputIndex = t.outputIndex
            outcome(.reencoded, t.outputCodecName, why + (t.detail.isEmpty ? "" : "; " + t.detail))
        case let .drop(why):
            outcome(.dropped, nil, why)
            notes.append("dropped \(info.type) stream #\(info.index) (\(info.codec)): \(why)")
            return nil
        }
        return route
    }

    /// Copies one packet, repairing the timestamps MP4 insists on (set, increasing dts, pts ≥ dts).
    private func copy(_ packet: Packet, route: Route, muxer: Muxer) throws {
        // Matroska stores presentation times only; libavformat derives decode times, but not for
        // the first packets of a stream with B-frames. Hold those until the first decode time
        // arrives, then give them the decode times one frame-step apart just before it (what
        // the reordering delay implies). Copying pts as dts would bend every later time.
        if packet.dts == nil && packet.pts != nil && route.lastDTS == .min && route.waiting.count < 16 {
            route.waiting.append(try stage("hold packet") { try packet.reference() })
            return
        }
        if !route.waiting.isEmpty, let dts = packet.dts {
            let step = max(1, packet.duration > 0 ? packet.duration : route.waiting[0].duration)
            let n = Int64(route.waiting.count)
            for (j, held) in route.waiting.enumerated() {
                held.dts = dts - (n - Int64(j)) * step
                try place(held, route: route, muxer: muxer)
            }
            route.waiting.removeAll()
        }
        try place(packet, route: route, muxer: muxer)
    }

    /// Writes packets still held at the end (a stream that never gave a decode time).
    private func flushWaiting(_ route: Route, muxer: Muxer) throws {
        let held = route.waiting
        route.waiting.removeAll()
        for packet in held { try place(packet, route: route, muxer: muxer) }
    }

    /// Repairs the timestamps MP4 insists on (set, increasing dts, pts ≥ dts) and writes.
    private func place(_ packet: Packet, route: Route, muxer: Muxer) throws {
        if packet.dts == nil { packet.dts = packet.pts }
        if packet.pts == nil || (route.noReordering && packet.dts != nil) { packet.pts = packet.dts }
        if let dts = packet.dts, let pts = packet.pts {
            let continued = route.restarts.continuing(dts, after: route.lastDTS, step: route.lastDuration)
            packet.pts = pts + continued - dts
            packet.dts = continued
        }
        if packet.duration > 0 { route.lastDuration = packet.duration }
        if packet.dts == nil {
            // No timestamp at all: continue from the previous packet.
            guard route.lastDTS != .min else { return }
            packet.dts = route.lastDTS + max(1, packet.duration)
            packet.pts = packet.dts
        }
        var dts = packet.dts!
        if route.lastDTS != .min && dts <= route.lastDTS {
            dts = route.lastDTS + 1
            packet.dts = dts
            if (packet.pts ?? .min) < dts { packet.pts = dts }
        }
        route.lastDTS = dts
        packet.rescale(from: route.inputTimeBase, to: muxer.timeBase(of: route.outputIndex))
        packet.streamIndex = route.outputIndex
        packet.clearPosition()
        try stage("write packet") { try muxer.write(packet) }
    }

    private func write(_ packet: Packet, muxer: Muxer) throws {
        try stage("write packet") { try muxer.write(packet) }
    }
}
