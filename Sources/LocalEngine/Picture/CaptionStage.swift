import Captions
import Foundation
import CPixel
import FFmpeg
import MediaProbe
import Planning

/// Text on the picture, last of the picture stages: captions (a subtitle file or the input's
/// own subtitle stream) and typed titles, rendered by libass. libass renders only when the
/// text changes; between changes the same overlay is blended, over its box only, into a copy
/// of the picture (a picture may fill several slots, not all with the same text).
final class CaptionStage {
    private let renderer: CaptionRenderer
    /// The script's clock at output time 0, and how fast it runs (the speed edit).
    private let offset: Double
    private let speed: Double
    private let fps: Double
    private var burned: Frame?
    /// Distinct overlays built (renders that produced new text).
    var overlaysBuilt: Int { renderer.overlaysBuilt }

    init(renderer: CaptionRenderer, offset: Double, speed: Double, fps: Double) {
        self.renderer = renderer; self.offset = offset; self.speed = speed; self.fps = fps
    }

    /// The picture for `slot`: `fitted` itself when no text shows, else a copy with the text.
    func picture(_ fitted: Frame, slot: Int64) throws -> Frame {
        let t = offset + Double(slot) / fps * speed
        guard let overlay = renderer.overlay(atSeconds: t) else { return fitted }
        let out = try burned ?? stage("captions") { try Frame(width: fitted.width, height: fitted.height, format: fitted.pixelFormat) }
        burned = out
        // The encoder may still hold the previous slot's picture: then this gets fresh buffers.
        try stage("captions") {
            try out.makeWritable()
            try out.copyPixels(from: fitted)
        }
        Self.blend(overlay, into: out)
        return out
    }

    static func blend(_ o: CaptionOverlay, into frame: Frame) {
        let (y, ys) = frame.plane(0), (u, us) = frame.plane(1), (v, vs) = frame.plane(2)
        guard let y, let u, let v, o.x + o.width <= frame.width, o.y + o.height <= frame.height else { return }
        tk_overlay_blend420(o.luma, o.blue, o.red, o.alpha, Int32(o.width), Int32(o.height),
                            y + o.y * Int(ys) + o.x, ptrdiff_t(ys), u + o.y / 2 * Int(us) + o.x / 2, ptrdiff_t(us),
                            v + o.y / 2 * Int(vs) + o.x / 2, ptrdiff_t(vs))
    }
}

/// Builds the caption stage for a conversion: reads the captions before anything is written,
/// so a bad subtitle file stops the run with nothing on disk.
enum CaptionLoader {
    /// The script and the clock offset (seconds of the script's clock at the source's time zero,
    /// before any trim); nil when there is no text to show.
    static func script(_ options: TikTokOptions, report: ProbeReport, outputLength: Double?, log: ConversionLog) throws -> CaptionScript? {
        let titles = titleCues(options, outputLength: outputLength)
        for t in options.titles { log.note("title \(t.summary) burned in") }
        let style = options.captionStyle
        switch options.captions {
        case nil:
            return titles.isEmpty ? nil : CaptionScript(cues: [], titles: titles, style: style)
        case let .file(path):
            let name = (path as NSString).lastPathComponent
            switch try SubtitleFile.read(path: path) {
            case let .cues(cues):
                log.note("captions from \(name): \(cues.count) cue\(cues.count == 1 ? "" : "s") burned in (\(style.rawValue) style)")
                return CaptionScript(cues: cues, titles: titles, style: style)
            case let .script(text):
                // An author's script keeps its looks; typed titles need a script of their own (not offered together).
                log.note("captions from \(name) burned in with the script's own styles" + (titles.isEmpty ? "" : "; typed titles left out"))
                return CaptionScript(authorScript: text)
            }
        case let .embedded(n):
            let subs = report.streams.filter { $0.type == .subtitle }
            guard let s = n.map({ $0 < subs.count ? subs[$0] : nil }) ?? subs.first else {
                let why = n.map { "has no subtitle stream number \($0) (it has \(subs.count))" } ?? "has no subtitle stream"
                throw CaptionError.unreadable(path: report.path, line: 0, why: "--captions embedded: the input \(why)")
            }
            let zero = report.primaryVideo?.startTime ?? 0
            let cues = try stage("read subtitle stream") { try SubtitleStreamReader.read(path: report.path, stream: s.index) }
                .map { Cue(start: $0.start - zero, end: $0.end - zero, text: $0.text) }
            guard !cues.isEmpty else {
                throw CaptionError.unreadable(path: report.path, line: 0, why: "subtitle stream #\(s.index) (\(s.codec)) holds no text tikconv can read")
            }
            log.note("captions from subtitle stream #\(s.index) (\(s.codec)): \(cues.count) cue\(cues.count == 1 ? "" : "s") burned in")
            return CaptionScript(cues: cues, titles: titles, style: style)
        }
    }

    /// Titles are placed on the output clock; the script runs on the source clock, so they are
    /// moved onto it (trim start, speed).
    static func titleCues(_ options: TikTokOptions, outputLength: Double?) -> [TitleText] {
        options.titles.map { t in
            let r = t.range(outputLength: outputLength)
            let s = options.start ?? 0
            return TitleText(text: t.text, start: s + r.start * options.speed, end: s + r.end * options.speed)
        }
    }
}
