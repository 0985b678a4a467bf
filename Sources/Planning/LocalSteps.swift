import Foundation
import MediaProbe

/// The steps of the two local plans for one input, edits included, in the engine's order.
enum LocalSteps {
    static func tiktok(_ r: ProbeReport, fit: FitMode, start: Double?, duration: Double?, edits: LocalEdits) -> [String] {
        guard let v = r.primaryVideo else {
            return ["no video stream in \(Planner.name(r)): nothing to convert"]
        }
        let srcFps = v.averageFrameRate ?? v.realFrameRate
        var decode = "decode \(v.codec)"
        if let w = v.width, let h = v.height { decode += " \(w)x\(h)" }
        if let f = srcFps, f > 0 { decode += " \(Planner.fps(f)) fps" }
        var steps = [decode]
        if start != nil || duration != nil { steps.append("trim \(Planner.rangeText(start: start, duration: duration))") }
        if let speed = edits.speed { steps.append(LocalEdits.speedStep(speed)) }
        steps += pictureSteps(v)
        steps.append(fitStep(v, fit))
        if edits.grayscale { steps.append(LocalEdits.grayscaleStep) }
        if let d = edits.fadeIn { steps.append(LocalEdits.fadeInStep(d)) }
        if let d = edits.fadeOut { steps.append(LocalEdits.fadeOutStep(d)) }
        let contract = TikTokContract.output(for: v)
        if let step = frameRateStep(contract) { steps.append(step) }
        if v.variableFrameRate == true {
            steps.append("constant frame rate \(Planner.fps(contract.framesPerSecond)) fps (source is variable)")
        }
        steps += audioSteps(r, edits)
        var encode = "encode H.264 High \(contract.width)x\(contract.height) \(Planner.fps(contract.framesPerSecond)) fps"
        encode += r.primaryAudio == nil ? ", no audio" : edits.mute ? ", no audio (muted)" : ", AAC 48 kHz stereo"
        steps.append(encode)
        steps.append("mux MP4 (index first)")
        return steps
    }

    /// How the source's frames become the contract's rate (see `TikTokContract.frameRate`); nil
    /// when they map one to one.
    static func frameRateStep(_ contract: TikTokOutput) -> String? {
        guard let source = contract.sourceRate, abs(source / contract.framesPerSecond - 1) > 0.01 else { return nil }
        let verb = source < contract.framesPerSecond ? "repeat frames" : "drop frames"
        return "\(verb) \(Planner.fps(source)) → \(Planner.fps(contract.framesPerSecond)) fps"
    }

    /// Deinterlace, rotation, square pixels, HDR or pixel format: what the probe says is needed.
    static func pictureSteps(_ v: StreamInfo) -> [String] {
        var steps: [String] = []
        if let fo = v.fieldOrder?.lowercased(), ["tt", "bb", "tb", "bt"].contains(fo) {
            steps.append("deinterlace (\(fo == "tt" || fo == "tb" ? "top" : "bottom") field first)")
        }
        let rot = ((v.rotation ?? 0) % 360 + 360) % 360
        if rot != 0 { steps.append("rotate \(rot)°") }
        if let sar = v.sampleAspectRatio, let value = v.sampleAspectRatioValue, abs(value.double - 1) > 0.001 {
            steps.append("make pixels square (sample aspect \(sar))")
        }
        if let hdr = v.hdr {
            steps.append("tone-map HDR (\(hdr.rawValue)) to SDR BT.709")
        } else if let pf = v.pixelFormat, pf != "yuv420p" && pf != "yuvj420p" {
            steps.append("convert pixels \(pf) → yuv420p")
        }
        return steps
    }

    static func fitStep(_ v: StreamInfo, _ fit: FitMode) -> String {
        let W = TikTokContract.width, H = TikTokContract.height
        guard let d = v.displaySize else { return "fit into \(W)x\(H) by \(fit.rawValue) (\(Planner.fitDescription(fit)))" }
        if d.width == W && d.height == H { return "already \(W)x\(H): no scaling" }
        if abs(Double(d.width) / Double(d.height) - 9.0 / 16.0) < 0.01 {
            return "scale \(d.width)x\(d.height) → \(W)x\(H) (already 9:16: no \(fit.rawValue) needed)"
        }
        return "fit \(d.width)x\(d.height) into \(W)x\(H) by \(fit.rawValue) (\(Planner.fitDescription(fit)))"
    }

    /// Resampling and the sound edits; an input without sound says so instead.
    static func audioSteps(_ r: ProbeReport, _ edits: LocalEdits) -> [String] {
        let soundEdits = (edits.mute ? [LocalEdits.muteStep] : [])
            + (edits.volumeDB.map { [LocalEdits.volumeStep($0)] } ?? []) + (edits.loudnorm ? [LocalEdits.loudnormStep] : [])
        guard let a = r.primaryAudio else {
            return soundEdits.isEmpty ? [] : ["no audio in \(Planner.name(r)): the sound edits have nothing to change"]
        }
        if edits.mute { return [LocalEdits.muteStep] }
        var steps: [String] = []
        if a.sampleRate != TikTokContract.audioSampleRate || a.channels != TikTokContract.audioChannels {
            steps.append("resample audio \(a.codec) \(a.sampleRate.map(Planner.kHz) ?? "?") \(a.channels.map(Planner.channelName) ?? "?") → 48 kHz stereo")
        }
        return steps + soundEdits
    }

    static func mp4(_ r: ProbeReport, start: Double?, duration: Double?, edits: LocalEdits) -> [String] {
        var steps = ["read \(r.format.uppercased()) container"]
        if start != nil || duration != nil {
            steps.append("trim \(Planner.rangeText(start: start, duration: duration)) (copied streams cut at a keyframe)")
        }
        for s in r.streams { steps.append(MP4Compatibility.step(for: s, edits: edits)) }
        if r.primaryAudio == nil && (edits.volumeDB != nil || edits.loudnorm || edits.mute) {
            steps.append("no audio in \(Planner.name(r)): the sound edits have nothing to change")
        }
        steps.append("mux MP4 (index first)")
        return steps
    }
}
