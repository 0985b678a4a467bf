import FFmpeg
import Foundation

/// What the first pass of the loudness normalisation measured (EBU R128 / ITU-R BS.1770).
struct Loudness: Equatable {
    /// Integrated loudness in LUFS (−70 or below: silence).
    let integrated: Double
    /// True peak in dBTP.
    let truePeak: Double

    /// Below the standard's absolute gate: nothing to normalise.
    var isSilent: Bool { integrated <= -69.9 }
}

/// First pass of the loudness normalisation: decodes the sound the output will carry (from
/// `origin` for `length` source seconds, downmixed as the track will be) through libavfilter's
/// `ebur128`, which stamps each 100 ms it passes with the loudness so far. One fixed gain then
/// brings the whole output to the target (a single-pass normaliser has to guess as it goes
/// and lands a dB or more off on sound whose level changes).
enum LoudnessScan {
    static func measure(path: String, stream: Int, analyze: Bool, seek: Double?, origin: Double, length: Double?,
                        target: AudioEditStage.Target, cancel: CancellationFlag?) throws -> Loudness? {
        let demuxer = try stage("measure loudness") { try Demuxer(path: path, analyze: analyze) }
        if let seek, seek > 0 { try stage("measure loudness") { try demuxer.seek(toSeconds: seek) } }
        let decoder = try stage("measure loudness") { try Decoder(demuxer: demuxer, stream: stream) }
        let timeBase = demuxer.parameters(of: stream).timeBase
        var meter: Meter?
        let packet = try Packet(), frame = try Frame()
        var ended = false
        func take() throws {
            while try stage("measure loudness", { try decoder.receive(into: frame) }) == .got {
                defer { frame.unref() }
                let t = frame.bestEffortTimestamp.map { Double($0) * timeBase.double - origin }
                if let t, t + Double(frame.sampleCount) / Double(max(1, frame.sampleRate)) <= 0 { continue }
                if let t, let length, t >= length { ended = true; continue }
                if meter == nil { meter = try Meter(first: frame, target: target) }
                try meter?.add(frame)
            }
        }
        while !ended, try stage("measure loudness", { try demuxer.read(into: packet) }) {
            defer { packet.unref() }
            if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
            guard packet.streamIndex == stream else { continue }
            do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { continue }
            try take()
        }
        try stage("measure loudness") { try decoder.send(nil) }
        try take()
        return try meter?.finish()
    }

    /// The graph `ebur128` runs in, and the latest figures it stamped.
    private final class Meter {
        let graph: AudioFilterGraph
        let out: Frame
        var integrated: Double?
        var truePeak: Double?

        init(first: Frame, target: AudioEditStage.Target) throws {
            let layout = try stage("measure loudness") { try first.channelLayout() }
            let chain = "aformat=sample_rates=\(target.rate):channel_layouts='\(target.layout.description)',ebur128=metadata=1:peak=true"
            graph = try stage("measure loudness") {
                try AudioFilterGraph(format: first.sampleFormat, rate: first.sampleRate, layout: layout, description: chain)
            }
            out = try Frame()
        }

        func add(_ frame: Frame) throws {
            // One format per graph: a frame that changes it mid-stream is left out of the measurement.
            do { try graph.push(frame) } catch let e as FFmpegError where e.code == AVError.posix(EINVAL) { return }
            try drain()
        }

        func finish() throws -> Loudness? {
            try stage("measure loudness") { try graph.push(nil) }
            try drain()
            guard let integrated, let truePeak else { return nil }
            return Loudness(integrated: integrated, truePeak: truePeak)
        }

        private func drain() throws {
            while try stage("measure loudness", { try graph.pull(into: out) }) == .got {
                if let i = out.metadata("lavfi.r128.I").flatMap(Double.init) { integrated = i }
                // Linear, the highest so far.
                if let p = out.metadata("lavfi.r128.true_peak").flatMap(Double.init) { truePeak = 20 * log10(max(p, 1e-9)) }
                out.unref()
            }
        }
    }
}
