import FFmpeg
import Foundation

/// The contract's conditions on the video stream. Each failing one can only be fixed by
/// encoding the video again (`Fix.video`).
struct VideoConditions {
    let video: StreamInfo
    let facts: ReadinessFacts
    private typealias T = ReadinessText

    private func condition(_ name: ReadinessCondition.Name, _ passed: Bool, required: String, found: String,
                           remedy: String) -> ReadinessCondition {
        ReadinessCondition(name, passed: passed, required: required, found: found, fix: .video, remedy: remedy)
    }

    private var isH264: Bool { video.codec == "h264" }

    func size() -> ReadinessCondition {
        let w = video.width ?? 0, h = video.height ?? 0
        return condition(.size, w == TikTokContract.width && h == TikTokContract.height,
                         required: "\(TikTokContract.width)x\(TikTokContract.height)", found: "\(w)x\(h)",
                         remedy: "fitted into 1080x1920: --fit smart, blur, pad or crop")
    }

    func codec() -> ReadinessCondition {
        let found = T.codec(video.codec) + (facts.profile.map { " " + $0 } ?? "")
        // The contract (and the issue that set it) names High; Main and Constrained Baseline
        // play on every High decoder, but are re-encoded rather than stretch the contract.
        return condition(.codec, isH264 && facts.profile == "High", required: "H.264 High", found: found,
                         remedy: "re-encoded as H.264 High")
    }

    /// The declared level must be at most 4.2 and big enough for 1080x1920 at the clip's rate.
    func level() -> ReadinessCondition {
        let required = "level 4.0–4.2, enough for 1080x1920 at the clip's rate"
        guard isH264 else { return condition(.level, false, required: required, found: "not H.264", remedy: "re-encoded at level 4.0 or 4.2") }
        guard let idc = facts.level, let level = H264Level(idc: idc, profile: facts.profile ?? "High") else {
            return condition(.level, false, required: required, found: "no level declared", remedy: "re-encoded at level 4.0 or 4.2")
        }
        let fps = facts.frameRate ?? 30
        let carries = level.carriesTikTokFrames(fps: fps)
        let found = "\(level.name)" + (carries ? "" : " (too low for 1080x1920 at \(T.fps(fps)) fps)")
        return condition(.level, idc <= 42 && carries, required: required, found: found,
                         remedy: "re-encoded at level \(H264Level.forTikTok(fps: fps).name)")
    }

    /// The packets must fit the declared level's VBV (rate and buffer): what a decoder built to
    /// that level can be sure to keep up with.
    func bitrate() -> ReadinessCondition {
        let scan = facts.scan
        let peak = "peak \(T.megabits(scan.peakBitRate)) Mb/s over 1 s"
        guard isH264, let idc = facts.level, let level = H264Level(idc: idc, profile: facts.profile ?? "High") else {
            return condition(.bitrate, false, required: "within the declared level's VBV", found: peak + ", no H.264 level to hold it to",
                             remedy: "re-encoded within level 4.0's or 4.2's VBV")
        }
        let limit = "level \(level.name)'s VBV: \(T.megabits(Double(level.maxBitRate))) Mb/s, \(T.megabits(Double(level.maxBufferSize))) Mbit buffer"
        let dry = scan.bufferRunsDry(rate: Double(level.maxBitRate), buffer: Double(level.maxBufferSize))
        let found = peak + (dry.map { "; the buffer runs dry at \(T.seconds($0))" } ?? "; the buffer never runs dry")
        return condition(.bitrate, dry == nil && !scan.isEmpty, required: "within " + limit, found: found,
                         remedy: "re-encoded within its level's VBV")
    }

    func pixelFormat() -> ReadinessCondition {
        let format = video.pixelFormat ?? "unknown"
        let interlaced = ["tt", "bb", "tb", "bt"].contains(video.fieldOrder ?? "")
        return condition(.pixelFormat, format == "yuv420p" && !interlaced, required: "yuv420p (8-bit 4:2:0, limited range), progressive",
                         found: format + (interlaced ? ", interlaced (\(video.fieldOrder ?? "?"))" : ""),
                         remedy: interlaced ? "deinterlaced and converted to yuv420p" : "converted to yuv420p")
    }

    func pixelAspect() -> ReadinessCondition {
        let sar = video.sampleAspectRatioValue
        let square = sar.map { $0.num == $0.den } ?? true
        return condition(.pixelAspect, square, required: "square pixels (1:1)", found: video.sampleAspectRatio ?? "1:1",
                         remedy: "made square")
    }

    /// SDR BT.709, or untagged (HD video is BT.709 by convention, and players show it so).
    func colour() -> ReadinessCondition {
        let tags = [video.colorPrimaries, video.colorTransfer, video.colorSpace].compactMap { $0 }
        let ok = video.hdr == nil && tags.allSatisfy { $0 == "bt709" }
        let found = video.hdr.map { "HDR (\($0.rawValue.uppercased()))" }
            ?? (tags.isEmpty ? "untagged (BT.709 by convention)" : ok ? "BT.709" : tags.joined(separator: "/"))
        return condition(.colour, ok, required: "SDR BT.709", found: found,
                         remedy: video.hdr != nil ? "tone-mapped to SDR BT.709" : "converted to BT.709")
    }

    func frameRate() -> ReadinessCondition {
        let range = TikTokContract.frameRates
        let required = "constant, \(T.fps(range.lowerBound))–\(T.fps(range.upperBound)) fps"
        guard let fps = facts.frameRate else {
            return condition(.frameRate, false, required: required, found: "unknown", remedy: "made constant")
        }
        let variable = video.variableFrameRate == true
        let ok = !variable && fps >= range.lowerBound - 0.01 && fps <= range.upperBound + 0.01
        return condition(.frameRate, ok, required: required,
                         found: variable ? "variable (average \(T.fps(fps)) fps)" : "\(T.fps(fps)) fps",
                         remedy: variable || ok ? "made constant" : "converted to \(fps < range.lowerBound ? "30" : "60") fps")
    }

    /// Keyframes at most 2 s apart, with half a frame of slack for rounded timestamps.
    func keyframes() -> ReadinessCondition {
        let scan = facts.scan
        let gap = scan.longestKeyframeGap
        let slack = 0.5 / (facts.frameRate ?? 30)
        let found = scan.keyframeTimes.isEmpty ? "no keyframe flagged" : "longest gap \(T.seconds(gap))"
        return condition(.keyframes, !scan.keyframeTimes.isEmpty && gap <= TikTokContract.maxKeyframeGap + slack,
                         required: "a keyframe at least every \(T.seconds(TikTokContract.maxKeyframeGap))", found: found,
                         remedy: "re-encoded with a keyframe every 2 s")
    }

    func rotation() -> ReadinessCondition {
        let degrees = video.rotation ?? 0
        return condition(.rotation, degrees == 0, required: "no rotation flag (stored upright)",
                         found: degrees == 0 ? "none" : "turn \(degrees)° to show", remedy: "turned upright, no flag left")
    }
}
