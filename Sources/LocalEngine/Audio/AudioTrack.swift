import FFmpeg

/// Decoded audio → resampled → encoder-sized frames, on an exact sample clock.
///
/// Sample positions are counted from the conversion's time origin. The tiktok plan pads a
/// late start with silence (both tracks start at zero); the mp4 plan keeps the source's
/// timing by starting the clock at the first sample's position instead.
final class AudioTrack {
    /// The tiktok plan's output: 48 kHz stereo AAC.
    static let rate = 48_000
    let encoder: Encoder
    let sampleRate: Int
    let sampleFormat: SampleFormat
    let outputLayout: ChannelLayout
    private let padLeadWithSilence: Bool
    private let fifo: AudioFIFO
    private var resampler: Resampler?
    /// What the current resampler was made for; a frame that differs gets a new one.
    private var resamplerInput: (layout: ChannelLayout, format: SampleFormat, rate: Int)?
    private var converted: Frame?
    /// Samples still to cut from the front (source started before the origin).
    private var dropCount: Int64 = 0
    private var started = false
    /// Samples placed on the output clock so far (including inserted silence).
    private(set) var queuedSamples: Int64 = 0
    private var encodedSamples: Int64 = 0
    /// Trim: never place samples at or beyond this position.
    let limitSamples: Int64?

    /// The tiktok plan's track: AAC-LC 48 kHz stereo, silence before a late start.
    convenience init(bitrate: Int, limitSeconds: Double?, globalHeader: Bool) throws {
        var settings = AudioEncoderSettings(codec: "aac", sampleFormat: .fltp, sampleRate: Self.rate, layout: ChannelLayout(defaultFor: 2))
        settings.bitRate = bitrate
        settings.globalHeader = globalHeader
        try self.init(settings, limitSeconds: limitSeconds, padLeadWithSilence: true)
    }

    init(_ settings: AudioEncoderSettings, limitSeconds: Double?, padLeadWithSilence: Bool) throws {
        outputLayout = settings.layout
        sampleFormat = settings.sampleFormat
        sampleRate = settings.sampleRate
        self.padLeadWithSilence = padLeadWithSilence
        encoder = try Encoder(audio: settings)
        fifo = try AudioFIFO(format: settings.sampleFormat, channels: settings.layout.channelCount, capacity: 8192)
        let rate = Double(settings.sampleRate)
        limitSamples = limitSeconds.map { Int64(($0 * rate).rounded()) }
    }

    var isFull: Bool { limitSamples.map { queuedSamples >= $0 } ?? false }

    /// Adds one decoded frame whose start is `seconds` after the origin.
    func add(_ frame: Frame, atSeconds seconds: Double?, emit: (Packet) throws -> Void) throws {
        if !started {
            // A frame lying wholly before time zero is never heard: skip it by its own timestamp.
            // (Converting the whole negative lead into a sample count instead dropped seconds of
            // real sound when only the first few frames carry bogus early timestamps, as in
            // some Ogg Vorbis files, and the track then ended in silence.)
            if let s = seconds, s < 0,
               s + Double(frame.sampleCount) / Double(max(1, frame.sampleRate)) <= 1e-9 { return }
            started = true
            let lead = Int64(((seconds ?? 0) * Double(sampleRate)).rounded())
            if lead < 0 {
                dropCount = -lead   // the part of this frame before zero
            } else if !padLeadWithSilence {
                // Keep the source's timing: the clock simply starts at the first sample.
                queuedSamples = lead; encodedSamples = lead
            } else if lead > 0 { try addSilence(lead) }
        }
        let resampler = try resamplerFor(frame)
        let capacity = resampler.outputCapacity(forInput: frame.sampleCount) + 32
        let out = try buffer(capacity: capacity)
        let n = try resampler.convert(frame, into: out)
        try place(out, count: n)
        try encodeFull(emit: emit)
    }

