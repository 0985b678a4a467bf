import FFmpeg
import Foundation
import MediaProbe
import Planning

/// The mp4 plan for an animated GIF, WebP or PNG: the picture as it is (its own size, colours kept
/// in 4:4:4, transparency over black), each frame encoded once at its own time (a variable-rate
/// MP4 in milliseconds, every sample lasting the frame's delay), whole plays up to 3 s as in the
/// tiktok plan. The same frames stage as the tiktok plan; its own small encode + mux.
final class AnimationMP4Converter {
    private let report: ProbeReport
    private let info: AnimationInfo
    private let options: MP4Options
    private let loop: Int?
    private let target: ConversionTarget
    private static let timeBase = Rational(1, 1000)

    init(report: ProbeReport, info: AnimationInfo, options: MP4Options, loop: Int?, target: ConversionTarget) {
        self.report = report; self.info = info; self.options = options; self.loop = loop; self.target = target
    }

    func run() throws -> ConversionResult {
        let began = Date()
        guard let stream = report.primaryVideo, let width = stream.width, let height = stream.height else {
            throw LocalEngineError.noVideoStream(path: report.path)
        }
        let muxer = try stage("create output") { try Muxer.tikconvOutput(path: target.temporaryPath) }
        var settings = VideoEncoderSettings(codec: "libx264", width: width, height: height, pixelFormat: .yuv444p, timeBase: Self.timeBase)
        settings.threads = options.threads
        settings.globalHeader = muxer.wantsGlobalHeader
        // No B-frames: packets leave in presentation order, so each one's duration is known when the next arrives.
        settings.options = ["preset": options.preset, "crf": String(options.crf), "profile": "high444", "bf": "0"]
        let encoder = try stage("open H.264 encoder") { try Encoder(video: settings) }
        try stage("add video stream") { try muxer.addStream(from: encoder) }
        try stage("write header") { try muxer.writeHeader(options: ["movflags": "+faststart"]) }
        let writer = try HeldPacketWriter(muxer: muxer, encoder: encoder)
        let frames = try AnimationDecoders.open(report, background: (0, 0, 0))
        let yuv = try stage("convert animation") { try Frame(width: width, height: height, format: .yuv444p) }
        let scaler = try stage("convert animation") {
            try Scaler(sourceWidth: width, sourceHeight: height, sourceFormat: .rgba, destinationWidth: width, destinationHeight: height,
                       destinationFormat: .yuv444p)
        }
        let plays = info.plays(asked: loop)
        var t = 0.0, count = 0, lastDelay = 0.0
        for play in 0..<plays {
            if play > 0 { try frames.rewind() }
            while let (picture, delay) = try frames.next() {
                try target.checkCancelled()
                try stage("encode video") { try yuv.makeWritable() }
                scaler.scale(picture, into: yuv)
                yuv.pts = Int64((t * 1000).rounded())
                try stage("encode video") { try encoder.send(yuv) }
                try writer.drain()
                t += delay; count += 1; lastDelay = delay
            }
        }
        try stage("flush H.264 encoder") { try encoder.send(nil) }
        try writer.drain(lastDuration: Int64((lastDelay * 1000).rounded()))
        try stage("finish MP4") { try muxer.finish() }
        try target.commit()
        let wall = Date().timeIntervalSince(began)
        var notes = [String(format: "animated %@: %d frames, %@, %.2f s a play; each frame kept at its own time", report.format.uppercased(),
                            info.frames, info.delaysText, info.cycleSeconds)]
        if plays > 1 { notes.append("played \(plays) times" + (loop != nil ? " (--loop)" : " to reach TikTok's 3-second minimum (--loop N chooses)")) }
        let outcome = StreamOutcome(index: stream.index, type: .video, codec: stream.codec, action: .reencoded, outputCodec: "h264",
                                    reason: "MP4 cannot hold \(report.format.uppercased()) animation; x264 CRF \(options.crf), 4:4:4, transparency over black")
        return ConversionResult(input: report.path, output: target.finalPath, plan: .mp4, streams: [outcome], notes: notes,
                                durationSeconds: t, videoFrames: count, wallSeconds: wall, encodeFPS: Double(count) / max(wall, 1e-3))
    }
}

/// Writes each encoded packet when the next one arrives, with the gap to it as its duration (the
/// last one gets the last frame's delay), so every MP4 sample lasts exactly its frame's delay.
final class HeldPacketWriter {
    private let muxer: Muxer
    private let encoder: Encoder
    private let received: Packet
    private var held: Packet?

    init(muxer: Muxer, encoder: Encoder) throws {
        self.muxer = muxer; self.encoder = encoder
        received = try Packet()
    }

    func drain(lastDuration: Int64? = nil) throws {
        while try stage("encode video", { try encoder.receive(into: received) }) == .got {
            let next = try received.reference()
            received.unref()
            if let held, let a = held.pts, let b = next.pts { held.duration = max(1, b - a); try write(held) }
            held = next
        }
        if let lastDuration, let held {
            held.duration = max(1, lastDuration)
            try write(held)
            self.held = nil
        }
    }

    private func write(_ p: Packet) throws {
        p.rescale(from: encoder.timeBase, to: muxer.timeBase(of: 0))
        p.streamIndex = 0
        try stage("write video") { try muxer.write(p) }
    }
}
