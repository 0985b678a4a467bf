import CloudSession
import Foundation
import OutputFiles
import LocalEngine
import MediaProbe
import Planning

extension ConvertRunner {
    /// The cloud output's path: not a folder, replaced only with -y, and writable (the same
    /// rules as local outputs).
    private func checkCloudOutput(_ path: String, inputs: [String]) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw OutputFileError.isDirectory(path: path) }
            if !overwrite { throw OutputFileError.exists(path: path) }
        }
        _ = try OutputFile(finalPath: path, overwrite: true, inputPaths: inputs)
    }

    /// One cloud group: its files are checked against the cloud's upload caps, the user is
    /// told what leaves the machine, then the session runs. A failure is reported and tallied.
    func runCloudGroup(_ p: GroupPreview, plan: Plan) -> Outcome {
        do {
            for r in p.reports {
                if let refusal = ProbeLimits.upload.uploadRefusal(for: r) { throw refusal }
            }
            // The output is checked before anything is announced or sent: an unwritable output must
            // fail before an upload, not after a render (the check's temporary file is removed).
            try checkCloudOutput(p.outputs[0].path, inputs: p.inputs)
            let upload = p.upload ?? .init(files: [], bytes: 0, urls: [])
            console.line(upload.files.isEmpty && upload.urls.isEmpty
                ? "tikconv: sending the prompt to the NemoVideo cloud (no files)"
                : "tikconv: uploading to the NemoVideo cloud: " + Self.uploadText(upload), .notice)
            let request = Request(inputs: p.reports, prompt: options.prompt, flags: options.planFlags)
            let printer = CloudEventPrinter(err: { console.line($0) })
            let path = try runCloud(plan: plan, request: request, options: cloud, outputPath: p.outputs[0].path,
                                    overwrite: overwrite, printer: printer)
            return Outcome(cloudOutputs: [path], stdout: json ? [] : [path])
        } catch {
            let status = exitStatus(for: error)
            var message = userMessage(for: error)
            if (error as? CloudError)?.isUnreachable == true,
               let hint = BatchPlanner.offlineHint(reports: p.reports, prompt: options.prompt, flags: options.planFlags, musicFlag: slideshow.music != nil) {
                message += "; " + hint
            }
            console.error("tikconv: " + message)
            let code = (error as? ProbeError)?.backendCode
            return Outcome(failures: (p.inputs.isEmpty ? [""] : p.inputs).map { Failure(path: $0, error: message, code: code, exit: status.rawValue) },
                           stop: status == .interrupted || status == .terminated ? status : nil)
        }
    }

    /// The slideshow runner for a photos group of this run (its flags and encoder options).
    func slideshowRunner(_ show: SlideshowRouting.Decision, output: String?) -> SlideshowRunner {
        SlideshowRunner(decision: show, flags: slideshow, conversion: options, output: output, overwrite: overwrite,
                        planOnly: planOnly, json: json, progress: progress, refused: [], began: Date(), console: console)
    }

    /// The photos' offline slideshow beside other groups: one output; photos left out of it are
    /// tallied as failures (the run then ends with exit 10), a signal stops the run.
    func runSlideshowGroup(_ show: SlideshowRouting.Decision, to out: String, renderer: ProgressRenderer) -> Outcome {
        let runner = slideshowRunner(show, output: out)
        do {
            let result = try runner.convert(try runner.slideshowOptions(), to: out, renderer: renderer)
            console.line(SlideshowRunner.summary(result), .success)
            let left = (result.slideshow?.skipped ?? []).map { Failure(path: $0.path, error: $0.reason, code: nil, exit: TikconvExit.badInput.rawValue) }
            return Outcome(results: [result], failures: left, stdout: json ? [] : [result.output])
        } catch {
            let status = exitStatus(for: error)
            console.error("tikconv: slideshow: " + userMessage(for: error))
            return Outcome(failures: show.photos.map { Failure(path: $0.path, error: userMessage(for: error), code: nil, exit: status.rawValue) },
                           stop: status == .interrupted || status == .terminated ? status : nil)
        }
    }

    /// The line printed after a local conversion: what was made, and what happened to each stream.
    static func summary(_ r: ConversionResult) -> String {
        var s = "✓ \((r.input as NSString).lastPathComponent) → \(r.output) "
        if r.videoFrames == 0 {
            // Nothing was encoded frame by frame: frames and fps would read as if nothing happened.
            s += String(format: "(%.2f s, %@ in %.2f s)", r.durationSeconds, streamsDone(r.streams), r.wallSeconds)
        } else {
            s += String(format: "(%.2f s of video, %d frames, %.1f s, %.0f fps)", r.durationSeconds, r.videoFrames, r.wallSeconds, r.encodeFPS)
        }
        // Per stream for the mp4 plan, and for a tiktok copy (what was copied, what re-encoded).
        for o in r.streams where r.plan == .mp4 || r.streams.contains(where: { $0.action == .copied }) {
            let action = o.action == .reencoded ? "re-encoded" : o.action.rawValue
            s += "\n  #\(o.index) \(o.type) \(o.codec): \(action)" + (o.outputCodec.map { $0 != o.codec ? " → \($0)" : "" } ?? "") + " — \(o.reason)"
        }
        for n in r.notes { s += "\n  note: \(n)" }
        return s
    }

    /// "copied", or "video copied, audio re-encoded" when not everything was copied.
    static func streamsDone(_ streams: [StreamOutcome]) -> String {
        let reencoded = streams.filter { $0.action == .reencoded }
        if reencoded.isEmpty { return "copied" }
        func types(_ list: [StreamOutcome]) -> String {
            var seen: [String] = []
            for o in list where !seen.contains(o.type.rawValue) { seen.append(o.type.rawValue) }
            return seen.joined(separator: " and ")
        }
        let copied = streams.filter { $0.action == .copied }
        return (copied.isEmpty ? "" : types(copied) + " copied, ") + types(reencoded) + " re-encoded"
    }
}
