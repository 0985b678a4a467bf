import FFmpeg
import Foundation
import MediaProbe
import OutputFiles
import Reframing

/// One shot of a reframe, as the report and `--plan` tell it.
public struct ShotSummary: Codable, Equatable, Sendable {
    public var start: Double
    public var end: Double
    public var mode: String
    public var follows: String
    /// single, split, speaker or fill; and why the shot got it.
    public var layout: String?
    public var why: String?
}

/// The analysis stage of `--fit smart`: one cheap decode of the source at ≤ 480 px, shots and
/// subjects found, a camera path solved per shot (`Reframing`). Runs before the render, which
/// then crops along the path.
public enum SmartReframe {
    /// Analyses `report`'s video (the trim in `options` applied) and returns its reframe path.
    /// Writes `options.previewPath` (a contact sheet) when set.
    /// `note` receives one-line remarks on how the analysis ran (the face detector used).
    public static func analyse(_ report: ProbeReport, options: TikTokOptions, cancel: CancellationFlag? = nil,
                               progress: ((ConversionProgress) -> Void)? = nil, note: ((String) -> Void)? = nil) throws -> ReframePath {
        let began = Date()
        let reader = try AnalysisReader(report: report, start: options.start, duration: options.duration, rate: nil,
                                        threads: options.threads)
        let analyzer = try reframing { try SceneAnalyzer(displayWidth: reader.displayWidth, displayHeight: reader.displayHeight) }
        analyzer.notes.forEach { note?($0) }
        let total = options.duration ?? report.duration.map { max(0, $0 - (options.start ?? 0)) }
        let sheet = options.previewPath.map { _ in ContactSheet(duration: total) }
        let analysing: ((ConversionProgress) -> Void)? = progress.map { report in
            { (value: ConversionProgress) in
                var v = value
                v.phase = .analysing
                report(v)
            }
        }
        var meter = ProgressMeter(began: began, totalSeconds: total, callback: analysing)
        var last = 0.0
        try reader.run(shouldStop: { cancel?.isCancelled == true }) { picture, t in
            let planes = (0..<3).map { p -> (base: UnsafePointer<UInt8>, stride: Int) in
                let (data, stride) = picture.frame.plane(p)
                return (UnsafePointer(data!), Int(stride))
            }
            try reframing { try analyzer.add(AnalysisPicture(width: picture.width, height: picture.height, planes: planes), at: t) }
            try sheet?.offer(picture.frame, at: t)
            last = t
            meter.update(seconds: t, frames: 0)
        }
        // Sound that cannot be read only loses the talking cue (the layout falls back to split).
        let sound = { () throws -> SoundLevels? in
            do {
                return try SoundLevelsReader.read(report, origin: reader.origin, seek: options.start, length: total, cancel: cancel)
            } catch LocalEngineError.cancelled {
                throw LocalEngineError.cancelled
            } catch {
                return nil
            }
        }
        let path = try reframing { try analyzer.finish(duration: total ?? last, layout: options.layout, sound: sound) }
        if let sheet, let file = options.previewPath { try writeSheet(sheet, path: path, to: file) }
        return path
    }

    /// The path `--fit smart` would follow for `report` (nil: the picture is already 9:16 or
    /// taller, so there is nothing to reframe).
    public static func plannedPath(_ report: ProbeReport, options: TikTokOptions) throws -> ReframePath? {
        guard let d = report.primaryVideo?.displaySize, needsReframe(width: d.width, height: d.height) else { return nil }
        return try analyse(report, options: options)
    }

    /// Wider than 9:16 (by more than 1%): the shape smart reframing works on.
    static func needsReframe(width: Int, height: Int) -> Bool { Double(width) / Double(height) > 9.0 / 16.0 * 1.01 }

    /// Each shot's time range, mode and subject.
    public static func summary(_ path: ReframePath) -> [ShotSummary] {
        path.shots.map { ShotSummary(start: $0.start, end: $0.end, mode: $0.mode.rawValue, follows: $0.follows,
                                     layout: $0.layout?.rawValue, why: $0.why) }
    }

    private static func writeSheet(_ sheet: ContactSheet, path: ReframePath, to file: String) throws {
        let output = try OutputFile(finalPath: file, overwrite: true)
        try stage("write contact sheet") { try sheet.write(path: path, to: output.temporaryPath) }
        try output.commit()
    }

    /// Reframing's own errors, as the engine's.
    private static func reframing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ReframingError { throw LocalEngineError.reframing(e.localizedDescription) }
    }
}
