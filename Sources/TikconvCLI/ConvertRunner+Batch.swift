import Foundation
import LocalEngine
import MediaProbe
import Planning

/// How a run's work is carried out: one piece at a time or several at once (`--jobs N`), each
/// skipped when its output exists (`--skip-existing`) and recorded as it ends (`--report`).
extension ConvertRunner {
    /// One piece of a run's work: one input of a local group, or a whole group (a slideshow, a
    /// cloud group, a refusal).
    struct WorkItem {
        var preview: GroupPreview
        /// The input within a local group; nil for a whole group.
        var index: Int?
        /// Seconds of media, to weigh the batch's ETA.
        var work: Double

        var output: String? { preview.plan == nil ? nil : preview.outputs[index ?? 0].path }
        var inputs: [String] { index.map { [preview.inputs[$0]] } ?? preview.inputs }
        var route: String? {
            guard let plan = preview.plan else { return nil }
            if plan.route == .cloud { return "cloud" }
            return preview.slideshow != nil ? "slideshow" : plan.localPlan?.rawValue ?? "tiktok"
        }
    }

    /// What one piece of work did; the run's tally is made from these, in the inputs' order.
    struct Outcome {
        var results: [ConversionResult] = []
        var cloudOutputs: [String] = []
        var failures: [Failure] = []
        var skipped = 0
        /// Output paths for stdout, printed in the inputs' order whatever the finishing order.
        var stdout: [String] = []
        /// A signal stopped the run.
        var stop: TikconvExit?
    }

    /// The pieces of `previews`, in order.
    func workItems(_ previews: [GroupPreview]) -> [WorkItem] {
        previews.flatMap { p -> [WorkItem] in
            guard let plan = p.plan, plan.route == .local, p.slideshow == nil else {
                let seconds = p.slideshow.map { Double($0.photos.count) * (slideshow.photoDuration ?? 3) } ?? 1
                return [WorkItem(preview: p, index: nil, work: seconds)]
            }
            return p.reports.indices.map { i in
                let length = p.reports[i].duration ?? 1
                return WorkItem(preview: p, index: i, work: max(0.1, min(length, options.trimDuration ?? length)))
            }
        }
    }

