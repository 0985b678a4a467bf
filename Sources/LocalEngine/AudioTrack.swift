import CFFmpeg
import FFmpeg

/// Decoded audio → 48 kHz stereo float → AAC frames of 1024 samples, on an exact sample clock.
///
/// Sample positions are counted from the conversion's time origin, so the track starts where
/// the video starts: a late first packet is preceded by silence, an early one is cut.
final class AudioTrack {
    static let rate: Int32 = 48_000
    let encoder: Encoder
    private let fifo: AudioFIFO
    private var resampler: Resampler?
    private var resamplerKey: (format: Int32, rate: Int32, layout: String)?
    private var converted: Frame?
    /// Samples still to cut from the front (source started before the origin).
    private var dropCount: Int64 = 0
    private var started = false
    /// Samples placed on the output clock so far (including inserted silence).
    private(set) var queuedSamples: Int64 = 0
    private var encodedSamples: Int64 = 0
    /// Trim: never place samples at or beyond this position.
    let limitSamples: Int64?

    init(bitrate: Int, limitSeconds: Double?, globalHeader: Bool) throws {
        encoder = try Encoder(name: "aac") { c in
            c.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
            c.pointee.sample_rate = Self.rate
            av_channel_layout_default(&c.pointee.ch_layout, 2)
            c.pointee.bit_rate = Int64(bitrate)
            c.pointee.time_base = AVRational(num: 1, den: Self.rate)
            if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }
        fifo = try AudioFIFO(format: AV_SAMPLE_FMT_FLTP, channels: 2, capacity: 8192)
        limitSamples = limitSeconds.map { Int64(($0 * Double(Self.rate)).rounded()) }
    }

    var isFull: Bool { limitSamples.map { queuedSamples >= $0 } ?? false }

    /// Adds one decoded frame whose start is `seconds` after the origin.
    func add(_ frame: Frame, atSeconds seconds: Double?, emit: (Packet) throws -> Void) throws {
        if !started {
            started = true
            let lead = Int64(((seconds ?? 0) * Double(Self.rate)).rounded())
            if lead > 0 { try addSilence(lead) } else { dropCount = -lead }
        }
        let resampler = try resamplerFor(frame)
        let capacity = resampler.outputCapacity(forInput: frame.sampleCount) + 32
        let out = try buffer(capacity: capacity)
        let n = try frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { input in
            try resampler.convert(input: input, count: frame.sampleCount, output: out.pointer.pointee.extended_data, capacity: capacity)
        }
        try place(out, count: n)
        try encodeFull(emit: emit)
    }

    /// Ends the track at exactly `totalSamples` (padding with silence), then drains the encoder.
    func finish(totalSamples: Int64, emit: (Packet) throws -> Void) throws {
        if let resampler, let out = converted {
            while true {
                let cap = out.sampleCount
                let n = try resampler.convert(input: nil, count: 0, output: out.pointer.pointee.extended_data, capacity: cap)
                if n <= 0 { break }
                try place(out, count: n)
            }
        }
        let target = min(totalSamples, limitSamples ?? .max)
        if queuedSamples < target { try addSilence(target - queuedSamples) }
        if queuedSamples > target {
            // Cut what lies past the end (only ever the unencoded tail in the FIFO).
            let excess = min(Int64(fifo.count), queuedSamples - target)
            let keep = Int32(Int64(fifo.count) - excess)
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
    private func truncateFIFO(keeping keep: Int32) throws {
        guard keep < fifo.count else { return }
        let f = try samplesFrame(keep)
        if keep > 0 {
            _ = try f.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
                try fifo.read(into: $0, count: keep)
            }
        }
        fifo.drain(fifo.count)
        if keep > 0 {
            try f.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
                try fifo.write($0, count: keep)
            }
        }
    }

    var endSeconds: Double { Double(queuedSamples) / Double(Self.rate) }

