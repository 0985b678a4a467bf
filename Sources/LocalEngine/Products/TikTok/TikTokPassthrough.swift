import FFmpeg
import Foundation
import MediaProbe
import OutputFiles
import Planning

/// The tiktok plan for an input that already meets the output contract (`TikTokReadiness`):
/// its video packets are copied into a new MP4 with the index first — the same frames, bit for
/// bit, and no generation lost — and its audio is copied too (`.copy`) or re-encoded to AAC-LC
/// 48 kHz stereo (`.copyVideo`, also how `--silent-audio` adds silence). Other streams are dropped,
/// as the encoding path drops them. Both kept tracks are shifted so the earlier starts at zero.
final class TikTokPassthrough {
    private let report: ProbeReport
    private let options: TikTokOptions
    private let target: ConversionTarget
    private var meter: ProgressMeter
    private let began = Date()

    private let demuxer: Demuxer
    private let muxer: Muxer
    private let videoInfo: StreamInfo
    private let video: CopiedStream
    private let audio: CopiedStream?
    private let reencoded: ReencodedAudio?
    /// Where the last picture ends, in seconds from the origin.
    private var videoEnd = 0.0

    init(report: ProbeReport, options: TikTokOptions, target: ConversionTarget) throws {
        guard let v = report.primaryVideo else { throw LocalEngineError.noVideoStream(path: report.path) }
        self.report = report
        self.options = options
        self.target = target
        videoInfo = v
        meter = ProgressMeter(began: began, totalSeconds: report.duration, callback: target.progress)
        let source = report.primaryAudio
        let origin = [v.startTime, source?.startTime].compactMap { $0 }.min() ?? 0
        let demuxer = try stage("open input") { try Demuxer(path: report.path, analyze: !report.headerIsComplete) }
        let muxer = try stage("create output") { try Muxer.tikconvOutput(path: target.temporaryPath) }
        self.demuxer = demuxer
        self.muxer = muxer
        video = try CopiedStream(v.index, demuxer: demuxer, muxer: muxer, origin: origin)
        if options.mode == .copy {
            audio = try source.map { try CopiedStream($0.index, demuxer: demuxer, muxer: muxer, origin: origin) }
            reencoded = nil
        } else {
            audio = nil
            reencoded = source != nil || options.silentAudio
                ? try ReencodedAudio(source, demuxer: demuxer, muxer: muxer, bitrate: options.audioBitrate, origin: origin) : nil
        }
        try stage("write header") { try muxer.writeHeader(options: ["movflags": "+faststart"]) }
    }

    func run() throws -> ConversionResult {
        let packet = try Packet()
        while try stage("read input", { try demuxer.read(into: packet) }) {
            defer { packet.unref() }
            try target.checkCancelled()
            if packet.streamIndex == video.input {
                videoEnd = max(videoEnd, try video.write(packet))
                meter.update(seconds: videoEnd, frames: 0)
            } else if let audio, packet.streamIndex == audio.input {
                _ = try audio.write(packet)
            } else if let reencoded, packet.streamIndex == reencoded.input {
                try reencoded.send(packet)
            }
        }
        // The re-encoded track ends with the last picture, as on the encoding path.
        try reencoded?.finish(atSeconds: videoEnd)
        try stage("finish MP4") { try muxer.finish() }
        try target.commit()
        return result()
    }

    private func result() -> ConversionResult {
        let v = videoInfo, a = report.primaryAudio
        var outcomes = [StreamOutcome(index: v.index, type: .video, codec: v.codec, action: .copied, outputCodec: v.codec,
                                      reason: "already TikTok-ready: copied bit for bit")]
        if let a {
            outcomes.append(options.mode == .copy
                ? StreamOutcome(index: a.index, type: .audio, codec: a.codec, action: .copied, outputCodec: a.codec,
                                reason: "already AAC-LC 48 kHz stereo")
                : StreamOutcome(index: a.index, type: .audio, codec: a.codec, action: .reencoded, outputCodec: "aac",
                                reason: "AAC-LC 48 kHz stereo"))
        }
        let dropped = TikTokSource.droppedStreams(report, keeping: [v.index, a?.index].compactMap { $0 })
        var notes = dropped.notes
        if a == nil && options.silentAudio { notes.append("no audio in the source: added a silent track") }
        let wall = Date().timeIntervalSince(began)
        return ConversionResult(input: report.path, output: target.finalPath, plan: .tiktok, streams: outcomes + dropped.outcomes,
                                notes: notes, durationSeconds: videoEnd, videoFrames: 0, wallSeconds: wall, encodeFPS: 0)
    }
}

