import FFmpeg
import Foundation

/// Is an input already what the tiktok plan would make? One implementation for `tikconv check`
/// and for the plan's choice to copy instead of encode.
///
/// Judged from the probe's report, the video stream's header (profile, level) and its packets'
/// headers (sizes, decode times, keyframe flags) — no picture is decoded — plus the order of the
/// file's top-level boxes. Reading the packets reads the file once, at disk speed.
public enum TikTokReadiness {
    public static func check(_ report: ProbeReport) throws -> ReadinessReport {
        guard report.kind == .video, let video = report.primaryVideo else {
            return ReadinessReport(path: report.path, conditions: [notAVideo(report)], hasAudio: report.primaryAudio != nil)
        }
        let facts = try ReadinessFacts.read(report, video: video)
        let v = VideoConditions(video: video, facts: facts)
        let conditions = [v.size(), v.codec(), v.level(), v.bitrate(), v.pixelFormat(), v.pixelAspect(), v.colour(),
                          v.frameRate(), v.keyframes(), v.rotation(),
                          FileConditions.audio(report.primaryAudio), FileConditions.container(report),
                          FileConditions.index(report, boxes: facts.boxes), FileConditions.duration(report.duration)]
        return ReadinessReport(path: report.path, conditions: conditions, hasAudio: report.primaryAudio != nil)
    }

    static func notAVideo(_ report: ProbeReport) -> ReadinessCondition {
        ReadinessCondition(.codec, passed: false, required: "a video (H.264 High)", found: "no video: \(report.kind.rawValue)",
                           fix: .video, remedy: "the tiktok plan converts videos; photos become a slideshow")
    }
}

/// What the readiness check reads beyond the probe's report.
struct ReadinessFacts {
    var profile: String?
    var level: Int?
    var frameRate: Double?
    var scan: PacketScan
    /// Top-level box order, for MP4/MOV files.
    var boxes: [String]?

    static func read(_ report: ProbeReport, video: StreamInfo) throws -> ReadinessFacts {
        let fps = video.averageFrameRate ?? video.realFrameRate
        do {
            let demuxer = try Demuxer(path: report.path, analyze: !report.headerIsComplete)
            let header = demuxer.parameters(of: video.index)
            let scan = try PacketScan.read(demuxer, index: video.index, frameDuration: 1 / (fps ?? 30))
            let boxes = report.container.hasPrefix("mov,mp4") ? TopLevelBoxes.order(path: report.path) : nil
            // The SPS's own profile and level; the analysis's, when the header has no SPS.
            return ReadinessFacts(profile: header.h264Header?.profileName ?? header.profileName ?? video.profile,
                                  level: header.h264Header?.levelIDC ?? header.level, frameRate: fps, scan: scan, boxes: boxes)
        } catch let e as FFmpegError {
            throw ProbeError.corrupt(path: report.path, container: Prober.describe(demuxer: report.container),
                                     detail: "reading its packets: \(e.localizedDescription)")
        }
    }
}

/// Display names in the check's lines.
enum ReadinessText {
    static func codec(_ name: String) -> String {
        ["h264": "H.264", "hevc": "HEVC", "aac": "AAC", "mpeg4": "MPEG-4 Part 2", "vp8": "VP8", "vp9": "VP9", "av1": "AV1",
         "ac3": "AC-3", "eac3": "E-AC-3", "mp3": "MP3", "opus": "Opus", "vorbis": "Vorbis", "flac": "FLAC"][name] ?? name
    }

    /// "25", "31.25", "16.8": two decimals at most, no trailing zeros.
    static func megabits(_ bits: Double) -> String {
        var s = String(format: "%.2f", bits / 1e6)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func fps(_ f: Double) -> String {
        abs(f - f.rounded()) < 0.005 ? String(Int(f.rounded())) : String(format: "%.3f", f)
    }

    static func seconds(_ s: Double) -> String { String(format: "%.2f s", s) }
}
