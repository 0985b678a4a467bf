import ArgumentParser
import Foundation
import LocalEngine
import MediaProbe
import Planning

/// One `tikconv [options] INPUT…` run: probe every input, split the request into groups
/// (`BatchPlanner`), name every output, then run each group: locally (one conversion per
/// input) or in the cloud. A bad file or a refused group is reported and the rest go on.
struct ConvertRunner {
    let inputs: [String]
    let options: ConversionOptions
    let reframe: ReframeOptions
    let cloud: CloudOptions
    let output: String?
    let overwrite: Bool
    let planOnly: Bool
    let json: Bool
    let progress: ProgressStyle
    var console = Console()
    var slideshow = SlideshowFlags()

    struct Failure: Codable {
        var path: String
        var error: String
        /// The backend's code (4001 unsupported, 4002 too large) when it applies.
        var code: Int?
        var exit: Int32
    }

    struct Report: Encodable {
        var inputs: [ProbeReport]
        /// The first group's plan (the whole plan when there is one group).
        var plan: Plan?
        /// Every group: its inputs, plan or refusal, outputs and encoder settings.
        var groups: [GroupPreview]
        var outputs: [ConversionResult]
        var failures: [Failure]
        var wallSeconds: Double
    }

    /// What a run did so far.
    final class Tally {
        var results: [ConversionResult] = []
        var cloudOutputs: [String] = []
        var failures: [Failure] = []
        var made: Int { results.count + cloudOutputs.count }
    }

    func run() throws -> TikconvExit {
        let began = Date()
        let paths = try Self.expand(inputs)
        if paths.isEmpty && (options.prompt ?? "").isEmpty { throw CLIError.noInputs }
        let tally = Tally()
        let reports = probe(paths, into: tally)
        if !paths.isEmpty && reports.isEmpty {
            if json { try printJSON(Report(inputs: [], plan: nil, groups: [], outputs: [], failures: tally.failures, wallSeconds: Date().timeIntervalSince(began))) }
            return .badInput
        }
        let request = Request(inputs: reports, prompt: options.prompt, flags: options.planFlags)
        let planned: [PlanGroup]
        switch try BatchPlanner.route(request, musicFlag: slideshow.music != nil, slideshowFlags: slideshow.isUsed) {
        case .slideshow(let show):
            try refuseLosslessTikTok()
            return try SlideshowRunner(decision: show, flags: slideshow, conversion: options, output: output, overwrite: overwrite,
                                       planOnly: planOnly, json: json, progress: progress, refused: tally.failures, began: began,
                                       console: console).run()
        case .groups(let groups):
            planned = groups
        }
        let groups = try planned.map(withPassthrough)
        let previews = try preview(groups)
        if previews.contains(where: { $0.plan.map { $0.route == .local && $0.localPlan != .mp4 } ?? false }) {
            try refuseLosslessTikTok()
        }
        if planOnly { return try printPlans(previews) }

        // A run that refuses every group makes nothing, not even the folder.
        if previews.contains(where: { $0.plan != nil }) { try prepareOutputFolder() }
        Signals.install()
        let renderer = ProgressRenderer(style: progress)
        // Said before any work: a renamed output is not a surprise found at the end.
        for note in previews.flatMap(\.outputs).compactMap(\.note) { console.line("tikconv: " + note, .notice) }
        for p in previews {
            if let status = try execute(p, renderer: renderer, tally: tally) { return status }
        }
        if json {
            try printJSON(Report(inputs: reports, plan: previews.lazy.compactMap(\.plan).first, groups: previews, outputs: tally.results,
                                 failures: tally.failures, wallSeconds: Date().timeIntervalSince(began)))
        }
        // A tally only when there was more than one thing to do (a slideshow of 3 photos is one).
        if previews.count + (paths.count - reports.count) > 1 || previews.contains(where: { $0.outputs.count > 1 }) {
            console.line("tikconv: \(tally.made) converted, \(tally.failures.count) failed",
                         tally.failures.isEmpty ? .info : .error)
        }
        // Parts of a request that were refused (out of range, conflicting, not offered) are repeated last.
        var said = Set<String>()
        for line in previews.compactMap(\.plan).flatMap(\.notDone) where said.insert(line).inserted {
            console.line("tikconv: " + line, .notice)
        }
        if tally.failures.isEmpty { return .success }
        // All failed: the first failure's own code says why.
        if tally.made == 0 { return TikconvExit(rawValue: tally.failures[0].exit) ?? .conversionFailed }
        return .partialFailure
    }

    /// x264's CRF 0 is lossless, which only H.264's High 4:4:4 Predictive profile can carry; the
    /// TikTok contract (videos and slideshows) is High, so x264 would refuse to open mid-run.
    func refuseLosslessTikTok() throws {
        guard options.crf == 0 else { return }
        throw ValidationError("--crf 0 means lossless, which TikTok's H.264 High profile cannot hold: give 1–51 (a lossless MP4: --to mp4 --crf 0)")
    }

