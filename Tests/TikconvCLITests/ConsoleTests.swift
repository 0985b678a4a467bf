@testable import LocalEngine
@testable import TikconvCLI
import MediaProbe
import XCTest

final class ConsoleTests: XCTestCase {
    /// https://no-color.org: any non-empty NO_COLOR turns colour off; so do pipes and TERM=dumb.
    func testColourOnlyOnATerminalThatWantsIt() {
        XCTAssertTrue(Console.wantsColor(environment: ["TERM": "xterm-256color"], isTerminal: true))
        XCTAssertTrue(Console.wantsColor(environment: ["NO_COLOR": ""], isTerminal: true), "an empty NO_COLOR is ignored")
        XCTAssertFalse(Console.wantsColor(environment: ["NO_COLOR": "1"], isTerminal: true))
        XCTAssertFalse(Console.wantsColor(environment: ["TERM": "dumb"], isTerminal: true))
        XCTAssertFalse(Console.wantsColor(environment: [:], isTerminal: false))
        let plain = Console(quiet: false, environment: ["NO_COLOR": "1"], stderrIsTerminal: true)
        XCTAssertEqual(plain.paint("x", .error), "x")
        let coloured = Console(quiet: false, environment: [:], stderrIsTerminal: true)
        XCTAssertEqual(coloured.paint("x", .error), "\u{1B}[31mx\u{1B}[0m")
    }

    /// A remux that re-encoded one stream is not summarised as "copied".
    func testSummaryNamesReencodedStreams() {
        func outcome(_ i: Int, _ type: StreamType, _ action: StreamOutcome.Action) -> StreamOutcome {
            StreamOutcome(index: i, type: type, codec: "x", action: action, outputCodec: nil, reason: "")
        }
        XCTAssertEqual(ConvertRunner.streamsDone([outcome(0, .video, .copied), outcome(1, .audio, .copied)]), "copied")
        XCTAssertEqual(ConvertRunner.streamsDone([outcome(0, .video, .copied), outcome(1, .audio, .reencoded)]),
                       "video copied, audio re-encoded")
        XCTAssertEqual(ConvertRunner.streamsDone([outcome(0, .video, .copied), outcome(1, .audio, .copied), outcome(2, .subtitle, .reencoded),
                                                  outcome(3, .data, .dropped)]),
                       "video and audio copied, subtitle re-encoded")
    }

    func testMessagesNeverNestParentheses() {
        XCTAssertEqual(withoutNestedParentheses("a.jpg looks like JPEG but is corrupt (open failed (Invalid data (code 3))): re-export it"),
                       "a.jpg looks like JPEG but is corrupt (open failed [Invalid data [code 3]]): re-export it")
        XCTAssertEqual(withoutNestedParentheses("one (level) and (another) stay"), "one (level) and (another) stay")
        XCTAssertEqual(withoutNestedParentheses("a stray ) is left alone ("), "a stray ) is left alone (")
    }
}
