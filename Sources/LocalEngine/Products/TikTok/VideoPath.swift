import FFmpeg
import MediaProbe

/// Video stages after demuxing: decode → frame clock → fit → picture edits → encode.
///
/// The decoder's pictures are placed on the constant-rate output clock (`FrameClock`) by their
/// source time divided by the speed. A picture waits as `pending` until the next one arrives
/// and says how many output slots it fills; it is fitted only if it fills at least one, and
/// fitted once however many it fills.
final class VideoPath {
    private let decoder: Decoder
    private let timeBase: Rational
    private let origin: Double
    private let fps: Double
    /// Playback rate: source seconds per output second.
    private let speed: Double
    /// Trim: the output length in seconds and in slots.
    private let trimDuration: Double?
    private let limitSlot: Int64
    private let fit: FitStage
    private let edits: PictureEditStage?
    private let captions: CaptionStage?
    private let sink: TikTokSink
    private let log: ConversionLog
    /// Called once per output slot before it is encoded (cancellation, progress, silence).
    private let onSlot: (Int64) throws -> Void

    private var clock: FrameClock
    private var received: Frame
    private var pending: Frame?
    private var pendingTime = 0.0
    private var pendingFitted: Frame?
    /// Pictures are fitted as they arrive and their decoded pixels handed back at once, so the
    /// decoder's pool needs one picture fewer (3 MB at 1080p, 12 MB at 4K). Only where nearly
    /// every picture is shown: a faster source drops pictures, and those are never fitted.
    private let fitsOnArrival: Bool
    /// Output time (s from the origin) and duration of the latest picture.
    private(set) var lastTime = 0.0
    private(set) var lastDuration: Double
    /// Past the trim's end: later pictures are dropped unseen.
    private(set) var isDone = false
    /// How much of the source was damaged: packets the decoder refused, pictures it repaired.
    private(set) var damage = VideoDamage()

    init(source: TikTokSource, fit: FitStage, sink: TikTokSink, options: TikTokOptions, edits: PictureEditStage? = nil,
         captions: CaptionStage? = nil, log: ConversionLog, onSlot: @escaping (Int64) throws -> Void) throws {
        decoder = try stage("open video decoder") {
            try Decoder(demuxer: source.demuxer, stream: source.video.index, threads: options.threads)
        }
        timeBase = source.demuxer.parameters(of: source.video.index).timeBase
        origin = source.origin
        fps = sink.fps
        speed = options.speed
        trimDuration = options.outputDuration
        limitSlot = options.outputDuration.map { Int64(($0 * sink.fps).rounded()) } ?? .max
        self.fit = fit
        self.edits = edits
        self.captions = captions
        self.sink = sink
        self.log = log
        self.onSlot = onSlot
        clock = FrameClock(fps: sink.fps)
        received = try Frame()
        lastDuration = 1 / sink.fps
        let sourceRate = source.video.averageFrameRate ?? source.video.realFrameRate ?? .infinity
        fitsOnArrival = sourceRate / options.speed <= sink.fps * 1.01
    }

    /// Slots encoded so far.
    var framesEncoded: Int64 { clock.next }
    var hasPicture: Bool { pending != nil }

