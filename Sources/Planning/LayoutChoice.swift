/// `--layout`: how smart reframing shows two people who cannot share one 9:16 window.
public enum LayoutMode: String, Codable, Sendable, CaseIterable {
    /// Split or speaker, per shot, from who talks (the default).
    case auto
    /// One full-frame window on the main subject.
    case single
    /// Two stacked 1080x960 halves, one person each.
    case split
    /// One full-frame window on whoever talks.
    case speaker
    /// The whole picture over its blurred copy.
    case fill
}

extension PlanContext {
    /// The layout the prompt names ("split screen", "follow the speaker"), and the match that named it.
    var promptLayout: (mode: LayoutMode, match: PhraseMatch)? {
        for m in reading.matches where !m.negated {
            if let mode = PhraseTable.layoutPhrases[m.phrase] { return (mode, m) }
        }
        return nil
    }
}

extension PlanBuilder {
    /// The layout for smart reframing: `--layout`, else the prompt's, else auto (nil). Only
    /// smart reframing has layouts; a layout asked for with another fit is said to be ignored.
    static func chooseLayout(_ fit: FitMode?, _ c: PlanContext, _ reasons: inout [String]) -> LayoutMode? {
        let asked = c.flags.layout.map { ($0, "--layout \($0.rawValue)") }
            ?? c.promptLayout.map { ($0.mode, "prompt mentions '\($0.match.phrase)' → layout \($0.mode.rawValue)") }
        guard let (mode, why) = asked else { return nil }
        guard fit == .smart else {
            reasons.append("\(why) is ignored: layouts arrange smart reframing's shots, and the fit is \(fit?.rawValue ?? "none")")
            return nil
        }
        reasons.append(why + (mode == .auto ? "" : " (for shots whose two people cannot share one 9:16 window)"))
        return mode
    }
}
