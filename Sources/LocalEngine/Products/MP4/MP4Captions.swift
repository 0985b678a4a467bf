import Captions
import FFmpeg
import Foundation

/// `--captions FILE` in the mp4 plan: the text stays soft, as a mov_text track, moved by the
/// trim and the speed like the picture.
struct MP4Captions {
    let cues: [Cue]
    let name: String

    /// Reads the file before anything is written: a bad file stops the run with nothing on disk.
    init(path: String) throws {
        cues = try SubtitleFile.cues(path: path)
        name = (path as NSString).lastPathComponent
    }

    /// Writes every cue inside the trim; returns the note for the report.
    func write(with writer: MovTextWriter, start: Double?, duration: Double?, speed: Double,
               into muxer: Muxer) throws -> String {
        let from = start ?? 0
        let until = duration.map { from + $0 } ?? .greatestFiniteMagnitude
        var written = 0
        for c in cues.sorted(by: { $0.start < $1.start }) {
            let s = max(c.start, from), e = min(c.end, until)
            guard e > s else { continue }
            if let p = try stage("captions track", { try writer.cue(c.text, start: (s - from) / speed, end: (e - from) / speed) }) {
                try stage("write packet") { try muxer.write(p) }
                written += 1
            }
        }
        return "captions from \(name): \(written) cue\(written == 1 ? "" : "s") as a mov_text track (soft: players can turn them off)"
    }
}
