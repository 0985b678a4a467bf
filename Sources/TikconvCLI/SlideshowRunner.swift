import Foundation
import LocalEngine
import MediaProbe
import Planning

/// Runs the offline photo slideshow for the convert command, once `SlideshowRouting` chose it:
/// one output from all the photos. Photos the probe refused were already named; the slideshow
/// is made from the rest, and the exit code (10) and summary say some were left out.
struct SlideshowRunner {
    let decision: SlideshowRouting.Decision
    let flags: SlideshowFlags
    let conversion: ConversionOptions
    let output: String?
    let overwrite: Bool
    let planOnly: Bool
    let json: Bool
    let progress: ProgressStyle
    /// Inputs the probe refused (already reported on stderr).
    let refused: [ConvertRunner.Failure]
    let began: Date
    var console = Console()

    func run() throws -> TikconvExit {
        let options = try slideshowOptions()
        let plan = self.plan(options)
        if planOnly {
            print(json ? try plan.jsonString() : plan.explain())
            return .success
        }
        let renderer = ProgressRenderer(style: progress)
        Signals.install()
        do {
            try OutputNames.prepareFolder(output, console: console)
            let result = try convert(options, to: try outputPath(), renderer: renderer)
            return try finish(result, plan: plan, inputs: decision.photos + [options.music].compactMap { $0 })
        } catch {
            let status = exitStatus(for: error)
            console.error("tikconv: " + userMessage(for: error))
            if json {
                let failure = ConvertRunner.Failure(path: decision.photos.first?.path ?? "", error: userMessage(for: error), code: nil, exit: status.rawValue)
                try printJSON(ConvertRunner.Report(inputs: decision.photos + [options.music].compactMap { $0 }, plan: plan, groups: [], outputs: [],
                                                   failures: refused + [failure],
                                                   wallSeconds: Date().timeIntervalSince(began)))
            }
            return status
        }
    }

    /// Makes the slideshow at `path` (the renderer is finished either way).
    func convert(_ options: SlideshowOptions, to path: String, renderer: ProgressRenderer) throws -> ConversionResult {
        defer { renderer.finish() }
        let converter = try SlideshowConverter(photos: decision.photos, options: options, outputPath: path,
                                               overwrite: overwrite, cancel: Signals.cancellation,
                                               progress: renderer.callback(label: "slideshow"))
        return try converter.run()
    }

    /// "✓ slideshow of 3 photos → out.mp4 (…)" and its notes.
    static func summary(_ result: ConversionResult) -> String {
        let shown = result.slideshow?.photos.count ?? 0
        var line = String(format: "✓ slideshow of %@ → %@ (%.2f s of video, %d frames, %.1f s, %.0f fps)",
                          shown == 1 ? "1 photo" : "\(shown) photos", result.output, result.durationSeconds, result.videoFrames,
                          result.wallSeconds, result.encodeFPS)
        for n in result.notes { line += "\n  note: \(n)" }
        return line
    }

    private func finish(_ result: ConversionResult, plan: Plan, inputs: [ProbeReport]) throws -> TikconvExit {
        let skipped = result.slideshow?.skipped ?? []
        console.line(Self.summary(result), .success)
        let leftOut = refused.count + skipped.count
        // Refused inputs may be anything (a missing file, a text file), so they are counted as inputs.
        if leftOut > 0 { console.error("tikconv: \(leftOut) of \(decision.photos.count + refused.count) inputs left out (named above)") }
        if json {
            let failures = refused + skipped.map { ConvertRunner.Failure(path: $0.path, error: $0.reason, code: nil, exit: TikconvExit.badInput.rawValue) }
            try printJSON(ConvertRunner.Report(inputs: inputs, plan: plan, groups: [], outputs: [result], failures: failures,
                                               wallSeconds: Date().timeIntervalSince(began)))
        } else {
            print(result.output)
        }
        return leftOut > 0 ? .partialFailure : .success
    }

    /// The engine's options from the flags; the song from --music or an audio input.
    func slideshowOptions() throws -> SlideshowOptions {
        var o = SlideshowOptions()
        if let d = flags.photoDuration { o.photoDuration = d }
        if let t = flags.transition { o.transition = t }
        if let t = flags.transitionDuration { o.transitionDuration = t }
        if let order = flags.order { o.order = order }
        o.fitToMusic = flags.fitToMusic
        o.beatSync = flags.beatSync
        o.motion = !flags.noMotion
        o.silentAudio = conversion.silentAudio
        var encoding = TikTokOptions()
        if let preset = conversion.preset { encoding.preset = preset.rawValue }
        if let crf = conversion.crf { encoding.crf = crf }
        if let b = conversion.audioBitrate { encoding.audioBitrate = b }
        encoding.threads = conversion.threads
        o.encoding = encoding
        o.music = try flags.music.map { try Prober.probe(path: $0, limits: conversion.probeLimits) } ?? decision.music
        if o.music == nil && (flags.fitToMusic || flags.beatSync) {
            throw CLIError.slideshowNeedsMusic(flags.fitToMusic ? "--fit-to-music" : "--beat-sync")
        }
        return o
    }

    /// What `--plan` shows: the tiktok plan's output contract, made from photos.
    func plan(_ o: SlideshowOptions) -> Plan {
        let transition = o.transition == .crossfade ? String(format: "crossfade %.2g s at each cut", o.transitionDuration) : "hard cuts"
        let steps = SlideshowRouting.steps(photos: decision.photos.count, photoSeconds: o.photoDuration, transition: transition,
                                           music: o.music.map { ($0.path as NSString).lastPathComponent }, fitToMusic: o.fitToMusic,
                                           beatSync: o.beatSync)
        return Plan(route: .local, localPlan: .tiktok, steps: steps,
                    reasons: decision.reasons + ["one output in the tiktok plan's contract (1080x1920 H.264 High, 30 fps, AAC when there is sound)"])
    }

    /// -o FILE, -o DIR/, or `<first photo>.slideshow.mp4` beside the first photo.
    func outputPath() throws -> String {
        let first = URL(fileURLWithPath: decision.photos[0].path)
        let name = first.deletingPathExtension().lastPathComponent + ".slideshow.mp4"
        guard let output else { return first.deletingLastPathComponent().appendingPathComponent(name).path }
        var isDir: ObjCBool = false
        if output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDir) && isDir.boolValue) {
            return URL(fileURLWithPath: output).appendingPathComponent(name).path
        }
        return output
    }

    private func printJSON<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try enc.encode(value), as: UTF8.self))
    }
}
