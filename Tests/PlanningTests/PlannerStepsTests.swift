import XCTest
import MediaProbe
@testable import Planning

final class PlannerStepsTests: XCTestCase {
    private func plan(_ inputs: [ProbeReport], _ prompt: String? = nil, _ flags: PlanFlags = PlanFlags()) throws -> Plan {
        try Planner.plan(Request(inputs: inputs, prompt: prompt, flags: flags))
    }

    // MARK: tiktok plan

    func testTikTokStepsForLandscapeH264() throws {
        let p = try plan([Fx.video()])
        XCTAssertEqual(p.steps, [
            "decode h264 1920x1080 30 fps",
            "fit 1920x1080 into 1080x1920 by smart (follow the subject full-screen, shot by shot; two people too far apart: split screen or the one talking)",
            "encode H.264 High 1080x1920 30 fps, AAC 48 kHz stereo",
            "mux MP4 (index first)",
        ])
    }

    func testTikTokStepsMentionRotationHDRAndDeinterlace() throws {
        let p = try plan([Fx.video(codec: "hevc", rotation: 90, hdr: .hlg, fieldOrder: "tt", pixelFormat: "yuv420p10le")])
        XCTAssertTrue(p.steps.contains("rotate 90°"), "\(p.steps)")
        XCTAssertTrue(p.steps.contains("tone-map HDR (hlg) to SDR BT.709"), "\(p.steps)")
        XCTAssertTrue(p.steps.contains("deinterlace (top field first)"), "\(p.steps)")
        // 1920x1080 turned 90° displays as 1080x1920: the engine only needs to scale.
        XCTAssertTrue(p.steps.contains("already 1080x1920: no scaling"), "\(p.steps)")
        XCTAssertFalse(p.steps.contains { $0.hasPrefix("fit ") })
        let order = ["decode", "deinterlace", "rotate", "tone-map", "already", "encode", "mux"].map { word in
            p.steps.firstIndex { $0.hasPrefix(word) } ?? -1
        }
        XCTAssertEqual(order, order.sorted(), "\(p.steps)")
        XCTAssertFalse(order.contains(-1))
    }

    func testNoRotationHDROrDeinterlaceStepsWhenProbeSaysNone() throws {
        let p = try plan([Fx.video(fieldOrder: "progressive")])
        XCTAssertFalse(p.steps.contains { $0.contains("rotate") || $0.contains("tone-map") || $0.contains("deinterlace") })
    }

    func testPQAndBottomFieldFirst() throws {
        let p = try plan([Fx.video(rotation: 270, hdr: .pq, fieldOrder: "bb")])
        XCTAssertTrue(p.steps.contains("rotate 270°"))
        XCTAssertTrue(p.steps.contains("tone-map HDR (pq) to SDR BT.709"))
        XCTAssertTrue(p.steps.contains("deinterlace (bottom field first)"))
    }

    func testAlready916OnlyScales() throws {
        let p = try plan([Fx.video(w: 720, h: 1280)])
        XCTAssertTrue(p.steps.contains { $0.hasPrefix("scale 720x1280 → 1080x1920 (already 9:16") }, "\(p.steps)")
    }

    func testFitModeNamedInStepAndAudioResampled() throws {
        var v = Fx.video(fps: 29.97, audio: nil)
        v.streams.append(Fx.audioStream(codec: "ac3", rate: 44100, channels: 6))
        let p = try plan([v], "letterbox it")
        XCTAssertTrue(p.steps.contains { $0.hasPrefix("fit 1920x1080 into 1080x1920 by pad") }, "\(p.steps)")
        XCTAssertTrue(p.steps.contains("resample audio ac3 44.1 kHz 5.1 → 48 kHz stereo"), "\(p.steps)")
        XCTAssertTrue(p.steps.contains("decode h264 1920x1080 29.97 fps"), "\(p.steps)")
    }

    func testNoAudioAndTrimStep() throws {
        let p = try plan([Fx.video(audio: nil)], "first 15 seconds")
        XCTAssertTrue(p.steps.contains("encode H.264 High 1080x1920 30 fps, no audio"), "\(p.steps)")
        XCTAssertTrue(p.steps.contains("trim first 15 s"), "\(p.steps)")
        XCTAssertEqual(p.duration, 15)
    }

    func testHighFrameRateCappedAt60() throws {
        let p = try plan([Fx.video(fps: 120)])
        XCTAssertTrue(p.steps.contains("drop frames 120 → 60 fps"))
        XCTAssertTrue(p.steps.contains { $0.hasPrefix("encode H.264 High 1080x1920 60 fps") })
    }

