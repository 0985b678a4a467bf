import Foundation
import XCTest
@testable import Reframing

final class ReframePathTests: XCTestCase {
    private let w = 1080.0 * 9 / 16

    private func sample() -> ReframePath {
        ReframePath(sourceWidth: 1920, sourceHeight: 1080, shots: [
            Shot(start: 0, end: 2, mode: .still, follows: "face", keyframes: [Keyframe(t: 0, x: 100, y: 0, w: w, h: 1080)]),
            Shot(start: 2, end: 5, mode: .pan, follows: "person", keyframes: [
                Keyframe(t: 2, x: 200, y: 0, w: w, h: 1080), Keyframe(t: 3, x: 400, y: 0, w: w, h: 1080),
                Keyframe(t: 4.5, x: 400, y: 0, w: w, h: 1080),
            ]),
            Shot(start: 5, end: 6.5, mode: .fill, follows: "nothing salient", keyframes: [Keyframe(t: 5, x: 0, y: 0, w: 1920, h: 1080)]),
        ])
    }

    func testJSONRoundTrips() throws {
        let path = sample()
        let data = try path.jsonData()
        XCTAssertEqual(try ReframePath.decode(data), path)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"mode\" : \"pan\""), text)
        XCTAssertTrue(text.contains("\"sourceWidth\" : 1920"), text)
    }

    func testWindowInterpolatesAndJumpsExactlyAtCuts() {
        let path = sample()
        XCTAssertEqual(path.window(at: 1.999).rect.x, 100)
        XCTAssertEqual(path.window(at: 1.999).mode, .still)
        XCTAssertEqual(path.window(at: 2).rect.x, 200, "a shot's first frame has the new window")
        XCTAssertEqual(path.window(at: 2.5).rect.x, 300, accuracy: 1e-9)
        XCTAssertEqual(path.window(at: 4.9).rect.x, 400, "held after the last keyframe")
        XCTAssertEqual(path.window(at: 5).mode, .fill)
        XCTAssertEqual(path.window(at: 5.5).rect, ReframeRect(x: 0, y: 0, w: 1920, h: 1080))
        XCTAssertEqual(path.window(at: -1).rect.x, 100, "before the first shot: the first one")
        XCTAssertEqual(path.window(at: 99).mode, .fill, "after the last shot: the last one")
    }

    func testValidPathPassesValidation() throws {
        XCTAssertEqual(try sample().validated(sourceWidth: 1920, sourceHeight: 1080), sample())
    }

    func testValidationRejectsBrokenPaths() {
        func expectRejected(_ change: (inout ReframePath) -> Void, mentioning words: String...) {
            var path = sample()
            change(&path)
            XCTAssertThrowsError(try path.validated(sourceWidth: 1920, sourceHeight: 1080)) { error in
                guard case ReframingError.invalidPath = error else { return XCTFail("\(error)") }
                for word in words { XCTAssertTrue(error.localizedDescription.contains(word), "\(error.localizedDescription) lacks \(word)") }
            }
        }
        expectRejected({ $0.version = 2 }, mentioning: "version 2")
        expectRejected({ $0.sourceWidth = 1280 }, mentioning: "1280x1080", "1920x1080")
        expectRejected({ $0.shots = [] }, mentioning: "no shots")
        expectRejected({ $0.shots[1].start = 2.5 }, mentioning: "shot 2", "contiguous")
        expectRejected({ $0.shots[1].end = 1 }, mentioning: "shot 2", "before end")
        expectRejected({ $0.shots[1].keyframes[1].t = 2 }, mentioning: "shot 2", "increase")
        expectRejected({ $0.shots[0].keyframes[0].t = 3 }, mentioning: "shot 1", "outside the shot")
        expectRejected({ $0.shots[1].keyframes[1].x = 1500 }, mentioning: "shot 2", "not inside")
        expectRejected({ $0.shots[0].keyframes[0].w = 700 }, mentioning: "shot 1", "9:16")
        expectRejected({ $0.shots[0].keyframes[0].h = .nan }, mentioning: "non-numeric")
        expectRejected({ $0.shots[2].keyframes = [] }, mentioning: "shot 3", "no keyframes")
    }

    func testValidationAcceptsZoomedWindowWithTheRightShape() throws {
        var path = sample()
        path.shots[0].keyframes[0] = Keyframe(t: 0, x: 300, y: 100, w: 450, h: 800)
        XCTAssertNoThrow(try path.validated(sourceWidth: 1920, sourceHeight: 1080))
    }

    func testMalformedJSONNamesWhereItIsWrong() {
        let json = #"{"version": 1, "sourceWidth": 1920, "sourceHeight": 1080, "shots": [{"start": 0, "end": 1, "mode": "zoom", "follows": "", "keyframes": []}]}"#
        XCTAssertThrowsError(try ReframePath.decode(Data(json.utf8))) { error in
            XCTAssertTrue(error.localizedDescription.contains("shots[0].mode"), error.localizedDescription)
        }
        XCTAssertThrowsError(try ReframePath.decode(Data(#"{"version": 1}"#.utf8))) { error in
            XCTAssertTrue(error.localizedDescription.contains("missing \"sourceWidth\""), error.localizedDescription)
        }
    }
}
