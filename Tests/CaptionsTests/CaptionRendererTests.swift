import XCTest
@testable import Captions

/// libass renders the TikTok look inside the safe zone, once per change.
final class CaptionRendererTests: XCTestCase {
    func renderer(_ cues: [Cue], titles: [TitleText] = [], style: CaptionStyle = .tiktok) throws -> CaptionRenderer {
        try CaptionRenderer(script: CaptionScript(cues: cues, titles: titles, style: style), width: 1080, height: 1920)
    }

    func testTextOnlyWhileACueShows() throws {
        let r = try renderer([Cue(start: 1, end: 2, text: "Hello")])
        XCTAssertNil(r.overlay(atSeconds: 0.5))
        XCTAssertNotNil(r.overlay(atSeconds: 1.5))
        XCTAssertNil(r.overlay(atSeconds: 2.5))
    }

    func testRendersOncePerChange() throws {
        let r = try renderer([Cue(start: 1, end: 2, text: "Hello"), Cue(start: 3, end: 4, text: "Again")])
        var t = 0.0
        while t < 5 { _ = r.overlay(atSeconds: t); t += 1 / 30.0 }
        XCTAssertEqual(r.overlaysBuilt, 2, "one overlay per cue, not one per frame")
    }

    func testEveryStyleKeepsALongCueInTheSafeZoneOnTwoLines() throws {
        let long = "This caption is far too long to fit on a single line of a phone screen, so it must wrap somewhere sensible"
        for style in CaptionStyle.allCases {
            let r = try renderer([Cue(start: 0, end: 1, text: long)], style: style)
            let box = try XCTUnwrap(r.overlay(atSeconds: 0.5)?.inkBounds(), "\(style)")
            let zone = SafeZone.tiktok
            XCTAssert(box.minX >= zone.left && box.maxX <= zone.right && box.minY >= zone.top && box.maxY <= zone.bottom, "\(style): \(box)")
            // Two lines of a ~40–66 px font with outline: well under three lines' height.
            XCTAssertLessThan(box.maxY - box.minY, 3 * style.fontSize, "\(style): \(box)")
            XCTAssertGreaterThan(box.maxY - box.minY, style.fontSize, "\(style): the long cue wraps: \(box)")
        }
    }

    func testTitleAtTheTopOfTheSafeZone() throws {
        let r = try renderer([], titles: [TitleText(text: "Summer Trip", start: 0, end: 3)])
        let box = try XCTUnwrap(r.overlay(atSeconds: 1)?.inkBounds())
        XCTAssert(box.minY >= SafeZone.tiktok.top && box.maxY < 960, "\(box)")
        XCTAssertNil(r.overlay(atSeconds: 3.5))
    }

    func testCJKArabicAndEmojiRender() throws {
        // A missing glyph is drawn as the same empty box whatever the character: two different
        // characters of each script must not leave the same ink.
        for (a, b) in [("你", "好"), ("こ", "ん"), ("안", "녕"), ("م", "ح"), ("🎉", "🔥")] {
            let ink = try [a, b].map { text -> [UInt8] in
                let r = try renderer([Cue(start: 0, end: 1, text: text)])
                let o = try XCTUnwrap(r.overlay(atSeconds: 0.5), text)
                XCTAssertGreaterThan(try XCTUnwrap(o.inkBounds(minAlpha: 200)).maxX - o.inkBounds(minAlpha: 200)!.minX, 20, text)
                return o.alpha
            }
            XCTAssertNotEqual(ink[0], ink[1], "\(a) and \(b) render alike: a missing glyph (no font for it)")
        }
    }

    func testAuthorScriptKeepsToTheSafeZoneWhereUnplaced() throws {
        let ass = """
        [Script Info]
        ScriptType: v4.00+
        PlayResX: 1920
        PlayResY: 1080

        [V4+ Styles]
        Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
        Style: Default,Noto Sans,90,&H0000FFFF,&H0000FFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,3,0,1,0,0,0,1

        [Events]
        Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
        Dialogue: 0,0:00:00.00,0:00:02.00,Default,,0,0,0,,Bottom left with no margins at all
        """
        let r = try CaptionRenderer(script: CaptionScript(authorScript: ass), width: 1080, height: 1920)
        let box = try XCTUnwrap(r.overlay(atSeconds: 1)?.inkBounds())
        XCTAssert(box.minX >= 40 && box.maxX <= 960 && box.maxY <= 1620, "\(box)")
    }
}
