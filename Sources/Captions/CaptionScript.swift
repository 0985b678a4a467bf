import Foundation

/// Where TikTok's own buttons and description leave the picture free, on 1080x1920.
public struct SafeZone: Sendable, Equatable {
    public var left: Int, right: Int, top: Int, bottom: Int
    public static let tiktok = SafeZone(left: 40, right: 960, top: 150, bottom: 1620)
}

/// One caption: shown from `start` to `end` (seconds on the subtitle's clock), its text in ASS
/// markup (`\N` line breaks, `{\i1}` style overrides).
public struct Cue: Equatable, Sendable {
    public var start: Double
    public var end: Double
    public var text: String
    public init(start: Double, end: Double, text: String) { self.start = start; self.end = end; self.text = text }
}

/// A title typed by the user: shown over `start ..< end` of the output (seconds).
public struct TitleText: Equatable, Sendable {
    public var text: String
    public var start: Double
    public var end: Double
    public init(text: String, start: Double, end: Double) { self.text = text; self.start = start; self.end = end }
}

/// The named looks `--caption-style` offers. All keep to the safe zone, at most two lines.
public enum CaptionStyle: String, CaseIterable, Sendable {
    /// Bold white with a dark outline: TikTok's own caption look.
    case tiktok
    /// White on a dark box.
    case boxed
    /// Bold yellow with a dark outline.
    case yellow
    /// Smaller, lighter text with a thin outline.
    case minimal

    /// Font size in pixels at 1080 wide.
    var fontSize: Int { self == .minimal ? 52 : 66 }

    /// An ASS style line (colours &HAABBGGRR, AA = transparency).
    func styleLine(name: String, fontSize: Int, alignment: Int, marginV: Int, zone: SafeZone, width: Int) -> String {
        let primary = self == .yellow ? "&H0000E6FF" : "&H00FFFFFF"
        let bold = self == .minimal ? 0 : -1
        let (border, outline, shadow, outlineColour, back) = switch self {
        case .boxed: (3, 14, 0, "&H60000000", "&H60000000")
        case .minimal: (1, 3, 1, "&H00202020", "&H80000000")
        default: (1, 6, 2, "&H00101010", "&H80000000")
        }
        return "Style: \(name),Noto Sans,\(fontSize),\(primary),\(primary),\(outlineColour),\(back),\(bold),0,0,0,100,100,0,0,"
            + "\(border),\(outline),\(shadow),\(alignment),\(zone.left + outline),\(width - zone.right + outline),\(marginV + outline + shadow),1"
    }
}

/// A whole ASS script for libass: built from cues and titles in a named style, or an author's
/// own `.ass`/`.ssa` file, kept as written.
public struct CaptionScript: Sendable {
    public let text: String
    /// The author's own script: its styles are kept, only unplaced text is held in the safe zone.
    public let keepsAuthorStyles: Bool

    public init(authorScript: String) { text = authorScript; keepsAuthorStyles = true }

    /// Cues at the bottom of the safe zone, titles at its top, in `style`, for a `width` x `height` picture.
    public init(cues: [Cue], titles: [TitleText] = [], style: CaptionStyle = .tiktok, width: Int = 1080, height: Int = 1920,
                zone: SafeZone = .tiktok) {
        let fontSize = style.fontSize
        let pad = 12
        var lines = [
            "[Script Info]", "ScriptType: v4.00+", "PlayResX: \(width)", "PlayResY: \(height)", "WrapStyle: 0",
            "ScaledBorderAndShadow: yes", "", "[V4+ Styles]",
            "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
            style.styleLine(name: "Caption", fontSize: fontSize, alignment: 2, marginV: height - zone.bottom + pad, zone: zone, width: width),
            style.styleLine(name: "Title", fontSize: fontSize * 5 / 4, alignment: 8, marginV: zone.top + 150, zone: zone, width: width),
            "", "[Events]", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        ]
        let textWidth = Double(zone.right - zone.left - 2 * pad)
        for c in cues where c.end > c.start {
            lines.append(Self.event(c.start, c.end, "Caption", Self.fitTwoLines(c.text, fontSize: fontSize, width: textWidth)))
        }
        for t in titles where t.end > t.start {
            let size = fontSize * 5 / 4
            lines.append(Self.event(t.start, t.end, "Title", Self.fitTwoLines(Self.escape(t.text), fontSize: size, width: textWidth)))
        }
        text = lines.joined(separator: "\n") + "\n"
        keepsAuthorStyles = false
    }

    static func event(_ start: Double, _ end: Double, _ style: String, _ text: String) -> String {
        "Dialogue: 0,\(time(start)),\(time(end)),\(style),,0,0,0,,\(text)"
    }

    /// ASS time H:MM:SS.cc; centiseconds are ASS's resolution, rounded so that a cue never starts late.
    static func time(_ s: Double) -> String {
        let cs = Int((max(0, s) * 100).rounded(.down))
        return String(format: "%d:%02d:%02d.%02d", cs / 360_000, cs / 6000 % 60, cs / 100 % 60, cs % 100)
    }

    /// Typed text as ASS text: braces would start override blocks, backslashes escapes.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\u{29F5}").replacingOccurrences(of: "{", with: "(").replacingOccurrences(of: "}", with: ")")
            .replacingOccurrences(of: "\r\n", with: "\\N").replacingOccurrences(of: "\n", with: "\\N")
    }

    /// A cue too long for two lines at the style's size gets a smaller size (down to 60%), so it
    /// still fits in two; the widths are estimates (CJK a full em, Latin about 0.5 em bold).
    static func fitTwoLines(_ text: String, fontSize: Int, width: Double) -> String {
        let plain = text.replacingOccurrences(of: #"\{[^}]*\}"#, with: "", options: .regularExpression)
        let paragraphs = plain.components(separatedBy: "\\N")
        let ems = paragraphs.map { p in p.unicodeScalars.reduce(0.0) { $0 + emWidth($1) } }
        let perLine = width / Double(fontSize)
        // Lines needed at full size: each paragraph wraps on its own.
        let lines = ems.reduce(0) { $0 + max(1, Int(ceil($1 / perLine))) }
        guard lines > 2 else { return text }
        let needed = ems.count >= 2 ? (ems.max() ?? 0) : (ems.first ?? 0) / 1.8
        let size = max(Double(fontSize) * 0.6, min(Double(fontSize), width / max(needed, 1) ))
        return "{\\fs\(Int(size))}" + text
    }

    static func emWidth(_ u: Unicode.Scalar) -> Double {
        switch u.value {
        case 0x1100...0x11FF, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0x1F300...0x1FAFF: return 1.0
        case 0x20: return 0.26
        default: return u.properties.isUppercase ? 0.68 : 0.5
        }
    }
}
