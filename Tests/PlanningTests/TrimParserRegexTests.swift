import XCTest
@testable import Planning

/// TrimParser compiles its patterns once (corelibs' NSRegularExpression leaks its compiled form;
/// compiling per call leaked on every plan — found by prompt-fuzz under LeakSanitizer).
final class TrimParserRegexTests: XCTestCase {
    func testEveryPatternCompilesAndParsingIsRepeatable() {
        XCTAssertEqual(TrimParser.compiled.count, TrimParser.patterns.count)
        let first = TrimParser.parse("trim from 0:05 to 0:20")
        for _ in 0..<50 { XCTAssertEqual(TrimParser.parse("trim from 0:05 to 0:20")?.duration, first?.duration) }
        XCTAssertEqual(first?.start, 5)
        XCTAssertEqual(first?.duration, 15)
    }
}
