import FFmpeg
import Foundation
import MediaProbe
import Reframing

/// The speaker layout's loudness cue: the source's sound decoded once more, mixed to mono at
/// 16 kHz by libavfilter, and reduced to its RMS every 50 ms on the analysis clock.
enum SoundLevelsReader {
    static let rate = 16_000
    static let step = 0.05

    /// Levels from `origin` (seconds of the source's clock that are the analysis's zero) for
    /// `length` seconds; nil when the source has no sound.
    static func read(_ report: ProbeReport, origin: Double, seek: Double?, length: Double?,
                     cancel: CancellationFlag?) throws -> SoundLevels? {
        guard let audio = report.primaryAudio else { return nil }
        let demuxer = try stage("read sound for analysis") { try Demuxer(path: report.path, analyze: !report.headerIsComplete) }
        if let seek, seek > 0 { try stage("read sound for analysis") { try demuxer.seek(toSeconds: seek) } }
        let decoder = try stage("read sound for analysis") { try Decoder(demuxer: demuxer, stream: audio.index) }
        let timeBase = demuxer.parameters(of: audio.index).timeBase
        let levels = Accumulator(length: length)
        var graph: AudioFilterGraph?
        let packet = try Packet(), frame = try Frame(), mono = try Frame()
        func drain(_ g: AudioFilterGraph) throws {
            while try stage("read sound for analysis", { try g.pull(into: mono) }) == .got {
                levels.add(mono.floatSamples(channel: 0))
                mono.unref()
            }
        }
        func take() throws {
            while try stage("read sound for analysis", { try decoder.receive(into: frame) }) == .got {
                defer { frame.unref() }
                if graph == nil {
                    // The first frame's time places the whole mono stream (the resampler keeps it continuous).
                    levels.start(at: frame.bestEffortTimestamp.map { Double($0) * timeBase.double - origin } ?? 0)
                    graph = try stage("read sound for analysis") {
                        try AudioFilterGraph(format: frame.sampleFormat, rate: frame.sampleRate, layout: try frame.channelLayout(),
                                             description: "aresample=\(rate),aformat=sample_fmts=fltp:channel_layouts=mono")
                    }
                }
                // A frame whose format changes mid-stream is left out, as the loudness scan does.
                do { try graph?.push(frame) } catch let e as FFmpegError where e.code == AVError.posix(EINVAL) { continue }
                if let graph { try drain(graph) }
            }
        }
        while !levels.isFull, try stage("read sound for analysis", { try demuxer.read(into: packet) }) {
            defer { packet.unref() }
            if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
            guard packet.streamIndex == audio.index else { continue }
            do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { continue }
            try take()
        }
        if let graph {
            try stage("read sound for analysis") { try graph.push(nil) }
            try drain(graph)
        }
        return levels.result
    }

    /// Sums of squares per step, from the analysis clock's zero.
    private final class Accumulator {
        private let perStep = Int(Double(SoundLevelsReader.rate) * SoundLevelsReader.step)
        private let length: Double?
        private var sample = 0
        private var sums: [Double] = []
        private var started = false

        init(length: Double?) { self.length = length }

        func start(at t: Double) {
            started = true
            sample = Int((t * Double(SoundLevelsReader.rate)).rounded())
        }

        var isFull: Bool { length.map { Double(sums.count) * SoundLevelsReader.step >= $0 } ?? false }

        func add(_ samples: [Float]) {
            for s in samples {
                defer { sample += 1 }
                guard sample >= 0 else { continue }
                let i = sample / perStep
                if i >= sums.count { sums += [Double](repeating: 0, count: i - sums.count + 1) }
                sums[i] += Double(s) * Double(s)
            }
        }

        var result: SoundLevels? {
            guard started else { return nil }
            return SoundLevels(step: SoundLevelsReader.step, rms: sums.map { ($0 / Double(perStep)).squareRoot() })
        }
    }
}
