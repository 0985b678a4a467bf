import ArgumentParser
import Captions
import Foundation
import LocalEngine
import MediaProbe
import Planning
import Reframing

/// Options that shape what is made (shared by planning and conversion). Every value is
/// checked here, before any file is read, so a typo is a usage error (exit 2) even under --plan.
struct ConversionOptions: ParsableArguments {
    @Option(name: [.short, .customLong("prompt")], help: "What you want, in words (English or Chinese), e.g. \"vertical 9:16\" or \"add captions\".")
    var prompt: String?

    @Option(name: .customLong("to"), help: "Output kind: tiktok (1080x1920, the default for videos) or mp4 (same picture, no quality lost).")
    var target: LocalPlan?

    @Option(help: "How a picture of another shape fills 9:16: smart (follow the subject; the default for landscape sources), blur (the whole picture over a blurred copy; the default for portrait ones), pad or crop.")
    var fit: FitMode?

    @Option(help: "With --fit smart, for two people too far apart for one 9:16 window: auto (split, or speaker when the sound tells who talks; the default), single (the main one), split (two stacked halves), speaker (whoever talks, full frame) or fill (the whole picture over a blur). See docs/LAYOUTS.md.")
    var layout: LayoutMode?

    @Option(help: "Bar colour for --fit pad: a name (black, white, gray) or #RRGGBB.")
    var padColor: String = "black"

    @Option(help: ArgumentHelp("Crop centre as x,y from 0 to 1 (0.5,0.5 is the middle); implies --fit crop.", valueName: "x,y"),
            transform: { try ArgumentValues.focus($0) })
    var focus: ArgumentValues.Focus?

    @Option(help: ArgumentHelp("Start here (trim): seconds, MM:SS or HH:MM:SS[.ms].", valueName: "time"), transform: { try ArgumentValues.seconds($0) })
    var start: Double?

    @Option(help: ArgumentHelp("Keep this long (trim): seconds, MM:SS or HH:MM:SS[.ms].", valueName: "time"), transform: { try ArgumentValues.seconds($0) })
    var duration: Double?

    @Option(help: ArgumentHelp("Stop here (trim), instead of --duration: seconds, MM:SS or HH:MM:SS[.ms].", valueName: "time"),
            transform: { try ArgumentValues.seconds($0) })
    var end: Double?

    @Option(help: "x264 preset, fastest to smallest. Default veryfast.")
    var preset: X264Preset?

    @Option(help: "x264 quality, 0–51, lower is better (0 is lossless: --to mp4 only). Default 21 (tiktok), 18 (mp4).")
    var crf: Int?

    @Option(help: ArgumentHelp("AAC bitrate, 32k to 512k. Default 160k (tiktok), 256k (mp4).", valueName: "bitrate"),
            transform: { try ArgumentValues.audioBitrate($0) })
    var audioBitrate: Int?

    @Option(help: "Encoder and decoder threads (0 = one per core).")
    var threads: Int = 0

    @Flag(help: "Add a silent audio track when the source has none.")
    var silentAudio = false

    @Flag(help: "tiktok plan: encode even a TikTok-ready input (by default its video is copied; see `tikconv check`).")
    var reencode = false

    @Flag(help: "mp4 plan: re-encode audio to ALAC (lossless) instead of AAC 256k.")
    var losslessAudio = false

    @Flag(help: "Run offline only; fail if the request needs the cloud.")
    var local = false

    @Flag(help: "Send the request to the NemoVideo cloud agent (uploads the inputs).")
    var cloud = false

    @Option(help: ArgumentHelp("Refuse inputs over this many megabytes. Default: no limit offline; the cloud takes up to 500 per video, 200 per photo.",
                               valueName: "MB"))
    var maxSize: Int?

    // Captions and titles burned in (docs/CAPTIONS.md).
    @Option(help: ArgumentHelp("Captions: a subtitle file (.srt, .vtt, .ass, .ssa), or `embedded` / `embedded:N` for the input's own subtitle stream (N counts subtitle streams from 0). Burned in by the tiktok plan, a soft track with --to mp4.",
                               valueName: "file|embedded[:N]"))
    var captions: String?

    @Option(help: ArgumentHelp("Caption look: tiktok (bold white, dark outline; the default), boxed, yellow, minimal. An .ass file keeps its own styles.",
                               valueName: "style"))
    var captionStyle: CaptionStyle?

    // Animated images and audio inputs.
    @Option(help: ArgumentHelp("Animated GIF/WebP/PNG: play it this many times (default: once, or whole plays up to TikTok's 3-second minimum).",
                               valueName: "N"))
    var loop: Int?

    @Option(help: ArgumentHelp("Audio input: the picture of its audiogram (default: the file's own cover art, else a plain background).",
                               valueName: "image"))
    var cover: String?

