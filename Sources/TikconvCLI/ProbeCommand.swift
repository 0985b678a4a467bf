import ArgumentParser
import Foundation
import MediaProbe

/// `tikconv probe FILE… [--json]`: what each input is, judged by its content.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show what each input is (by content, not by name) and whether tikconv accepts it."
    )

    @Argument(help: "Files to inspect.")
    var files: [String]

    @Flag(help: "Print JSON on stdout: an object for one file, an array of objects for several (a refused file as {path, error, code}).")
    var json = false

    @Option(help: ArgumentHelp("Refuse inputs over this many megabytes (default: no limit, as for offline conversions).", valueName: "MB"))
    var maxSize: Int?

    mutating func run() throws {
        var limits = ProbeLimits.local
        if let maxSize { limits.videoMaxBytes = Int64(maxSize) * 1_000_000; limits.photoMaxBytes = Int64(maxSize) * 1_000_000 }
        var objects: [String] = []
        var failed = false
        for file in files {
            do {
                let r = try Prober.probe(path: file, limits: limits)
                if json { objects.append(try r.toJSON(prettyPrinted: true)) } else { print(Self.describe(r)) }
            } catch let e as ProbeError {
                failed = true
                Console().error("tikconv: " + userMessage(for: e))
                if json { objects.append(e.jsonString(path: file)) }
            }
        }
        if json { print(files.count == 1 ? objects.joined() : "[\n" + objects.joined(separator: ",\n") + "\n]") }
        if failed { throw CommandFailure(exit: .badInput) }
    }

    /// A file size as ByteCountFormatter's file style writes it (decimal units: "617 KB",
    /// "1.2 MB", "2.35 GB"), without it: the formatter loads ICU's number formatting, which
    /// costs a probe ~3 MB of memory for one number.
    static func fileSize(_ bytes: Int64) -> String {
        let b = Double(bytes)
        switch bytes {
        case ..<1000: return bytes == 1 ? "1 byte" : "\(bytes) bytes"
        case ..<1_000_000: return "\(Int((b / 1e3).rounded())) KB"
        case ..<1_000_000_000: return String(format: "%.1f MB", b / 1e6)
        default: return String(format: "%.2f GB", b / 1e9)
        }
    }

    static func describe(_ r: ProbeReport) -> String {
        var lines: [String] = []
        var head = "\(r.path): \(r.kind.rawValue), \(r.format), " + fileSize(r.sizeBytes)
        if let d = r.duration { head += String(format: ", %.2f s", d) }
        if let t = r.text { head += ", \(t.words) words in \(t.lines) lines" }
        if let o = r.exifOrientation { head += ", EXIF orientation \(o)" }
        lines.append(head)
        if let a = r.animation {
            let loops = a.loopCount.map { $0 == 0 ? ", loops forever" : ", plays \($0) times" } ?? ""
            lines.append(String(format: "  animated: %d frames, delays %@, %.2f s a play%@ (decoded by %@)", a.frames, a.delaysText,
                                a.cycleSeconds, loops, a.decoder))
        }
        if let note = r.nameNote { lines.append("  note: " + note) }
        if let tags = r.tags { lines.append("  tags: " + tags.sorted { $0.key > $1.key }.map { "\($0.key) '\($0.value)'" }.joined(separator: ", ")) }
        for s in r.streams {
            var l = "  #\(s.index) \(s.type) \(s.codec)"
            if let p = s.profile { l += " (\(p))" }
            if let w = s.width, let h = s.height { l += " \(w)x\(h)" }
            if let sar = s.sampleAspectRatio, sar != "1:1" { l += " SAR \(sar)" }
            if let r = s.rotation, r != 0 { l += " rotate \(r)°" }
            if let f = s.averageFrameRate { l += " " + FrameRateText.format(f) + " fps" }
            if s.variableFrameRate == true { l += " (variable)" }
            if let p = s.pixelFormat { l += " \(p)" }
            if let b = s.bitDepth, s.type == .video { l += " \(b)-bit" }
            if let t = s.colorTransfer { l += " \(t)" }
            if let h = s.hdr { l += " HDR \(h.rawValue.uppercased())" }
            if let f = s.fieldOrder, f != "progressive" { l += " interlaced (\(f))" }
            if let sr = s.sampleRate { l += " \(sr) Hz" }
            if let c = s.channelLayout ?? s.channels.map({ "\($0) ch" }) { l += " \(c)" }
            if s.isDefault { l += " [default]" }
            lines.append(l)
        }
        return lines.joined(separator: "\n")
    }
}
