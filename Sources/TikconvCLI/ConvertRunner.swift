import Foundation
import LocalEngine
import MediaProbe
import Planning

/// One `tikconv [options] INPUT…` run: probe every input, plan, then convert each input
/// locally (a bad file is reported and the rest go on) or hand the request to the cloud.
struct ConvertRunner {
    let inputs: [String]
    let options: ConversionOptions
    let cloud: CloudOptions
    let output: String?
    let overwrite: Bool
    let planOnly: Bool
    let json: Bool
    let progress: ProgressStyle
    let slideshow: SlideshowFlags

    struct Failure: Codable {
        var path: String
        var error: String
        /// The backend's code (4001 unsupported, 4002 too large) when it applies.
        var code: Int?
        var exit: Int32
    }

    struct Report: Codable {
        var inputs: [ProbeReport]
        var plan: Plan?
        var outputs: [ConversionResult]
        var failures: [Failure]
        var wallSeconds: Double
    }

    func run() throws -> TikconvExit {
        let began = Date()
        let paths = try Self.expand(inputs)
        if paths.isEmpty && (options.prompt ?? "").isEmpty { throw CLIError.noInputs }

        var reports: [ProbeReport] = []
        var failures: [Failure] = []
        for path in paths {
            do { reports.append(try Prober.probe(path: path, limits: options.probeLimits)) } catch let e as ProbeError {
                stderrLine("tikconv: " + userMessage(for: e))
                failures.append(Failure(path: path, error: userMessage(for: e), code: e.backendCode, exit: TikconvExit.badInput.rawValue))
            }
        }
        if !paths.isEmpty && reports.isEmpty {
            if json { try printJSON(Report(inputs: [], plan: nil, outputs: [], failures: failures, wallSeconds: Date().timeIntervalSince(began))) }
            return .badInput
        }

        let request = Request(inputs: reports, prompt: options.prompt, flags: options.planFlags)
        // Photos alone (and a song) become the offline slideshow before the general planner (issue 14).
        if let show = try SlideshowRouting.decide(request, musicFlag: slideshow.music != nil, slideshowFlags: slideshow.isUsed) {
            return try SlideshowRunner(decision: show, flags: slideshow, conversion: options, output: output, overwrite: overwrite,
                                       planOnly: planOnly, json: json, progress: progress, refused: failures, began: began).run()
        }
        let plan = try Planner.plan(request)
        if planOnly {
            if json { print(try plan.jsonString()) } else { print(plan.explain()) }
            return .success
        }

        var results: [ConversionResult] = []
        switch plan.route {
        case .cloud:
            let out = try outputPath(for: reports.first?.path ?? "tikconv", plan: plan, count: 1, cloud: true)
            let path = try runCloud(plan: plan, request: request, options: cloud, outputPath: out, overwrite: overwrite)
            if !json { print(path) }
        case .local:
            let renderer = ProgressRenderer(style: progress)
            Signals.install()
            for report in reports {
                let label = (report.path as NSString).lastPathComponent
                do {
                    let out = try outputPath(for: report.path, plan: plan, count: reports.count, cloud: false)
                    let onProgress = renderer.callback(label: label)
                    let result: ConversionResult
                    if plan.localPlan == .mp4 {
                        result = try MP4Converter(report: report, options: options.mp4Options(), outputPath: out, overwrite: overwrite,
                                                  cancel: Signals.cancellation, progress: onProgress).run()
                    } else {
                        result = try TikTokConverter(report: report, options: options.tiktokOptions(plan: plan), outputPath: out,
                                                     overwrite: overwrite, cancel: Signals.cancellation, progress: onProgress).run()
                    }
                    renderer.finish()
                    results.append(result)
                    stderrLine(Self.summary(result))
                    if !json { print(result.output) }
                } catch {
                    renderer.finish()
                    let status = exitStatus(for: error)
                    stderrLine("tikconv: \(label): " + userMessage(for: error))
                    failures.append(Failure(path: report.path, error: userMessage(for: error), code: nil, exit: status.rawValue))
                    if status == .interrupted || status == .terminated { return status }
                }
            }
        }
        if json {
            try printJSON(Report(inputs: reports, plan: plan, outputs: results, failures: failures, wallSeconds: Date().timeIntervalSince(began)))
        }
        if paths.count > 1 && plan.route == .local {
            stderrLine("tikconv: \(results.count) converted, \(failures.count) failed")
        }
        if failures.isEmpty { return .success }
        if results.isEmpty && plan.route == .local {
            // All failed: the first failure's own code says why.
            return TikconvExit(rawValue: failures[0].exit) ?? .conversionFailed
        }
        return .partialFailure
    }

    /// Where one input's output goes: -o FILE, -o DIR/, or beside the input.
    func outputPath(for input: String, plan: Plan, count: Int, cloud: Bool) throws -> String {
        let url = URL(fileURLWithPath: input)
        let stem = url.deletingPathExtension().lastPathComponent
        let mp4 = plan.localPlan == .mp4 && !cloud
        var name = stem + (mp4 ? ".mp4" : ".tiktok.mp4")
        if mp4 && url.lastPathComponent == name { name = stem + ".converted.mp4" }
        if let output {
            var isDir: ObjCBool = false
            if output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDir) && isDir.boolValue) {
                return URL(fileURLWithPath: output).appendingPathComponent(name).path
            }
            if count > 1 { throw CLIError.outputMustBeFolder(output) }
            return output
        }
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Folders become the media and script files inside them (not hidden ones), sorted.
    static func expand(_ inputs: [String]) throws -> [String] {
        var out: [String] = []
        for input in inputs {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDir), isDir.boolValue {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
                let media: Set<String> = ["mp4", "mov", "avi", "webm", "mkv", "m4v", "3gp", "mpg", "mpeg", "ts", "flv", "ogv", "ogg",
                                          "jpg", "jpeg", "png", "gif", "webp", "heic", "txt", "md"]
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

    static func summary(_ r: ConversionResult) -> String {
        var s = "✓ \((r.input as NSString).lastPathComponent) → \(r.output) "
        if r.videoFrames == 0 {
            // A remux encodes nothing: frames and fps would read as if nothing happened.
            s += String(format: "(%.2f s, copied in %.2f s)", r.durationSeconds, r.wallSeconds)
        } else {
            s += String(format: "(%.2f s of video, %d frames, %.1f s, %.0f fps)", r.durationSeconds, r.videoFrames, r.wallSeconds, r.encodeFPS)
        }
        for o in r.streams where r.plan == .mp4 {
            s += "\n  #\(o.index) \(o.type) \(o.codec): \(o.action.rawValue)" + (o.outputCodec.map { $0 != o.codec ? " → \($0)" : "" } ?? "") + " — \(o.reason)"
        }
        for n in r.notes { s += "\n  note: \(n)" }
        return s
    }

    private func printJSON<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try enc.encode(value), as: UTF8.self))
    }
}
