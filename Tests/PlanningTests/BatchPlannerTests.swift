import MediaProbe
@testable import Planning
import XCTest

/// Mixed inputs split by kind: nothing goes to the cloud unless the request asks for it.
final class BatchPlannerTests: XCTestCase {
    let a = Fx.video(path: "/in/a.mp4"), b = Fx.video(format: "mov", path: "/in/b.mov")
    let photo1 = Fx.photo("p1.jpg"), photo2 = Fx.photo("p2.png")
    let song = Fx.audioOnly(), script = Fx.script()

    func plan(_ inputs: [ProbeReport], _ prompt: String? = nil, _ flags: PlanFlags = PlanFlags()) throws -> [PlanGroup] {
        try BatchPlanner.plan(Request(inputs: inputs, prompt: prompt, flags: flags))
    }

    func names(_ g: PlanGroup) -> [String] { g.inputs.map { ($0.path as NSString).lastPathComponent } }

    /// `tikconv dir/` with two videos and photos: each video local, the photos one offline
    /// slideshow, in input order; nothing for the cloud.
    func testVideosAndPhotosWithoutAPrompt() throws {
        let groups = try plan([a, photo1, b, photo2])
        XCTAssertEqual(groups.map(\.kind), [.video, .photos, .video])
        XCTAssertEqual(groups.map(names), [["a.mp4"], ["p1.jpg", "p2.png"], ["b.mov"]])
        XCTAssertEqual(groups.compactMap(\.plan).map(\.route), [.local, .local, .local])
        XCTAssertNil(groups[0].slideshow)
        XCTAssertEqual(groups[1].slideshow?.photos.map(\.path), [photo1.path, photo2.path])
        XCTAssertEqual(groups[1].plan?.localPlan, .tiktok)
        XCTAssertTrue(groups[1].plan?.reasons.first?.contains("offline slideshow") == true, "\(groups[1].plan?.reasons ?? [])")
        // --local and slideshow-only flags give the same; --music does not make a second song conflict.
        for (flags, music, slideshowFlags) in [(Fx.flags(local: true), false, false), (PlanFlags(), true, true)] {
            let g = try BatchPlanner.plan(Request(inputs: [a, photo1], flags: flags), musicFlag: music, slideshowFlags: slideshowFlags)
            XCTAssertNotNil(g[1].slideshow, "\(flags) music \(music)")
        }
    }

    /// A prompt the videos do locally is still words for the agent as far as photos go (without
    /// --local), as for photos alone.
    func testPhotosBesideVideosWithALocalPromptGoToTheCloud() throws {
        let groups = try plan([a, photo1], "make it vertical")
        XCTAssertEqual(groups.map(\.kind), [.video, .photos])
        XCTAssertEqual(groups[0].plan?.route, .local)
        XCTAssertEqual(groups[1].plan?.route, .cloud)
        XCTAssertNil(groups[1].slideshow)
    }

    /// `tikconv tone.wav clip.mp4`: the video is converted locally, the song is not mixed in
    /// unasked: it becomes its own audiogram.
    func testASongBesideAVideoIsNotMixedInUnasked() throws {
        let groups = try plan([song, a])
        XCTAssertEqual(groups.map(\.kind), [.audio, .video])
        XCTAssertEqual(groups[0].plan?.route, .local)
        XCTAssertTrue(groups[0].plan?.reasons.first?.contains("audiogram") == true, "\(groups[0].outcome)")
        XCTAssertEqual(groups[1].plan?.route, .local)
    }

    func testPhotosGoToTheCloudWithAPromptOrCloud() throws {
        let prompted = try plan([photo1, photo2], "slideshow with music and transitions")
        XCTAssertEqual(prompted.count, 1)
        XCTAssertEqual(prompted[0].plan?.skill, .photoVideo)
        let forced = try plan([photo1, photo2], nil, Fx.flags(cloud: true))
        XCTAssertEqual(forced.map(\.kind), [.photos])
        XCTAssertEqual(forced[0].plan?.route, .cloud)
        let local = try plan([photo1], nil, Fx.flags(local: true))
        XCTAssertNotNil(local[0].slideshow, "--local photos are the offline slideshow")
        XCTAssertNil(forced[0].slideshow)
    }

