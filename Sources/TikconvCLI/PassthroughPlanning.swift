import Foundation
import MediaProbe
import Planning

/// The tiktok plan's copy-or-encode choice for each input (`Passthrough`): the readiness check
/// reads each candidate's packets here, before the conversions start, so `--plan` and `--json`
/// say which and why; the pure planner's plan is then amended with the decisions.
func planPassthrough(_ plan: Plan, request: Request, options: ConversionOptions) throws -> Plan {
    guard plan.route == .local, plan.localPlan == .tiktok else { return plan }
    let flags = options.passthroughFlags
    var decisions: [PassthroughDecision] = []
    for report in request.inputs where Passthrough.isCandidate(report) {
        if flags.reencode {
            decisions.append(Passthrough.forcedEncode(report.path))
            continue
        }
        do {
            decisions.append(Passthrough.decide(try TikTokReadiness.check(report), plan: plan, flags: flags))
        } catch {
            // Encoding reports a file it cannot read with its own clear error.
            decisions.append(PassthroughDecision(input: report.path, mode: .encode,
                                                 reasons: ["\((report.path as NSString).lastPathComponent): encoded: \(userMessage(for: error))"]))
        }
    }
    return try Passthrough.apply(decisions, to: plan, request: request)
}
