import Foundation

/// One meaningful thing in the reply stream.
public enum SSEEvent: Equatable, Sendable {
    case text(String)
    /// A fragment of a later full text event (ADK `partial: true`).
    case partialText(String)
    case toolCall(String)
    case toolResult(String)
    case heartbeat
    /// Empty data lines and `:` comments.
    case keepAlive
    case error(String)
}

/// Server-Sent-Events parser fed one line at a time. Accepts both event forms of the
/// protocol (ADK camelCase and typed) and ignores whatever does not parse.
public struct SSEParser {
    private var dataLines: [String] = []

    public init() {}

    public mutating func feed(_ line: String) -> [SSEEvent] {
        if line.isEmpty { return dispatch() }
        if line.hasPrefix(":") { return [.keepAlive] }
        if line.hasPrefix("data:") {
            var value = String(line.dropFirst(5))
            if value.hasPrefix(" ") { value.removeFirst() }
            if value.trimmingCharacters(in: .whitespaces).isEmpty {
                return dataLines.isEmpty ? [.keepAlive] : []
            }
            // A server that omits the blank line between events: a new JSON object starts
            // while the buffered one is already complete.
            var out: [SSEEvent] = []
            if !dataLines.isEmpty, value.hasPrefix("{"), J.object(dataLines.joined(separator: "\n")) != nil {
                out = dispatch()
            }
            dataLines.append(value)
            return out
        }
        if line.hasPrefix("event:") || line.hasPrefix("id:") || line.hasPrefix("retry:") { return [] }
        // A bare JSON line (no field name): accept it as an event.
        if line.hasPrefix("{"), let obj = J.object(line) { return SSEParser.interpret(obj) }
        return []
    }

    /// Call when the stream ends: dispatches what is buffered.
    public mutating func finish() -> [SSEEvent] { dispatch() }

    private mutating func dispatch() -> [SSEEvent] {
        guard !dataLines.isEmpty else { return [] }
        defer { dataLines = [] }
        if let obj = J.object(dataLines.joined(separator: "\n")) { return SSEParser.interpret(obj) }
        // Lines that each hold an event.
        return dataLines.flatMap { J.object($0).map(SSEParser.interpret) ?? [] }
    }

    /// What one decoded event object means.
    public static func interpret(_ o: [String: Any]) -> [SSEEvent] {
        if let e = o["error"], !(e is NSNull) {
            if let s = e as? String { return [.error(s)] }
            if let d = e as? [String: Any] { return [.error(J.string(d["message"]) ?? "unknown error")] }
            return [.error("unknown error")]
        }
        let partial = (o["partial"] as? Bool) ?? false
        if let type = o["type"] as? String {
            switch type {
            case "text", "message", "text_delta":
                let t = J.string(o["content"]) ?? J.string(o["text"]) ?? ""
                return textEvent(t, partial: partial || type == "text_delta")
            case "tool_call", "function_call": return [.toolCall(J.string(o["name"]) ?? "tool")]
            case "tool_result", "function_response": return [.toolResult(J.string(o["name"]) ?? "tool")]
            case "heartbeat", "ping": return [.heartbeat]
            case "error": return [.error(J.string(o["message"]) ?? J.string(o["content"]) ?? "unknown error")]
            default: return []
            }
        }
        if let content = o["content"] as? [String: Any] {
            // Echoes of the user's own message are not the assistant's text.
            let role = J.string(content["role"])
            var out: [SSEEvent] = []
            for part in J.array(content["parts"]) {
                if let fc = part["functionCall"] as? [String: Any] {
                    out.append(.toolCall(J.string(fc["name"]) ?? "tool"))
                } else if let fr = part["functionResponse"] as? [String: Any] {
                    out.append(.toolResult(J.string(fr["name"]) ?? "tool"))
                } else if let t = part["text"] as? String, role != "user", (part["thought"] as? Bool) != true {
                    out.append(contentsOf: textEvent(t, partial: partial))
                }
            }
            return out
        }
        if let t = o["content"] as? String { return textEvent(t, partial: partial) }
        return []
    }

    private static func textEvent(_ t: String, partial: Bool) -> [SSEEvent] {
        let trimmed = t.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        if partial { return [.partialText(t)] }
        if trimmed.hasPrefix("Error:") {
            return [.error(String(trimmed.dropFirst("Error:".count)).trimmingCharacters(in: .whitespaces))]
        }
        return [.text(trimmed)]
    }
}
