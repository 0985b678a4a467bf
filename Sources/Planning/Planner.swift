import Foundation
import MediaProbe

/// The pure planner: a Request (probe reports, prompt, flags) in, a Plan out.
/// No file I/O, no clock, no environment.
///
/// Decision order:
/// 1. `--local` + `--cloud` → `.conflictingFlags`; no inputs and no prompt → `.nothingToDo`.
/// 2. Prompt → intents (`IntentTable`, English whole words + Chinese substrings, negation-aware)
///    and trim times (`TrimParser`); `--start`/`--duration`/`--fit`/`--to` win over prompt words.
/// 3. A text script → cloud `text-to-tiktok`. Photos → cloud `tiktok-photo-video` (with videos:
///    `video-converter-tiktok` unless the prompt asks for a slideshow). `--local` → error.
/// 4. Videos: generative intents (captions, music, …), an audio file beside them, or "trim"
///    without times → cloud `video-converter-tiktok`; session intents alone (export, upload,
///    credits, status) → cloud; `--cloud` on a plain conversion → `data-format-converter-free`
///    for mp4, `video-converter-tiktok` otherwise; else local: `--to`, else `.mp4` when the prompt
///    asks for MP4/lossless/remux without any 9:16 shaping words, else `.tiktok` (fit default blur).
/// 5. Audio only → `.audioOnly` unless the request is a cloud one.
/// 6. A prompt alone → cloud `text-to-tiktok`, or a session action; a local-only prompt
///    ("convert to mp4") → `.noInputToConvert`.
public enum Planner {
    /// TikTok's frame.
    public static let tiktokWidth = 1080
    public static let tiktokHeight = 1920
    /// Fit words that only hint at a mode; a named mode in the same prompt wins over them.
    static let looseFitPhrases: Set<String> = ["fill", "zoom in", "填满", "铺满", "模糊"]

