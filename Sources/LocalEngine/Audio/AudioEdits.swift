import FFmpeg
import Foundation
import Planning

/// The sound edits as one libavfilter graph between the decoder and the `AudioTrack`: downmix
/// to the track's layout and rate, tempo (atempo: speed with the pitch kept), volume, loudness
/// (the gain that brings what `LoudnessScan` measured to TikTok's −14 LUFS, with a limiter when
/// the peaks would pass −1.5 dBTP), then the fades on the output clock.
///
/// The graph is made when the first frame arrives (its format is the graph's input) and made
/// again if a later frame's format differs. Samples leave contiguous, each frame stamped with
/// its time on the output clock (source time divided by the speed).
final class AudioEditStage {
    /// What the track after this stage takes.
    struct Target {
        let format: SampleFormat
        let rate: Int
        let layout: ChannelLayout
    }

    /// True peak ceiling of the loudness normalisation: −1.5 dBTP leaves room for the AAC
    /// encoder's overshoot. The limiter aims its sample peaks 0.5 dB lower, for the peaks
    /// between samples.
    static let truePeakCeiling = -1.5
    static let limiterCeiling = -2.0

    private let edits: LocalEdits
    private let target: Target
    private let fades: FadeTimes
    /// The normalisation's gain in dB and whether the peaks need the limiter; nil without one.
    let normalisation: (gain: Double, limited: Bool)?
    private let measured: Loudness?
    /// The output's integrated loudness so far, as the meter after the normalisation stamps it.
    private(set) var reached: Double?
    private var graph: AudioFilterGraph?
    private var input: (format: SampleFormat, rate: Int, layout: ChannelLayout)?
    /// Output time of the current graph's first sample, and samples it has given since.
    private var graphStart = 0.0
    private var emitted: Int64 = 0
    private var pushed: Int64 = 0
    /// Seconds of sound pushed into the current graph.
    private var pushedSeconds = 0.0
    private let edited: Frame

    /// - Parameter loudness: what the first pass measured, when `edits.loudnorm` asks for it.
    init(edits: LocalEdits, target: Target, fades: FadeTimes, loudness: Loudness? = nil) throws {
        self.edits = edits
        self.target = target
        self.fades = fades
        normalisation = edits.loudnorm ? Self.normalisation(for: loudness) : nil
        measured = loudness
        edited = try Frame()
    }

    private var speed: Double { edits.speed ?? 1 }

    /// Adds a decoded frame that starts `seconds` (source time) after the output's zero; `emit`
    /// gets each edited frame with its start on the output clock.
    func add(_ frame: Frame, atSeconds seconds: Double?, emit: (Frame, Double) throws -> Void) throws {
        if input == nil {
            try startGraph(for: frame, at: (seconds ?? 0) / speed)
        } else if !matchesInput(frame) {
            // A new format mid-stream (rare: a decoder changing layout): the old graph gives up
            // what it holds, and a new one continues the output clock where it stopped.
            try finish(emit: emit)
            try startGraph(for: frame, at: graphStart + Double(emitted) / Double(target.rate))
        }
        // The graph's own clock counts input samples (the decoder's stamps are in another time base).
        frame.pts = pushed
        pushed += Int64(frame.sampleCount)
        pushedSeconds += Double(frame.sampleCount) / Double(max(1, frame.sampleRate))
        try stage("edit audio") { try graph?.push(frame) }
        try drain(emit)
    }

    /// Ends the input: the filters that hold samples back (tempo window, loudness look-ahead)
    /// give them up.
    func finish(emit: (Frame, Double) throws -> Void) throws {
        guard let graph else { return }
        try stage("edit audio") { try graph.push(nil) }
        // atempo pads its last window: the output is cut to the input's length at the new speed.
        try drain(emit, limit: Int64((pushedSeconds / speed * Double(target.rate)).rounded()))
        self.graph = nil
    }

    private func matchesInput(_ frame: Frame) -> Bool {
        guard let input else { return false }
        return frame.sampleFormat == input.format && frame.sampleRate == input.rate && frame.hasChannelLayout(input.layout)
    }

    private func startGraph(for frame: Frame, at seconds: Double) throws {
        let layout = try stage("edit audio") { try frame.channelLayout() }
        let chain = Self.filterChain(edits, target: target, fades: fades, normalisation: normalisation, startSeconds: seconds)
        graph = try stage("set up the audio edits") {
            try AudioFilterGraph(format: frame.sampleFormat, rate: frame.sampleRate, layout: layout, description: chain)
        }
        input = (frame.sampleFormat, frame.sampleRate, layout)
        graphStart = seconds
        emitted = 0
        pushed = 0
        pushedSeconds = 0
    }