    func validate() throws {
        try validateCaptions()
        if let loop, !(1...1000).contains(loop) { throw ValidationError("--loop must be between 1 and 1000 (plays of the animation)") }
        if let crf, !(0...51).contains(crf) { throw ValidationError("--crf must be between 0 and 51") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be more than 0") }
        if let end, end <= (start ?? 0) { throw ValidationError("--end must be after --start (\(start ?? 0) s)") }
        if Self.parseColor(padColor) == nil { throw ValidationError("--pad-color takes a name (black, white, gray) or #RRGGBB") }
        if threads < 0 { throw ValidationError("--threads must be 0 or more") }
        if let maxSize, maxSize <= 0 { throw ValidationError("--max-size must be more than 0 (megabytes)") }
    }

    /// --focus without --fit means crop: a focus point only makes sense for a crop.
    var effectiveFit: FitMode? { fit ?? (focus != nil ? .crop : nil) }

    var trimDuration: Double? { duration ?? end.map { $0 - (start ?? 0) } }

    var planFlags: PlanFlags {
        var f = PlanFlags()
        f.forceLocal = local; f.forceCloud = cloud; f.target = target; f.fit = effectiveFit
        f.layout = layout
        f.start = start; f.duration = trimDuration
        f.captions = captionInput.map(Self.describe)
        f.loop = loop; f.cover = cover
        return f
    }

    /// Offline conversions have no size cap unless --max-size gives one; uploads are checked
    /// against the cloud's caps (`ProbeLimits.upload`) before anything is sent.
    var probeLimits: ProbeLimits {
        var l = ProbeLimits.local
        if let maxSize { l.videoMaxBytes = Int64(maxSize) * 1_000_000; l.photoMaxBytes = Int64(maxSize) * 1_000_000 }
        return l
    }

    func tiktokOptions(plan: Plan) -> TikTokOptions {
        var o = TikTokOptions()
        o.fit = plan.fit ?? effectiveFit ?? .blur
        o.layout = (plan.layout ?? layout).flatMap { ShotLayout(rawValue: $0.rawValue) }
        o.padColor = Self.parseColor(padColor) ?? (0, 0, 0)
        if let focus { o.focus = (focus.x, focus.y) }
        if let preset { o.preset = preset.rawValue }
        if let crf { o.crf = crf }
        if let audioBitrate { o.audioBitrate = audioBitrate }
        o.threads = threads
        o.start = plan.start ?? start
        o.duration = plan.duration ?? trimDuration
        o.silentAudio = silentAudio
        o.edits = plan.localEdits
        o.captions = captionInput
        o.captionStyle = captionStyle ?? .tiktok
        o.titles = plan.titles
        o.loop = loop
        return o
    }

    /// What bears on copying a TikTok-ready input instead of encoding it.
    var passthroughFlags: PassthroughFlags {
        var f = PassthroughFlags()
        f.reencode = reencode
        f.videoSettings = [crf.map { _ in "--crf" }, preset.map { _ in "--preset" }].compactMap { $0 }
        f.audioSettings = audioBitrate.map { _ in ["--audio-bitrate"] } ?? []
        f.silentAudio = silentAudio
        return f
    }

    func mp4Options(plan: Plan) -> MP4Options {
        var o = MP4Options()
        if let preset { o.preset = preset.rawValue }
        if let crf { o.crf = crf }
        if let audioBitrate { o.audioBitrate = audioBitrate }
        o.losslessAudio = losslessAudio
        if case let .file(path) = captionInput { o.captionsFile = path }
        o.threads = threads
        o.loop = loop
        o.start = plan.start ?? start
        o.duration = plan.duration ?? trimDuration
        o.edits = plan.localEdits
        return o
    }

    /// The encoders a local plan will use for `report` (shown by --plan).
    func encoderSettings(plan: Plan, report: ProbeReport) -> EncoderSettings {
        plan.localPlan == .mp4 ? mp4Options(plan: plan).encoderSettings(for: report) : tiktokOptions(plan: plan).encoderSettings(for: report)
    }

    static func parseColor(_ s: String) -> (r: UInt8, g: UInt8, b: UInt8)? {
        let named: [String: (UInt8, UInt8, UInt8)] = ["black": (0, 0, 0), "white": (255, 255, 255), "gray": (128, 128, 128), "grey": (128, 128, 128)]
        if let c = named[s.lowercased()] { return c }
        var hex = s.hasPrefix("#") ? String(s.dropFirst()) : s
        if hex.hasPrefix("0x") { hex = String(hex.dropFirst(2)) }
        guard hex.count == 6, let v = UInt32(hex, radix: 16) else { return nil }
        return (UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
    }
}

extension LocalPlan: ExpressibleByArgument {}
extension CaptionStyle: ExpressibleByArgument {}

extension ConversionOptions {
    /// `--captions` read: a file, or the input's own subtitle stream.
    var captionInput: CaptionInput? {
        guard let captions else { return nil }
        if captions == "embedded" { return .embedded(nil) }
        if captions.hasPrefix("embedded:"), let n = Int(captions.dropFirst(9)), n >= 0 { return .embedded(n) }
        return .file(captions)
    }

    static func describe(_ input: CaptionInput) -> String {
        switch input {
        case let .file(path): return (path as NSString).lastPathComponent
        case .embedded(nil): return "the input's subtitle stream"
        case let .embedded(n?): return "the input's subtitle stream \(n)"
        }
    }

    func validateCaptions() throws {
        guard let captions else {
            if captionStyle != nil && prompt == nil { throw ValidationError("--caption-style goes with --captions (or a title in the prompt)") }
            return
        }
        if captions.hasPrefix("embedded:"), captionInput == .file(captions) {
            throw ValidationError("--captions embedded:N takes a subtitle stream number from 0, e.g. embedded:1")
        }
        if case .file = captionInput {
            let ext = (captions as NSString).pathExtension.lowercased()
            guard ["srt", "vtt", "ass", "ssa"].contains(ext) else {
                throw ValidationError("--captions takes a .srt, .vtt, .ass or .ssa file, or embedded[:N] (got \(captions))")
            }
        }
    }
}
extension FitMode: ExpressibleByArgument {}
extension LayoutMode: ExpressibleByArgument {}

/// How progress is drawn.
enum ProgressStyle: String, ExpressibleByArgument, CaseIterable {
    case auto, bar, machine, none
}

/// The default command: probe → plan → convert (local) or hand over (cloud).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert inputs (the default command: `tikconv clip.avi` is `tikconv convert clip.avi`)."
    )

