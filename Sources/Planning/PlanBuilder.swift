import Foundation
import MediaProbe

/// Turns a decision into a Plan: reasons, steps, the instruction for the agent, and every
/// part of the prompt with what happens to it.
enum PlanBuilder {
    static func local(_ plan: LocalPlan, notes: [String], _ c: PlanContext) -> Plan {
        var reasons = [planReason(plan, c)] + c.trimReasons + notes
        if c.intents.contains(.edit) {
            reasons.append("prompt says '\(c.phrase(.edit))' with a time range → a local trim")
        }
        let fit = chooseFit(plan, c, &reasons)
        let layout = chooseLayout(fit, c, &reasons)
        let edits = c.edits.edits
        if !edits.isEmpty {
            reasons.append("local edits: " + edits.steps.joined(separator: "; "))
        }
        var steps: [String] = []
        for r in c.videos {
            let prefix = c.videos.count > 1 ? "\(Planner.name(r)): " : ""
            let s = plan == .tiktok ? LocalSteps.tiktok(r, fit: fit ?? .blur, start: c.start, duration: c.duration, edits: edits, loop: c.flags.loop)
                                    : LocalSteps.mp4(r, start: c.start, duration: c.duration, edits: edits, loop: c.flags.loop)
            steps += s.map { prefix + $0 }
            if plan == .mp4, edits.isEmpty, r.format.lowercased() == "mp4",
               r.streams.allSatisfy({ MP4Compatibility.action(for: $0) == .copy }) {
                reasons.append("\(Planner.name(r)) is already an MP4 with streams MP4 plays well: remux only, nothing re-encoded")
            }
        }
        steps += TextSteps.steps(c, plan: plan)
        reasons += TextSteps.reasons(c, plan: plan)
        var result = Plan(route: .local, localPlan: plan, fit: fit, steps: steps, reasons: reasons, start: c.start,
                          duration: c.duration, intents: c.intents.map(\.rawValue),
                          parts: TextSteps.parts(c, plan: plan) + RequestParts.local(c, plan: plan, fit: fit), edits: edits.isEmpty ? nil : edits)
        if plan == .tiktok { result.titles = c.titles.map(\.request) }
        result.captions = c.flags.captions
        result.layout = layout
        return result
    }

    static func planReason(_ plan: LocalPlan, _ c: PlanContext) -> String {
        let tiktok = "local tiktok plan (1080x1920 H.264/AAC)"
        if let t = c.flags.target { return "--to \(t.rawValue) chooses the \(t.rawValue) plan" }
        if plan == .mp4 { return "prompt mentions '\(c.phrase(.mp4))' → mp4 plan (copy what MP4 can hold, re-encode the rest)" }
        if let s = c.intents.first(where: \.isShaping) { return "prompt mentions '\(c.phrase(s))' (\(s.displayName)) → tiktok plan" }
        if c.intents.contains(.mp4) { return "'\(c.phrase(.mp4))' with a 9:16 request → tiktok plan (it writes an MP4 too)" }
        if !c.hasPrompt { return "video input with no prompt → \(tiktok)" }
        if c.reading.parts.isEmpty { return "the prompt asks for nothing beyond the default → \(tiktok)" }
        return "video input, every part of the prompt done locally or answered → \(tiktok)"
    }

    static func chooseFit(_ plan: LocalPlan, _ c: PlanContext, _ reasons: inout [String]) -> FitMode? {
        guard plan == .tiktok else {
            if c.flags.fit != nil { reasons.append("--fit is ignored: the mp4 plan keeps the picture as it is") }
            return nil
        }
        if let f = c.flags.fit { reasons.append("--fit \(f.rawValue)"); return f }
        if let (f, m) = c.promptFit { reasons.append("prompt mentions '\(m.phrase)' → fit by \(f.rawValue)"); return f }
        // A landscape picture has a subject to follow; a portrait or 9:16 one has nothing to
        // reframe, so it keeps the whole picture over the blurred fill.
        if !c.videos.isEmpty, c.videos.allSatisfy({ $0.animation != nil }) {
            reasons.append("default fit: blur for an animated image (\(Planner.fitDescription(.blur)))")
            return .blur
        }
        if c.videos.contains(where: isLandscape) {
            reasons.append("default fit: smart (landscape source)")
            return .smart
        }
        reasons.append("default fit: blur (\(Planner.fitDescription(.blur)))")
        return .blur
    }

    /// Wider than 9:16 (by more than 1%) as displayed: the shape smart reframing works on.
    static func isLandscape(_ r: ProbeReport) -> Bool {
        guard let d = r.primaryVideo?.displaySize, d.height > 0 else { return false }
        return Double(d.width) / Double(d.height) > 9.0 / 16.0 * 1.01
    }

    static func cloud(_ choice: Planner.CloudChoice, _ c: PlanContext) -> Plan {
        var reasons = choice.why + c.trimReasons + choice.causes.map(\.reason)
        for i in c.session {
            reasons.append("prompt mentions '\(c.phrase(i))' (\(i.displayName)) → cloud session action")
        }
        if c.flags.forceCloud { reasons.append("--cloud forces the cloud route") }
        if let s = c.flags.captions {
            reasons.append("--captions \(s) is not sent: captions from a file are burned in offline only (the agent makes its own)")
        }
        reasons.append("cloud skill: \(choice.skill.rawValue)")
        var instruction = c.hasPrompt ? c.prompt : choice.defaultInstruction
        if c.hasPrompt {
            if c.flags.start != nil || c.flags.duration != nil {
                instruction += " Use only \(Planner.rangeText(start: c.flags.start, duration: c.flags.duration)) of the input."
            }
            if let f = c.flags.fit { instruction += " Fit the picture to 9:16 by \(Planner.fitDescription(f))." }
        }
        let generative = !choice.causes.isEmpty || !c.hasPrompt || c.flags.forceCloud || !c.images.isEmpty || !c.texts.isEmpty
        let steps = Planner.cloudSteps(skill: choice.skill, inputs: c.request.inputs, generative: generative, session: c.session)
        return Plan(route: .cloud, skill: choice.skill, fit: c.explicitFit, steps: steps, reasons: reasons,
                    cloudInstruction: instruction, start: c.start, duration: c.duration, intents: c.intents.map(\.rawValue),
                    parts: RequestParts.cloud(c, choice))
    }
}