    private func drain(_ emit: (Frame, Double) throws -> Void, limit: Int64 = .max) throws {
        guard let graph else { return }
        while try stage("edit audio", { try graph.pull(into: edited) }) == .got {
            defer { edited.unref() }
            edited.keepSamples(Int(min(Int64(edited.sampleCount), max(0, limit - emitted))))
            guard edited.sampleCount > 0 else { continue }
            let t = graphStart + Double(emitted) / Double(target.rate)
            emitted += Int64(edited.sampleCount)
            if let i = edited.metadata("lavfi.r128.I").flatMap(Double.init) { reached = i }
            try emit(edited, t)
        }
    }

    // MARK: - The filter chain (libavfilter syntax)

    /// The gain from the measured loudness to the target, and whether its peaks then need the
    /// limiter; nil for silence (or nothing measured).
    static func normalisation(for loudness: Loudness?) -> (gain: Double, limited: Bool)? {
        guard let loudness, !loudness.isSilent else { return nil }
        let gain = LocalEdits.loudnessTarget - loudness.integrated
        return (gain, loudness.truePeak + gain > truePeakCeiling)
    }

    /// What the normalisation did, for the report (after `finish`); nil when none was asked for.
    var loudnessNote: String? {
        guard edits.loudnorm else { return nil }
        guard let measured, let n = normalisation else { return "loudness not changed: the sound is silent" }
        var s = String(format: "loudness %.1f → %.1f LUFS (%+.1f dB", measured.integrated, reached ?? measured.integrated + n.gain, n.gain)
        if n.limited { s += String(format: "; peaks limited to %.1f dBTP", Self.truePeakCeiling) }
        s += ")"
        if let reached, reached < LocalEdits.loudnessTarget - 1 { s += "; the peaks keep it below the target" }
        return s
    }

    /// The chain for a graph whose first sample lies at `startSeconds` on the output clock.
    static func filterChain(_ edits: LocalEdits, target: Target, fades: FadeTimes, normalisation: (gain: Double, limited: Bool)?,
                            startSeconds: Double) -> String {
        let layout = "channel_layouts=" + quoted(target.layout.description)
        // Downmixed first: tempo then works on fewer channels, and the loudness measured (on the
        // same downmix) is the loudness heard.
        var f = ["aformat=sample_rates=\(target.rate):\(layout)"]
        if let s = edits.speed { f += tempo(s) }
        // With the normalisation, a volume change would be undone by it: the level is the target's.
        if let db = edits.volumeDB, !edits.loudnorm { f.append("volume=\(number(db))dB") }
        if let n = normalisation {
            f.append("volume=\(number(n.gain))dB")
            if n.limited {
                // level=0: no make-up gain after limiting. (This FFmpeg's alimiter delays the sound
                // by its 5 ms attack, far below what anyone hears as out of sync.)
                f.append("alimiter=limit=\(number(pow(10, limiterCeiling / 20))):level=0:attack=5:release=50")
            }
            // Stamps the loudness reached on the frames, for the report (before the fades, which
            // lower the average without changing the level).
            f.append("ebur128=metadata=1")
        }
        if !fades.isEmpty {
            // The fades count samples from the graph's first output sample.
            f.append("asetpts=N/SR/TB")
            f += fadeFilters(fades, rate: target.rate, startSeconds: startSeconds)
        }
        f.append("aformat=sample_fmts=\(target.format.name):sample_rates=\(target.rate):\(layout)")
        return f.joined(separator: ",")
    }

    /// atempo keeps each stage within 0.5…2, where its quality is best.
    static func tempo(_ s: Double) -> [String] {
        if s > 2 { return ["atempo=2", "atempo=\(number(s / 2))"] }
        if s < 0.5 { return ["atempo=0.5", "atempo=\(number(s / 0.5))"] }
        return ["atempo=\(number(s))"]
    }

    /// Linear fades in samples of the graph's output: in over [0, fadeIn), out over
    /// [end − fadeOut, end) on the output clock, whose zero lies `startSeconds` before the
    /// graph's first sample. A part that falls before the graph's start is cut off.
    static func fadeFilters(_ fades: FadeTimes, rate: Int, startSeconds: Double) -> [String] {
        let r = Double(rate)
        let lead = Int64((startSeconds * r).rounded())
        var f: [String] = []
        if let d = fades.fadeIn {
            let start = -lead, length = Int64((d * r).rounded())
            f.append("afade=t=in:ss=\(max(0, start)):ns=\(max(1, length + min(0, start)))")
        }
        if let d = fades.fadeOut, let end = fades.end {
            let stop = Int64((end * r).rounded()) - lead, length = Int64((d * r).rounded())
            let start = stop - length
            f.append("afade=t=out:ss=\(max(0, start)):ns=\(max(1, stop - max(0, start)))")
        }
        return f
    }

    static func number(_ x: Double) -> String { String(format: "%.6g", x) }

    private static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "") + "'" }
}
