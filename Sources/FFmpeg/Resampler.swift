import CFFmpeg

/// Owns a SwrContext: resamples, remixes channels and converts sample formats.
public final class Resampler {
    let context: OpaquePointer
    public let outputRate: Int

    public init(input: ChannelLayout, inputFormat: SampleFormat, inputRate: Int,
                output: ChannelLayout, outputFormat: SampleFormat, outputRate: Int) throws {
        var ctx: OpaquePointer? = nil
        try check(swr_alloc_set_opts2(&ctx, &output.layout, outputFormat.av, Int32(outputRate),
                                      &input.layout, inputFormat.av, Int32(inputRate), 0, nil), "swr_alloc_set_opts2")
        guard let c = ctx else { throw FFmpegError.outOfMemory(what: "SwrContext") }
        // Initialised before any stored property is set, so a failure frees here and deinit never runs.
        let initialised = swr_init(c)
        guard initialised >= 0 else {
            var p: OpaquePointer? = c
            swr_free(&p)
            throw FFmpegError.call(function: "swr_init", code: initialised, message: AVError.message(initialised))
        }
        context = c
        self.outputRate = outputRate
    }

    deinit {
        var p: OpaquePointer? = context
        swr_free(&p)
    }

    /// Upper bound of output samples for `inputSamples` more input (including buffered ones).
    public func outputCapacity(forInput inputSamples: Int) -> Int {
        Int(swr_get_out_samples(context, Int32(inputSamples)))
    }

    /// Converts all of `input` (nil drains what is buffered) into `output`, which has room for
    /// `output.sampleCount` samples; returns how many it wrote.
    public func convert(_ input: Frame?, into output: Frame) throws -> Int {
        let capacity = output.pointer.pointee.nb_samples
        let written: Int32
        if let input {
            written = try input.pointer.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) {
                try check(swr_convert(context, output.pointer.pointee.extended_data, capacity, $0, input.pointer.pointee.nb_samples), "swr_convert")
            }
        } else {
            written = try check(swr_convert(context, output.pointer.pointee.extended_data, capacity, nil, 0), "swr_convert")
        }
        return Int(written)
    }
}

/// Owns an AVAudioFifo: re-chunks audio into the encoder's frame size.
public final class AudioFIFO {
    let pointer: OpaquePointer

    public init(format: SampleFormat, channels: Int, capacity: Int = 4096) throws {
        guard let f = av_audio_fifo_alloc(format.av, Int32(channels), Int32(capacity)) else { throw FFmpegError.outOfMemory(what: "AVAudioFifo") }
        pointer = f
    }

    deinit { av_audio_fifo_free(pointer) }

    public var count: Int { Int(av_audio_fifo_size(pointer)) }

    /// Appends `count` samples of `frame`, starting `skip` samples in.
    public func write(_ frame: Frame, skipping skip: Int = 0, count: Int) throws {
        var planes = frame.samplePlanes(skipping: skip)
        try check(av_audio_fifo_write(pointer, &planes, Int32(count)), "av_audio_fifo_write")
    }

    /// Moves up to `count` samples from the front into `frame`; returns how many.
    @discardableResult
    public func read(into frame: Frame, count: Int) throws -> Int {
        var planes = frame.samplePlanes()
        return Int(try check(av_audio_fifo_read(pointer, &planes, Int32(count)), "av_audio_fifo_read"))
    }

    /// Drops `count` samples from the front.
    public func drain(_ count: Int) { av_audio_fifo_drain(pointer, Int32(count)) }
}
