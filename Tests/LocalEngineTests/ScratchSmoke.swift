import XCTest
@testable import LocalEngine
import MediaProbe
import FFmpeg
import Planning

// Temporary: hand-built reports until the probe layer lands.
final class ScratchSmoke: XCTestCase {
    func report(_ path: String, w: Int, h: Int, rot: Int) -> ProbeReport {
        var v = StreamInfo(index: 0, type: "video", codec: "h264"); v.width = w; v.height = h; v.rotation = rot
        v.averageFrameRate = 30; v.isDefault = true
        var a = StreamInfo(index: 1, type: "audio", codec: "aac"); a.isDefault = true
        return ProbeReport(path: path, kind: .video, container: "mp4", format: "mp4", sizeBytes: 1, duration: 2, streams: [v, a])
    }
    func testSmoke() throws {
        FFmpegLog.setQuiet(true)
        for (name, w, h, rot) in [("land", 640, 360, 0), ("rot", 640, 360, 270)] {
            for fit in FitMode.allCases {
                var o = TikTokOptions(); o.fit = fit
                let out = "/tmp/tm/\(name)_\(fit).mp4"
                let r = try TikTokConverter(report: report("/tmp/tm/\(name).mp4", w: w, h: h, rot: rot), options: o, outputPath: out, overwrite: true).run()
                print(name, fit, r.videoFrames, r.durationSeconds, r.wallSeconds, r.notes)
            }
        }
    }
}
