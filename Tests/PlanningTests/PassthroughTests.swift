import MediaProbe
import XCTest
@testable import Planning

/// The copy-or-encode choice for TikTok-ready inputs, on readiness reports built in code.
final class PassthroughTests: XCTestCase {
    /// A readiness report where every condition passes except `failing` (name, fix, found).
    func readiness(_ path: String = "/in/ready.mp4", failing: [(ReadinessCondition.Name, ReadinessCondition.Fix, String)] = [],
                   hasAudio: Bool = true) -> ReadinessReport {
        let conditions = ReadinessCondition.Name.allCases.map { name -> ReadinessCondition in
            let fail = failing.first { $0.0 == name }
            let fix = fail?.1 ?? (name == .audio ? .audio : name == .container || name == .index ? .remux : .video)
            return ReadinessCondition(name, passed: fail == nil, required: "what the contract says", found: fail?.2 ?? "fine",
                                      fix: fix, remedy: "what tikconv does")
        }
        return ReadinessReport(path: path, conditions: conditions, hasAudio: hasAudio)
    }

    let tiktok = Plan(route: .local, localPlan: .tiktok, fit: .blur)

    func decide(_ r: ReadinessReport, plan: Plan? = nil, _ configure: (inout PassthroughFlags) -> Void = { _ in }) -> PassthroughDecision {
        var flags = PassthroughFlags()
        configure(&flags)
        return Passthrough.decide(r, plan: plan ?? tiktok, flags: flags)
    }

    func testAConformingInputIsCopied() {
        let d = decide(readiness())
        XCTAssertEqual(d.mode, .copy)
        XCTAssertEqual(d.input, "/in/ready.mp4")
        XCTAssertTrue(d.reasons[0].contains("ready.mp4 already meets the tiktok contract: copied bit for bit"), d.reasons[0])
        XCTAssertTrue(d.reasons[0].contains("--reencode"), "says how to get an encode")
    }

    func testAnyVideoConditionFailingMeansAnEncode() {
        for name in [ReadinessCondition.Name.size, .codec, .level, .bitrate, .pixelFormat, .pixelAspect, .colour, .frameRate,
                     .keyframes, .rotation] {
            let d = decide(readiness(failing: [(name, .video, "wrong")]))
            XCTAssertEqual(d.mode, .encode, "\(name)")
            XCTAssertEqual(d.reasons, ["ready.mp4: encoded: not TikTok-ready (\(name.rawValue) wrong)"])
        }
    }

    func testOnlyTheAudioFailingCopiesTheVideo() {
        let d = decide(readiness(failing: [(.audio, .audio, "AAC-LC 44.1 kHz mono")]))
        XCTAssertEqual(d.mode, .copyVideo)
        XCTAssertTrue(d.reasons.contains("ready.mp4: audio AAC-LC 44.1 kHz mono → re-encoded to AAC-LC 48 kHz stereo"), "\(d.reasons)")
        XCTAssertTrue(d.reasons[0].contains("its video already meets the tiktok contract"), d.reasons[0])
    }

    func testContainerAndIndexAreFixedByTheCopy() {
        let d = decide(readiness(failing: [(.container, .remux, "MOV"), (.index, .remux, "moov after mdat")]))
        XCTAssertEqual(d.mode, .copy)
        XCTAssertTrue(d.reasons.contains { $0.contains("container MOV →") }, "\(d.reasons)")
        XCTAssertTrue(d.reasons.contains { $0.contains("index moov after mdat →") }, "\(d.reasons)")
    }

    func testADurationOutsideTikToksLimitsDoesNotStopTheCopy() {
        let d = decide(readiness(failing: [(.duration, .none, "2.00 s")]))
        XCTAssertEqual(d.mode, .copy, "encoding would not change the length either")
        XCTAssertTrue(d.reasons.contains { $0.contains("duration 2.00 s is outside") }, "\(d.reasons)")
    }

