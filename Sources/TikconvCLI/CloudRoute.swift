import CloudSession
import Foundation
import Planning

extension CloudError {
    /// The documented exit code for each cloud failure.
    public var exitCode: TikconvExit {
        switch self {
        case .outOfCredits, .exportBlocked: return .cloudAccount
        case .unsupportedFile, .fileTooLarge, .noInput: return .badInput
        case .output: return .outputError
        case .noSession: return .usage
        default: return .cloudFailure
        }
    }
}

/// Draws cloud events: the assistant's text and the timeline summary are the data the user
/// asked for (stdout); everything else is progress (stderr).
public final class CloudEventPrinter {
    private var lastPercent: [String: Int] = [:]
    private let out: (String) -> Void
    private let err: (String) -> Void

    public init(out: @escaping (String) -> Void = { print($0) },
                err: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.out = out; self.err = err
    }

    public func draw(_ e: CloudEvent) {
        switch e {
        case .assistantText, .timelineSummary:
            out(e.text)
        case let .uploadProgress(sent, total): stepped("upload", sent, total, e)
        case let .downloadProgress(received, total): stepped("download", received, total, e)
        default:
            err("tikconv: " + e.text)
        }
    }

    /// Progress in 25% steps so logs stay short.
    private func stepped(_ key: String, _ done: Int64, _ total: Int64, _ e: CloudEvent) {
        guard total > 0 else { return }
        let p = Int(done * 100 / total) / 25 * 25
        if p != lastPercent[key] {
            lastPercent[key] = p
            err("tikconv: \(key) \(p)%")
        }
    }
}

public enum CloudRoute {
    /// Runs a cloud plan, drawing progress on stderr and the agent's text on stdout.
    public static func run(plan: Plan, request: Request, options: CloudOptions, outputPath: String) throws -> CloudResult {
        try run(plan: plan, request: request, options: options, outputPath: outputPath,
                environment: ProcessInfo.processInfo.environment, printer: CloudEventPrinter())
    }

    /// The same with the environment and the printer given (tests).
    public static func run(plan: Plan, request: Request, options: CloudOptions, outputPath: String,
                           environment: [String: String], printer: CloudEventPrinter,
                           adjust: (inout CloudSettings) -> Void = { _ in }) throws -> CloudResult {
        var settings = options.settings(environment: environment)
        adjust(&settings)
        return try CloudRunner.run(plan: plan, request: request, options: settings, outputPath: outputPath, events: printer.draw)
    }
}
