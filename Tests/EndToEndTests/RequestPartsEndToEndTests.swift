import Foundation
import XCTest

/// Request parts through the built binary: every part of a request is shown by `--plan` and
/// `--json`, what needs the agent fails under `--local` naming the words (exit 4), a prompt
/// that is not a request is a usage error (exit 2) with no output, and parts that were not
/// done are repeated after a run.
final class RequestPartsEndToEndTests: EndToEndTestCase {
    var clip: String { Self.testMedia("h264_aac_16x9.mp4") }

    func testTheIssuesFourCommandsSayWhatHappens() throws {
        let expected: [(String, [String])] = [
            ("speed it up 2x", ["Route: local (tiktok plan)", "'speed it up 2x' → speed 2× — done locally: speed 2× (audio pitch kept)"]),
            ("add a title card saying Hello", ["Route: cloud (skill video-converter-tiktok)", "'title card saying Hello' → titles and text — cloud"]),
            ("remove the background noise", ["Route: cloud (skill video-converter-tiktok)", "'background noise' → noise removal — cloud"]),
            ("make it black and white", ["Route: local (tiktok plan)", "'black and white' → black and white — done locally"]),
        ]
        for (prompt, lines) in expected {
            let r = try tikconv([clip, "-p", prompt, "--plan"])
            XCTAssertEqual(r.status, 0, "\(prompt): \(r.stderr)")
            for l in lines { XCTAssertTrue(r.stdout.contains(l), "\(prompt): no '\(l)' in\n\(r.stdout)") }
            XCTAssertFalse(r.stdout.contains("no prompt"), r.stdout)
        }
    }

    func testJSONPlanListsThePartsAndEdits() throws {
        let r = try tikconv([clip, "-p", "first 20 seconds, muted, vertical, xyzzy", "--plan", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let plan = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let parts = try XCTUnwrap(plan["parts"] as? [[String: String]])
        XCTAssertEqual(parts.map { $0["phrase"] }, ["first 20 seconds", "muted", "vertical", "xyzzy"])
        XCTAssertEqual(parts.map { $0["disposition"] }, ["local", "local", "local", "refused"])
        XCTAssertEqual((plan["edits"] as? [String: Any])?["mute"] as? Bool, true)
        XCTAssertEqual(plan["duration"] as? Double, 20)
    }

    func testLocalRefusesWhatOnlyTheAgentDoesNamingTheWords() throws {
        let title = try tikconv([clip, "--local", "-p", "add a title card saying Hello", "-o", outDir + "/"])
        XCTAssertEqual(title.status, 4, title.stderr)
        XCTAssertTrue(title.stderr.contains("'titles and text' needs the cloud route"), title.stderr)
        let unknown = try tikconv([clip, "--local", "-p", "make it vertical and jazz it up", "-o", outDir + "/"])
        XCTAssertEqual(unknown.status, 4, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("'jazz it up' needs the cloud route"), unknown.stderr)
        XCTAssertEqual(entries(outDir), [])
    }

    func testAPromptThatIsNotARequestIsAUsageError() throws {
        for (prompt, message) in [("asdfghjkl", "could not understand 'asdfghjkl'"), ("clip.mp4", "the prompt 'clip.mp4' is a file name")] {
            let r = try tikconv([clip, "-p", prompt, "-o", outDir + "/"])
            XCTAssertEqual(r.status, 2, "\(prompt): \(r.stderr)")
            XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            XCTAssertEqual(entries(outDir), [], "no output for \(prompt)")
        }
    }

    func testPartsNotDoneAreRepeatedAfterTheRun() throws {
        let r = try tikconv([clip, "-p", "vertical, speed 10x", "-o", outDir + "/", "--preset", "ultrafast", "--duration", "0.5",
                             "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderrLines.last, "tikconv: not done: 'speed 10x' (speed 10×): speed 10× is outside the local range 0.25×–4×",
                       r.stderr)
        XCTAssertEqual(entries(outDir), ["h264_aac_16x9.tiktok.mp4"])
    }
}
