import CloudSession
import XCTest

final class SSEParserTests: XCTestCase {
    private func parse(_ text: String) -> [SSEEvent] {
        var p = SSEParser()
        var out: [SSEEvent] = []
        for line in text.components(separatedBy: "\n") { out += p.feed(line) }
        return out + p.finish()
    }

    func testADKEvents() {
        let s = """
        data: {"content":{"role":"model","parts":[{"functionCall":{"id":"1","name":"add_captions","args":{}}}]},"author":"nemo_agent","partial":false}

        data: {"content":{"role":"user","parts":[{"functionResponse":{"id":"1","name":"add_captions","response":{}}}]}}

        data: {"content":{"role":"model","parts":[{"text":"Do"}]},"partial":true}

        data: {"content":{"role":"model","parts":[{"text":"Done!"}]},"partial":false,"invocationId":"e-1","timestamp":1795313312.0,"actions":{"stateDelta":{}}}

        """
        XCTAssertEqual(parse(s), [.toolCall("add_captions"), .toolResult("add_captions"), .partialText("Do"), .text("Done!")])
    }

    func testTypedEventsKeepAlivesAndGarbage() {
        let s = """
        : ping
        data:

        data: {"type":"tool_call","name":"gen","args":{"a":1}}

        data: {"type":"tool_result","name":"gen","result":{}}
        data: {"type":"heartbeat"}

        data: {not json

        event: message
        id: 7
        data: {"type":"text","content":"Here you go"}

        data: {"type":"unknown_kind"}

        """
        XCTAssertEqual(parse(s), [.keepAlive, .keepAlive, .toolCall("gen"), .toolResult("gen"), .heartbeat, .text("Here you go")])
    }

    func testErrorsInTheStream() {
        XCTAssertEqual(parse("data: {\"error\":\"quota\"}\n\n"), [.error("quota")])
        XCTAssertEqual(parse("data: {\"type\":\"text\",\"content\":\"Error: render crashed\"}\n\n"), [.error("render crashed")])
        XCTAssertEqual(parse("data: {\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Error: nope\"}]}}\n\n"), [.error("nope")])
    }

    func testMultiLineDataAndLastEventWithoutBlankLine() {
        XCTAssertEqual(parse("data: {\"type\":\"text\",\ndata: \"content\":\"a\"}\n\n"), [.text("a")])
        XCTAssertEqual(parse("data: {\"type\":\"text\",\"content\":\"end\"}"), [.text("end")])
    }

    func testUserEchoIsNotAssistantText() {
        XCTAssertEqual(parse("data: {\"content\":{\"role\":\"user\",\"parts\":[{\"text\":\"my prompt\"}]}}\n\n"), [])
    }

    func testTimelineSummaryForms() {
        XCTAssertEqual(Timeline.summary([:]), "Timeline (0 tracks): empty")
        let draft: [String: Any] = ["t": [
            ["tt": 0, "sg": [["d": 4000, "m": [:]], ["d": 2500]]],
            ["tt": 1, "sg": [["d": 6500, "m": ["name": "Song", "volume": 80]]]],
        ]]
        XCTAssertEqual(Timeline.summary(draft), "Timeline (2 tracks): 1. Video: 2 clips (0-6.5s) 2. BGM: Song (0-6.5s, 80%)")
        XCTAssertTrue(Timeline.isReady(draft))
        XCTAssertFalse(Timeline.isReady(["t": [["tt": 0, "sg": []]]]))
    }
}
