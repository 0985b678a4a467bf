import FFmpeg
import Foundation
import BeatTracking
import MediaProbe

/// Decodes a song's audio stream, frame by frame, from the start.
final class SongDecoder {
    private let demuxer: Demuxer
    private let decoder: Decoder
    private let index: Int
    private let packet: Packet
    private var draining = false

    init(_ report: ProbeReport) throws {
        guard let audio = report.primaryAudio else {
            throw LocalEngineError.musicUnusable(path: report.path, reason: "it has no audio stream")
        }
        index = audio.index
        do {
            demuxer = try Demuxer(path: report.path, analyze: !report.headerIsComplete)
            decoder = try Decoder(demuxer: demuxer, stream: audio.index, threads: 1)
            packet = try Packet()
        } catch let e as FFmpegError {
            throw LocalEngineError.musicUnusable(path: report.path, reason: e.localizedDescription)
        }
    }

    /// The next decoded frame into `frame`; false at the end. A damaged packet is skipped, as
    /// players do.
    func next(into frame: Frame) throws -> Bool {
        while true {
            switch try stage("decode music", { try decoder.receive(into: frame) }) {
            case .got: return true
            case .endOfStream: return false
            case .needsInput:
                if draining { return false }
                if try stage("read music", { try demuxer.read(into: packet) }) {
                    defer { packet.unref() }
                    guard packet.streamIndex == index else { continue }
                    do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { continue }
                } else {
                    draining = true
                    try stage("flush music decoder") { try decoder.send(nil) }
                }
            }
        }
    }
}

/// Runs a song through a filter chain: decoded frames in, filtered frames out, on demand.
final class SongChain {
    private let song: SongDecoder
    private let graph: AudioFilterGraph
    private let input: Frame
    private var ended = false

    /// Opens the song and builds `chain` for its first frame's format (nil: no audio at all).
    init?(_ report: ProbeReport, chain: String) throws {
        let song = try SongDecoder(report), first = try Frame()
        guard try song.next(into: first) else { return nil }
        let graph = try stage("build music filters") {
            try AudioFilterGraph(format: first.sampleFormat, rate: first.sampleRate, layout: try first.channelLayout(), description: chain)
        }
        try stage("filter music") { try graph.push(first) }
        first.unref()
        self.song = song
        self.graph = graph
        input = first
    }

    /// The next filtered frame into `frame`; false when the song is over.
    func next(into frame: Frame) throws -> Bool {
        while true {
            switch try stage("filter music", { try graph.pull(into: frame) }) {
            case .got: return true
            case .endOfStream: return false
            case .needsInput:
                if ended { return false }
                if try song.next(into: input) {
                    try stage("filter music") { try graph.push(input) }
                    input.unref()
                } else {
                    ended = true
                    try stage("filter music") { try graph.push(nil) }
                }
            }
        }
    }
}

/// The music under a slideshow: trimmed to it, normalised to about −14 LUFS integrated
/// (measured with libavfilter's EBU R128 meter, `ebur128`), held under −1 dBFS by a limiter
/// when the gain would clip, and faded out at the end when the song is cut.
///
/// It follows the picture `lag` seconds behind, so the end — which moves if a photo has to be
/// left out — is known before the fade-out is reached; the muxer still interleaves the two
/// tracks, since it waits up to 10 s for the later one.
final class MusicTrack {
    static let targetLUFS = -14.0
    static let lag = 3.0
    let report: ProbeReport
    let gainDB: Double
    /// The song's loudness before the gain (nil when too short or too quiet to measure).
    let measuredLUFS: Double?
    private let chain: SongChain?
    private let frame: Frame
    private(set) var fedSeconds = 0.0
    private var over = false

    /// The chain that turns any audio into what the sink takes, at a gain, limited.
    static func levelChain(gainDB: Double) -> String {
        "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=\(String(format: "%.2f", gainDB))dB,"
            + "alimiter=limit=0.891:level=0:latency=1,aformat=sample_fmts=fltp"   // the limiter works in doubles
    }

    /// How long the fade-out is for a slideshow of `seconds`.
    static func fadeSeconds(forShow seconds: Double) -> Double { min(2, seconds / 4) }

    /// Whether the song runs on past the slideshow (then it is cut, and faded out).
    static func isCut(_ report: ProbeReport, showSeconds: Double) -> Bool { (report.duration ?? .infinity) > showSeconds + 0.05 }

    init(report: ProbeReport, gainDB: Double, measured: Double?) throws {
        self.report = report
        self.gainDB = gainDB
        measuredLUFS = measured
        chain = try SongChain(report, chain: Self.levelChain(gainDB: gainDB))
        frame = try Frame()
    }

    /// Sends the song's sound up to `seconds` (from the start) to the sink.
    func feed(upTo seconds: Double, into sink: TikTokSink) throws {
        guard let chain else { return }
        while !over && fedSeconds < seconds {
            guard try chain.next(into: frame) else { over = true; return }
            fedSeconds += Double(frame.sampleCount) / Double(frame.sampleRate)
            try sink.addAudio(frame, atSeconds: nil)
            frame.unref()
        }
    }