/// One source stream copied packet for packet into the new MP4, shifted by the origin.
private final class CopiedStream {
    let input: Int
    private let output: Int
    private let inputTimeBase: Rational
    private let muxer: Muxer
    private let shift: Int64
    private var lastDTS = Int64.min

    init(_ index: Int, demuxer: Demuxer, muxer: Muxer, origin: Double) throws {
        input = index
        self.muxer = muxer
        inputTimeBase = demuxer.parameters(of: index).timeBase
        shift = Int64((origin / inputTimeBase.double).rounded())
        output = try stage("add stream") { try muxer.addStream(copying: index, of: demuxer) }
        muxer.copyLanguage(from: index, of: demuxer, to: output)
    }

    /// Writes one packet; returns where it ends, in seconds from the origin.
    func write(_ packet: Packet) throws -> Double {
        // A conforming input has increasing decode times; these guards only keep a stray
        // packet from failing the whole copy (MP4 refuses a decode time that does not increase).
        if packet.dts == nil { packet.dts = packet.pts }
        if let dts = packet.dts {
            let moved = max(dts - shift, lastDTS == .min ? .min : lastDTS + 1)
            packet.pts = packet.pts.map { max($0 - shift, moved) }
            packet.dts = moved
            lastDTS = moved
        }
        let end = Double((packet.pts ?? lastDTS) + packet.duration) * inputTimeBase.double
        packet.rescale(from: inputTimeBase, to: muxer.timeBase(of: output))
        packet.streamIndex = output
        packet.clearPosition()
        try stage("write packet") { try muxer.write(packet) }
        return end
    }
}

/// The source's audio decoded and re-encoded to AAC-LC 48 kHz stereo on the output clock, or
/// silence when the source has none (`--silent-audio`).
private final class ReencodedAudio {
    /// The source stream's index; -1 when there is none.
    let input: Int
    private let decoder: Decoder?
    private let timeBase: Rational
    private let track: AudioTrack
    private let output: Int
    private let muxer: Muxer
    private let origin: Double
    private let frame: Frame

    init(_ source: StreamInfo?, demuxer: Demuxer, muxer: Muxer, bitrate: Int, origin: Double) throws {
        input = source?.index ?? -1
        decoder = try source.map { s in try stage("open audio decoder") { try Decoder(demuxer: demuxer, stream: s.index) } }
        timeBase = source.map { demuxer.parameters(of: $0.index).timeBase } ?? Rational(1, Int32(AudioTrack.rate))
        let track = try stage("open AAC encoder") { try AudioTrack(bitrate: bitrate, limitSeconds: nil, globalHeader: muxer.wantsGlobalHeader) }
        self.track = track
        output = try stage("add audio stream") { try muxer.addStream(from: track.encoder) }
        self.muxer = muxer
        self.origin = origin
        frame = try Frame()
    }

    func send(_ packet: Packet?) throws {
        guard let decoder else { return }
        do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { return }
        while try stage("decode audio", { try decoder.receive(into: frame) }) == .got {
            let seconds = frame.bestEffortTimestamp.map { Double($0) * timeBase.double - origin }
            try stage("encode audio") { try track.add(frame, atSeconds: seconds, emit: write) }
            frame.unref()
        }
    }

    /// Flushes the decoder and ends the track at `seconds` (cut, or padded with silence).
    func finish(atSeconds seconds: Double) throws {
        try send(nil)
        let total = Int64((seconds * Double(AudioTrack.rate)).rounded())
        try stage("finish audio") { try track.finish(totalSamples: total, emit: write) }
    }

    private func write(_ p: Packet) throws {
        p.rescale(from: track.encoder.timeBase, to: muxer.timeBase(of: output))
        p.streamIndex = output
        try stage("write audio") { try muxer.write(p) }
    }
}