    func testSlowFrameRateRaisedTo30ByRepeatingFrames() throws {
        let p = try plan([Fx.video(fps: 15)])
        XCTAssertTrue(p.steps.contains("repeat frames 15 → 30 fps"), "\(p.steps)")
        XCTAssertTrue(p.steps.contains { $0.hasPrefix("encode H.264 High 1080x1920 30 fps") }, "\(p.steps)")
    }

    func testNTSCRateKeptWithoutAFrameRateStep() throws {
        let p = try plan([Fx.video(fps: 29.97)])
        XCTAssertFalse(p.steps.contains { $0.contains("frames") && $0.contains("→") }, "\(p.steps)")
        XCTAssertTrue(p.steps.contains { $0.hasPrefix("encode H.264 High 1080x1920 29.97 fps") }, "\(p.steps)")
    }

    func testBatchStepsArePrefixedByFileName() throws {
        let p = try plan([Fx.video(path: "/in/a.mp4"), Fx.video(path: "/in/b.mov")])
        XCTAssertTrue(p.steps.contains("a.mp4: decode h264 1920x1080 30 fps"))
        XCTAssertTrue(p.steps.contains("b.mov: mux MP4 (index first)"))
    }

    // MARK: mp4 plan

    func testMP4PlanPerStreamCopyAndReencode() throws {
        let v = Fx.video(codec: "mpeg4", w: 640, h: 480, audio: "mp3", format: "avi", path: "/in/old.avi", extra: [
            Fx.stream(.subtitle, "subrip", index: 2),
            Fx.stream(.subtitle, "hdmv_pgs_subtitle", index: 3),
            Fx.stream(.data, "bin_data", index: 4),
        ])
        let p = try plan([v], "convert this AVI file to MP4 without losing quality")
        XCTAssertEqual(p.localPlan, .mp4)
        XCTAssertEqual(p.steps, [
            "read AVI container",
            "re-encode video mpeg4 → h264 (plays poorly in MP4)",
            "copy audio mp3",
            "convert subtitle subrip → mov_text",
            "drop subtitle hdmv_pgs_subtitle (bitmap subtitles cannot go in MP4)",
            "drop data bin_data (data streams are not kept)",
            "mux MP4 (index first)",
        ])
    }

    func testMP4CopyAndReencodeTable() {
        let copyVideo = ["h264", "hevc", "av1"], copyAudio = ["aac", "mp3", "ac3", "eac3", "alac"]
        for c in copyVideo { XCTAssertEqual(MP4Compatibility.action(for: Fx.videoStream(codec: c)), .copy, c) }
        for c in copyAudio { XCTAssertEqual(MP4Compatibility.action(for: Fx.audioStream(codec: c)), .copy, c) }
        for c in ["mpeg4", "vp8", "vp9", "theora", "mjpeg", "wmv1", "wmv2", "wmv3", "msmpeg4v2", "msmpeg4v3", "h263", "flv1", "mpeg2video"] {
            guard case let .reencode(to, _) = MP4Compatibility.action(for: Fx.videoStream(codec: c)) else {
                XCTFail("\(c) should be re-encoded"); continue
            }
            XCTAssertEqual(to, "h264", c)
        }
        for c in ["pcm_s16le", "pcm_f32le", "vorbis", "opus", "mp2", "amr_nb", "amr_wb", "flac", "wmav2"] {
            guard case let .reencode(to, _) = MP4Compatibility.action(for: Fx.audioStream(codec: c)) else {
                XCTFail("\(c) should be re-encoded"); continue
            }
            XCTAssertEqual(to, "aac", c)
        }
        XCTAssertEqual(MP4Compatibility.step(for: Fx.videoStream(codec: "wmv3")), "re-encode video wmv3 → h264 (MP4 cannot hold it)")
        XCTAssertEqual(MP4Compatibility.step(for: Fx.audioStream(codec: "pcm_s16le")), "re-encode audio pcm_s16le → aac (MP4 cannot hold it)")
        XCTAssertEqual(MP4Compatibility.step(for: Fx.videoStream(codec: "hevc")), "copy video hevc (tagged hvc1 for Apple players)")
        XCTAssertEqual(MP4Compatibility.step(for: Fx.videoStream(codec: "h264", rotation: 90)), "copy video h264 (keeps the 90° rotation tag)")
        for c in ["ass", "webvtt", "subrip"] {
            XCTAssertEqual(MP4Compatibility.action(for: Fx.stream(.subtitle, c, index: 2)), .convert(to: "mov_text"), c)
        }
        XCTAssertEqual(MP4Compatibility.action(for: Fx.stream(.subtitle, "mov_text", index: 2)), .copy)
        XCTAssertEqual(MP4Compatibility.action(for: Fx.stream(.subtitle, "dvd_subtitle", index: 2)),
                       .drop(why: "bitmap subtitles cannot go in MP4"))
    }

