/// Captions and typed titles in the local plan's steps, reasons and parts.
enum TextSteps {
    static func captions(_ source: String, plan: LocalPlan) -> String {
        plan == .tiktok ? "burn in captions from \(source) (libass, in the safe zone)"
                        : "add captions from \(source) as a soft mov_text track"
    }

    static func title(_ t: TitleRequest, plan: LocalPlan) -> String {
        plan == .tiktok ? "burn in the title \(t.summary)" : "not done: --to mp4 keeps the picture as it is"
    }

    static func steps(_ c: PlanContext, plan: LocalPlan) -> [String] {
        var steps = c.flags.captions.map { [captions($0, plan: plan)] } ?? []
        if plan == .tiktok { steps += c.titles.map { title($0.request, plan: plan) } }
        return steps
    }

    static func reasons(_ c: PlanContext, plan: LocalPlan) -> [String] {
        var reasons: [String] = []
        if let s = c.flags.captions {
            reasons.append("--captions \(s): the text is given, so captions are made offline (nothing uploaded)")
        }
        if !c.titles.isEmpty {
            reasons.append("quoted text in the prompt (\(c.titles.map { "\"\($0.request.text)\"" }.joined(separator: ", "))) → a title rendered offline")
        }
        return reasons
    }

    static func parts(_ c: PlanContext, plan: LocalPlan) -> [RequestPart] {
        c.titles.map { t in
            let disposition: RequestPart.Disposition = plan == .tiktok ? .local(step: title(t.request, plan: plan))
                : .refused(reason: "--to mp4 keeps the picture as it is: titles are burned in by the tiktok plan only")
            return RequestPart(phrase: t.phrase, meaning: "title \(t.request.summary)", disposition: disposition)
        }
    }
}
