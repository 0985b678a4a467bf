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
    var batch = BatchFlags()

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
        var skipped = 0
        var made: Int { results.count + cloudOutputs.count }

        func absorb(_ o: Outcome) {
            results += o.results; cloudOutputs += o.cloudOutputs; failures += o.failures; skipped += o.skipped
        }
    }

    func run() throws -> TikconvExit {
        let began = Date()
        let paths = try Self.expand(inputs)
        if paths.isEmpty && (options.prompt ?? "").isEmpty { throw CLIError.noInputs }
        // Opened before any work: a report that cannot be written stops the run at once.
        let report = try planOnly ? nil : batch.report.map { try ReportFile(path: $0) }
        let (probed, refusedInputs, damaged) = probe(paths)
        let reports = skippingOwnOutputs(probed, batch: paths.count > 1 || paths != inputs)
        if !probed.isEmpty && reports.isEmpty && refusedInputs.isEmpty { return .success }
        // A damaged photo is left out of a batch that goes on without it (named now, exit 0);
        // when nothing else is left it is bad input like any refusal (exit 3).
        let refused = reports.isEmpty ? refusedInputs + damaged : refusedInputs
        if !reports.isEmpty { for f in damaged { console.error("tikconv: " + f.error) } }
        let request = Request(inputs: reports, prompt: options.prompt, flags: options.planFlags)
        // One routing decision, in Planning; a batch run (--jobs, --shard, --skip-existing, --report)
        // takes photos through the general path too, which makes the same slideshow as one group.
        var groups: [PlanGroup] = []
        if !(reports.isEmpty && !paths.isEmpty) {
            switch try BatchPlanner.route(request, musicFlag: slideshow.music != nil, slideshowFlags: slideshow.isUsed, batch: batch.isUsed) {
            case .slideshow(let show):
                for f in refused { console.error("tikconv: " + f.error) }
                try refuseLosslessTikTok()
                return try SlideshowRunner(decision: show, flags: slideshow, conversion: options, output: output, overwrite: overwrite,
                                           planOnly: planOnly, json: json, progress: progress, refused: refused, began: began,
                                           console: console).run()
            case .groups(let planned):
                groups = planned
            }
        }
        // --shard: this process's share of the groups and refusals; outputs are named over the
        // whole batch, so every shard names them as a single run would.
        let shares = batch.shard.map { $0.owns(groups.map { $0.inputs.first?.path ?? "" } + refused.map(\.path)) }
            ?? Array(repeating: true, count: groups.count + refused.count)
        let myRefused = refused.indices.filter { shares[groups.count + $0] }.map { refused[$0] }
        for f in myRefused {
            console.error("tikconv: " + f.error)
            report?.append(reportLine(refused: f))
        }
        for i in groups.indices where shares[i] { groups[i] = try withPassthrough(groups[i]) }
        let named = try preview(groups)
        let previews = named.indices.filter { shares[$0] }.map { named[$0] }
        let tally = Tally()
        tally.failures = myRefused
        return try carryOut(previews, paths: paths, reports: reports, tally: tally, report: report, began: began)
    }

    /// Plans shown (--plan) or carried out, then the summary and the exit code.
    private func carryOut(_ previews: [GroupPreview], paths: [String], reports: [ProbeReport], tally: Tally, report: ReportFile?,
                          began: Date) throws -> TikconvExit {
        if previews.isEmpty && tally.failures.isEmpty, let shard = batch.shard {
            console.line("tikconv: shard \(shard): nothing to do (\(paths.count) input\(paths.count == 1 ? "" : "s") in all)")
            return .success
        }
        if previews.isEmpty && !tally.failures.isEmpty {
            if json { try printJSON(Report(inputs: [], plan: nil, groups: [], outputs: [], failures: tally.failures, wallSeconds: Date().timeIntervalSince(began))) }
            return TikconvExit(rawValue: tally.failures[0].exit) ?? .badInput
        }
        do {
            if previews.contains(where: { $0.plan.map { $0.route == .local && $0.localPlan != .mp4 } ?? false }) {
                try refuseLosslessTikTok()
            }
            if planOnly { return try printPlans(previews) }
        }
        // A run that refuses every group makes nothing, not even the folder.
        if previews.contains(where: { $0.plan != nil }) { try prepareOutputFolder() }
        Signals.install()
        let renderer = ProgressRenderer(style: progress)
        var me = self
        me.console.sink = { renderer.message($0) }
        // Said before any work: a renamed output is not a surprise found at the end.
        for note in previews.flatMap(\.outputs).compactMap(\.note) { me.console.line("tikconv: " + note, .notice) }
        let items = me.workItems(previews)
        let jobs = batch.jobs ?? JobCount.auto(cores: JobCount.cores, threads: options.threads, files: items.count)
        if let status = me.perform(items, jobs: jobs, renderer: renderer, tally: tally, report: report) { return status }
        renderer.finish()
        if json {
            try printJSON(Report(inputs: reports, plan: previews.lazy.compactMap(\.plan).first, groups: previews, outputs: tally.results,
                                 failures: tally.failures, wallSeconds: Date().timeIntervalSince(began)))
        }
        return finalStatus(previews, tally: tally)
    }

    /// The tally line, the refused parts of the request repeated, and the exit code.
    private func finalStatus(_ previews: [GroupPreview], tally: Tally) -> TikconvExit {
        // A tally only when there was more than one thing to do (a slideshow of 3 photos is one).
        if previews.count + tally.failures.filter({ f in !previews.contains { $0.inputs.contains(f.path) } }).count > 1
            || previews.contains(where: { $0.outputs.count > 1 }) {
            let skipped = tally.skipped > 0 ? "\(tally.skipped) skipped, " : ""
            console.line("tikconv: \(tally.made) converted, \(skipped)\(tally.failures.count) failed", tally.failures.isEmpty ? .info : .error)
        }
        // Parts of a request that were refused (out of range, conflicting, not offered) are repeated last.
        var said = Set<String>()
        for line in previews.compactMap(\.plan).flatMap(\.notDone) where said.insert(line).inserted {
            console.line("tikconv: " + line, .notice)
        }
        if tally.failures.isEmpty { return .success }
        // All failed: the first failure's own code says why.
        if tally.made == 0 && tally.skipped == 0 { return TikconvExit(rawValue: tally.failures[0].exit) ?? .conversionFailed }
        return .partialFailure
    }

    /// x264's CRF 0 is lossless, which only H.264's High 4:4:4 Predictive profile can carry; the
    /// TikTok contract (videos and slideshows) is High, so x264 would refuse to open mid-run.
    func refuseLosslessTikTok() throws {
        guard options.crf == 0 else { return }
        throw ValidationError("--crf 0 means lossless, which TikTok's H.264 High profile cannot hold: give 1–51 (a lossless MP4: --to mp4 --crf 0)")
    }

    /// Probes every path with the local limits; refusals and damaged photos are returned (said
    /// later: under --shard only this shard's are).
    func probe(_ paths: [String]) -> (reports: [ProbeReport], refused: [Failure], damaged: [Failure]) {
        var reports: [ProbeReport] = [], failures: [Failure] = [], damaged: [Failure] = []
        for path in paths {
            do {
                let report = try Prober.probe(path: path, limits: options.probeLimits)
                if let note = report.nameNote { console.line("tikconv: " + note, .notice) }
                reports.append(report)
            } catch let e as ProbeError {
                let failure = Failure(path: path, error: userMessage(for: e), code: e.backendCode, exit: TikconvExit.badInput.rawValue)
                if case .damagedPhoto = e { damaged.append(failure) } else { failures.append(failure) }
            } catch {
                failures.append(Failure(path: path, error: userMessage(for: error), code: nil, exit: exitStatus(for: error).rawValue))
            }
        }
        return (reports, failures, damaged)
    }

    /// A batch or a folder leaves out the files tikconv made (they carry its mark), so a second
    /// run over the same files never converts the first run's outputs; one named alone is converted.
    func skippingOwnOutputs(_ reports: [ProbeReport], batch: Bool) -> [ProbeReport] {
        guard batch else { return reports }
        let kept = reports.filter { $0.madeByTikconv != true }
        let skipped = reports.count - kept.count
        if skipped > 0 {
            let files = skipped == 1 ? "1 file" : "\(skipped) files"
            console.line("tikconv: skipped \(files) tikconv made; name one alone to convert it again", .notice)
        }
        return kept
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

    /// One local conversion; a failure is reported, a signal stops the run.
    func convertLocally(_ report: ProbeReport, plan: Plan, to out: String, work: Double, renderer: ProgressRenderer) -> Outcome {
        let label = (report.path as NSString).lastPathComponent
        let track = renderer.track(label: label, work: work)
        do {
            let result: ConversionResult
            if report.kind == .audio {
                result = try AudiogramConverter(report: report, cover: try coverReport(), options: options.tiktokOptions(plan: plan),
                                                outputPath: out, overwrite: overwrite, cancel: Signals.cancellation, progress: track.callback).run()
            } else if plan.localPlan == .mp4 {
                result = try MP4Converter(report: report, options: options.mp4Options(plan: plan), outputPath: out, overwrite: overwrite,
                                          cancel: Signals.cancellation, progress: track.callback).run()
            } else {
                var tiktok = options.tiktokOptions(plan: plan)
                tiktok.mode = plan.tiktokMode(for: report.path)
                tiktok.reframePath = try reframe.edited(for: report)
                tiktok.previewPath = reframe.preview.map { manyInputs ? ReframeOptions.perInput($0, input: report.path) : $0 }
                let converter = try TikTokConverter(report: report, options: tiktok, outputPath: out, overwrite: overwrite,
                                                    cancel: Signals.cancellation, progress: track.callback)
                result = try converter.run()
                try reframe.save(converter.reframePath, for: report.path, perInput: manyInputs)
            }
            renderer.done(track.id, work: work)
            console.line(Self.summary(result), .success)
            return Outcome(results: [result], stdout: json ? [] : [result.output])
        } catch {
            renderer.done(track.id, work: work)
            let status = exitStatus(for: error)
            console.error("tikconv: \(label): " + userMessage(for: error))
            return Outcome(failures: [Failure(path: report.path, error: userMessage(for: error), code: nil, exit: status.rawValue)],
                           stop: status == .interrupted || status == .terminated ? status : nil)
        }
    }

    /// The `--cover` photo, probed like any input; it must be a still picture.
    func coverReport() throws -> ProbeReport? {
        guard let path = options.cover else { return nil }
        let report = try Prober.probe(path: path, limits: options.probeLimits)
        guard report.kind == .image else {
            throw ValidationError("--cover takes a photo (JPEG, PNG, WebP, HEIC): \(path) is \(report.animation != nil ? "an animation" : "a \(report.kind.rawValue) file")")
        }
        return report
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
