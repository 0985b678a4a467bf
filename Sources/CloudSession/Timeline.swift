import Foundation

/// Reads the draft (timeline) JSON defensively: only `t`, `tt`, `sg`, `d`, `m` are public.
public enum Timeline {
    /// Ready for export: at least one track with segments.
    public static func isReady(_ draft: [String: Any]?) -> Bool {
        guard let draft else { return false }
        return J.array(draft["t"]).contains { !J.array($0["sg"]).isEmpty }
    }

    /// The protocol's one-line form:
    /// `Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)`
    public static func summary(_ draft: [String: Any]?) -> String {
        let tracks = J.array(draft?["t"])
        if tracks.isEmpty { return "Timeline (0 tracks): empty" }
        let items = tracks.enumerated().map { "\($0.offset + 1). \(describe($0.element))" }
        return "Timeline (\(tracks.count) track\(tracks.count == 1 ? "" : "s")): " + items.joined(separator: " ")
    }

    static func describe(_ track: [String: Any]) -> String {
        let type = J.int(track["tt"])
        let segments = J.array(track["sg"])
        let label: String
        switch type {
        case 0: label = "Video"
        case 1: label = "BGM"
        case 7: label = "Title"
        default: label = "Track"
        }
        // Times: a start field when present (ms), else segments laid end to end.
        var cursor = 0.0, start: Double?, end = 0.0
        for s in segments {
            let st = J.double(s["st"]) ?? J.double(s["s"]) ?? J.double(s["start"]) ?? cursor
            let d = J.double(s["d"]) ?? J.double(s["duration"]) ?? 0
            start = min(start ?? st, st)
            end = max(end, st + d)
            cursor = st + d
        }
        let meta = J.dict(segments.first?["m"]) ?? [:]
        let name = J.string(meta["name"]) ?? J.string(meta["title"]) ?? J.string(meta["text"])
        var head = label
        if let name, !name.isEmpty {
            head += ": " + (type == 7 ? "\"\(name)\"" : name)
            if segments.count > 1 { head += " +\(segments.count - 1)" }
        } else if segments.count > 1 {
            head += ": \(segments.count) clips"
        }
        var details: [String] = []
        if !segments.isEmpty { details.append("\(seconds(start ?? 0))-\(seconds(end))s") }
        if type == 1, let v = J.double(meta["volume"]) ?? J.double(meta["v"]) {
            details.append("\(Int((v <= 1 ? v * 100 : v).rounded()))%")
        }
        return details.isEmpty ? head : "\(head) (\(details.joined(separator: ", ")))"
    }

    static func seconds(_ ms: Double) -> String {
        let s = ms / 1000
        if s == s.rounded() { return String(Int(s)) }
        return String(format: "%.1f", s)
    }
}
