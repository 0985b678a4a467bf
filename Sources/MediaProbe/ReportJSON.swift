import Foundation

public extension ProbeReport {
    /// Formats the NemoVideo cloud accepts (its protocol's list). Everything else the probe
    /// accepts (mpeg, ts, ogg, flv, 3gp, …) is local-engine only.
    static let cloudFormats: Set<String> = ["mp4", "mov", "avi", "webm", "mkv", "jpg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac"]

    /// Whether the cloud route may take this input (text scripts go as prompts, not uploads).
    var cloudAccepts: Bool { ProbeReport.cloudFormats.contains(format) }

    /// JSON with sorted keys (stable for tests and `--json` output).
    func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    func toJSON(prettyPrinted: Bool = false) throws -> String {
        String(decoding: try jsonData(prettyPrinted: prettyPrinted), as: UTF8.self)
    }
}
