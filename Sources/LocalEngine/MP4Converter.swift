import CFFmpeg
import FFmpeg
import Foundation
import MediaProbe
import OutputFiles
import Planning

/// The mp4 plan: "to MP4 without losing quality". Streams MP4 can hold are copied packet for
/// packet (bit-exact, no decoding); only the others are re-encoded — video visually lossless
/// (x264 CRF 18, the source's pixel format when H.264 can carry it), audio AAC 256k or ALAC.
public final class MP4Converter {
    public let report: ProbeReport
    public let options: MP4Options
    private let output: OutputFile
    private let cancel: CancellationFlag?
    private let onProgress: ((ConversionProgress) -> Void)?

    public init(report: ProbeReport, options: MP4Options, outputPath: String, overwrite: Bool,
                cancel: CancellationFlag? = nil, progress: ((ConversionProgress) -> Void)? = nil) throws {
        self.report = report
        self.options = options
        self.cancel = cancel
        self.onProgress = progress
        output = try OutputFile(finalPath: outputPath, overwrite: overwrite, inputPaths: [report.path])
    }

    public var temporaryPath: String { output.temporaryPath }

    /// One kept stream: copied, or decoded and re-encoded.
    private final class Route {
        let inputIndex: Int
        var outputIndex = 0
        let inputTimeBase: AVRational
        var transcoder: StreamTranscoder?
        var subtitles: SubtitleConverter?
        var lastDTS = Int64.min
        /// Leading packets with no decode time, held until one arrives (see `copy`).
        var waiting: [Packet] = []
        var lastDuration: Int64 = 1
        /// Continues the clock across timestamp restarts (joined files).
        var restarts: TimestampRestarts
        /// H.264/HEVC the decoder says has no frame reordering: presentation time = decode time.
        var noReordering = false
        init(inputIndex: Int, inputTimeBase: AVRational) {
            self.inputIndex = inputIndex; self.inputTimeBase = inputTimeBase
            restarts = TimestampRestarts(timeBase: inputTimeBase)
        }
    }

    public func run() throws -> ConversionResult {
        do { return try convert() } catch let e as LocalEngineError { throw e.naming(output: output.finalPath) }
    }

    private func convert() throws -> ConversionResult {
        let began = Date()
        // Generated timestamps: AVI and raw streams often lack presentation times.
        // Copied packets need decode timestamps, which libavformat derives from the codec's
        // reordering delay that only the analysis learns (Matroska stores presentation times
        // only): a remux always analyses. It is cheap next to copying the file.
        let demuxer = try stage("open input") { try Demuxer(path: report.path, generatePTS: true) }
        let muxer = try stage("create output") { try Muxer(path: output.temporaryPath) }
        var routes: [Int: Route] = [:]
        var outcomes: [StreamOutcome] = []
        var notes: [String] = []

        for info in report.streams {
            let st = demuxer.streams[info.index]
            let route = Route(inputIndex: info.index, inputTimeBase: st.pointee.time_base)
            // Generated PTS (AVI has none) are "the next packet's DTS", which for a stream with no
            // reordering shows every frame one slot late; there, PTS = DTS is exact.
            // Only containers without presentation times (AVI, raw streams) are concerned.
            route.noReordering = ["h264", "hevc"].contains(info.codec) && st.pointee.codecpar.pointee.video_delay == 0
                && (demuxer.context.pointee.iformat.pointee.flags & AVFMT_NOTIMESTAMPS != 0
                    || ["avi", "h264", "hevc"].contains(String(cString: demuxer.context.pointee.iformat.pointee.name)))
            switch MP4Compatibility.action(for: info) {
            case .copy:
                let out = try stage("add stream") { try muxer.addStream(copying: st.pointee.codecpar, timeBase: st.pointee.time_base) }
                if info.codec == "hevc" {
                    // hvc1 (parameter sets in the sample description) is what Apple players require.
                    out.pointee.codecpar.pointee.codec_tag = Self.fourCC("hvc1")
                }
                Self.copySideData(from: st, to: out)
                route.outputIndex = Int(out.pointee.index)
                outcomes.append(StreamOutcome(index: info.index, type: info.type, codec: info.codec, action: .copied,
                                              outputCodec: info.codec, reason: "MP4 holds \(info.codec) as it is"))
            case let .convert(to):
                let s = try SubtitleConverter(stream: st, muxer: muxer)
                route.subtitles = s
                route.outputIndex = s.outputIndex
                outcomes.append(StreamOutcome(index: info.index, type: info.type, codec: info.codec, action: .reencoded,
                                              outputCodec: to, reason: "MP4 keeps text subtitles as \(to)"))
            case let .reencode(_, why):
                let t = try StreamTranscoder(stream: st, info: info, options: options, muxer: muxer)
                route.transcoder = t
                route.outputIndex = t.outputIndex
                outcomes.append(StreamOutcome(index: info.index, type: info.type, codec: info.codec, action: .reencoded,
                                              outputCodec: t.outputCodecName, reason: why + (t.detail.isEmpty ? "" : "; " + t.detail)))
            case let .drop(why):
                outcomes.append(StreamOutcome(index: info.index, type: info.type, codec: info.codec, action: .dropped, outputCodec: nil, reason: why))
                notes.append("dropped \(info.type) stream #\(info.index) (\(info.codec)): \(why)")
                continue
            }
            routes[info.index] = route
        }
        guard !routes.isEmpty else { throw LocalEngineError.noVideoStream(path: report.path) }
        try stage("write header") { try muxer.writeHeader(options: ["movflags": "+faststart"]) }

        let packet = try Packet()
        let total = report.duration
        var lastProgress = Date.distantPast
        var lastSeconds = 0.0
        while try stage("read input", { try demuxer.read(into: packet) }) {
            if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
            defer { packet.unref() }
            guard let route = routes[packet.streamIndex] else { continue }
            let p = packet.pointer
            if p.pointee.dts != noPTS { lastSeconds = max(lastSeconds, Double(p.pointee.dts) * route.inputTimeBase.double) }
            if let t = route.transcoder {
                try t.send(packet) { try self.write($0, muxer: muxer) }
            } else if let s = route.subtitles {
                try s.send(packet) { try self.write($0, muxer: muxer) }
            } else {
                try copy(packet, route: route, muxer: muxer)
            }
            if let onProgress, Date().timeIntervalSince(lastProgress) > 0.25 {
                lastProgress = Date()
                let wall = Date().timeIntervalSince(began)
                onProgress(ConversionProgress(seconds: lastSeconds, totalSeconds: total, frames: 0, framesPerSecond: 0,
                                              speed: lastSeconds / max(wall, 1e-3)))
            }
        }
        for route in routes.values.sorted(by: { $0.inputIndex < $1.inputIndex }) {
            try flushWaiting(route, muxer: muxer)
            try route.transcoder?.finish { try self.write($0, muxer: muxer) }
        }
        try stage("finish MP4") { try muxer.finish() }
        if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
        try output.commit()
        let wall = Date().timeIntervalSince(began)
        let frames = routes.values.compactMap { $0.transcoder?.framesEncoded }.reduce(0, +)
        return ConversionResult(input: report.path, output: output.finalPath, plan: .mp4, streams: outcomes, notes: notes,
                                durationSeconds: report.duration ?? lastSeconds, videoFrames: frames, wallSeconds: wall,
                                encodeFPS: Double(frames) / max(wall, 1e-3))
    }