    public static func plan(_ request: Request) throws -> Plan {
        let flags = request.flags
        if flags.forceLocal && flags.forceCloud { throw PlanningError.conflictingFlags }
        let prompt = request.prompt?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let hasPrompt = !prompt.isEmpty
        let inputs = request.inputs
        if inputs.isEmpty && !hasPrompt { throw PlanningError.nothingToDo }

        if let d = flags.duration, !(d > 0) { throw PlanningError.invalidTrim("--duration must be more than 0 s (got \(seconds(d)))") }
        if let s = flags.start, !(s >= 0) { throw PlanningError.invalidTrim("--start cannot be negative (got \(seconds(s)))") }

        // 1. What the prompt asks for.
        let matches = hasPrompt ? IntentMatcher.match(prompt) : []
        let promptTrim = hasPrompt ? TrimParser.parse(prompt) : nil
        var intentSet = Set(matches.map(\.intent))
        if promptTrim != nil { intentSet.insert(.trim) }
        let intents = Intent.allCases.filter { intentSet.contains($0) }
        func phrase(_ i: Intent) -> String { matches.first { $0.intent == i }?.phrase ?? promptTrim?.phrase ?? i.rawValue }

        // 2. Inputs by kind.
        let videos = inputs.filter { $0.kind == .video }
        let images = inputs.filter { $0.kind == .image }
        let texts = inputs.filter { $0.kind == .text }
        let audios = inputs.filter { $0.kind == .audio }

        // 3. Trim: flags win over the prompt.
        var reasons: [String] = []
        var start = flags.start ?? promptTrim?.start
        var duration = flags.duration ?? promptTrim?.duration
        if let last = promptTrim?.lastSeconds, flags.start == nil, flags.duration == nil {
            if let total = (videos + audios).compactMap(\.duration).first {
                start = max(0, total - last); duration = min(last, total)
            }
            // Unknown length: "last N s" stays a trim without times (the agent can still do it).
        }
        if flags.start != nil || flags.duration != nil {
            reasons.append("trim from flags: \(rangeText(start: flags.start, duration: flags.duration))")
        }
        if let pt = promptTrim, (start != flags.start || duration != flags.duration) {
            reasons.append("prompt asks to trim ('\(pt.phrase)') → \(rangeText(start: start, duration: duration))")
        }
        if let s = start {
            for r in videos + audios {
                if let d = r.duration, s >= d {
                    throw PlanningError.invalidTrim("start \(seconds(s)) is past the end of \(name(r)) (\(seconds(d)))")
                }
            }
        }
        let hasTimes = start != nil || duration != nil
        // "trim" with no times: only the agent can decide what to cut.
        let trimWithoutTimes = intentSet.contains(.trim) && !hasTimes

        // 4. Which parts need the cloud.
        var generative = intents.filter { $0.category == .generative }
        if hasTimes && generative == [.edit] {
            generative = []
            reasons.append("prompt says '\(phrase(.edit))' with a time range → a local trim")
        }
        let sessionIntents = intents.filter { $0.category == .session }
        let localIntents = intents.filter { $0.category == .local }
        let shaping = intents.contains { [.vertical, .resize, .pad, .crop, .blur].contains($0) }

        // Fit: flag, then prompt words.
        // Several fit words: a named mode beats a loose word ("fill the background with blur" → blur),
        // then the one said first wins ("pad it, or crop if you must" → pad).
        let fitMatches = matches.filter { $0.intent.fitMode != nil }
        let namedFits = fitMatches.filter { !looseFitPhrases.contains($0.phrase) }
        let promptFit = (namedFits.isEmpty ? fitMatches : namedFits).min { $0.position < $1.position }?.intent.fitMode
        let explicitFit = flags.fit ?? promptFit

        // The local plan the request would use.
        let localPlan: LocalPlan
        if let t = flags.target {
            localPlan = t
        } else if intentSet.contains(.mp4) && !shaping && flags.fit == nil {
            localPlan = .mp4
        } else {
            localPlan = .tiktok
        }

        func cloud(_ skill: CloudSkill, defaultInstruction: String) -> Plan {
            for i in generative {
                reasons.append("prompt mentions '\(phrase(i))' (\(i.displayName)) → cloud")
            }
            for i in sessionIntents {
                reasons.append("prompt mentions '\(phrase(i))' (\(i.displayName)) → cloud session action")
            }
            if flags.forceCloud { reasons.append("--cloud forces the cloud route") }
            reasons.append("cloud skill: \(skill.rawValue)")
            var instruction = hasPrompt ? prompt : defaultInstruction
            if hasPrompt {
                if flags.start != nil || flags.duration != nil {
                    instruction += " Use only \(rangeText(start: flags.start, duration: flags.duration)) of the input."
                }
                if let f = flags.fit { instruction += " Fit the picture to 9:16 by \(fitDescription(f))." }
            }
            let steps = cloudSteps(skill: skill, inputs: inputs, generative: !generative.isEmpty || !hasPrompt || flags.forceCloud || !images.isEmpty || !texts.isEmpty,
                                   session: sessionIntents)
            return Plan(route: .cloud, skill: skill, fit: explicitFit, steps: steps, reasons: reasons,
                        cloudInstruction: instruction, start: start, duration: duration, intents: intents.map(\.rawValue))
        }

        func trimNote() -> String {
            hasTimes ? " Use only \(rangeText(start: start, duration: duration)) of the input." : ""
        }

        // 5. Decide.
        if !texts.isEmpty {
            if flags.forceLocal { throw PlanningError.scriptNeedsCloud }
            reasons.insert("input is a text script (\(texts.map(name).joined(separator: ", "))) → text-to-video", at: 0)
            if !images.isEmpty || !videos.isEmpty || !audios.isEmpty {
                reasons.append("other inputs are uploaded as material for the script")
            }
            return cloud(.textToTikTok, defaultInstruction:
                "Turn this script into a TikTok video (9:16, 1080x1920): visuals that match each part, captions, and fitting background music." + trimNote())
        }

        if !images.isEmpty {
            if flags.forceLocal { throw PlanningError.photosNeedCloud }
            let skill: CloudSkill
            if videos.isEmpty {
                reasons.insert("\(count(images.count, "photo")) → slideshow", at: 0)
                skill = .photoVideo
            } else if intentSet.contains(.slideshow) {
                reasons.insert("videos and photos with '\(phrase(.slideshow))' → slideshow", at: 0)
                skill = .photoVideo
            } else {
                reasons.insert("videos and photos together → the video editor skill (it takes both)", at: 0)
                skill = .videoConverterTikTok
            }
            if !audios.isEmpty { reasons.append("the audio input is used as background music") }
            return cloud(skill, defaultInstruction: videos.isEmpty
                ? "Make a TikTok slideshow from these photos (9:16, 1080x1920) with smooth transitions and background music." + trimNote()
                : "Make a TikTok video (9:16, 1080x1920) from these clips and photos, with smooth transitions." + trimNote())
        }

        if !videos.isEmpty {
            var cloudParts = generative.map(\.displayName)
            if !audios.isEmpty {
                cloudParts.append("background music from an audio file")
                reasons.append("an audio file next to a video → mixed in as background music, in the cloud")
            }
            if trimWithoutTimes { reasons.append("prompt asks to '\(phrase(.trim))' but names no times → the agent decides what to cut") }
            if !cloudParts.isEmpty || trimWithoutTimes {
                if flags.forceLocal {
                    if cloudParts.isEmpty { throw PlanningError.trimNeedsTimes }
                    throw PlanningError.needsCloud(part: cloudParts[0])
                }
                return cloud(.videoConverterTikTok, defaultInstruction: "Edit this video for TikTok (9:16, 1080x1920).")
            }
            if !sessionIntents.isEmpty && localIntents.isEmpty {
                if flags.forceLocal {
                    if sessionIntents == [.export] {
                        reasons.append("'\(phrase(.export))' with --local → the local plan writes the MP4")
                        return localPlanResult(localPlan, videos: videos, flags: flags, promptFit: promptFit,
                                               start: start, duration: duration, intents: intents, reasons: reasons, phrase: phrase)
                    }
                    throw PlanningError.needsCloud(part: sessionIntents.first { $0 != .export }!.displayName)
                }
                return cloud(.videoConverterTikTok, defaultInstruction: "Export this video for TikTok (9:16, 1080x1920).")
            }
            if flags.forceCloud {
                if localPlan == .mp4 {
                    reasons.insert("plain MP4 conversion on the cloud → generic format converter", at: 0)
                    return cloud(.dataFormatConverter, defaultInstruction: "Convert this file to MP4 (H.264/AAC) without losing quality." + trimNote())
                }
                reasons.insert("plain TikTok conversion on the cloud → TikTok video converter", at: 0)
                return cloud(.videoConverterTikTok, defaultInstruction:
                    "Convert this video to a TikTok-ready MP4: 9:16, 1080x1920, H.264/AAC, fit by \(fitDescription(explicitFit ?? .blur))." + trimNote())
            }
            if !sessionIntents.isEmpty {
                reasons.append("'\(phrase(sessionIntents[0]))' goes with a local conversion → done locally")
            }
            if flags.forceLocal { reasons.append("--local forces the local route") }
            return localPlanResult(localPlan, videos: videos, flags: flags, promptFit: promptFit,
                                   start: start, duration: duration, intents: intents, reasons: reasons, phrase: phrase)
        }

        if !audios.isEmpty {
            if flags.forceCloud || !generative.isEmpty || !sessionIntents.isEmpty {
                if flags.forceLocal, let g = generative.first { throw PlanningError.needsCloud(part: g.displayName) }
                if flags.forceLocal { throw PlanningError.audioOnly }
                reasons.insert("audio-only input: the agent makes the pictures", at: 0)
                let skill: CloudSkill = intentSet.contains(.generate) ? .textToTikTok : .videoConverterTikTok
                return cloud(skill, defaultInstruction: "Make a TikTok video (9:16, 1080x1920) for this audio, with visuals that match it." + trimNote())
            }
            throw PlanningError.audioOnly
        }

        // No inputs: a prompt alone.
        if !generative.isEmpty || (sessionIntents.isEmpty && localIntents.isEmpty) {
            if flags.forceLocal { throw PlanningError.needsCloud(part: generative.first?.displayName ?? "text-to-video") }
            reasons.insert("a prompt with no inputs → text-to-video", at: 0)
            return cloud(.textToTikTok, defaultInstruction: prompt)
        }
        if !sessionIntents.isEmpty {
            if flags.forceLocal { throw PlanningError.needsCloud(part: sessionIntents[0].displayName) }
            reasons.insert("no inputs: a request about the cloud session", at: 0)
            return cloud(.videoConverterTikTok, defaultInstruction: prompt)
        }
        throw PlanningError.noInputToConvert(what: "'\(phrase(localIntents[0]))'")
    }

