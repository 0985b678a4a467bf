import FFmpeg
import MediaProbe

/// Encode + mux stage: executes the TikTok output contract (`TikTokOutput`) — H.264 High
/// 1080x1920 yuv420p BT.709 at its constant rate, keyframes at least every 2 s, the declared
/// level's VBV; AAC-LC 48 kHz stereo; MP4 with the index first. Pictures come in as 1080x1920
/// frames numbered by output slot; packets leave already interleaved.
final class TikTokSink {
    let contract: TikTokOutput
    var rate: Rational { contract.rate }
    var fps: Double { contract.framesPerSecond }
    let audio: AudioTrack?
    private let muxer: Muxer
    private let videoEncoder: Encoder
    private let packet: Packet
    private static let videoIndex = 0, audioIndex = 1

    /// Opens the encoders (the muxer needs their extradata) and writes the MP4 header.
    /// `tags`: file-level tags to write (an audiogram keeps its sound's title and artist).
    init(path: String, contract: TikTokOutput, options: TikTokOptions, withAudio: Bool, tags: [String: String] = [:]) throws {
        self.contract = contract
        packet = try Packet()
        let muxer = try stage("create output") { try Muxer.tikconvOutput(path: path) }
        let settings = Self.videoSettings(contract, options: options, globalHeader: muxer.wantsGlobalHeader)
        let videoEncoder = try stage("open H.264 encoder") { try Encoder(video: settings) }
        try stage("add video stream") { try muxer.addStream(from: videoEncoder) }
        let audio = withAudio ? try stage("open AAC encoder") {
            try AudioTrack(bitrate: options.audioBitrate, limitSeconds: options.outputDuration, globalHeader: muxer.wantsGlobalHeader)
        } : nil
        if let audio { try stage("add audio stream") { try muxer.addStream(from: audio.encoder) } }
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) { muxer.setTag(key, value) }
        try stage("write header") { try muxer.writeHeader(options: ["movflags": "+faststart"]) }
        self.muxer = muxer
        self.videoEncoder = videoEncoder
        self.audio = audio
    }

    static func videoSettings(_ contract: TikTokOutput, options: TikTokOptions, globalHeader: Bool) -> VideoEncoderSettings {
        let level = contract.level
        var s = VideoEncoderSettings(codec: "libx264", width: contract.width, height: contract.height,
                                     pixelFormat: .yuv420p, timeBase: contract.rate.inverse)
        s.frameRate = contract.rate
        s.color = .bt709
        s.keyframeInterval = contract.keyframeInterval
        // The declared level's rate limits, so the stream keeps the promise its level makes.
        s.maxBitRate = level.maxBitRate
        s.bufferSize = level.maxBufferSize
        s.threads = options.threads
        s.globalHeader = globalHeader
        // 8x8dct keeps the stream High profile even with the fastest presets, which turn it off.
        s.options = ["preset": options.preset, "crf": String(options.crf), "profile": contract.profile, "level": level.name,
                     "x264-params": "8x8dct=1"]
        return s
    }

    /// Encodes the picture for output slot `slot` (its presentation time in frames).
    func encode(_ picture: Frame, slot: Int64) throws {
        picture.pts = slot
        try stage("encode video") { try videoEncoder.send(picture) }
        try drainVideo()
    }

    /// Sends decoded audio that starts `seconds` after the origin (nil: right after the last).
    func addAudio(_ frame: Frame, atSeconds seconds: Double?) throws {
        guard let audio else { return }
        try stage("convert audio") { try audio.add(frame, atSeconds: seconds, emit: writeAudio) }
    }

    /// Silence up to `seconds`, for a source with no audio of its own (`--silent-audio`).
    func fillSilence(toSeconds seconds: Double) throws {
        try audio?.fill(toSeconds: seconds, emit: writeAudio)
    }

    /// Flushes both encoders — audio cut or padded to exactly `frames` pictures' length — and
    /// writes the index.
    func finish(frames: Int64) throws {
        try stage("flush H.264 encoder") { try videoEncoder.send(nil) }
        try drainVideo()
        if let audio {
            let total = Int64((Double(frames) / fps * Double(AudioTrack.rate)).rounded())
            try stage("finish audio") { try audio.finish(totalSamples: total, emit: writeAudio) }
        }
        try stage("finish MP4") { try muxer.finish() }
    }

    private func drainVideo() throws {
        while try stage("encode video", { try videoEncoder.receive(into: packet) }) == .got {
            videoEncoder.setFrameDurationIfMissing(packet)
            try write(packet, from: videoEncoder.timeBase, to: Self.videoIndex)
        }
    }

    private func writeAudio(_ p: Packet) throws {
        guard let audio else { return }
        try write(p, from: audio.encoder.timeBase, to: Self.audioIndex)
    }

    private func write(_ p: Packet, from timeBase: Rational, to index: Int) throws {
        p.rescale(from: timeBase, to: muxer.timeBase(of: index))
        p.streamIndex = index
        try stage(index == Self.videoIndex ? "write video" : "write audio") { try muxer.write(p) }
        p.unref()
    }
}