    func testAlreadyH264MP4StaysMP4PlanAndIsRemuxOnly() throws {
        let p = try plan([Fx.video()], "to mp4")
        XCTAssertEqual(p.localPlan, .mp4)
        XCTAssertEqual(p.steps, ["read MP4 container", "copy video h264", "copy audio aac", "mux MP4 (index first)"])
        XCTAssertTrue(p.reasons.contains { $0.contains("remux only") }, "\(p.reasons)")
        XCTAssertNil(p.fit)
    }

    func testFitFlagIgnoredByMP4PlanWithReason() throws {
        let p = try plan([Fx.avi()], nil, Fx.flags(to: .mp4, fit: .pad))
        XCTAssertNil(p.fit)
        XCTAssertTrue(p.reasons.contains { $0.contains("--fit is ignored") })
    }

    // MARK: reasons and instructions

    func testReasonsNameMatchedWordsInputsAndFlags() throws {
        let zh = try plan([Fx.video()], "加字幕")
        XCTAssertTrue(zh.reasons.contains("prompt mentions '字幕' (captions) with no caption file or quoted text → cloud (speech to text)"), "\(zh.reasons)")
        let en = try plan([Fx.video()], "add captions")
        XCTAssertTrue(en.reasons.contains("prompt mentions 'caption' (captions) with no caption file or quoted text → cloud (speech to text)"), "\(en.reasons)")
        let script = try plan([Fx.script()])
        XCTAssertTrue(script.reasons.contains("input is a text script (script.txt) → text-to-video"), "\(script.reasons)")
        let forced = try plan([Fx.video()], nil, Fx.flags(cloud: true))
        XCTAssertTrue(forced.reasons.contains("--cloud forces the cloud route"))
        let flagged = try plan([Fx.video()], nil, Fx.flags(to: .mp4))
        XCTAssertTrue(flagged.reasons.contains("--to mp4 chooses the mp4 plan"))
        let plain = try plan([Fx.video()])
        XCTAssertTrue(plain.reasons.contains { $0.hasPrefix("video input with no prompt → local tiktok plan") }, "\(plain.reasons)")
        XCTAssertTrue(plain.reasons.contains("default fit: smart (landscape source)"), "\(plain.reasons)")
        let portrait = try plan([Fx.video(w: 1080, h: 1920)])
        XCTAssertTrue(portrait.reasons.contains { $0.hasPrefix("default fit: blur (") }, "\(portrait.reasons)")
    }

    func testCloudInstructions() throws {
        XCTAssertEqual(try plan([Fx.script()]).cloudInstruction?.hasPrefix("Turn this script into a TikTok video (9:16, 1080x1920)"), true)
        XCTAssertEqual(try plan([Fx.photo(), Fx.photo("b.png")]).cloudInstruction?.hasPrefix("Make a TikTok slideshow from these photos"), true)
        XCTAssertEqual(try plan([Fx.video()], "add captions").cloudInstruction, "add captions")
        XCTAssertEqual(try plan([], "generate a video about cats").cloudInstruction, "generate a video about cats")
        let withFlags = try plan([Fx.video()], "add captions", Fx.flags(fit: .pad, start: 5, duration: 10))
        XCTAssertEqual(withFlags.cloudInstruction,
                       "add captions Use only 5–15 s of the input. Fit the picture to 9:16 by whole picture with black bars.")
        XCTAssertEqual(withFlags.fit, .pad)
    }

    func testCloudSteps() throws {
        let p = try plan([Fx.photo(), Fx.photo("b.jpg")])
        XCTAssertEqual(p.steps, [
            "open a NemoVideo session (skill tiktok-photo-video)",
            "upload 2 files (a.jpg, b.jpg)",
            "send the instruction to the agent and stream its reply",
            "export the draft to MP4 (render, poll until done)",
            "download the MP4",
        ])
        XCTAssertEqual(try plan([], "查看积分余额").steps, ["check the credit balance"])
        XCTAssertTrue(try plan([Fx.script(words: 42)]).steps.contains("send the script script.txt (42 words) with the instruction"))
    }

    // MARK: matching