    // MARK: - Local plans

    static func localPlanResult(_ plan: LocalPlan, videos: [ProbeReport], flags: PlanFlags, promptFit: FitMode?,
                                start: Double?, duration: Double?, intents: [Intent], reasons inReasons: [String],
                                phrase: (Intent) -> String) -> Plan {
        var reasons: [String] = []
        if let t = flags.target {
            reasons.append("--to \(t.rawValue) chooses the \(t.rawValue) plan")
        } else if plan == .mp4 {
            reasons.append("prompt mentions '\(phrase(.mp4))' → mp4 plan (copy what MP4 can hold, re-encode the rest)")
        } else if let s = intents.first(where: { [.vertical, .resize, .pad, .crop, .blur].contains($0) }) {
            reasons.append("prompt mentions '\(phrase(s))' (\(s.displayName)) → tiktok plan")
        } else if intents.contains(.mp4) {
            reasons.append("'\(phrase(.mp4))' with a 9:16 request → tiktok plan (it writes an MP4 too)")
        } else {
            reasons.append("video input\(intents.isEmpty ? " with no prompt" : "") → local tiktok plan (1080x1920 H.264/AAC)")
        }
        reasons += inReasons
        var fit: FitMode? = nil
        if plan == .tiktok {
            if let f = flags.fit { fit = f; reasons.append("--fit \(f.rawValue)") }
            else if let f = promptFit { fit = f; reasons.append("prompt mentions '\(phrase(intentFor(f)))' → fit by \(f.rawValue)") }
            else { fit = .blur; reasons.append("default fit: blur (\(fitDescription(.blur)))") }
        } else if flags.fit != nil {
            reasons.append("--fit is ignored: the mp4 plan keeps the picture as it is")
        }
        var steps: [String] = []
        for r in videos {
            let prefix = videos.count > 1 ? "\(name(r)): " : ""
            let s = plan == .tiktok ? tiktokSteps(r, fit: fit ?? .blur, start: start, duration: duration)
                                    : mp4Steps(r, start: start, duration: duration)
            steps += s.map { prefix + $0 }
            if plan == .mp4, r.format.lowercased() == "mp4",
               r.streams.allSatisfy({ MP4Compatibility.action(for: $0) == .copy }) {
                reasons.append("\(name(r)) is already an MP4 with streams MP4 plays well: remux only, nothing re-encoded")
            }
        }
        return Plan(route: .local, localPlan: plan, fit: fit, steps: steps, reasons: reasons,
                    start: start, duration: duration, intents: intents.map(\.rawValue))
    }

