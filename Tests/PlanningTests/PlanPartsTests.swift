import Foundation
import XCTest
import MediaProbe
@testable import Planning

/// The plan's new fields as `--plan`, `--json` and the engine read them, and the reading
/// pieces under the table (tokens, number words, trims).
final class PlanPartsTests: XCTestCase {
    private func plan(_ prompt: String?, _ inputs: [ProbeReport] = [Fx.video()], _ flags: PlanFlags = PlanFlags()) throws -> Plan {
        try Planner.plan(Request(inputs: inputs, prompt: prompt, flags: flags))
    }

    // MARK: --plan and --json

    func testExplainListsEveryPartAndTheEdits() throws {
        let text = try plan("speed it up 2x, xyzzy, don't add music").explain()
        XCTAssertTrue(text.contains("Edits: speed 2× (audio pitch kept)"), text)
        XCTAssertTrue(text.contains("Request:\n  - 'speed it up 2x' → speed 2× — done locally: speed 2× (audio pitch kept)\n"), text)
        XCTAssertTrue(text.contains("  - 'xyzzy' → not understood — NOT DONE: not understood: no word tikconv knows"), text)
        XCTAssertTrue(text.contains("  - 'don't add music' → not: background music — nothing to do: asked not to"), text)
        let cloud = try plan("add a title card saying Hello").explain()
        XCTAssertTrue(cloud.contains("  - 'title card saying Hello' → titles and text — cloud: needs the cloud agent (titles and text)"), cloud)
    }

    func testJSONCarriesPartsAndEditsFlatAndRoundTrips() throws {
        let p = try plan("first 20 seconds, muted, vertical, speed 10x")
        let json = try p.jsonString()
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let parts = try XCTUnwrap(obj["parts"] as? [[String: String]])
        XCTAssertEqual(parts.map { $0["phrase"] }, ["first 20 seconds", "muted", "vertical", "speed 10x"])
        XCTAssertEqual(parts.map { $0["disposition"] }, ["local", "local", "local", "refused"])
        XCTAssertEqual(parts[3]["meaning"], "speed 10×")
        XCTAssertEqual(parts[3]["detail"], "speed 10× is outside the local range 0.25×–4×")
        let edits = try XCTUnwrap(obj["edits"] as? [String: Any])
        XCTAssertEqual(edits["mute"] as? Bool, true)
        XCTAssertNil(edits["speed"], "a refused speed is not an edit")
        XCTAssertEqual(try JSONDecoder().decode(Plan.self, from: Data(json.utf8)), p)
    }