    /// Probes every path with the local limits; refusals are reported and tallied.
    func probe(_ paths: [String], into tally: Tally) -> [ProbeReport] {
        var reports: [ProbeReport] = []
        for path in paths {
            do { reports.append(try Prober.probe(path: path, limits: options.probeLimits)) } catch let e as ProbeError {
                console.error("tikconv: " + userMessage(for: e))
                tally.failures.append(Failure(path: path, error: userMessage(for: e), code: e.backendCode, exit: TikconvExit.badInput.rawValue))
            } catch {
                console.error("tikconv: " + userMessage(for: error))
                tally.failures.append(Failure(path: path, error: userMessage(for: error), code: nil, exit: exitStatus(for: error).rawValue))
            }
        }
        return reports
    }

    /// A local tiktok group's plan amended with the copy-or-encode choice for each input
    /// (the readiness check reads packets, so it runs here, not in the pure planner).
    func withPassthrough(_ group: PlanGroup) throws -> PlanGroup {
        guard let plan = group.plan, group.slideshow == nil else { return group }
        var g = group
        g.outcome = .success(try planPassthrough(plan, request: group.request, options: options))
        return g
    }

    /// Several inputs (or a folder): per-input names for the sheet and path files.
    var manyInputs: Bool { ((try? Self.expand(inputs)) ?? inputs).count > 1 }

    /// Runs one group. Returns an exit status only when the whole run must stop (a signal).
    func execute(_ p: GroupPreview, renderer: ProgressRenderer, tally: Tally) throws -> TikconvExit? {
        guard let plan = p.plan else {
            let error = p.error ?? "refused"
            console.error("tikconv: " + (p.inputs.isEmpty ? error : p.inputNames + ": " + error))
            for input in p.inputs.isEmpty ? [""] : p.inputs {
                tally.failures.append(Failure(path: input, error: error, code: nil, exit: p.exit ?? TikconvExit.usage.rawValue))
            }
            return nil
        }
        if plan.route == .cloud { return runCloudGroup(p, plan: plan, tally: tally) }
        if let show = p.slideshow { return runSlideshowGroup(show, to: p.outputs[0].path, renderer: renderer, tally: tally) }
        for (report, out) in zip(p.reports, p.outputs) {
            if let status = convertLocally(report, plan: plan, to: out.path, renderer: renderer, tally: tally) { return status }
        }
        return nil
    }

    /// One local conversion; a failure is reported and tallied, a signal stops the run.
    func convertLocally(_ report: ProbeReport, plan: Plan, to out: String, renderer: ProgressRenderer, tally: Tally) -> TikconvExit? {
        let label = (report.path as NSString).lastPathComponent
        do {
            let onProgress = renderer.callback(label: label)
            let result: ConversionResult
            if plan.localPlan == .mp4 {
                result = try MP4Converter(report: report, options: options.mp4Options(plan: plan), outputPath: out, overwrite: overwrite,
                                          cancel: Signals.cancellation, progress: onProgress).run()
            } else {
                var tiktok = options.tiktokOptions(plan: plan)
                tiktok.mode = plan.tiktokMode(for: report.path)
                tiktok.reframePath = try reframe.edited(for: report)
                tiktok.previewPath = reframe.preview.map { manyInputs ? ReframeOptions.perInput($0, input: report.path) : $0 }
                let converter = try TikTokConverter(report: report, options: tiktok, outputPath: out, overwrite: overwrite,
                                                    cancel: Signals.cancellation, progress: onProgress)
                result = try converter.run()
                try reframe.save(converter.reframePath, for: report.path, perInput: manyInputs)
            }
            renderer.finish()
            tally.results.append(result)
            console.line(Self.summary(result), .success)
            if !json { print(result.output) }
            return nil
        } catch {
            renderer.finish()
            let status = exitStatus(for: error)
            console.error("tikconv: \(label): " + userMessage(for: error))
            tally.failures.append(Failure(path: report.path, error: userMessage(for: error), code: nil, exit: status.rawValue))
            return status == .interrupted || status == .terminated ? status : nil
        }
    }

    /// Creates `-o DIR/` when it does not exist yet (once, before any work).
    func prepareOutputFolder() throws { try OutputNames.prepareFolder(output, console: console) }

    /// Folders become the media and script files inside them (not hidden ones), sorted.
    static func expand(_ inputs: [String]) throws -> [String] {
        var out: [String] = []
        for input in inputs {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDir), isDir.boolValue {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
                let media: Set<String> = ["mp4", "mov", "avi", "webm", "mkv", "m4v", "3gp", "mpg", "mpeg", "ts", "flv", "ogv", "ogg",
                                          "jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "avif", "txt", "md"]
                let found = entries.sorted().filter { !$0.hasPrefix(".") && media.contains(($0 as NSString).pathExtension.lowercased()) }
                // A folder with nothing to convert is handed to the probe, which refuses it
                // with a message naming the folder (instead of "no input files").
                if found.isEmpty { out.append(input) }
                for e in found { out.append((input as NSString).appendingPathComponent(e)) }
            } else {
                out.append(input)
            }
        }
        return out
    }

    func printJSON<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try enc.encode(value), as: UTF8.self))
    }
}