    /// Ends the track — at exactly `totalSamples` (padding with silence or cutting the unencoded
    /// tail) when given, else where the source ended — then drains the encoder.
    func finish(totalSamples: Int64?, emit: (Packet) throws -> Void) throws {
        if let resampler, let out = converted {
            while true {
                let n = try resampler.convert(nil, into: out)
                if n <= 0 { break }
                try place(out, count: n)
            }
        }
        let target = min(totalSamples ?? queuedSamples, limitSamples ?? .max)
        if queuedSamples < target { try addSilence(target - queuedSamples) }
        if queuedSamples > target {
            // Cut what lies past the end (only ever the unencoded tail in the FIFO).
            let excess = min(Int64(fifo.count), queuedSamples - target)
            let keep = Int(Int64(fifo.count) - excess)
            if excess > 0 {
                try truncateFIFO(keeping: keep)
                queuedSamples -= excess
            }
        }
        try encodeFull(emit: emit)
        if fifo.count > 0 { try encodeChunk(fifo.count, emit: emit) }
        try encoder.send(nil)
        try drain(emit)
    }

    /// The FIFO can only drop from the front, so the samples to keep are read out and put back.
    private func truncateFIFO(keeping keep: Int) throws {
        guard keep < fifo.count else { return }
        let f = try samplesFrame(keep)
        if keep > 0 { try fifo.read(into: f, count: keep) }
        fifo.drain(fifo.count)
        if keep > 0 { try fifo.write(f, count: keep) }
    }

    var endSeconds: Double { Double(queuedSamples) / Double(sampleRate) }

    /// Silence for a source with no audio, following the video clock.
    func fill(toSeconds seconds: Double, emit: (Packet) throws -> Void) throws {
        started = true
        let target = min(Int64((seconds * Double(sampleRate)).rounded()), limitSamples ?? .max)
        if target > queuedSamples { try addSilence(target - queuedSamples) }
        try encodeFull(emit: emit)
    }

    // MARK: - internals

    private func resamplerFor(_ frame: Frame) throws -> Resampler {
        // Checked on every frame, so compared in place rather than described as text.
        if let r = resampler, let input = resamplerInput, frame.sampleFormat == input.format, frame.sampleRate == input.rate,
           frame.hasChannelLayout(input.layout) {
            return r
        }
        // The default downmix matrix keeps the centre channel (dialogue) at -3 dB in both sides.
        let layout = try frame.channelLayout()
        let r = try Resampler(input: layout, inputFormat: frame.sampleFormat, inputRate: frame.sampleRate,
                              output: outputLayout, outputFormat: sampleFormat, outputRate: sampleRate)
        resampler = r
        resamplerInput = (layout, frame.sampleFormat, frame.sampleRate)
        return r
    }


    private func buffer(capacity: Int) throws -> Frame {
        if let c = converted, c.sampleCount >= capacity { return c }
        let f = try samplesFrame(max(capacity, 4096))
        converted = f
        return f
    }

    private func samplesFrame(_ count: Int) throws -> Frame {
        try Frame(samples: count, format: sampleFormat, rate: sampleRate, layout: outputLayout)
    }

    /// Puts `count` converted samples on the clock, after any pending front cut and before the trim limit.
    private func place(_ frame: Frame, count: Int) throws {
        var skip = Int64(0), n = Int64(count)
        if dropCount > 0 { skip = min(dropCount, n); dropCount -= skip; n -= skip }
        if let limit = limitSamples { n = min(n, max(0, limit - queuedSamples)) }
        guard n > 0 else { return }
        try fifo.write(frame, skipping: Int(skip), count: Int(n))
        queuedSamples += n
    }

    private func addSilence(_ count: Int64) throws {
        var remaining = count
        while remaining > 0 {
            let n = Int(min(remaining, Int64(sampleRate)))
            let f = try samplesFrame(n)
            f.fillSilence(count: n)
            try fifo.write(f, count: n)
            queuedSamples += Int64(n)
            remaining -= Int64(n)
        }
    }

    private func encodeFull(emit: (Packet) throws -> Void) throws {
        let size = encoder.frameSize > 0 ? encoder.frameSize : 1024
        while fifo.count >= size { try encodeChunk(size, emit: emit) }
    }

    private func encodeChunk(_ count: Int, emit: (Packet) throws -> Void) throws {
        let f = try samplesFrame(count)
        try fifo.read(into: f, count: count)
        f.pts = encodedSamples
        encodedSamples += Int64(count)
        try encoder.send(f)
        try drain(emit)
    }

    private func drain(_ emit: (Packet) throws -> Void) throws {
        let packet = try Packet()
        while try encoder.receive(into: packet) == .got {
            try emit(packet)
            packet.unref()
        }
    }
}
