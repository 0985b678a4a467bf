import FFmpeg
import MediaProbe

/// Video stages after demuxing: decode → frame clock → fit → encode.
///
/// The decoder's pictures are placed on the constant-rate output clock (`FrameClock`). A
/// picture waits as `pending` until the next one arrives and says how many output slots it
/// fills; it is fitted only if it fills at least one, and fitted once however many it fills.
final class VideoPath {
    private let decoder: Decoder
    private let timeBase: Rational
    private let origin: Double
    private let fps: Double
    /// Trim: the output length in seconds and in slots.
    private let trimDuration: Double?
    private let limitSlot: Int64
    private let fit: FitStage
    private let sink: TikTokSink
    private let log: ConversionLog
    /// Called once per output slot before it is encoded (cancellation, progress, silence).
    private let onSlot: (Int64) throws -> Void

    private var clock: FrameClock
    private var received: Frame
    private var pending: Frame?
    private var pendingTime = 0.0
    private var pendingFitted: Frame?
    /// Source time (s from the origin) and duration of the latest picture.
    private(set) var lastTime = 0.0
    private(set) var lastDuration: Double
    /// Past the trim's end: later pictures are dropped unseen.
    private(set) var isDone = false

    init(source: TikTokSource, fit: FitStage, sink: TikTokSink, options: TikTokOptions, log: ConversionLog,
         onSlot: @escaping (Int64) throws -> Void) throws {
        decoder = try stage("open video decoder") {
            try Decoder(demuxer: source.demuxer, stream: source.video.index, threads: options.threads)
        }
        timeBase = source.demuxer.parameters(of: source.video.index).timeBase
        origin = source.origin
        fps = sink.fps
        trimDuration = options.duration
        limitSlot = options.duration.map { Int64(($0 * sink.fps).rounded()) } ?? .max
        self.fit = fit
        self.sink = sink
        self.log = log
        self.onSlot = onSlot
        clock = FrameClock(fps: sink.fps)
        received = try Frame()
        lastDuration = 1 / sink.fps
    }

    /// Slots encoded so far.
    var framesEncoded: Int64 { clock.next }
    var hasPicture: Bool { pending != nil }

    func send(_ packet: Packet) throws {
        guard !isDone else { return }
        do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData {
            log.note("skipped a damaged video packet")
            return
        }
        try receivePictures()
    }

    func flush() throws {
        try stage("flush video decoder") { try decoder.send(nil) }
        try receivePictures()
    }

    /// Shows the last picture up to (not including) `endSlot`.
    func finish(until endSlot: Int64) throws { try emit(until: endSlot) }

    /// The slot after the last picture: it lasts its own duration.
    var naturalEndSlot: Int64 { max(clock.next + 1, clock.slot(atSeconds: lastTime + lastDuration)) }

    private func receivePictures() throws {
        while try stage("decode video", { try decoder.receive(into: received) }) == .got {
            if isDone { received.unref(); continue }
            let t = time(of: received)
            if let d = trimDuration, t >= d - 0.5 / fps { isDone = true; received.unref(); continue }
            try emit(until: clock.slot(atSeconds: t))
            // The new picture replaces the pending one; the old frame object is reused.
            let old = try pending ?? Frame()
            old.unref()
            pending = received
            pendingTime = t
            pendingFitted = nil
            received = old
        }
    }

    /// Seconds from the origin; a picture with no timestamp follows the previous one.
    private func time(of frame: Frame) -> Double {
        let t = frame.bestEffortTimestamp.map { Double($0) * timeBase.double - origin } ?? lastTime + lastDuration
        if frame.packetDuration > 0 { lastDuration = Double(frame.packetDuration) * timeBase.double }
        lastTime = t
        return t
    }

    /// Sends the pending picture for every output slot before `slot`.
    private func emit(until slot: Int64) throws {
        guard let p = pending else { return }
        for n in clock.advance(to: slot, limit: limitSlot) {
            try onSlot(n)
            if pendingFitted == nil {
                pendingFitted = try stage("fit video") { try fit.fit(p, at: pendingTime) }
            }
            try sink.encode(pendingFitted!, slot: n)
        }
    }
}

/// Audio stages after demuxing: decode → resample onto the output clock (in `TikTokSink`).
final class AudioPath {
    private let decoder: Decoder
    private let timeBase: Rational
    private let origin: Double
    private let sink: TikTokSink
    private let log: ConversionLog
    private let frame: Frame

    init(source: TikTokSource, stream: StreamInfo, sink: TikTokSink, log: ConversionLog) throws {
        decoder = try stage("open audio decoder") { try Decoder(demuxer: source.demuxer, stream: stream.index) }
        timeBase = source.demuxer.parameters(of: stream.index).timeBase
        origin = source.origin
        self.sink = sink
        self.log = log
        frame = try Frame()
    }

    /// Whether the trim's length of audio is in.
    var isFull: Bool { sink.audio?.isFull ?? true }

    func send(_ packet: Packet) throws {
        guard !isFull else { return }
        do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData {
            log.note("skipped a damaged audio packet")
            return
        }
        try receiveSound()
    }

    func flush() throws {
        try stage("flush audio decoder") { try decoder.send(nil) }
        try receiveSound()
    }

    private func receiveSound() throws {
        while try stage("decode audio", { try decoder.receive(into: frame) }) == .got {
            if !isFull { try sink.addAudio(frame, atSeconds: frame.bestEffortTimestamp.map { Double($0) * timeBase.double - origin }) }
            frame.unref()
        }
    }
}
