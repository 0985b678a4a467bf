import ArgumentParser
import Foundation
import LocalEngine
import MediaProbe
import Planning

/// Options that shape what is made (shared by planning and conversion).
struct ConversionOptions: ParsableArguments {
    @Option(name: [.short, .customLong("prompt")], help: "What you want, in words (English or Chinese), e.g. \"vertical 9:16\" or \"add captions\".")
    var prompt: String?

    @Option(name: .customLong("to"), help: "Output kind: tiktok (1080x1920, the default for videos) or mp4 (same picture, no quality lost).")
    var target: LocalPlan?

    @Option(help: "How a picture of another shape fills 9:16: blur (default), pad or crop.")
    var fit: FitMode?

    @Option(help: "Bar colour for --fit pad: a name (black, white) or #RRGGBB.")
    var padColor: String = "black"

    @Option(help: "Crop centre for --fit crop as x,y from 0 to 1 (0.5,0.5 is the middle).")
    var focus: String?

    @Option(help: "Start at this many seconds (trim).")
    var start: Double?

    @Option(help: "Keep this many seconds (trim).")
    var duration: Double?

    @Option(help: "x264 preset (ultrafast … veryslow). Default veryfast for the tiktok plan.")
    var preset: String?

    @Option(help: "x264 quality, 0–51, lower is better. Default 21 (tiktok), 18 (mp4).")
    var crf: Int?

    @Option(help: "AAC bitrate, e.g. 128k or 192k. Default 160k (tiktok), 256k (mp4).")
    var audioBitrate: String?

    @Option(help: "Encoder and decoder threads (0 = one per core).")
    var threads: Int = 0

    @Flag(help: "Add a silent audio track when the source has none.")
    var silentAudio = false

    @Flag(help: "mp4 plan: re-encode audio to ALAC (lossless) instead of AAC 256k.")
    var losslessAudio = false

    @Flag(help: "Run offline only; fail if the request needs the cloud.")
    var local = false

    @Flag(help: "Send the request to the NemoVideo cloud agent.")
    var cloud = false

    @Option(help: "Refuse inputs over this many megabytes (default 500 for video, 200 for photos).")
    var maxSize: Int?

    func validate() throws {
        if let crf, !(0...51).contains(crf) { throw ValidationError("--crf must be between 0 and 51") }
        if let start, start < 0 { throw ValidationError("--start must be 0 or more") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be more than 0") }
        if local && cloud { throw ValidationError("--local and --cloud cannot be used together: pick one") }
        if let focus, Self.parseFocus(focus) == nil { throw ValidationError("--focus takes x,y between 0 and 1, e.g. 0.5,0.3") }
        if Self.parseColor(padColor) == nil { throw ValidationError("--pad-color takes a name (black, white, gray) or #RRGGBB") }
        if let b = audioBitrate, Self.parseBitrate(b) == nil { throw ValidationError("--audio-bitrate takes a number like 128k") }
        if threads < 0 { throw ValidationError("--threads must be 0 or more") }
    }

    var planFlags: PlanFlags {
        var f = PlanFlags()
        f.forceLocal = local; f.forceCloud = cloud; f.target = target; f.fit = fit
        f.start = start; f.duration = duration
        return f
    }

    var probeLimits: ProbeLimits {
        var l = ProbeLimits.default
        if let maxSize { l.videoMaxBytes = Int64(maxSize) * 1_000_000; l.photoMaxBytes = Int64(maxSize) * 1_000_000 }
        return l
    }

    func tiktokOptions(plan: Plan) -> TikTokOptions {
        var o = TikTokOptions()
        o.fit = plan.fit ?? fit ?? .blur
        o.padColor = Self.parseColor(padColor) ?? (0, 0, 0)
        if let focus, let f = Self.parseFocus(focus) { o.focus = f }
        if let preset { o.preset = preset }
        if let crf { o.crf = crf }
        if let b = audioBitrate.flatMap(Self.parseBitrate) { o.audioBitrate = b }
        o.threads = threads
        o.start = plan.start ?? start
        o.duration = plan.duration ?? duration
        o.silentAudio = silentAudio
        return o
    }

    func mp4Options() -> MP4Options {
        var o = MP4Options()
        if let preset { o.preset = preset }
        if let crf { o.crf = crf }
        if let b = audioBitrate.flatMap(Self.parseBitrate) { o.audioBitrate = b }
        o.losslessAudio = losslessAudio
        o.threads = threads
        return o
    }

    static func parseFocus(_ s: String) -> (x: Double, y: Double)? {
        let p = s.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard p.count == 2, (0...1).contains(p[0]), (0...1).contains(p[1]) else { return nil }
        return (p[0], p[1])
    }

    static func parseColor(_ s: String) -> (r: UInt8, g: UInt8, b: UInt8)? {
        let named: [String: (UInt8, UInt8, UInt8)] = ["black": (0, 0, 0), "white": (255, 255, 255), "gray": (128, 128, 128), "grey": (128, 128, 128)]
        if let c = named[s.lowercased()] { return c }
        var hex = s.hasPrefix("#") ? String(s.dropFirst()) : s
        if hex.hasPrefix("0x") { hex = String(hex.dropFirst(2)) }
        guard hex.count == 6, let v = UInt32(hex, radix: 16) else { return nil }
        return (UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
    }

    static func parseBitrate(_ s: String) -> Int? {
        let t = s.lowercased()
        if t.hasSuffix("k"), let v = Double(t.dropLast()), v > 0 { return Int(v * 1000) }
        if let v = Int(t), v > 0 { return v >= 1000 ? v : v * 1000 }
        return nil
    }
}

extension LocalPlan: ExpressibleByArgument {}
extension FitMode: ExpressibleByArgument {}

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

    @OptionGroup(title: "Cloud options") var cloud: CloudOptions

    @OptionGroup(title: "Photo slideshow options (offline)") var slideshow: SlideshowFlags

    @Option(name: .shortAndLong, help: "Output file, or a folder ending in / (several inputs need a folder).")
    var output: String?

    @Flag(name: .customShort("y"), help: "Replace an existing output file.")
    var overwrite = false

    @Flag(help: "Print the plan (what would be done and why) and stop.")
    var plan = false

    @Flag(help: "Print a JSON report on stdout (with --plan: the plan as JSON).")
    var json = false

    @Option(help: "Progress display: auto (a bar on a terminal), bar, machine (one line per second), none.")
    var progress: ProgressStyle = .auto

    mutating func run() throws {
        let runner = ConvertRunner(inputs: inputs, options: conversion, cloud: cloud, output: output, overwrite: overwrite,
                                   planOnly: plan, json: json, progress: progress, slideshow: slideshow)
        let status = try runner.run()
        if status != .success { throw CommandFailure(exit: status) }
    }
}