    /// Silence for a source with no audio, following the video clock.
    func fill(toSeconds seconds: Double, emit: (Packet) throws -> Void) throws {
        started = true
        let target = min(Int64((seconds * Double(Self.rate)).rounded()), limitSamples ?? .max)
        if target > queuedSamples { try addSilence(target - queuedSamples) }
        try encodeFull(emit: emit)
    }

    // MARK: - internals

    private func resamplerFor(_ frame: Frame) throws -> Resampler {
        var layout = frame.pointer.pointee.ch_layout
        if layout.order == AV_CHANNEL_ORDER_UNSPEC || layout.nb_channels == 0 {
            let n = max(1, layout.nb_channels)
            av_channel_layout_uninit(&layout)
            av_channel_layout_default(&layout, n)
        }
        var name = [CChar](repeating: 0, count: 128)
        av_channel_layout_describe(&layout, &name, name.count)
        let key = (frame.pointer.pointee.format, frame.pointer.pointee.sample_rate, String(cString: name))
        if let r = resampler, let k = resamplerKey, k == key { return r }
        var out = AVChannelLayout()
        av_channel_layout_default(&out, 2)
        // The default downmix matrix keeps the centre channel (dialogue) at -3 dB in both sides.
        let r = try Resampler(input: &layout, inputFormat: frame.sampleFormat, inputRate: frame.pointer.pointee.sample_rate,
                              output: &out, outputFormat: AV_SAMPLE_FMT_FLTP, outputRate: Self.rate)
        resampler = r
        resamplerKey = key
        return r
    }

    private func buffer(capacity: Int32) throws -> Frame {
        if let c = converted, c.sampleCount >= capacity { return c }
        let f = try samplesFrame(max(capacity, 4096))
        converted = f
        return f
    }

    private func samplesFrame(_ count: Int32) throws -> Frame {
        let f = try Frame()
        f.pointer.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        f.pointer.pointee.sample_rate = Self.rate
        av_channel_layout_default(&f.pointer.pointee.ch_layout, 2)
        f.pointer.pointee.nb_samples = max(count, 1)
        try check(av_frame_get_buffer(f.pointer, 0), "av_frame_get_buffer(audio)")
        return f
    }

    /// Puts `count` converted samples on the clock, after any pending front cut and before the trim limit.
    private func place(_ frame: Frame, count: Int32) throws {
        var skip = Int64(0), n = Int64(count)
        if dropCount > 0 { skip = min(dropCount, n); dropCount -= skip; n -= skip }
        if let limit = limitSamples { n = min(n, max(0, limit - queuedSamples)) }
        guard n > 0 else { return }
        var planes: [UnsafeMutableRawPointer?] = (0..<2).map { i in
            UnsafeMutableRawPointer(frame.pointer.pointee.extended_data[i]!) + Int(skip) * MemoryLayout<Float>.size
        }
        try fifo.write(&planes, count: Int32(n))
        queuedSamples += n
    }

    private func addSilence(_ count: Int64) throws {
        var remaining = count
        while remaining > 0 {
            let n = Int32(min(remaining, 48_000))
            let f = try samplesFrame(n)
            av_samples_set_silence(f.pointer.pointee.extended_data, 0, n, 2, AV_SAMPLE_FMT_FLTP)
            try f.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
                try fifo.write($0, count: n)
            }
            queuedSamples += Int64(n)
            remaining -= Int64(n)
        }
    }

    private func encodeFull(emit: (Packet) throws -> Void) throws {
        let size = encoder.context.pointee.frame_size > 0 ? encoder.context.pointee.frame_size : 1024
        while fifo.count >= size { try encodeChunk(size, emit: emit) }
    }

    private func encodeChunk(_ count: Int32, emit: (Packet) throws -> Void) throws {
        let f = try samplesFrame(count)
        _ = try f.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
            try fifo.read(into: $0, count: count)
        }
        f.pointer.pointee.pts = encodedSamples
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
