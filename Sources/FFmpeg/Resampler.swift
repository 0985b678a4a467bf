import CFFmpeg

/// Owns a SwrContext: resamples, remixes channels and converts sample formats.
public final class Resampler {
    public let context: OpaquePointer
    public let outputRate: Int32

    public init(input: UnsafeMutablePointer<AVChannelLayout>, inputFormat: AVSampleFormat, inputRate: Int32,
                output: UnsafeMutablePointer<AVChannelLayout>, outputFormat: AVSampleFormat, outputRate: Int32) throws {
        var ctx: OpaquePointer? = nil
        try check(swr_alloc_set_opts2(&ctx, output, outputFormat, outputRate, input, inputFormat, inputRate, 0, nil),
                  "swr_alloc_set_opts2")
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
    public func outputCapacity(forInput inputSamples: Int32) -> Int32 {
        swr_get_out_samples(context, inputSamples)
    }

    /// Converts `count` input samples (nil input drains); returns samples written.
    public func convert(input: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int32,
                        output: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, capacity: Int32) throws -> Int32 {
        try check(swr_convert(context, output, capacity, input, count), "swr_convert")
    }
}

/// Owns an AVAudioFifo: re-chunks audio into the encoder's frame size.
public final class AudioFIFO {
    public let pointer: OpaquePointer

    public init(format: AVSampleFormat, channels: Int32, capacity: Int32 = 4096) throws {
        guard let f = av_audio_fifo_alloc(format, channels, capacity) else { throw FFmpegError.outOfMemory(what: "AVAudioFifo") }
        pointer = f
    }

    deinit { av_audio_fifo_free(pointer) }

    public var count: Int32 { av_audio_fifo_size(pointer) }

    public func write(_ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>, count: Int32) throws {
        try check(av_audio_fifo_write(pointer, data, count), "av_audio_fifo_write")
    }

    public func read(into data: UnsafeMutablePointer<UnsafeMutableRawPointer?>, count: Int32) throws -> Int32 {
        try check(av_audio_fifo_read(pointer, data, count), "av_audio_fifo_read")
    }

    public func drain(_ count: Int32) { av_audio_fifo_drain(pointer, count) }
}