    func testWhatTheUserAskedForWins() {
        XCTAssertEqual(decide(readiness()) { $0.reencode = true }.reasons, ["ready.mp4: encoded: --reencode forces it"])
        XCTAssertEqual(decide(readiness()) { $0.videoSettings = ["--crf"] }.mode, .encode)
        var trimmed = tiktok
        trimmed.duration = 5
        XCTAssertEqual(decide(readiness(), plan: trimmed).mode, .encode)
        XCTAssertEqual(decide(readiness()) { $0.audioSettings = ["--audio-bitrate"] }.mode, .copyVideo)
        XCTAssertEqual(decide(readiness(hasAudio: false)) { $0.audioSettings = ["--audio-bitrate"] }.mode, .copy,
                       "no audio to re-encode")
        XCTAssertEqual(decide(readiness(hasAudio: false)) { $0.silentAudio = true }.mode, .copyVideo, "adds a silent track")
        XCTAssertEqual(decide(readiness()) { $0.silentAudio = true }.mode, .copy, "the source has sound")
    }

    func testCandidatesAreH264At1080x1920InMP4OrMOV() {
        XCTAssertTrue(Passthrough.isCandidate(Fx.video(w: 1080, h: 1920)))
        XCTAssertTrue(Passthrough.isCandidate(Fx.video(w: 1080, h: 1920, format: "mov")))
        XCTAssertFalse(Passthrough.isCandidate(Fx.video(w: 1920, h: 1080)))
        XCTAssertFalse(Passthrough.isCandidate(Fx.video(codec: "hevc", w: 1080, h: 1920)))
        XCTAssertFalse(Passthrough.isCandidate(Fx.video(w: 1080, h: 1920, format: "mkv")))
        XCTAssertFalse(Passthrough.isCandidate(Fx.photo()))
    }

    /// `--plan`: a copied input's steps say copy; an encoded one keeps the planner's steps; the
    /// decisions ride along in the JSON.
    func testThePlanSaysWhichAndWhy() throws {
        let ready = Fx.video(w: 1080, h: 1920, path: "/in/ready.mp4")
        let landscape = Fx.video(path: "/in/wide.mp4")
        let request = Request(inputs: [ready, landscape])
        let plan = try Planner.plan(request)
        let decision = decide(readiness())
        let amended = try Passthrough.apply([decision], to: plan, request: request)
        XCTAssertEqual(amended.passthrough, [decision])
        XCTAssertEqual(amended.tiktokMode(for: "/in/ready.mp4"), .copy)
        XCTAssertEqual(amended.tiktokMode(for: "/in/wide.mp4"), .encode)
        XCTAssertEqual(amended.steps.filter { $0.hasPrefix("ready.mp4: ") },
                       ["ready.mp4: read MP4 container", "ready.mp4: copy video h264 1080x1920 as it is (no decoding)",
                        "ready.mp4: copy audio aac as it is", "ready.mp4: mux MP4 (index first)"])
        let wideAlone = try Planner.plan(Request(inputs: [landscape])).steps
        XCTAssertEqual(amended.steps.filter { $0.hasPrefix("wide.mp4: ") }, wideAlone.map { "wide.mp4: " + $0 })
        XCTAssertTrue(amended.reasons.contains(decision.reasons[0]))
        XCTAssertTrue(amended.explain().contains("copy video h264 1080x1920 as it is"))
        let decoded = try JSONDecoder().decode(Plan.self, from: try amended.jsonData())
        XCTAssertEqual(decoded, amended)
    }

    func testNoDecisionsLeaveThePlanAlone() throws {
        let request = Request(inputs: [Fx.video()])
        let plan = try Planner.plan(request)
        XCTAssertEqual(try Passthrough.apply([], to: plan, request: request), plan)
        XCTAssertNil(plan.passthrough)
        let encoded = try Passthrough.apply([Passthrough.forcedEncode("/in/clip.mp4")], to: plan, request: request)
        XCTAssertEqual(encoded.steps, plan.steps, "an encode keeps the planner's steps")
        XCTAssertEqual(encoded.reasons.last, "clip.mp4: encoded: --reencode forces it")
    }
}
