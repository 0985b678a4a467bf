import ArgumentParser
import Foundation
import MediaProbe
import Planning

/// `tikconv check FILE… [--json]`: is each file TikTok-ready as it is? One line per condition
/// of the tiktok output contract, and what `tikconv FILE` would do about the ones that fail.
/// The same check (`TikTokReadiness`) decides whether the tiktok plan copies or encodes.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check whether each file is TikTok-ready as it is (exit 0 only when every condition passes).",
        discussion: """
        Reads each file's headers and packets (no picture is decoded): size, codec and profile, \
        level and its rate limits, pixel format, pixel shape, colour, frame rate, keyframe spacing, \
        rotation flag, audio, container, index position and duration. Exit 0: every file passes \
        every condition; 11: some file does not; 3: some file could not be read.
        """
    )

    @Argument(help: "Files to check.")
    var files: [String]

    @Flag(help: "Print JSON on stdout: always an array, one object per file (errors as {path, error, code}).")
    var json = false

    mutating func run() throws {
        var objects: [String] = []
        var unreadable = false, notReady = false
        for file in files {
            do {
                let report = try Prober.probe(path: file)
                let readiness = try TikTokReadiness.check(report)
                notReady = notReady || !readiness.ready
                if json { objects.append(try Self.json(readiness, kind: report.kind)) } else { print(Self.describe(readiness, kind: report.kind)) }
            } catch let e as ProbeError {
                unreadable = true
                stderrLine("tikconv: " + userMessage(for: e))
                if json { objects.append(e.jsonString(path: file)) }
            }
        }
        if json { print("[\n" + objects.joined(separator: ",\n") + "\n]") }
        if unreadable { throw CommandFailure(exit: .badInput) }
        if notReady { throw CommandFailure(exit: .notReady) }
    }

    /// What `tikconv FILE` would do with it, with no other flags.
    static func action(_ r: ReadinessReport) -> TikTokMode {
        Passthrough.decide(r, plan: Plan(route: .local, localPlan: .tiktok), flags: PassthroughFlags()).mode
    }

    static func describe(_ r: ReadinessReport, kind: InputKind = .video) -> String {
        let failed = r.failed.count, total = r.conditions.count
        let verdict = failed == 0 ? "TikTok-ready: all \(total) conditions pass"
            : "not TikTok-ready: \(failed) of \(total) condition\(total == 1 ? "" : "s") fail\(failed == 1 ? "s" : "")"
        let todo: String
        switch (kind, action(r)) {
        case (.video, .copy): todo = "tikconv copies it as it is (no re-encode)"
        case (.video, .copyVideo): todo = "tikconv copies the video and re-encodes the audio"
        case (.video, .encode): todo = "tikconv encodes it"
        default: todo = "not a video (\(kind.rawValue))"
        }
        var lines = ["\(r.path): \(verdict); \(todo)"]
        let width = r.conditions.map(\.name.rawValue.count).max() ?? 0
        for c in r.conditions {
            let name = c.name.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append(c.passed ? "  pass  \(name)  \(c.found)"
                                  : "  FAIL  \(name)  \(c.found); needs \(c.required) → fix: \(c.remedy)")
        }
        return lines.joined(separator: "\n")
    }

    struct JSONShape: Encodable {
        var path: String
        var ready: Bool
        /// What `tikconv FILE` would do: "copy", "copy-video" or "encode"; absent for a file that is not a video.
        var action: TikTokMode?
        var conditions: [ReadinessCondition]
    }

    static func json(_ r: ReadinessReport, kind: InputKind) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let shape = JSONShape(path: r.path, ready: r.ready, action: kind == .video ? action(r) : nil, conditions: r.conditions)
        return String(decoding: try encoder.encode(shape), as: UTF8.self)
    }
}