    func testOlderJSONStillDecodes() throws {
        let old = try JSONDecoder().decode(Plan.self, from: Data(#"{"route":"local","localPlan":"tiktok","steps":[],"reasons":[]}"#.utf8))
        XCTAssertEqual(old.parts, [])
        XCTAssertNil(old.edits)
        XCTAssertEqual(old.localEdits, LocalEdits())
        let edits = try JSONDecoder().decode(LocalEdits.self, from: Data(#"{"speed":2}"#.utf8))
        XCTAssertEqual(edits, LocalEdits(speed: 2))
        let part = try JSONDecoder().decode(RequestPart.self, from: Data(#"{"phrase":"mute","disposition":"local"}"#.utf8))
        XCTAssertEqual(part.disposition, .local(step: ""))
    }

    func testNotDoneLinesForTheSummaryAfterARun() throws {
        let p = try plan("2x speed and slow motion, hazlo")
        XCTAssertEqual(p.notDone, [
            "not done: 'slow motion' (speed 0.5×): conflicts with '2x speed' (speed 2×), said first",
            "not done: 'hazlo' (not understood): not understood: no word tikconv knows",
        ])
        XCTAssertEqual(try plan("mute").notDone, [])
    }

    func testNoPromptReasonOnlyWithoutAPrompt() throws {
        XCTAssertTrue(try plan(nil).reasons.contains { $0.contains("no prompt") })
        for prompt in ["please", "make it", "speed it up 2x", "hazlo vertical", "don't mute"] {
            XCTAssertFalse(try plan(prompt).reasons.contains { $0.contains("no prompt") }, prompt)
        }
    }

    func testCloudPlansCarryTheWholeInstruction() throws {
        let p = try plan("speed it up 2x and add a title card saying Hello")
        XCTAssertEqual(p.cloudInstruction, "speed it up 2x and add a title card saying Hello")
        XCTAssertEqual(p.parts.map(\.disposition.kind), ["cloud", "cloud"])
        XCTAssertEqual(p.parts[0].disposition, .cloud(reason: "sent to the agent with the rest of the instruction"))
    }

    func testTypoIsNamedInTheMeaning() throws {
        XCTAssertEqual(try plan("vertcal").parts.first?.meaning, "vertical 9:16 (read 'vertcal' as 'vertical')")
    }

    // MARK: The mp4 plan's stream actions with edits

    func testMP4ActionsWithEdits() {
        let video = Fx.videoStream(), audio = Fx.audioStream(), subs = Fx.stream(.subtitle, "subrip", index: 2)
        XCTAssertEqual(MP4Compatibility.action(for: video, edits: LocalEdits()), .copy)
        XCTAssertEqual(MP4Compatibility.action(for: video, edits: LocalEdits(mute: true)), .copy)
        XCTAssertEqual(MP4Compatibility.action(for: audio, edits: LocalEdits(mute: true)), .drop(why: "muted"))
        XCTAssertEqual(MP4Compatibility.action(for: video, edits: LocalEdits(grayscale: true)), .reencode(to: "h264", why: "black and white"))
        XCTAssertEqual(MP4Compatibility.action(for: audio, edits: LocalEdits(volumeDB: -3)), .reencode(to: "aac", why: "volume -3 dB"))
        XCTAssertEqual(MP4Compatibility.action(for: audio, edits: LocalEdits(grayscale: true)), .copy)
        XCTAssertEqual(MP4Compatibility.action(for: subs, edits: LocalEdits(speed: 2)),
                       .drop(why: "subtitles are not retimed for a speed change"))
        XCTAssertEqual(MP4Compatibility.action(for: Fx.videoStream(codec: "mpeg4"), edits: LocalEdits(fadeIn: 1)),
                       .reencode(to: "h264", why: "plays poorly in MP4; fade in 1 s"))
    }

    // MARK: Reading pieces

    func testTokens() {
        func kinds(_ s: String) -> [String] {
            Tokenizer.tokenize(Array(s).map(PromptText.fold)).map { "\($0.kind):\($0.text)" }
        }
        XCTAssertEqual(kinds("2x"), ["number:2", "word:x"])
        XCTAssertEqual(kinds("x2"), ["word:x", "number:2"])
        XCTAssertEqual(kinds("1.5×"), ["number:1.5", "word:x"])
        XCTAssertEqual(kinds("-3dB"), ["number:-3", "word:db"])
        XCTAssertEqual(kinds("mp4 1080x1920"), ["word:mp4", "word:1080x1920"])
        XCTAssertEqual(kinds("don't"), ["word:dont"])
        XCTAssertEqual(kinds("IMG_2034.MOV"), ["fileName:img_2034.mov"])
        XCTAssertEqual(kinds("0:05-0:20"), ["number:0", "symbol::", "number:05", "number:0", "symbol::", "number:20"])
        XCTAssertEqual(kinds("两倍，"), ["cjk:两", "cjk:倍", "separator:,"])
        XCTAssertEqual(kinds("５０％"), ["number:50", "symbol:%"])
    }

    func testNumberWordsBeforeAUnitOnly() {
        XCTAssertEqual(PromptText("three times faster").text, "3 times faster")
        XCTAssertEqual(PromptText("first twenty-five seconds").text, "first 25 seconds")
        XCTAssertEqual(PromptText("this one is nice").text, "this one is nice")
        XCTAssertEqual(PromptText("两倍速").text, "2倍速")
        XCTAssertEqual(PromptText("前十五秒").text, "前15秒")
        XCTAssertEqual(PromptText("零点五倍").text, "0.5倍")
        XCTAssertEqual(PromptText("剪辑一下").text, "剪辑一下", "一 before 下 is not a number")
        XCTAssertEqual(PromptText("十分好").text, "十分好", "十分 (very) is not ten minutes")
        let t = PromptText("First TEN seconds")
        XCTAssertEqual(t.originalText(6..<16), "TEN seconds", "parts quote what was typed")
    }

    func testTrimParserRemovalPhrases() {
        XCTAssertEqual(TrimParser.parse("cut the first 3 seconds")?.start, 3)
        XCTAssertNil(TrimParser.parse("cut the first 3 seconds")?.duration)
        XCTAssertEqual(TrimParser.parse("remove the last 5 s")?.dropLastSeconds, 5)
        XCTAssertEqual(TrimParser.parse("去掉前5秒")?.start, 5)
        XCTAssertEqual(TrimParser.parse("去掉最后5秒")?.dropLastSeconds, 5)
        XCTAssertEqual(TrimParser.parse("skip the first 5 seconds")?.start, 5)
        XCTAssertEqual(TrimParser.parse("keep the first 5 seconds")?.duration, 5)
    }

    func testCutTheLastSecondsNeedsTheLength() throws {
        let p = try plan("cut the last 5 seconds")
        XCTAssertEqual(p.start, nil)
        XCTAssertEqual(p.duration, 55)
        XCTAssertThrowsError(try plan("cut the last 90 seconds"))
        var unknown = Fx.video()
        unknown.duration = nil
        XCTAssertEqual(try plan("cut the last 5 seconds", [unknown]).route, .cloud, "unknown length: the agent decides")
    }

    func testHugeNumbersAreRefusedNotEncodedAsInfinity() throws {
        let huge = String(repeating: "9", count: 400)
        XCTAssertThrowsError(try plan("first \(huge) seconds"))
        let p = try plan("speed \(huge)x")
        XCTAssertEqual(p.parts.first?.disposition.kind, "refused")
        XCTAssertNoThrow(try p.jsonData())
    }
}