    static func intentFor(_ f: FitMode) -> Intent {
        switch f { case .pad: return .pad; case .crop: return .crop; case .blur: return .blur }
    }

    static func tiktokSteps(_ r: ProbeReport, fit: FitMode, start: Double?, duration: Double?) -> [String] {
        var steps: [String] = []
        guard let v = r.primaryVideo else {
            return ["no video stream in \(name(r)): nothing to convert"]
        }
        let srcFps = v.averageFrameRate ?? v.realFrameRate
        var decode = "decode \(v.codec)"
        if let w = v.width, let h = v.height { decode += " \(w)x\(h)" }
        if let f = srcFps, f > 0 { decode += " \(fps(f)) fps" }
        steps.append(decode)
        if start != nil || duration != nil { steps.append("trim \(rangeText(start: start, duration: duration))") }
        if let fo = v.fieldOrder?.lowercased(), ["tt", "bb", "tb", "bt"].contains(fo) {
            steps.append("deinterlace (\(fo == "tt" || fo == "tb" ? "top" : "bottom") field first)")
        }
        let rot = ((v.rotation ?? 0) % 360 + 360) % 360
        if rot != 0 { steps.append("rotate \(rot)°") }
        if let sar = v.sampleAspectRatio, sar != "1:1", sar != "0:1", StreamInfo.sarValue(sar).map({ abs($0 - 1) > 0.001 }) ?? false {
            steps.append("make pixels square (sample aspect \(sar))")
        }
        if let hdr = v.hdr {
            steps.append("tone-map HDR (\(hdr.rawValue)) to SDR BT.709")
        } else if let pf = v.pixelFormat, pf != "yuv420p" && pf != "yuvj420p" {
            steps.append("convert pixels \(pf) → yuv420p")
        }
        let W = tiktokWidth, H = tiktokHeight
        if let d = v.displaySize {
            if d.width == W && d.height == H {
                steps.append("already \(W)x\(H): no scaling")
            } else if abs(Double(d.width) / Double(d.height) - 9.0 / 16.0) < 0.01 {
                steps.append("scale \(d.width)x\(d.height) → \(W)x\(H) (already 9:16: no \(fit.rawValue) needed)")
            } else {
                steps.append("fit \(d.width)x\(d.height) into \(W)x\(H) by \(fit.rawValue) (\(fitDescription(fit)))")
            }
        } else {
            steps.append("fit into \(W)x\(H) by \(fit.rawValue) (\(fitDescription(fit)))")
        }
        var outFps = srcFps.map { min($0, 60) } ?? 30
        if outFps <= 0 { outFps = 30 }
        if let f = srcFps, f > 60 { steps.append("drop frames \(fps(f)) → 60 fps") }
        if v.variableFrameRate == true { steps.append("constant frame rate \(fps(outFps)) fps (source is variable)") }
        var encode = "encode H.264 High \(W)x\(H) \(fps(outFps)) fps"
        if let a = r.primaryAudio {
            let rate = a.sampleRate, ch = a.channels
            if rate != 48000 || ch != 2 {
                steps.append("resample audio \(a.codec) \(rate.map(kHz) ?? "?") \(ch.map(channelName) ?? "?") → 48 kHz stereo")
            }
            encode += ", AAC 48 kHz stereo"
        } else {
            encode += ", no audio"
        }
        steps.append(encode)
        steps.append("mux MP4 (index first)")
        return steps
    }

