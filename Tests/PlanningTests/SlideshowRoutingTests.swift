import MediaProbe
@testable import Planning
import XCTest

/// Which photo requests are the offline slideshow, as a table.
final class SlideshowRoutingTests: XCTestCase {
    func decide(_ inputs: [ProbeReport], _ prompt: String? = nil, _ flags: PlanFlags = PlanFlags(), music: Bool = false,
                slideshowFlags: Bool = false) throws -> SlideshowRouting.Decision? {
        try SlideshowRouting.decide(Request(inputs: inputs, prompt: prompt, flags: flags), musicFlag: music, slideshowFlags: slideshowFlags)
    }

    func testPhotosWithoutARequestAreTheOfflineSlideshow() throws {
        let photos = [Fx.photo("a.jpg"), Fx.photo("b.png")]
        let d = try XCTUnwrap(try decide(photos))
        XCTAssertEqual(d.photos, photos)
        XCTAssertNil(d.music)
        XCTAssertTrue(d.reasons[0].contains("2 photos → offline slideshow"), "\(d.reasons)")
        XCTAssertEqual(try decide(photos, nil, Fx.flags(local: true))?.reasons.last, "--local")
        XCTAssertEqual(try decide(photos, nil, music: true, slideshowFlags: true)?.reasons.last, "only slideshow flags, no request")
        XCTAssertNotNil(try decide([Fx.photo()]), "one photo too")
    }

    func testAnAudioInputBecomesTheMusic() throws {
        let d = try XCTUnwrap(try decide([Fx.photo(), Fx.audioOnly()]))
        XCTAssertEqual(d.music?.path, "/in/song.mp3")
        XCTAssertNil(try decide([Fx.photo(), Fx.audioOnly()], music: true), "two songs: the planner decides")
        XCTAssertNil(try decide([Fx.photo(), Fx.audioOnly(), Fx.audioOnly()]))
    }

    func testOtherRequestsGoToThePlanner() throws {
        XCTAssertNil(try decide([Fx.photo()], nil, Fx.flags(cloud: true)), "--cloud")
        XCTAssertNil(try decide([Fx.photo(), Fx.video()]), "with a video")
        XCTAssertNil(try decide([Fx.photo(), Fx.script()]), "with a script")
        XCTAssertNil(try decide([Fx.video()]), "no photo")
        XCTAssertNil(try decide([Fx.photo()], "slideshow with music and transitions"), "a request without --local: the agent")
    }

    /// --local with words: what the slideshow does is done, the rest is refused by name.
    func testLocalWithARequest() throws {
        let photos = [Fx.photo("a.jpg"), Fx.photo("b.jpg")]
        let local = Fx.flags(local: true)
        let d = try XCTUnwrap(try decide(photos, "make a slideshow with transitions", local))
        XCTAssertTrue(d.reasons.last?.contains("transitions, slideshow") == true, "\(d.reasons)")
        XCTAssertThrowsError(try decide(photos, "slideshow with captions", local)) { XCTAssertEqual($0 as? PlanningError, .needsCloud(part: "captions")) }
        XCTAssertThrowsError(try decide(photos, "slideshow with background music", local)) {
            XCTAssertTrue(($0 as? PlanningError)?.errorDescription?.contains("give --music FILE") == true, "\($0)")
        }
        XCTAssertNotNil(try decide(photos, "slideshow with background music", local, music: true), "music given: done offline")
        let crop = try XCTUnwrap(try decide(photos, "crop it", local))
        XCTAssertTrue(crop.reasons.contains { $0.contains("'crop' does not apply") }, "\(crop.reasons)")
    }

    func testSteps() {
        let s = SlideshowRouting.steps(photos: 12, photoSeconds: 3, transition: "crossfade 0.5 s at each cut", music: "song.mp3",
                                       fitToMusic: false, beatSync: true)
        XCTAssertEqual(s.count, 7)
        XCTAssertTrue(s[1].contains("3 s"))
        XCTAssertTrue(s.last?.contains("AAC") == true)
    }
}
