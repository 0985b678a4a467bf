import XCTest
@testable import Planning
import MediaProbe

/// `--layout` and the prompt's layout phrases: smart reframing's shots of two people.
final class LayoutPlanningTests: XCTestCase {
    private func plan(_ inputs: [ProbeReport], _ prompt: String? = nil, layout: LayoutMode? = nil, fit: FitMode? = nil) throws -> Plan {
        var flags = Fx.flags(fit: fit)
        flags.layout = layout
        return try Planner.plan(Request(inputs: inputs, prompt: prompt, flags: flags))
    }

    func testTheFlagIsPassedOnWithItsReason() throws {
        let p = try plan([Fx.video()], layout: .split)
        XCTAssertEqual(p.fit, .smart)
        XCTAssertEqual(p.layout, .split)
        XCTAssertTrue(p.reasons.contains { $0.hasPrefix("--layout split") }, "\(p.reasons)")
        XCTAssertNil(try plan([Fx.video()]).layout, "auto unless asked")
    }

    func testPromptPhrasesAskForSmartReframingAndTheirLayout() throws {
        for (prompt, layout) in [("make it vertical with a split screen", LayoutMode.split), ("show both people", .split),
                                 ("follow the speaker", .speaker), ("follow whoever is talking", .speaker), ("竖屏，上下分屏", .split)] {
            let p = try plan([Fx.video()], prompt)
            XCTAssertEqual(p.route, .local, prompt)
            XCTAssertEqual(p.fit, .smart, prompt)
            XCTAssertEqual(p.layout, layout, prompt)
        }
    }

    func testTheFlagWinsOverThePrompt() throws {
        XCTAssertEqual(try plan([Fx.video()], "split screen", layout: .speaker).layout, .speaker)
    }

    func testALayoutWithoutSmartReframingIsIgnoredAndSaysSo() throws {
        let portrait = try plan([Fx.video(w: 1080, h: 1920)], layout: .split)
        XCTAssertEqual(portrait.fit, .blur)
        XCTAssertNil(portrait.layout)
        XCTAssertTrue(portrait.reasons.contains { $0.contains("--layout split is ignored") }, "\(portrait.reasons)")
    }

    func testThePlanJSONKeepsTheLayout() throws {
        let p = try plan([Fx.video()], layout: .speaker)
        XCTAssertEqual(try JSONDecoder().decode(Plan.self, from: try JSONEncoder().encode(p)).layout, .speaker)
    }
}
