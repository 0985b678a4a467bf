import Foundation
import MediaProbe

/// The steps of the two local plans for one input, edits included, in the engine's order.
enum LocalSteps {
    static func tiktok(_ r: ProbeReport, fit: FitMode, start: Double?, duration: Double?, edits: LocalEdits, loop: Int? = nil) -> [String] {
        guard let v = r.primaryVideo else {
            return ["no video stream in \(Planner.name(r)): nothing to convert"]
        }
        if let a = r.animation { return animation(r, a, v, fit: fit, duration: duration, edits: edits, loop: loop) }
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

    /// An animated GIF, WebP or PNG: every frame with its own delay, whole plays to reach 3 s.
    static func animation(_ r: ProbeReport, _ a: AnimationInfo, _ v: StreamInfo, fit: FitMode, duration: Double?, edits: LocalEdits,
                          loop: Int?) -> [String] {
        let size = v.width.flatMap { w in v.height.map { " \(w)x\($0)" } } ?? ""
        let decoder = a.decoder == "libwebp" ? "libwebp's animation decoder" : "FFmpeg's \(r.container) demuxer and decoder"
        var steps = ["decode animated \(r.format.uppercased())\(size): \(a.frames) frames, delays \(a.delaysText) (\(decoder): frame offsets, disposal and blending)",
                     "transparent pixels composited over the pad colour (black unless --pad-color)"]
        let plays = a.plays(asked: loop)
        let total = Double(plays) * a.cycleSeconds
        if plays > 1 {
            let why = loop != nil ? "--loop \(plays)" : "one play (\(Planner.seconds(round2(a.cycleSeconds)))) is under TikTok's 3-second minimum; --loop N chooses"
            steps.append("play it \(plays) times: \(Planner.seconds(round2(total))) (\(why))")
        } else {
            steps.append("play it once: \(Planner.seconds(round2(total)))" + (loop == nil ? " (its own length)" : ""))
        }
        if let duration { steps.append("stop after \(Planner.seconds(duration))") }
        steps.append(fitStep(v, fit == .smart ? .blur : fit))
        if edits.grayscale { steps.append(LocalEdits.grayscaleStep) }
        if let d = edits.fadeIn { steps.append(LocalEdits.fadeInStep(d)) }
        if let d = edits.fadeOut { steps.append(LocalEdits.fadeOutStep(d)) }
        steps.append("each frame held for its own delay on a constant \(Planner.fps(a.outputFPS)) fps clock")
        steps.append("encode H.264 High \(TikTokContract.width)x\(TikTokContract.height) \(Planner.fps(a.outputFPS)) fps, no audio (an animation has none; --silent-audio adds silence)")
        steps.append("mux MP4 (index first)")
        return steps
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

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

    static func mp4(_ r: ProbeReport, start: Double?, duration: Double?, edits: LocalEdits, loop: Int? = nil) -> [String] {
        if let a = r.animation, let v = r.primaryVideo {
            let plays = a.plays(asked: loop), size = v.width.flatMap { w in v.height.map { " \(w)x\($0)" } } ?? ""
            return ["decode animated \(r.format.uppercased())\(size): \(a.frames) frames, delays \(a.delaysText)",
                    "transparent pixels over black",
                    plays > 1 ? "play it \(plays) times: \(Planner.seconds(round2(Double(plays) * a.cycleSeconds)))" + (loop == nil ? " (TikTok's 3-second minimum)" : " (--loop)")
                              : "play it once: \(Planner.seconds(round2(a.cycleSeconds)))",
                    "encode H.264 High 4:4:4 at its own size, each frame once at its own time (variable rate; MP4 cannot hold \(r.format.uppercased()) animation)",
                    "mux MP4 (index first)"]
        }
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
