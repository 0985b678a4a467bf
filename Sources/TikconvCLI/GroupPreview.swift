import Foundation
import LocalEngine
import MediaProbe
import Planning

/// One group of a run as `--plan` shows it (and `--json` reports it): its inputs, its plan or
/// why it is refused, every output path (and whether a file is already there), the encoder
/// settings of a local plan, and what a cloud plan uploads.
struct GroupPreview: Encodable {
    struct Output: Encodable {
        var path: String
        /// A file is already at `path` (it is replaced only with -y).
        var exists: Bool
        /// Why this is not the plain name (another output or input of the run has it).
        var note: String?
        /// Local plans only.
        var encoder: EncoderSettings?
        /// `--fit smart` under `--plan`: the analysis is run and each shot listed.
        var shots: [ShotSummary]?
        var reframeError: String?
    }

    struct Upload: Encodable {
        var files: [String]
        var bytes: Int64
        var urls: [String]
    }

    var group: PlanGroup.Kind
    var inputs: [String]
    var plan: Plan?
    var error: String?
    var exit: Int32?
    var outputs: [Output]
    var upload: Upload?
    var reports: [ProbeReport]
    /// The photos' offline slideshow (one output), when this group is one.
    var slideshow: SlideshowRouting.Decision?

    var inputNames: String {
        let names = inputs.map { ($0 as NSString).lastPathComponent }
        return names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }

    private enum Keys: String, CodingKey { case group, inputs, error, exit, outputs, upload }

    /// The plan's own fields at the top level (as `--plan --json` printed them before groups),
    /// then the group's.
    func encode(to encoder: Encoder) throws {
        try plan?.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(group, forKey: .group)
        try c.encode(inputs, forKey: .inputs)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(exit, forKey: .exit)
        try c.encode(outputs, forKey: .outputs)
        try c.encodeIfPresent(upload, forKey: .upload)
    }

    /// Text for --plan: the plan's explanation, then outputs, encoder and upload.
    func explain() -> String {
        guard let plan else { return "Refused: " + (inputs.isEmpty ? "" : inputNames + ": ") + "\(error ?? "?") (exit \(exit ?? 1))" }
        var lines = [plan.explain()]
        for o in outputs {
            var line = "Output: \(o.path) (" + (o.exists ? "exists: replaced only with -y" : "new file") + ")"
            if let note = o.note { line += "; " + note }
            lines.append(line)
            if let e = o.encoder { lines.append("Encoder: " + e.summary) }
            if let error = o.reframeError { lines.append("Reframe: analysis failed: " + error + " (the conversion falls back to the blur fit)") }
            for (i, s) in (o.shots ?? []).enumerated() {
                var text = String(format: "Reframe: shot %d, %.2f–%.2f s: %@, follows %@", i + 1, s.start, s.end, s.mode, s.follows)
                if let layout = s.layout { text += "; layout \(layout)" + (s.why.map { " (\($0))" } ?? "") }
                lines.append(text)
            }
        }
        if let u = upload { lines.append("Upload: " + ConvertRunner.uploadText(u)) }
        return lines.joined(separator: "\n")
    }
}


extension ConvertRunner {
    /// Names every output of the run (before any work) and gathers what --plan shows.
    func preview(_ groups: [PlanGroup]) throws -> [GroupPreview] {
        var jobs: [OutputNames.Job] = []
        for g in groups {
            guard let plan = g.plan else { continue }
            if plan.route == .cloud {
                jobs.append(.init(input: g.inputs.first?.path ?? "tikconv", mp4: false))
            } else if g.slideshow != nil {
                jobs.append(.init(input: g.inputs[0].path, mp4: false, slideshow: true))
            } else {
                jobs += g.inputs.map { .init(input: $0.path, mp4: plan.localPlan == .mp4) }
            }
        }
        var assigned = try assignNames(jobs, inputs: groups.flatMap(\.inputs).map(\.path))[...]
        return try groups.map { g in
            var p = GroupPreview(group: g.kind, inputs: g.inputs.map(\.path), plan: g.plan, outputs: [], reports: g.inputs,
                                 slideshow: g.slideshow)
            switch g.outcome {
            case let .failure(e):
                p.error = userMessage(for: e); p.exit = exitStatus(for: e).rawValue
            case .success where g.slideshow != nil:
                // The plan with the slideshow flags given (timing, music); one output.
                let runner = slideshowRunner(g.slideshow!, output: nil)
                p.plan = runner.plan(try runner.slideshowOptions())
                p.outputs = [outputPreview(assigned.removeFirst(), encoder: nil)]
            case let .success(plan) where plan.route == .cloud:
                p.outputs = [outputPreview(assigned.removeFirst(), encoder: nil)]
                p.upload = .init(files: g.inputs.map(\.path), bytes: g.inputs.reduce(0) { $0 + $1.sizeBytes }, urls: cloud.urls)
            case let .success(plan):
                p.outputs = g.inputs.map { report in
                    var o = outputPreview(assigned.removeFirst(), encoder: options.encoderSettings(plan: plan, report: report))
                    // Only --plan shows the shots before the work: a conversion analyses once, as it renders.
                    if planOnly && plan.localPlan == .tiktok && plan.fit == .smart {
                        (o.shots, o.reframeError) = reframeShots(report, plan: plan)
                    }
                    return o
                }
            }
            return p
        }
    }