    @Argument(help: "Videos, photos, a text script, or folders of them.")
    var inputs: [String] = []

    @OptionGroup var conversion: ConversionOptions

    @OptionGroup(title: "Smart reframing (--fit smart)") var reframe: ReframeOptions

    @OptionGroup(title: "Cloud options") var cloud: CloudOptions

    @OptionGroup(title: "Photo slideshow options (offline)") var slideshow: SlideshowFlags

    @OptionGroup(title: "Batches (see docs/SCALE.md)") var batch: BatchFlags

    @Option(name: .shortAndLong, help: "Output file, or a folder ending in / (made if missing; several inputs need a folder).")
    var output: String?

    @Flag(name: .customShort("y"), help: "Replace an existing output file.")
    var overwrite = false

    @Flag(help: "Print the plan (what would be done and why, output paths, encoder settings, what is uploaded) and stop.")
    var plan = false

    @Flag(help: "Print a JSON report on stdout. With --plan: the plan as JSON, an object for one group of inputs, an array for several.")
    var json = false

    @Option(help: "Progress display: auto (a bar on a terminal), bar, machine (one line per second), none.")
    var progress: ProgressStyle = .auto

    @Flag(name: .shortAndLong, help: "Only errors (and the notice before an upload) on stderr; output paths still go to stdout.")
    var quiet = false

    /// Every pair of flags that cannot be used together, found here and only here, each said the
    /// same way: "A and B cannot be used together: why".
    func validate() throws {
        let c = conversion
        if c.local && c.cloud { throw Self.conflict("--local", "--cloud", "pick one") }
        if c.duration != nil && c.end != nil { throw Self.conflict("--duration", "--end", "both say where to stop; give one") }
        if c.focus != nil, let fit = c.fit, fit != .crop {
            throw Self.conflict("--focus", "--fit \(fit.rawValue)", "--focus places the crop, so it needs --fit crop (or no --fit)")
        }
        if reframe.isUsed, let fit = c.fit, fit != .smart {
            throw Self.conflict("--preview, --reframe-out or --reframe-in", "--fit \(fit.rawValue)", "they go with --fit smart")
        }
        if c.layout != nil, let fit = c.effectiveFit, fit != .smart {
            throw Self.conflict("--layout", "--fit \(fit.rawValue)", "--layout arranges smart reframing's shots, so it needs --fit smart (or no --fit)")
        }
        if batch.skipExisting && overwrite { throw Self.conflict("--skip-existing", "-y", "pick one") }
    }

    static func conflict(_ first: String, _ second: String, _ why: String) -> ValidationError {
        ValidationError("\(first) and \(second) cannot be used together: \(why)")
    }

    mutating func run() throws {
        let console = Console(quiet: quiet)
        var conversion = conversion
        if reframe.reframeIn != nil && conversion.fit == nil { conversion.fit = .smart }
        var runner = ConvertRunner(inputs: inputs, options: conversion, reframe: reframe, cloud: cloud, output: output, overwrite: overwrite,
                                   planOnly: plan, json: json, progress: quiet ? .none : progress, console: console,
                                   slideshow: slideshow)
        runner.batch = batch
        let status = try runner.run()
        if status != .success { throw CommandFailure(exit: status) }
    }
}