    /// A prompt that needs the cloud concerns every input: one request, as before.
    func testAGenerativePromptKeepsTheInputsTogether() throws {
        for prompt in ["add this song as background music", "merge these clips with transitions", "加字幕和背景音乐"] {
            let groups = try plan([a, b, song], prompt)
            XCTAssertEqual(groups.map(\.kind), [.together], prompt)
            XCTAssertEqual(groups[0].plan?.route, .cloud, prompt)
            XCTAssertEqual(groups[0].inputs.count, 3, prompt)
        }
    }

    /// A prompt the local plan can do ("vertical", a trim) is applied to each video on its own.
    func testALocalPromptIsAppliedToEachVideo() throws {
        let groups = try plan([a, b], "make it vertical, first 15 seconds")
        XCTAssertEqual(groups.map(\.kind), [.video, .video])
        XCTAssertEqual(groups.compactMap(\.plan).map(\.route), [.local, .local])
        XCTAssertEqual(groups[0].plan?.duration, 15)
    }

    /// --cloud without a prompt: each video is its own cloud conversion, not one merged video.
    func testCloudWithoutAPromptSplitsToo() throws {
        let groups = try plan([a, b, photo1], nil, Fx.flags(cloud: true))
        XCTAssertEqual(groups.map(\.kind), [.video, .video, .photos])
        XCTAssertTrue(groups.allSatisfy { $0.plan?.route == .cloud })
    }

    func testScripts() throws {
        let alone = try plan([script])
        guard case .failure(.uploadNotRequested(.scripts)) = alone[0].outcome else { return XCTFail("\(alone[0].outcome)") }
        let cloud = try plan([script, photo1], nil, Fx.flags(cloud: true))
        XCTAssertEqual(cloud.map(\.kind), [.together], "with --cloud the photo is the script's material")
        XCTAssertEqual(cloud[0].plan?.skill, .textToTikTok)
        let mixed = try plan([a, script])
        XCTAssertEqual(mixed.map(\.kind), [.video, .scripts])
        XCTAssertEqual(mixed[0].plan?.route, .local)
        XCTAssertNotNil(mixed[1].outcome.failureValue)
    }

    func testLocalWithAGenerativePromptIsRefusedAsAWhole() throws {
        let groups = try plan([a, b], "add captions", Fx.flags(local: true))
        XCTAssertEqual(groups.map(\.kind), [.together])
        guard case .failure(.needsCloud) = groups[0].outcome else { return XCTFail("\(groups[0].outcome)") }
    }

    func testWholeCommandErrorsAreThrown() {
        XCTAssertThrowsError(try plan([])) { XCTAssertEqual($0 as? PlanningError, .nothingToDo) }
        XCTAssertEqual(try plan([], "a video about cats").first?.plan?.skill, .textToTikTok, "a prompt alone is one group")
    }

    /// The whole command's route is decided once: photos (and one song) alone are one
    /// slideshow; beside a video they are a group of their own with its slideshow decision.
    func testRouteIsDecidedOnceForTheWholeCommand() throws {
        guard case .slideshow(let show) = try BatchPlanner.route(Request(inputs: [photo1, song, photo2])) else {
            return XCTFail("photos and a song alone: one slideshow")
        }
        XCTAssertEqual(show.photos.map(\.path), [photo1.path, photo2.path])
        XCTAssertEqual(show.music?.path, song.path)
        guard case .groups(let groups) = try BatchPlanner.route(Request(inputs: [a, photo1])) else {
            return XCTFail("a video and a photo: groups")
        }
        XCTAssertEqual(groups.map(\.kind), [.video, .photos])
        XCTAssertNotNil(groups[1].slideshow)
    }

    /// `--local` and `--cloud` are one choice: setting one replaces the other, so no planner
    /// ever sees both (the command line refuses the pair in `validate()`).
    func testFlagsHoldOneRouteChoice() {
        var flags = PlanFlags()
        flags.forceLocal = true
        flags.forceCloud = true
        XCTAssertEqual(flags.routeChoice, .cloud)
        XCTAssertFalse(flags.forceLocal)
        flags.forceCloud = false
        XCTAssertNil(flags.routeChoice)
    }
}

extension Result {
    var failureValue: Failure? { if case let .failure(e) = self { return e } else { return nil } }
}
