import MediaProbe
import XCTest
@testable import Planning

/// Words become text locally when the text is given; captions from speech stay on the cloud.
final class CaptionPlanningTests: XCTestCase {
    func plan(_ prompt: String?, captions: String? = nil, local: Bool = false, to: LocalPlan? = nil) throws -> Plan {
        var flags = Fx.flags(local: local, to: to)
        flags.captions = captions
        return try Planner.plan(Request(inputs: [Fx.video()], prompt: prompt, flags: flags))
    }

    func testTitleForTheFirstSecondsIsLocalAndNotATrim() throws {
        let p = try plan("add the title \"Summer Trip\" for the first 3 seconds")
        XCTAssertEqual(p.route, .local)
        XCTAssertEqual(p.titles, [TitleRequest(text: "Summer Trip", when: .start, seconds: 3)])
        XCTAssertNil(p.duration, "the title's time is not a trim")
        XCTAssert(p.steps.contains("burn in the title \"Summer Trip\" for the first 3 s"), "\(p.steps)")
        XCTAssert(p.parts.contains { $0.disposition.kind == "local" && $0.phrase.contains("Summer Trip") }, "\(p.parts)")
    }

    func testWriteAtTheEnd() throws {
        let p = try plan("write \"link in bio\" at the end", local: true)
        XCTAssertEqual(p.titles, [TitleRequest(text: "link in bio", when: .end)])
        XCTAssertEqual(p.titles[0].range(outputLength: 20).start, 17, accuracy: 1e-9)
    }

    func testTitleBesideOtherEditsAndATrim() throws {
        let p = try plan("first 10 seconds, add a title saying “Day One” and make it black and white")
        XCTAssertEqual(p.route, .local)
        XCTAssertEqual(p.duration, 10)
        XCTAssertEqual(p.titles.map(\.text), ["Day One"])
        XCTAssertEqual(p.edits?.grayscale, true)
    }

    func testChineseTitle() throws {
        let p = try plan("加标题“夏日旅行”前3秒")
        XCTAssertEqual(p.route, .local)
        XCTAssertEqual(p.titles, [TitleRequest(text: "夏日旅行", when: .start, seconds: 3)])
    }

    func testAddCaptionsWithNoTextNeedsTheCloud() throws {
        let p = try plan("add captions")
        XCTAssertEqual(p.route, .cloud)
        XCTAssert(p.reasons.joined().contains("speech to text"), "\(p.reasons)")
        XCTAssertThrowsError(try plan("add captions", local: true)) { e in
            XCTAssert((e as? PlanningError)?.isNeedsCloud == true, "\(e)")
        }
    }

    func testAddCaptionsWithACaptionFileIsLocal() throws {
        let p = try plan("add captions", captions: "talk.srt", local: true)
        XCTAssertEqual(p.route, .local)
        XCTAssertEqual(p.captions, "talk.srt")
        XCTAssert(p.steps.contains { $0.hasPrefix("burn in captions from talk.srt") }, "\(p.steps)")
        XCTAssert(p.reasons.contains { $0.contains("nothing uploaded") }, "\(p.reasons)")
    }

    func testCaptionFileOnTheCloudRouteIsSaidNotSent() throws {
        let p = try plan("add captions and background music", captions: "talk.srt")
        XCTAssertEqual(p.route, .cloud)
        XCTAssert(p.reasons.contains { $0.hasPrefix("--captions talk.srt is not sent") }, "\(p.reasons)")
    }

    func testCaptionFileWithTheMP4PlanIsASoftTrack() throws {
        let p = try plan(nil, captions: "talk.srt", to: .mp4)
        XCTAssert(p.steps.contains("add captions from talk.srt as a soft mov_text track"), "\(p.steps)")
    }

    func testQuotedWordsWithoutATitleVerbAreNotATitle() throws {
        let p = try plan("make it \"pop\" with music")
        XCTAssertTrue(p.titles.isEmpty)
        XCTAssertEqual(p.route, .cloud)
    }
}