    func testWholeWordEnglishMatching() {
        func intents(_ s: String) -> [Intent] { IntentMatcher.match(s).map(\.intent) }
        XCTAssertEqual(intents("add captions"), [.captions])
        XCTAssertEqual(intents("captioned please"), [.captions])
        XCTAssertEqual(intents("ADD CAPTIONS"), [.captions])
        XCTAssertEqual(intents("recaption"), [])
        XCTAssertEqual(intents("a musical"), [])
        XCTAssertEqual(intents("musicians"), [])
        XCTAssertEqual(intents("add music"), [.bgm])
        XCTAssertEqual(intents("the effective way"), [])
        XCTAssertEqual(intents("creditcard"), [])
        XCTAssertEqual(intents("padding"), [.pad])
        XCTAssertEqual(intents("ipad video"), [])
        XCTAssertEqual(intents("加captions"), [.captions])
        XCTAssertEqual(intents("don't add music"), [])
        XCTAssertEqual(intents("no music, just captions"), [.captions])
    }

    func testTrimParserIgnoresAspectRatiosAndUnitlessCounts() {
        XCTAssertNil(TrimParser.parse("crop to 9:16"))
        XCTAssertNil(TrimParser.parse("use the first 2 videos"))
        XCTAssertEqual(TrimParser.parse("trim to 30s")?.duration, 30)
        XCTAssertEqual(TrimParser.parse("前1分30秒")?.duration, 90)
        XCTAssertEqual(TrimParser.parse("start at 1:05")?.start, 65)
        XCTAssertEqual(TrimParser.parse("最后10秒")?.lastSeconds, 10)
        XCTAssertEqual(TrimParser.parse("from 1 to 2 minutes")?.start, 60)
        XCTAssertEqual(TrimParser.parse("剪成30秒")?.duration, 30)
    }

    // MARK: errors, explain, JSON, purity

    func testErrorMessagesAreOneActionableLine() {
        let all: [PlanningError] = [.nothingToDo, .needsCloud(part: "captions"), .photosNeedCloud,
                                    .scriptNeedsCloud, .audioOnly, .noInputToConvert(what: "'to mp4'"),
                                    .invalidTrim("x"), .trimNeedsTimes]
        for e in all {
            let m = e.localizedDescription
            XCTAssertFalse(m.isEmpty)
            XCTAssertFalse(m.contains("\n"), m)
        }
        let m = PlanningError.needsCloud(part: "captions").localizedDescription
        XCTAssertTrue(m.contains("captions") && m.contains("--local") && m.contains("--cloud"), m)
        XCTAssertTrue(PlanningError.photosNeedCloud.localizedDescription.hasPrefix("photos need the cloud route"))
        XCTAssertEqual(PlanningError.audioOnly.localizedDescription, "audio-only input: nothing to show; add a photo or use --cloud")
        XCTAssertTrue(PlanningError.needsCloud(part: "x").isNeedsCloud)
        XCTAssertFalse(PlanningError.nothingToDo.isNeedsCloud)
    }

    func testExplain() throws {
        let p = try plan([Fx.video()], "letterbox it, first 15 seconds")
        let text = p.explain()
        XCTAssertTrue(text.hasPrefix("Route: local (tiktok plan)\nFit: pad\nTrim: first 15 s\n"), text)
        XCTAssertTrue(text.contains("  1. decode h264 1920x1080 30 fps"), text)
        XCTAssertTrue(text.contains("Why:\n  - "), text)
        let c = try plan([Fx.video()], "add captions").explain()
        XCTAssertTrue(c.hasPrefix("Route: cloud (skill video-converter-tiktok)"), c)
        XCTAssertTrue(c.contains("Instruction to the agent: add captions"), c)
    }

    func testJSONSortedKeysAndRoundTrip() throws {
        let p = try plan([Fx.video()], "加字幕，前15秒")
        let json = try p.jsonString()
        let keys = ["\"cloudInstruction\"", "\"duration\"", "\"intents\"", "\"reasons\"", "\"route\"", "\"skill\"", "\"steps\""]
        let positions = keys.map { json.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), json)
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), json)
        let back = try JSONDecoder().decode(Plan.self, from: Data(json.utf8))
        XCTAssertEqual(back, p)
        // Older JSON without the added fields still decodes.
        let old = try JSONDecoder().decode(Plan.self, from: Data(#"{"route":"local","localPlan":"tiktok","steps":[],"reasons":[]}"#.utf8))
        XCTAssertEqual(old.intents, [])
    }

    func testPure() throws {
        let r = Request(inputs: [Fx.video(), Fx.photo()], prompt: "make a slideshow with music", flags: Fx.flags(fit: .crop))
        XCTAssertEqual(try Planner.plan(r), try Planner.plan(r))
    }
}
