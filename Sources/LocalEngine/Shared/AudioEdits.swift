import FFmpeg
import Foundation
import Planning

/// The sound edits as one libavfilter graph between the decoder and the `AudioTrack`: downmix
/// to the track's layout and rate, tempo (atempo: speed with the pitch kept), volume, loudness
/// (loudnorm, single pass, to TikTok's −14 LUFS), then the fades on the output clock.
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

    /// True Peak ceiling and loudness range for `loudnorm`: −1.5 dBTP leaves room for the AAC
    /// encoder's overshoot; LRA 11 keeps speech and music dynamics (loudnorm's default 7 squeezes them).
    static let truePeak = -1.5
    static let loudnessRange = 11.0

    private let edits: LocalEdits
    private let target: Target
    private let fades: FadeTimes
    private var graph: AudioFilterGraph?
    private var input: (format: SampleFormat, rate: Int, layout: ChannelLayout)?
    /// Output time of the current graph's first sample, and samples it has given since.
    private var graphStart = 0.0
    private var emitted: Int64 = 0
    private var pushed: Int64 = 0
    /// Seconds of sound pushed into the current graph.
    private var pushedSeconds = 0.0
    private let edited: Frame

    init(edits: LocalEdits, target: Target, fades: FadeTimes) throws {
        self.edits = edits
        self.target = target
        self.fades = fades
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
        let chain = Self.filterChain(edits, target: target, fades: fades, startSeconds: seconds)
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
            try emit(edited, t)
        }
    }

    // MARK: - The filter chain (libavfilter syntax)

    /// The chain for a graph whose first sample lies at `startSeconds` on the output clock.
    static func filterChain(_ edits: LocalEdits, target: Target, fades: FadeTimes, startSeconds: Double) -> String {
        let layout = "channel_layouts=" + quoted(target.layout.description)
        // Downmixed first: tempo then works on fewer channels, and loudness is measured on what is heard.
        var f = ["aformat=sample_rates=\(target.rate):\(layout)"]
        if let s = edits.speed { f += tempo(s) }
        if let db = edits.volumeDB { f.append("volume=\(number(db))dB") }
        if edits.loudnorm {
            f.append("loudnorm=I=\(number(LocalEdits.loudnessTarget)):TP=\(number(truePeak)):LRA=\(number(loudnessRange))")
            f.append("aresample=\(target.rate)")   // loudnorm works (and outputs) at 192 kHz
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
