import CPixel
import FFmpeg

/// Analyse stage of the audiogram: the sound, mixed to mono at 16 kHz, as the level of each
/// frequency band around each output frame's middle (what the bars show).
final class LevelMeter {
    static let rate = 16_000
    /// Samples per analysis window (64 ms: a few pitch periods of a voice).
    static let window = 1024
    let bands: Int
    private let fps: Double
    private var resampler: Resampler?
    private var mono: Frame?
    /// Mono samples not yet passed, and the absolute index of the first one.
    private var samples: [Float] = []
    private var firstIndex = 0
    /// Samples received in all.
    private(set) var total = 0
    /// The next output frame to measure.
    private(set) var nextSlot: Int64 = 0
    private var levels: [Float]

    init(bands: Int, fps: Double) {
        self.bands = bands
        self.fps = fps
        levels = [Float](repeating: 0, count: bands)
    }

    /// Adds decoded sound (any format and layout).
    func add(_ frame: Frame) throws {
        let r = try resampler ?? Resampler(input: try frame.channelLayout(), inputFormat: frame.sampleFormat, inputRate: frame.sampleRate,
                                           output: ChannelLayout(defaultFor: 1), outputFormat: .flt, outputRate: Self.rate)
        resampler = r
        try append(r, frame)
    }

    /// Drains the resampler at the end of the sound.
    func finish() throws {
        if let r = resampler { try append(r, nil) }
    }

    private func append(_ r: Resampler, _ frame: Frame?) throws {
        let capacity = r.outputCapacity(forInput: frame?.sampleCount ?? 0) + 16
        // The frame's buffer is reused while it is large enough (keepSamples only narrows the count).
        let out: Frame
        if let m = mono, m.sampleCount >= capacity {
            out = m
        } else {
            out = try Frame(samples: capacity, format: .flt, rate: Self.rate, layout: ChannelLayout(defaultFor: 1))
            mono = out
        }
        let n = try r.convert(frame, into: out)
        guard n > 0, let data = out.plane(0).data else { return }
        data.withMemoryRebound(to: Float.self, capacity: n) { samples.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
        total += n
    }

    /// The next frame's band levels when all the sound its window needs is in (or `final`, when
    /// no more will come: the rest is silence); nil otherwise.
    func nextLevels(final: Bool = false) -> [Float]? {
        let centre = Int(((Double(nextSlot) + 0.5) / fps * Double(Self.rate)).rounded())
        let start = centre - Self.window / 2, end = start + Self.window
        guard end <= total || final else { return nil }
        var window = [Float](repeating: 0, count: Self.window)
        for i in max(start, firstIndex)..<min(end, total) { window[i - start] = samples[i - firstIndex] }
        tk_band_levels(window, Int32(Self.window), Int32(Self.rate), Int32(bands), 120, 5000, &levels)
        nextSlot += 1
        // Samples before the next window are never read again.
        let keepFrom = Int(((Double(nextSlot) + 0.5) / fps * Double(Self.rate)).rounded()) - Self.window / 2
        if keepFrom - firstIndex > 65_536 {
            let drop = min(keepFrom - firstIndex, samples.count)
            samples.removeFirst(drop)
            firstIndex += drop
        }
        return levels
    }
}