    /// Copies one packet, repairing the timestamps MP4 insists on (set, increasing dts, pts ≥ dts).
    private func copy(_ packet: Packet, route: Route, muxer: Muxer) throws {
        let p = packet.pointer
        // Matroska stores presentation times only; libavformat derives decode times, but not for
        // the first packets of a stream with B-frames. Hold those until the first decode time
        // arrives, then give them the decode times one frame-step apart just before it (what
        // the reordering delay implies). Copying pts as dts would bend every later time.
        if p.pointee.dts == noPTS && p.pointee.pts != noPTS && route.lastDTS == .min && route.waiting.count < 16 {
            let held = try Packet()
            try check(av_packet_ref(held.pointer, p), "av_packet_ref")
            route.waiting.append(held)
            return
        }
        if !route.waiting.isEmpty && p.pointee.dts != noPTS {
            let step = max(1, p.pointee.duration > 0 ? p.pointee.duration : route.waiting[0].pointer.pointee.duration)
            let n = Int64(route.waiting.count)
            for (j, held) in route.waiting.enumerated() {
                held.pointer.pointee.dts = p.pointee.dts - (n - Int64(j)) * step
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
        let p = packet.pointer
        if p.pointee.dts == noPTS { p.pointee.dts = p.pointee.pts }
        if p.pointee.pts == noPTS || (route.noReordering && p.pointee.dts != noPTS) { p.pointee.pts = p.pointee.dts }
        if p.pointee.dts != noPTS {
            let dts = route.restarts.continuing(p.pointee.dts, after: route.lastDTS, step: route.lastDuration)
            p.pointee.pts += dts - p.pointee.dts
            p.pointee.dts = dts
        }
        if p.pointee.duration > 0 { route.lastDuration = p.pointee.duration }
        if p.pointee.dts == noPTS {
            // No timestamp at all: continue from the previous packet.
            guard route.lastDTS != .min else { return }
            p.pointee.dts = route.lastDTS + max(1, p.pointee.duration)
            p.pointee.pts = p.pointee.dts
        }
        if route.lastDTS != .min && p.pointee.dts <= route.lastDTS {
            p.pointee.dts = route.lastDTS + 1
            if p.pointee.pts < p.pointee.dts { p.pointee.pts = p.pointee.dts }
        }
        route.lastDTS = p.pointee.dts
        av_packet_rescale_ts(p, route.inputTimeBase, muxer.timeBase(of: route.outputIndex))
        p.pointee.stream_index = Int32(route.outputIndex)
        p.pointee.pos = -1
        try stage("write packet") { try muxer.write(packet) }
    }

    private func write(_ packet: Packet, muxer: Muxer) throws {
        try stage("write packet") { try muxer.write(packet) }
    }

    static func fourCC(_ s: String) -> UInt32 {
        s.utf8.prefix(4).enumerated().reduce(UInt32(0)) { $0 | (UInt32($1.element) << (8 * UInt32($1.offset))) }
    }

    /// Keeps the display matrix (rotation) and HDR metadata: "without losing" includes how it shows.
    static func copySideData(from src: UnsafeMutablePointer<AVStream>, to dst: UnsafeMutablePointer<AVStream>) {
        for i in 0..<Int(src.pointee.nb_side_data) {
            let sd = src.pointee.side_data[i]
            guard [AV_PKT_DATA_DISPLAYMATRIX, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, AV_PKT_DATA_CONTENT_LIGHT_LEVEL].contains(sd.type),
                  let buf = av_stream_new_side_data(dst, sd.type, sd.size) else { continue }
            memcpy(buf, sd.data, sd.size)
        }
    }
}
