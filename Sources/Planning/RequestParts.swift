import Foundation
import MediaProbe

/// What happens to each part of the prompt: done locally (by which step), sent to the agent
/// (why), refused (why), or nothing to do (why). Nothing said is left out.
enum RequestParts {
    static func local(_ c: PlanContext, plan: LocalPlan, fit: FitMode?) -> [RequestPart] {
        c.reading.parts.map { RequestPart(phrase: $0.phrase, meaning: meaning($0, c), disposition: onLocal($0, c, plan, fit)) }
    }

    static func cloud(_ c: PlanContext, _ choice: Planner.CloudChoice) -> [RequestPart] {
        c.reading.parts.map { RequestPart(phrase: $0.phrase, meaning: meaning($0, c), disposition: onCloud($0, c, choice)) }
    }

    static func meaning(_ p: PromptPart, _ c: PlanContext) -> String {
        switch p.what {
        case let .match(m):
            let base: String
            switch m.meaning {
            case let .intent(i): base = i.displayName
            case let .edit(kind, _): base = c.edits.outcomes[m.tokens.lowerBound]?.meaning ?? kind.intent.displayName
            case .already: base = "already part of the plan"
            case .unsupported: base = "not offered"
            }
            let typos = m.typos.map { " (read '\($0.typed)' as '\($0.meant)')" }.joined()
            return (m.negated ? "not: \(base)" : base) + typos
        case .trim, .untimedTrim:
            return c.hasTimes ? "trim \(Planner.rangeText(start: c.start, duration: c.duration))" : "trim (no times given)"
        case .unknown: return "not a local edit"
        case .gibberish: return "not understood"
        case .fileName: return "a file name"
        }
    }

    static func onLocal(_ p: PromptPart, _ c: PlanContext, _ plan: LocalPlan, _ fit: FitMode?) -> RequestPart.Disposition {
        switch p.what {
        case let .match(m) where m.negated:
            return .nothing(reason: "asked not to: nothing is done")
        case let .match(m):
            switch m.meaning {
            case .edit: return c.edits.outcomes[m.tokens.lowerBound]?.disposition ?? .nothing(reason: "no change")
            case let .already(why): return .nothing(reason: why)
            case let .unsupported(why): return .refused(reason: why)
            case let .intent(i): return onLocal(i, c, plan, fit)
            }
        case .trim, .untimedTrim:
            let fromFlags = c.flags.start != nil || c.flags.duration != nil
            return .local(step: "trim \(Planner.rangeText(start: c.start, duration: c.duration))" + (fromFlags ? " (from --start/--duration)" : ""))
        case .unknown:
            return .refused(reason: "not something the local engine does")
        case .gibberish:
            return .refused(reason: "not understood: no word tikconv knows")
        case .fileName:
            return .nothing(reason: "tikconv converts the files given as arguments, not files named in the prompt")
        }
    }

    static func onLocal(_ i: Intent, _ c: PlanContext, _ plan: LocalPlan, _ fit: FitMode?) -> RequestPart.Disposition {
        let tiktok = "tiktok plan: 1080x1920 H.264/AAC"
        let mp4 = "mp4 plan: copy what MP4 holds, re-encode the rest"
        switch i {
        case .convert: return .local(step: plan == .mp4 ? mp4 : tiktok)
        case .mp4: return .local(step: plan == .mp4 ? mp4 : "the tiktok plan writes an MP4 too")
        case .vertical, .resize, .pad, .crop, .blur, .reframe:
            guard plan == .tiktok, let fit else { return .refused(reason: "--to mp4 keeps the picture as it is") }
            if let mode = i.fitMode, mode != fit {
                let by = c.flags.fit != nil ? "--fit \(fit.rawValue)" : "'\(c.promptFit?.match.phrase ?? fit.rawValue)'"
                return .nothing(reason: "the fit is \(fit.rawValue): \(by) decides")
            }
            return .local(step: "fit into \(TikTokContract.width)x\(TikTokContract.height) by \(fit.rawValue)")
        case .trim, .edit: return .local(step: "trim \(Planner.rangeText(start: c.start, duration: c.duration))")
        case .export: return .local(step: "the MP4 is written here: no cloud export needed")
        case .upload, .credits, .status: return .nothing(reason: "no cloud session: the conversion runs locally")
        case .captions where c.flags.captions != nil: return .local(step: TextSteps.captions(c.flags.captions!, plan: plan))
        default: return .refused(reason: "needs the cloud agent (\(i.displayName))")
        }
    }

    static func onCloud(_ p: PromptPart, _ c: PlanContext, _ choice: Planner.CloudChoice) -> RequestPart.Disposition {
        let rest = c.flags.forceCloud && choice.causes.isEmpty ? "--cloud: the agent does the whole request"
                                                               : "sent to the agent with the rest of the instruction"
        switch p.what {
        case let .match(m) where !m.negated:
            guard case let .intent(i) = m.meaning else { return .cloud(reason: rest) }
            switch i.category {
            case .generative where choice.causes.contains(where: { $0.position == p.chars.lowerBound }):
                return .cloud(reason: "needs the cloud agent (\(i.displayName))")
            case .session: return .cloud(reason: "a cloud session action (\(i.displayName))")
            default: return .cloud(reason: rest)
            }
        case .unknown:
            return .cloud(reason: "not something the local engine does: the agent does it")
        case .untimedTrim where !c.hasTimes, .trim where !c.hasTimes:
            return .cloud(reason: "no times given: the agent decides what to cut")
        default:
            return .cloud(reason: rest)
        }
    }
}