    /// Runs `items` with up to `jobs` at once; stdout gets the outputs in the inputs' order.
    /// Returns the run's status when a signal stopped it.
    func perform(_ items: [WorkItem], jobs: Int, renderer: ProgressRenderer, tally: Tally, report: ReportFile?) -> TikconvExit? {
        let board = Board(count: items.count)
        let meter = CPUMeter()
        let work = { (i: Int) in board.record(i, self.runItem(items[i], renderer: renderer, meter: meter, report: report)) }
        let workers = min(jobs, items.count)
        if workers > 1 { renderer.beginBatch(files: items.count, work: items.reduce(0) { $0 + $1.work }) }
        if workers <= 1 {
            for i in items.indices where board.stop == nil { work(i) }
        } else {
            let group = DispatchGroup()
            for _ in 0..<workers {
                group.enter()
                let thread = Thread {
                    while let i = board.take() { work(i) }
                    group.leave()
                }
                // Conversions run on the main thread's 8 MB stack otherwise; keep the same room.
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        board.flushRest()
        for o in board.outcomes.compactMap({ $0 }) { tally.absorb(o) }
        return board.stop
    }

    /// One piece of work, skipped when its output is there, then recorded in the report.
    private func runItem(_ item: WorkItem, renderer: ProgressRenderer, meter: CPUMeter, report: ReportFile?) -> Outcome {
        let began = Date()
        let cpu = meter.start()
        let outcome: Outcome
        if batch.skipExisting, let out = item.output, FileManager.default.fileExists(atPath: out) {
            let name = item.inputs.first.map { ($0 as NSString).lastPathComponent + ": " } ?? ""
            console.line("tikconv: \(name)\(out) exists; skipped (--skip-existing)")
            outcome = Outcome(skipped: 1, stdout: json ? [] : [out])
        } else {
            outcome = execute(item, renderer: renderer)
        }
        let seconds = Date().timeIntervalSince(began), cpuSeconds = meter.stop(cpu)
        for line in reportLines(item, outcome, seconds: seconds, cpuSeconds: cpuSeconds) { report?.append(line) }
        return outcome
    }

    private func execute(_ item: WorkItem, renderer: ProgressRenderer) -> Outcome {
        let p = item.preview
        guard let plan = p.plan else { return refusal(p) }
        if plan.route == .cloud { return runCloudGroup(p, plan: plan) }
        if let show = p.slideshow { return runSlideshowGroup(show, to: p.outputs[0].path, renderer: renderer) }
        let i = item.index ?? 0
        return convertLocally(p.reports[i], plan: plan, to: p.outputs[i].path, work: item.work, renderer: renderer)
    }

    /// A group the planner refused: every input is a failure.
    private func refusal(_ p: GroupPreview) -> Outcome {
        let error = p.error ?? "refused"
        console.error("tikconv: " + (p.inputs.isEmpty ? error : p.inputNames + ": " + error))
        let exit = p.exit ?? TikconvExit.usage.rawValue
        return Outcome(failures: (p.inputs.isEmpty ? [""] : p.inputs).map { Failure(path: $0, error: error, code: nil, exit: exit) })
    }

    /// One line per input of `item`.
    func reportLines(_ item: WorkItem, _ o: Outcome, seconds: Double, cpuSeconds: Double) -> [ReportLine] {
        (item.inputs.isEmpty ? [""] : item.inputs).map { input in
            var line = ReportLine(input: input.isEmpty ? nil : input, output: item.output, route: item.route, status: .converted, exit: 0,
                                  seconds: Self.millis(seconds), cpuSeconds: Self.millis(cpuSeconds), bytes: 0, shard: batch.shard?.description,
                                  host: ReportLine.hostName, pid: getpid(), finished: Self.timestamp())
            // A piece that made nothing failed for every input, whatever path its failure names.
            let madeNothing = o.results.isEmpty && o.cloudOutputs.isEmpty && o.skipped == 0
            if let f = o.failures.first(where: { $0.path == input }) ?? (madeNothing ? o.failures.first : nil) {
                line.status = .failed; line.exit = f.exit; line.error = f.error
                return line
            }
            line.bytes = ReportLine.fileSize(item.output)
            if o.skipped > 0 { line.status = .skipped }
            let copied = o.results.first?.streams.contains { $0.type == .video && $0.action == .copied } ?? false
            if copied { line.status = .copied }
            return line
        }
    }

    /// A report line for an input the probe refused (before any planning).
    func reportLine(refused f: Failure) -> ReportLine {
        ReportLine(input: f.path, output: nil, route: nil, status: .failed, exit: f.exit, error: f.error, seconds: 0, cpuSeconds: 0,
                   bytes: 0, shard: batch.shard?.description, host: ReportLine.hostName, pid: getpid(), finished: Self.timestamp())
    }

    static func millis(_ s: Double) -> Double { (s * 1000).rounded() / 1000 }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}

/// The workers' shared state: which piece is next, what each did, and stdout in the inputs'
/// order (an output is printed once every one before it has been).
final class Board: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var outcomes: [ConvertRunner.Outcome?]
    private var next = 0
    private var printed = 0
    private var stopStatus: TikconvExit?

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    var stop: TikconvExit? { lock.lock(); defer { lock.unlock() }; return stopStatus }

    /// The next piece to start, or nil when all have started or a signal came.
    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard stopStatus == nil, !Signals.cancellation.isCancelled, next < outcomes.count else { return nil }
        next += 1
        return next - 1
    }

    func record(_ i: Int, _ o: ConvertRunner.Outcome) {
        lock.lock(); defer { lock.unlock() }
        outcomes[i] = o
        if let s = o.stop, stopStatus == nil { stopStatus = s }
        while printed < outcomes.count, let done = outcomes[printed] {
            for line in done.stdout { print(line) }
            printed += 1
        }
        fflush(stdout)
    }

    /// After a signal: the outputs finished after a piece that never ran are printed too.
    func flushRest() {
        lock.lock(); defer { lock.unlock() }
        for o in outcomes[printed...].compactMap({ $0 }) { for line in o.stdout { print(line) } }
        printed = outcomes.count
        fflush(stdout)
    }
}