    /// Sends the rest up to `end`, fading out over the last `fade` seconds when the song is cut.
    func finish(at end: Double, fade: Double, into sink: TikTokSink) throws {
        guard let chain, !over else { return }
        let cut = Self.isCut(report, showSeconds: end) && fade > 0
        let fader = cut ? try stage("build music fade") {
            try AudioFilterGraph(format: .fltp, rate: 48_000, layout: ChannelLayout(defaultFor: 2),
                                 description: String(format: "afade=t=out:st=%.6f:d=%.6f", max(0, end - fade - fedSeconds), fade))
        } : nil
        let faded = try Frame()
        func pass(_ f: Frame?) throws {
            guard let fader else { if let f { try sink.addAudio(f, atSeconds: nil) }; return }
            try stage("fade music") { try fader.push(f) }
            while try stage("fade music", { try fader.pull(into: faded) }) == .got {
                try sink.addAudio(faded, atSeconds: nil)
                faded.unref()
            }
        }
        while fedSeconds < end, try chain.next(into: frame) {
            fedSeconds += Double(frame.sampleCount) / Double(frame.sampleRate)
            try pass(frame)
            frame.unref()
        }
        try pass(nil)
        over = true
    }
}

/// Measures how loud the music will sound, so the gain can bring it to the target.
enum MusicLoudness {
    /// Integrated loudness (LUFS, EBU R128 with its gates) of the song's first `seconds` as they
    /// will be heard: at `gainDB`, limited, faded out over the last `fade` seconds. Nil when
    /// the meter finds nothing above its −70 LUFS gate (silence, or under 0.4 s of sound).
    static func measure(_ report: ProbeReport, gainDB: Double, seconds: Double, fade: Double) throws -> Double? {
        var chain = MusicTrack.levelChain(gainDB: gainDB) + String(format: ",atrim=end=%.6f", seconds)
        if fade > 0 { chain += String(format: ",afade=t=out:st=%.6f:d=%.6f", max(0, seconds - fade), fade) }
        chain += ",ebur128=metadata=1"
        guard let song = try SongChain(report, chain: chain) else { return nil }
        let frame = try Frame()
        var integrated: Double?
        while try song.next(into: frame) {
            if let text = frame.metadata("lavfi.r128.I"), let value = Double(text) { integrated = value }
            frame.unref()
        }
        return integrated.flatMap { $0 > -69.9 ? $0 : nil }
    }

    /// The gain that brings the music to `MusicTrack.targetLUFS`. Loudness grows with the gain
    /// at one dB per dB until the limiter starts taking the peaks off — a song whose peaks stand
    /// far above its body (quiet classical, sharp drums) then gains much less — so the gain is
    /// found by measuring through the gain and limiter and stepping along the measured slope
    /// (a safeguarded secant), until within 0.3 LU, five measurements at most. Between −30 and
    /// +24 dB; 0 for music that cannot be measured.
    static func gain(for report: ProbeReport, seconds: Double, fade: Double) throws -> (gainDB: Double, measured: Double?) {
        let target = MusicTrack.targetLUFS
        guard let measured = try measure(report, gainDB: 0, seconds: seconds, fade: fade) else { return (0, nil) }
        func clamp(_ g: Double) -> Double { min(24, max(-30, g)) }
        var last = (gain: 0.0, lufs: measured)
        var gain = clamp(target - measured)
        for _ in 0..<4 {
            guard let lufs = try measure(report, gainDB: gain, seconds: seconds, fade: fade), abs(lufs - target) > 0.3 else { break }
            // dLUFS/dGain lies in (0, 1]: 1 while nothing is limited, less as the limiter works.
            let slope = min(1, max(0.05, (lufs - last.lufs) / (gain - last.gain)))
            last = (gain, lufs)
            let next = clamp(gain + (target - lufs) / slope)
            if abs(next - gain) < 0.05 { break }
            gain = next
        }
        return (gain, measured)
    }
}

/// Where the song's beats fall, for --beat-sync (aubio's tracker, on the song as mono 44.1 kHz).
enum MusicBeats {
    static let rate = 44_100
    /// aubio reports a beat only after hearing a few seconds past it: the analysis reads this
    /// much of the song beyond the slideshow when there is more.
    static let lookahead = 6.0

    /// The beats in the song's first `seconds`, in seconds from its start.
    static func find(_ report: ProbeReport, seconds: Double) throws -> [Double] {
        let chain = String(format: "aresample=%d,aformat=sample_fmts=fltp:channel_layouts=mono,atrim=end=%.6f", rate, seconds + lookahead)
        guard let song = try SongChain(report, chain: chain) else { return [] }
        let tracker: BeatTracker
        do { tracker = try BeatTracker(sampleRate: rate) } catch {
            throw LocalEngineError.musicUnusable(path: report.path, reason: error.localizedDescription)
        }
        let frame = try Frame()
        while try song.next(into: frame) {
            tracker.feed(frame.floatSamples(channel: 0))
            frame.unref()
        }
        tracker.finish()
        return tracker.beats.filter { $0 < seconds }
    }
}
