import CFFmpeg
import FFmpeg

/// Decoded audio → resampled → encoder-sized frames, on an exact sample clock.
///
/// Sample positions are counted from the conversion's time origin. The tiktok plan pads a
/// late start with silence (both tracks start at zero); the mp4 plan keeps the source's
/// timing by starting the clock at the first sample's position instead.
final class AudioTrack {
    /// The tiktok plan's output: 48 kHz stereo AAC.
    static let rate: Int32 = 48_000
    let encoder: Encoder
    let sampleRate: Int32
    private let sampleFormat: AVSampleFormat
    private var outputLayout = AVChannelLayout()
    private let padLeadWithSilence: Bool
    private let fifo: AudioFIFO
    private var resampler: Resampler?
    /// What the current resampler was made for; a frame that differs gets a new one.
    private var resamplerInput = AVChannelLayout()
    private var resamplerFormat: Int32 = -1, resamplerRate: Int32 = 0
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
        var stereo = AVChannelLayout()
        av_channel_layout_default(&stereo, 2)
        try self.init(encoderName: "aac", sampleFormat: AV_SAMPLE_FMT_FLTP, sampleRate: Self.rate, layout: stereo,
                      bitrate: bitrate, limitSeconds: limitSeconds, globalHeader: globalHeader, padLeadWithSilence: true)
    }

    init(encoderName: String, sampleFormat: AVSampleFormat, sampleRate: Int32, layout: AVChannelLayout,
         bitrate: Int, limitSeconds: Double?, globalHeader: Bool, padLeadWithSilence: Bool) throws {
        var layout = layout
        av_channel_layout_copy(&outputLayout, &layout)
        self.sampleFormat = sampleFormat
        self.sampleRate = sampleRate
        self.padLeadWithSilence = padLeadWithSilence
        encoder = try Encoder(name: encoderName) { c in
            c.pointee.sample_fmt = sampleFormat
            c.pointee.sample_rate = sampleRate
            av_channel_layout_copy(&c.pointee.ch_layout, &layout)
            if bitrate > 0 { c.pointee.bit_rate = Int64(bitrate) }
            c.pointee.time_base = AVRational(num: 1, den: sampleRate)
            if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        }
        fifo = try AudioFIFO(format: sampleFormat, channels: layout.nb_channels, capacity: 8192)
        limitSamples = limitSeconds.map { Int64(($0 * Double(sampleRate)).rounded()) }
    }

    deinit {
        av_channel_layout_uninit(&outputLayout)
        av_channel_layout_uninit(&resamplerInput)
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
               s + Double(frame.sampleCount) / Double(max(1, frame.pointer.pointee.sample_rate)) <= 1e-9 { return }
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
        let n = try frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { input in
            try resampler.convert(input: input, count: frame.sampleCount, output: out.pointer.pointee.extended_data, capacity: capacity)
        }
        try place(out, count: n)
        try encodeFull(emit: emit)
    }

    /// Ends the track — at exactly `totalSamples` (padding with silence or cutting the unencoded
    /// tail) when given, else where the source ended — then drains the encoder.
    func finish(totalSamples: Int64?, emit: (Packet) throws -> Void) throws {
        if let resampler, let out = converted {
            while true {
                let cap = out.sampleCount
                let n = try resampler.convert(input: nil, count: 0, output: out.pointer.pointee.extended_data, capacity: cap)
                if n <= 0 { break }
                try place(out, count: n)
            }
        }
        let target = min(totalSamples ?? queuedSamples, limitSamples ?? .max)
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
        // A shallow copy: it is only read, never freed (the frame owns any channel map).
        var layout = frame.pointer.pointee.ch_layout
        if layout.order == AV_CHANNEL_ORDER_UNSPEC || layout.nb_channels == 0 {
            let n = max(1, layout.nb_channels)
            layout = AVChannelLayout()
            av_channel_layout_default(&layout, n)
        }
        let f = frame.pointer.pointee
        // Checked on every frame, so compared in place rather than described as text.
        if let r = resampler, f.format == resamplerFormat, f.sample_rate == resamplerRate,
           av_channel_layout_compare(&layout, &resamplerInput) == 0 {
            return r
        }
        // The default downmix matrix keeps the centre channel (dialogue) at -3 dB in both sides.
        let r = try Resampler(input: &layout, inputFormat: frame.sampleFormat, inputRate: f.sample_rate,
                              output: &outputLayout, outputFormat: sampleFormat, outputRate: sampleRate)
        resampler = r
        av_channel_layout_uninit(&resamplerInput)
        try check(av_channel_layout_copy(&resamplerInput, &layout), "av_channel_layout_copy")
        resamplerFormat = f.format
        resamplerRate = f.sample_rate
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
        f.pointer.pointee.format = sampleFormat.rawValue
        f.pointer.pointee.sample_rate = sampleRate
        av_channel_layout_copy(&f.pointer.pointee.ch_layout, &outputLayout)
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
        // Planar formats: one pointer per channel, each advanced past the skipped samples.
        let bytes = Int(av_get_bytes_per_sample(sampleFormat))
        let planar = av_sample_fmt_is_planar(sampleFormat) != 0
        let channels = Int(outputLayout.nb_channels)
        var planes: [UnsafeMutableRawPointer?] = (0..<(planar ? channels : 1)).map { i in
            UnsafeMutableRawPointer(frame.pointer.pointee.extended_data[i]!) + Int(skip) * bytes * (planar ? 1 : channels)
        }
        try fifo.write(&planes, count: Int32(n))
        queuedSamples += n
    }

    private func addSilence(_ count: Int64) throws {
        var remaining = count
        while remaining > 0 {
            let n = Int32(min(remaining, Int64(sampleRate)))
            let f = try samplesFrame(n)
            av_samples_set_silence(f.pointer.pointee.extended_data, 0, n, outputLayout.nb_channels, sampleFormat)
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