    static func mp4Steps(_ r: ProbeReport, start: Double?, duration: Double?) -> [String] {
        var steps = ["read \(r.format.uppercased()) container"]
        if start != nil || duration != nil {
            steps.append("trim \(rangeText(start: start, duration: duration)) (copied streams cut at a keyframe)")
        }
        for s in r.streams { steps.append(MP4Compatibility.step(for: s)) }
        steps.append("mux MP4 (index first)")
        return steps
    }

    // MARK: - Cloud steps

    static func cloudSteps(skill: CloudSkill, inputs: [ProbeReport], generative: Bool, session: [Intent]) -> [String] {
        var steps: [String] = []
        let onlyAccount = !generative && inputs.isEmpty && !session.isEmpty && session.allSatisfy { $0 == .credits }
        if onlyAccount { return ["check the credit balance"] }
        steps.append("open a NemoVideo session (skill \(skill.rawValue))")
        if session.contains(.credits) { steps.append("check the credit balance") }
        let media = inputs.filter { $0.kind != .text }
        if !media.isEmpty {
            steps.append("upload \(count(media.count, "file")) (\(media.map(name).joined(separator: ", ")))")
        }
        for t in inputs where t.kind == .text {
            steps.append("send the script \(name(t))\(t.text.map { " (\($0.words) words)" } ?? "") with the instruction")
        }
        let sendsMessage = generative || !inputs.isEmpty
        if sendsMessage { steps.append("send the instruction to the agent and stream its reply") }
        if session.contains(.status) { steps.append("read the session state") }
        if sendsMessage || session.contains(.export) {
            steps.append("export the draft to MP4 (render, poll until done)")
            steps.append("download the MP4")
        }
        return steps
    }

    // MARK: - Formatting

    static func name(_ r: ProbeReport) -> String {
        r.path.split(separator: "/").last.map(String.init) ?? r.path
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func seconds(_ s: Double) -> String { "\(number(s)) s" }

    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e12 { return String(Int(x)) }
        return String((x * 1000).rounded() / 1000)
    }

    static func fps(_ f: Double) -> String {
        abs(f - f.rounded()) < 0.005 ? String(Int(f.rounded())) : String((f * 100).rounded() / 100)
    }

    static func kHz(_ rate: Int) -> String {
        rate % 1000 == 0 ? "\(rate / 1000) kHz" : "\(Double(rate) / 1000) kHz"
    }

    static func channelName(_ n: Int) -> String {
        switch n { case 1: return "mono"; case 2: return "stereo"; case 6: return "5.1"; case 8: return "7.1"; default: return "\(n) channels" }
    }

    static func rangeText(start: Double?, duration: Double?) -> String {
        switch (start, duration) {
        case let (s?, d?): return "\(number(s))–\(number(s + d)) s"
        case let (nil, d?): return "first \(seconds(d))"
        case let (s?, nil): return "from \(seconds(s)) to the end"
        default: return "whole input"
        }
    }

    static func fitDescription(_ f: FitMode) -> String {
        switch f {
        case .blur: return "whole picture over a blurred, enlarged copy of itself"
        case .pad: return "whole picture with black bars"
        case .crop: return "fill the frame, cutting off the edges"
        }
    }
}

extension StreamInfo {
    static func sarValue(_ s: String) -> Double? {
        let parts = s.split(separator: ":").compactMap { Double($0) }
        guard parts.count == 2, parts[1] != 0, parts[0] > 0 else { return nil }
        return parts[0] / parts[1]
    }
}