    /// Output names in the jobs' order. Under --shard the names are given in the inputs' byte
    /// order, not the command line's: every shard then names a clash (`clip.mov`, `clip.mp4`)
    /// alike whatever order its shell's glob gave.
    private func assignNames(_ jobs: [OutputNames.Job], inputs: [String]) throws -> [OutputNames.Assigned] {
        let names = OutputNames(output: output)
        guard batch.shard != nil else { return try names.assign(jobs, inputs: inputs) }
        let order = jobs.indices.sorted { jobs[$0].input.utf8.lexicographicallyPrecedes(jobs[$1].input.utf8) }
        let sorted = try names.assign(order.map { jobs[$0] }, inputs: inputs)
        var out = sorted
        for (k, i) in order.enumerated() { out[i] = sorted[k] }
        return out
    }

    /// What `--fit smart` would do with `report`: the analysis runs (it is the plan), no file is written.
    private func reframeShots(_ report: ProbeReport, plan: Plan) -> ([ShotSummary]?, String?) {
        var o = options.tiktokOptions(plan: plan)
        o.previewPath = nil
        do {
            guard let path = try reframe.edited(for: report) ?? SmartReframe.plannedPath(report, options: o) else { return (nil, nil) }
            return (SmartReframe.summary(path), nil)
        } catch {
            return (nil, userMessage(for: error))
        }
    }

    private func outputPreview(_ a: OutputNames.Assigned, encoder: EncoderSettings?) -> GroupPreview.Output {
        .init(path: a.path, exists: FileManager.default.fileExists(atPath: a.path), note: a.note, encoder: encoder)
    }

    /// --plan: one group as before (text, or one JSON object); several as numbered sections
    /// (or a JSON array). The exit code is the one the run would end with for refused groups.
    func printPlans(_ previews: [GroupPreview]) throws -> TikconvExit {
        if json {
            if previews.count == 1 { try printJSON(previews[0]) } else { try printJSON(previews) }
        } else if previews.count == 1 {
            print(previews[0].explain())
        } else {
            for (i, p) in previews.enumerated() {
                if i > 0 { print("") }
                print("Group \(i + 1) of \(previews.count): \(p.inputNames) (\(Self.describe(p.group, count: p.inputs.count)))")
                print(p.explain().split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            }
        }
        if let folder = output, folder.hasSuffix("/"), !FileManager.default.fileExists(atPath: folder) {
            console.line("tikconv: the folder \(folder) does not exist yet; a run creates it")
        }
        let refused = previews.filter { $0.plan == nil }
        if refused.isEmpty { return .success }
        if refused.count == previews.count { return TikconvExit(rawValue: refused[0].exit ?? 1) ?? .usage }
        return .partialFailure
    }

    static func describe(_ kind: PlanGroup.Kind, count: Int) -> String {
        switch kind {
        case .together: return "all inputs together"
        case .video: return "video"
        case .photos: return count == 1 ? "photo" : "\(count) photos"
        case .audio: return "audio"
        case .scripts: return count == 1 ? "script" : "\(count) scripts"
        }
    }

    /// "a.jpg, b.png (2 files, 1.2 MB in all)".
    static func uploadText(_ u: GroupPreview.Upload) -> String {
        let names = u.files.map { ($0 as NSString).lastPathComponent }
        var parts: [String] = []
        if !names.isEmpty {
            parts.append(names.joined(separator: ", ") + " (\(names.count) file\(names.count == 1 ? "" : "s"), "
                         + ByteCountFormatter.string(fromByteCount: u.bytes, countStyle: .file) + (names.count > 1 ? " in all)" : ")"))
        }
        if !u.urls.isEmpty { parts.append("\(u.urls.count) URL\(u.urls.count == 1 ? "" : "s") (\(u.urls.joined(separator: ", ")))") }
        return parts.isEmpty ? "nothing but the prompt" : parts.joined(separator: " and ")
    }
}