    func send(_ packet: Packet) throws {
        guard !isDone else { return }
        damage.packets += 1
        do { try decoder.send(packet) } catch let e as FFmpegError where e.isDamagedInput {
            damage.damagedPackets += 1
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

    /// The slot after the last picture: it lasts its own duration. A last picture shorter than a
    /// slot whose start rounds up to where it ends (every other picture at 2× speed, or of a
    /// 120 fps source) is not shown, unless it is the only one.
    var naturalEndSlot: Int64 {
        max(clock.next + (clock.next == 0 ? 1 : 0), clock.slot(atSeconds: lastTime + lastDuration))
    }

    private func receivePictures() throws {
        while try stage("decode video", { try decoder.receive(into: received) }) == .got {
            if isDone { received.unref(); continue }
            damage.pictures += 1
            if received.isDamaged { damage.repairedPictures += 1 }
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
            if fitsOnArrival && clock.slot(atSeconds: t) >= clock.next { try fitOnArrival() }
        }
    }

    /// Fits the picture that just arrived and lets its decoded pixels go back to the decoder.
    private func fitOnArrival() throws {
        guard let p = pending else { return }
        _ = try fitPending(p)
        p.unref()
    }

    /// Output seconds from the origin; a picture with no timestamp follows the previous one.
    private func time(of frame: Frame) -> Double {
        let t = frame.bestEffortTimestamp.map { (Double($0) * timeBase.double - origin) / speed } ?? lastTime + lastDuration
        if frame.packetDuration > 0 { lastDuration = Double(frame.packetDuration) * timeBase.double / speed }
        lastTime = t
        return t
    }

    /// Sends the pending picture for every output slot before `slot`.
    private func emit(until slot: Int64) throws {
        guard let p = pending else { return }
        for n in clock.advance(to: slot, limit: limitSlot) {
            try onSlot(n)
            let fitted = try pendingFitted ?? fitPending(p)
            let edited = try edits?.picture(fitted, slot: n) ?? fitted
            try sink.encode(try captions?.picture(edited, slot: n) ?? edited, slot: n)
        }
    }

    private func fitPending(_ p: Frame) throws -> Frame {
        // The window source works in source time (where shots and subjects are).
        let fitted = try stage("fit video") { try fit.fit(p, at: pendingTime * speed) }
        edits?.prepare(fitted)
        pendingFitted = fitted
        return fitted
    }
}

/// Audio stages after demuxing: decode → sound edits (when asked) → resample onto the output
/// clock (in `TikTokSink`).
final class AudioPath {
    private let decoder: Decoder
    private let timeBase: Rational
    private let origin: Double
    private let sink: TikTokSink
    private let edits: AudioEditStage?
    /// Trim end in source seconds: the edits need no input past it (they may still hold some).
    private let inputEnd: Double?
    private var inputDone = false
    private var started = false
    private let log: ConversionLog
    private let frame: Frame
    /// Packets sent, and those the decoder refused as damaged (skipped, reported once at the end).
    private var packets = 0, damagedPackets = 0

    init(source: TikTokSource, stream: StreamInfo, sink: TikTokSink, edits: AudioEditStage? = nil, trim: Double? = nil,
         log: ConversionLog) throws {
        decoder = try stage("open audio decoder") { try Decoder(demuxer: source.demuxer, stream: stream.index) }
        timeBase = source.demuxer.parameters(of: stream.index).timeBase
        origin = source.origin
        self.sink = sink
        self.edits = edits
        inputEnd = trim
        self.log = log
        frame = try Frame()
    }

    /// Whether the trim's length of audio is in.
    var isFull: Bool { inputDone || (sink.audio?.isFull ?? true) }

    func send(_ packet: Packet) throws {
        guard !isFull else { return }
        packets += 1
        do { try decoder.send(packet) } catch let e as FFmpegError where e.isDamagedInput {
            damagedPackets += 1
            return
        }
        try receiveSound()
    }

    func flush() throws {
        try stage("flush audio decoder") { try decoder.send(nil) }
        try receiveSound()
        try edits?.finish { try sink.addAudio($0, atSeconds: $1) }
        if let note = edits?.loudnessNote { log.note(note) }
        if damagedPackets > 0 { log.note("\(damagedPackets) of \(packets) audio packets were damaged and skipped") }
    }

    /// The next decoded sound into `frame`; false when the decoder needs input or refused a damaged packet.
    private func nextSound() throws -> Bool {
        try stage("decode audio") {
            do { return try decoder.receive(into: frame) == .got } catch let e as FFmpegError where e.isDamagedInput {
                damagedPackets += 1
                return false
            }
        }
    }

    private func receiveSound() throws {
        while try nextSound() {
            defer { frame.unref() }
            guard !isFull else { continue }
            let t = frame.bestEffortTimestamp.map { Double($0) * timeBase.double - origin }
            guard let edits else { try sink.addAudio(frame, atSeconds: t); continue }
            if let t, let end = inputEnd, t >= end { inputDone = true; continue }
            // Sound wholly before time zero is never heard: not worth editing.
            if !started, let t, t + Double(frame.sampleCount) / Double(max(1, frame.sampleRate)) <= 1e-9 { continue }
            started = true
            try edits.add(frame, atSeconds: t) { try sink.addAudio($0, atSeconds: $1) }
        }
    }
}
