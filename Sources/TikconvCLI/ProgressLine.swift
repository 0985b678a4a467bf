import Foundation

/// How many terminal columns text takes: East Asian wide and fullwidth characters and emoji
/// take two, zero-width characters none, everything else one (per grapheme cluster, so a
/// letter with combining accents is one).
enum DisplayWidth {
    static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    static func of(_ c: Character) -> Int {
        guard let first = c.unicodeScalars.first else { return 0 }
        let v = first.value
        if v == 0x200B || (0x200C...0x200F).contains(v) || v == 0x2060 || v == 0xFEFF { return 0 }
        if c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) || first.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks of Unicode's EastAsianWidth.txt.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// `s` shortened in the middle with "…" to at most `width` columns, keeping the start and
    /// the end (where the extension is).
    static func truncateMiddle(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        if width <= 0 { return "" }
        if width == 1 { return "…" }
        let keep = width - 1
        let head = prefix(Array(s), width: (keep + 1) / 2)
        let tail = prefix(Array(s).reversed(), width: keep - of(String(head))).reversed()
        return String(head) + "…" + String(tail)
    }

    /// The longest run of leading characters that fits `width` columns.
    private static func prefix<S: Sequence>(_ chars: S, width: Int) -> [Character] where S.Element == Character {
        var out: [Character] = [], used = 0
        for c in chars {
            let w = of(c)
            if used + w > width { break }
            out.append(c); used += w
        }
        return out
    }
}

/// The one progress line drawn on a terminal, laid out to fit its width: the bar shrinks
/// first, then the file name (shortened in the middle), then the figures are left out.
struct ProgressLine {
    var label: String
    var fraction: Double?
    var framesPerSecond: Double
    var speed: Double
    var eta: String?

    /// The name is worth more than a long bar: it keeps up to `preferredLabel` columns before
    /// the bar shrinks below full width, and at least `shortestLabel` before the bar goes.
    static let fullBar = 24, shortestBar = 8, preferredLabel = 24, shortestLabel = 12

    /// The line for a terminal `columns` wide. It stays out of the last column, where some
    /// terminals wrap at once.
    func render(columns: Int) -> String {
        let budget = max(1, columns - 1)
        let name = String(label.map { $0.isASCII && ($0.asciiValue ?? 32) < 32 || $0 == "\u{7F}" ? "?" : $0 })
        let percent = String(format: "%3.0f%%", (fraction ?? 0) * 100)
        var figures = String(format: "%.0f fps %.2f×", framesPerSecond, speed)
        if let eta { figures += " ETA " + eta }
        let nameWidth = DisplayWidth.of(name)
        let nameNeeds = min(nameWidth, Self.shortestLabel)

        // Name, percent, bar, figures: the bar takes what the name leaves, up to its full width.
        let fixed = DisplayWidth.of(percent) + DisplayWidth.of(figures) + 3
        let barRoom = min(Self.fullBar, budget - fixed - min(nameWidth, Self.preferredLabel))
        if barRoom >= Self.shortestBar || budget - fixed - Self.shortestBar >= nameNeeds {
            return compose(name, [percent, bar(max(barRoom, Self.shortestBar)), figures], budget: budget)
        }
        for tail in [[percent, figures], [percent] + (eta.map { ["ETA " + $0] } ?? []), [percent]] {
            let tailWidth = tail.reduce(0) { $0 + DisplayWidth.of($1) + 1 }
            if budget - tailWidth >= nameNeeds { return compose(name, tail, budget: budget) }
        }
        return DisplayWidth.truncateMiddle(percent.trimmingCharacters(in: .whitespaces), to: budget)
    }

    private func compose(_ name: String, _ tail: [String], budget: Int) -> String {
        let tailText = tail.joined(separator: " ")
        let room = budget - DisplayWidth.of(tailText) - 1
        return DisplayWidth.truncateMiddle(name, to: room) + " " + tailText
    }

    private func bar(_ width: Int) -> String {
        let filled = min(width, Int(((fraction ?? 0) * Double(width)).rounded(.down)))
        return String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    }
}
