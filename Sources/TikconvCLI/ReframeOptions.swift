import ArgumentParser
import Foundation
import LocalEngine
import MediaProbe
import Reframing

/// `--fit smart`'s companions: look at the reframe (`--preview`), keep it as data
/// (`--reframe-out`), render an edited one (`--reframe-in`).
struct ReframeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("With --fit smart: write a contact sheet (PNG, about one thumbnail a second, the window drawn on each).",
                               valueName: "sheet.png"))
    var preview: String?

    @Option(help: ArgumentHelp("With --fit smart: write the reframe path (per shot: mode and keyframes t, x, y, w, h in display pixels) as JSON.",
                               valueName: "path.json"))
    var reframeOut: String?

    @Option(help: ArgumentHelp("Render this (edited) reframe path instead of analysing; implies --fit smart.", valueName: "path.json"))
    var reframeIn: String?

    var isUsed: Bool { preview != nil || reframeOut != nil || reframeIn != nil }

    /// Reads and checks `--reframe-in` against the input it will be rendered on.
    func edited(for report: ProbeReport) throws -> ReframePath? {
        guard let file = reframeIn else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("--reframe-in \(file): cannot read the file")
        }
        guard let size = report.primaryVideo?.displaySize else { return nil }
        do {
            return try ReframePath.decode(data).validated(sourceWidth: size.width, sourceHeight: size.height)
        } catch let e as ReframingError {
            throw ValidationError("--reframe-in \(file): \(e.localizedDescription)")
        }
    }

    /// `--reframe-out`: the path a conversion followed, written whole or not at all.
    func save(_ path: ReframePath?, for input: String, perInput: Bool) throws {
        guard let file = reframeOut, let path else { return }
        let target = perInput ? Self.perInput(file, input: input) : file
        let tmp = target + ".tikconv-tmp"
        try path.jsonData().write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, target) == 0 else {
            unlink(tmp)
            throw ValidationError("--reframe-out \(target): \(String(cString: strerror(errno)))")
        }
    }

    /// With several inputs, one file each: `path.json` → `path.<input stem>.json`.
    static func perInput(_ file: String, input: String) -> String {
        let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        let base = (file as NSString).deletingPathExtension, ext = (file as NSString).pathExtension
        return base + "." + stem + (ext.isEmpty ? "" : "." + ext)
    }
}
