import Foundation

extension Plan {
    /// Multi-line text for `tikconv --plan`.
    public func explain() -> String {
        var lines: [String] = []
        switch route {
        case .local:
            lines.append("Route: local (\(localPlan?.rawValue ?? "?") plan)")
        case .cloud:
            lines.append("Route: cloud (skill \(skill?.rawValue ?? "?"))")
        }
        if let fit { lines.append("Fit: \(fit.rawValue)") }
        if start != nil || duration != nil {
            lines.append("Trim: \(Planner.rangeText(start: start, duration: duration))")
        }
        if !intents.isEmpty { lines.append("Intents: \(intents.joined(separator: ", "))") }
        if let edits, !edits.isEmpty { lines.append("Edits: \(edits.steps.joined(separator: "; "))") }
        if !parts.isEmpty {
            lines.append("Request:")
            for p in parts { lines.append("  - \(p.explained)") }
        }
        if !steps.isEmpty {
            lines.append("Steps:")
            for (i, s) in steps.enumerated() { lines.append("  \(i + 1). \(s)") }
        }
        if !reasons.isEmpty {
            lines.append("Why:")
            for r in reasons { lines.append("  - \(r)") }
        }
        if let cloudInstruction {
            lines.append("Instruction to the agent: \(cloudInstruction)")
        }
        return lines.joined(separator: "\n")
    }

    /// JSON for `tikconv --plan --json`: sorted keys, pretty-printed, nils left out.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public func jsonString() throws -> String {
        String(decoding: try jsonData(), as: UTF8.self)
    }
}

extension RequestPart {
    /// "'speed it up 2x' → speed 2×: local, speed 2× (audio pitch kept)".
    public var explained: String {
        let what: String
        switch disposition {
        case let .local(step): what = "done locally: \(step)"
        case let .cloud(reason): what = "cloud: \(reason)"
        case let .refused(reason): what = "NOT DONE: \(reason)"
        case let .nothing(reason): what = "nothing to do: \(reason)"
        }
        return "'\(phrase)' → \(meaning) — \(what)"
    }
}
