import XCTest
import MediaProbe
@testable import Planning

/// The planner's decision table: (inputs, prompt, flags) → (route, plan, skill, fit, trim, intents) or an error.
final class PlannerTableTests: XCTestCase {
    enum Expect {
        case local(LocalPlan, FitMode?)
        case cloud(CloudSkill)
        case error(PlanningError)
    }

    struct Row {
        var inputs: [ProbeReport]
        var prompt: String?
        var flags = PlanFlags()
        var expect: Expect
        /// Intents that must be listed (others may be too).
        var intents: [String] = []
        /// Intents that must not be listed.
        var notIntents: [String] = []
        var start: Double?? = .none
        var duration: Double?? = .none
        var line: UInt
    }

    static func row(_ inputs: [ProbeReport], _ prompt: String?, _ expect: Expect,
                  intents: [String] = [], not: [String] = [], start: Double?? = .none, duration: Double?? = .none,
                  line: UInt = #line) -> Row {
        row(inputs, prompt, PlanFlags(), expect, intents: intents, not: not, start: start, duration: duration, line: line)
    }

    static func row(_ inputs: [ProbeReport], _ prompt: String?, _ flags: PlanFlags, _ expect: Expect,
                  intents: [String] = [], not: [String] = [], start: Double?? = .none, duration: Double?? = .none,
                  line: UInt = #line) -> Row {
        Row(inputs: inputs, prompt: prompt, flags: flags, expect: expect, intents: intents, notIntents: not,
            start: start, duration: duration, line: line)
    }

    static let v = Fx.video()
    static let rows: [Row] = [
        // Plain conversions → local.
        row([v], nil, .local(.tiktok, .smart), start: .some(nil), duration: .some(nil)),
        row([v], "convert this video to vertical 9:16", .local(.tiktok, .smart), intents: ["vertical", "convert"],
          start: .some(nil), duration: .some(nil)),
        row([v], "把这个视频转成竖屏", .local(.tiktok, .smart), intents: ["vertical", "convert"]),
        row([v], "make this tiktok-ready", .local(.tiktok, .smart), intents: ["vertical"]),
        row([v], "resize to 1080p", .local(.tiktok, .smart), intents: ["resize"]),
        row([v], "crop to fill", .local(.tiktok, .crop), intents: ["crop"]),
        row([v], "crop to 9:16", .local(.tiktok, .crop), start: .some(nil), duration: .some(nil)),
        row([v], "letterbox it", .local(.tiktok, .pad), intents: ["pad"]),
        row([v], "add black bars, keep the whole picture", .local(.tiktok, .pad)),
        row([v], "转成竖屏，加黑边", .local(.tiktok, .pad)),
        row([v], "裁剪填满", .local(.tiktok, .crop)),
        row([v], "fill the background with blur", .local(.tiktok, .blur), intents: ["crop", "blur"]),
        row([v], "pad it, or crop if you must", .local(.tiktok, .pad)),
        row([v], "letterbox it, don't crop", .local(.tiktok, .pad), not: ["crop"]),
        row([v], "填满画面", .local(.tiktok, .crop)),
        row([v], "竖屏，模糊背景", .local(.tiktok, .blur), intents: ["blur"]),
        row([v], nil, Fx.flags(fit: .pad), .local(.tiktok, .pad)),
        row([v], nil, Fx.flags(fit: .blur), .local(.tiktok, .blur)),
        // Smart is the default only for a picture wider than 9:16 as displayed.
        row([Fx.video(w: 1080, h: 1920)], nil, .local(.tiktok, .blur)),
        row([Fx.video(rotation: 90)], nil, .local(.tiktok, .blur)),
        row([Fx.video(w: 1440, h: 1080)], nil, .local(.tiktok, .smart)),
        row([v], "letterbox it", Fx.flags(fit: .crop), .local(.tiktok, .crop)),
        // MP4 plan.
        row([Fx.avi()], "convert this AVI file to MP4 without losing quality", .local(.mp4, nil), intents: ["mp4"]),
        row([Fx.avi()], "无损转换为MP4", .local(.mp4, nil), intents: ["mp4"]),
        row([Fx.video(format: "mkv")], "remux", .local(.mp4, nil)),
        row([Fx.video(format: "mov")], "just change container", .local(.mp4, nil)),
        row([v], "to mp4", .local(.mp4, nil)),
        row([v], nil, Fx.flags(to: .mp4), .local(.mp4, nil)),
        row([Fx.avi()], "make it vertical", Fx.flags(to: .mp4), .local(.mp4, nil)),
        row([v], "convert to a vertical mp4", .local(.tiktok, .smart), intents: ["vertical", "mp4"]),
        row([v], "export as mp4", .local(.mp4, nil), intents: ["mp4", "export"]),
        row([v], "导出为MP4", .local(.mp4, nil), intents: ["mp4", "export"]),
        // Trim.
        row([v], "trim to the first 15 seconds", .local(.tiktok, .smart), intents: ["trim"], start: .some(nil), duration: 15),
        row([v], "前15秒", .local(.tiktok, .smart), intents: ["trim"], duration: 15),
        row([v], "剪辑前15秒", .local(.tiktok, .smart), intents: ["edit", "trim"], duration: 15),
        row([v], "keep from 0:10 to 0:25", .local(.tiktok, .smart), start: 10, duration: 15),
        row([v], "从10秒到25秒", .local(.tiktok, .smart), start: 10, duration: 15),
        row([v], "use between 5 and 20 seconds", .local(.tiktok, .smart), start: 5, duration: 15),
        row([v], "skip the first 5 seconds", .local(.tiktok, .smart), start: 5, duration: .some(nil)),
        row([v], "last 10 seconds as mp4", .local(.mp4, nil), start: 50, duration: 10),
        row([v], "trim to 30s", .local(.tiktok, .smart), duration: 30),
        row([v], "first 2 minutes", .local(.tiktok, .smart), duration: 120),
        row([v], "first 15 seconds", Fx.flags(start: 5, duration: 10), .local(.tiktok, .smart), start: 5, duration: 10),
        row([v], nil, Fx.flags(duration: 0), .error(.invalidTrim("--duration must be more than 0 s (got 0 s)"))),
        row([v], nil, Fx.flags(start: -1), .error(.invalidTrim("--start cannot be negative (got -1 s)"))),
        row([v], nil, Fx.flags(start: 100), .error(.invalidTrim("start 100 s is past the end of clip.mp4 (60 s)"))),
        row([v], "trim the boring parts", .cloud(.videoConverterTikTok), intents: ["trim"]),
        row([v], "trim the boring parts", Fx.flags(local: true), .error(.trimNeedsTimes)),
        // Generative → cloud.
        row([v], "add captions and background music", .cloud(.videoConverterTikTok), intents: ["captions", "bgm"]),
        row([v], "加字幕和背景音乐", .cloud(.videoConverterTikTok), intents: ["captions", "bgm"]),
        row([v], "add subtitles", .cloud(.videoConverterTikTok), intents: ["captions"]),
        row([v], "add smooth transitions", .cloud(.videoConverterTikTok), intents: ["transitions"]),
        row([v], "add a voice-over", .cloud(.videoConverterTikTok), intents: ["voiceover"]),
        row([v], "加旁白配音", .cloud(.videoConverterTikTok), intents: ["voiceover"]),
        row([v], "加滤镜和贴纸", .cloud(.videoConverterTikTok), intents: ["effects"]),
        row([v], "剪辑一下，让它更精彩", .cloud(.videoConverterTikTok), intents: ["edit"]),
        row([v, Fx.video(path: "/in/b.mp4")], "merge these clips", .cloud(.videoConverterTikTok), intents: ["merge"]),
        row([v], "make it vertical and add captions", Fx.flags(cloud: true), .cloud(.videoConverterTikTok)),
        row([v], "trim to 30s and add captions", .cloud(.videoConverterTikTok), intents: ["trim", "captions"], duration: 30),
        row([v], "make it vertical and add music", Fx.flags(local: true), .error(.needsCloud(part: "background music"))),
        row([Fx.audioOnly()], "make a video about this song", .cloud(.textToTikTok), intents: ["generate", "bgm"]),
        // Whole-word English matching and negation.
        // Words the planner does not know are a request for the agent, not dropped.
        row([v], "make it musical", .cloud(.videoConverterTikTok), not: ["bgm"]),
        row([v], "make it more effective on tiktok", .cloud(.videoConverterTikTok), not: ["effects"]),
        row([v], "recaption-free conversion please", .local(.tiktok, .smart), not: ["captions"]),
        row([v], "no music, just convert to vertical", .local(.tiktok, .smart), not: ["bgm"]),
        row([v], "to mp4 without captions", .local(.mp4, nil), not: ["captions"]),
        row([v], "不要字幕，转成竖屏", .local(.tiktok, .smart), not: ["captions"]),
        // Photos, scripts, prompts alone.
        row([Fx.photo("a.jpg"), Fx.photo("b.jpg")], "make a slideshow with music and transitions", .cloud(.photoVideo),
          intents: ["bgm", "transitions", "slideshow"]),
        row([Fx.photo("a.jpg"), Fx.photo("b.jpg")], nil, .cloud(.photoVideo)),
        row([Fx.photo("a.jpg")], "做成幻灯片", .cloud(.photoVideo), intents: ["slideshow"]),
        row([v, Fx.photo()], nil, .cloud(.videoConverterTikTok)),
        row([v, Fx.photo()], "make a slideshow", .cloud(.photoVideo)),
        row([Fx.script()], nil, .cloud(.textToTikTok)),
        row([Fx.script(), Fx.photo()], "use my photos", .cloud(.textToTikTok)),
        row([], "generate a video about cats", .cloud(.textToTikTok), intents: ["generate"]),
        row([], "make a video about the ocean at night", .cloud(.textToTikTok)),
        row([], "a day in the life of a cat", .cloud(.textToTikTok)),
        row([], "生成一个关于猫的视频", .cloud(.textToTikTok), intents: ["generate"]),
        // Audio.
        row([Fx.audioOnly()], nil, .local(.tiktok, .blur)),
        row([Fx.audioOnly()], "convert to vertical", .local(.tiktok, .blur)),
        row([Fx.audioOnly()], nil, Fx.flags(cloud: true), .cloud(.videoConverterTikTok)),
        row([Fx.audioOnly(), Fx.photo()], nil, .cloud(.photoVideo)),
        row([v, Fx.audioOnly()], nil, .cloud(.videoConverterTikTok)),
        row([v, Fx.audioOnly()], nil, Fx.flags(local: true), .error(.needsCloud(part: "background music from an audio file"))),
        // Cloud-session intents.
        row([v], "导出视频", .cloud(.videoConverterTikTok), intents: ["export"]),
        row([], "查看积分余额", .cloud(.videoConverterTikTok), intents: ["credits"]),
        row([], "how many credits do I have left?", .cloud(.videoConverterTikTok), intents: ["credits"]),
        row([], "what's the status of my video", .cloud(.videoConverterTikTok), intents: ["status"]),
        row([], "查看状态", .cloud(.videoConverterTikTok), intents: ["status"]),
        row([v], "upload this", .cloud(.videoConverterTikTok), intents: ["upload"]),
        row([v], "导出视频", Fx.flags(local: true), .local(.tiktok, .smart)),
        row([v], "check my credits", Fx.flags(local: true), .error(.needsCloud(part: "credits"))),
        // Overrides and conflicts.
        row([v], nil, Fx.flags(cloud: true), .cloud(.videoConverterTikTok)),
        row([v], nil, Fx.flags(cloud: true, to: .mp4), .cloud(.dataFormatConverter)),
        row([Fx.avi()], "convert to mp4", Fx.flags(cloud: true), .cloud(.dataFormatConverter)),
        row([v], "convert to vertical", Fx.flags(local: true), .local(.tiktok, .smart)),
        row([v], "add captions", Fx.flags(local: true), .error(.needsCloud(part: "captions"))),
        row([v], "加背景音乐", Fx.flags(local: true), .error(.needsCloud(part: "background music"))),
        row([Fx.photo()], nil, Fx.flags(local: true), .error(.photosNeedCloud)),
        row([Fx.script()], nil, Fx.flags(local: true), .error(.scriptNeedsCloud)),
        row([], "generate a video about cats", Fx.flags(local: true), .error(.needsCloud(part: "video generation"))),
        row([], nil, .error(.nothingToDo)),
        row([], "   ", .error(.nothingToDo)),
        row([], "convert to mp4", .error(.noInputToConvert(what: "'convert'"))),
    ]

    func testTable() {
        XCTAssertGreaterThanOrEqual(Self.rows.count, 40)
        for row in Self.rows {
            let label = "\(row.prompt ?? "<no prompt>") [\(row.inputs.map(\.kind.rawValue).joined(separator: ","))]"
            let request = Request(inputs: row.inputs, prompt: row.prompt, flags: row.flags)
            switch row.expect {
            case let .error(expected):
                XCTAssertThrowsError(try Planner.plan(request), label, line: row.line) { error in
                    XCTAssertEqual(error as? PlanningError, expected, label, line: row.line)
                }
                continue
            case let .local(plan, fit):
                guard let p = check(request, label, row.line) else { continue }
                XCTAssertEqual(p.route, .local, label, line: row.line)
                XCTAssertEqual(p.localPlan, plan, label, line: row.line)
                XCTAssertNil(p.skill, label, line: row.line)
                XCTAssertEqual(p.fit, fit, label, line: row.line)
                XCTAssertNil(p.cloudInstruction, label, line: row.line)
                verify(p, row, label)
            case let .cloud(skill):
                guard let p = check(request, label, row.line) else { continue }
                XCTAssertEqual(p.route, .cloud, label, line: row.line)
                XCTAssertEqual(p.skill, skill, label, line: row.line)
                XCTAssertNil(p.localPlan, label, line: row.line)
                XCTAssertFalse(p.cloudInstruction?.isEmpty ?? true, label, line: row.line)
                verify(p, row, label)
            }
        }
    }

    private func check(_ request: Request, _ label: String, _ line: UInt) -> Plan? {
        do { return try Planner.plan(request) } catch {
            XCTFail("\(label): unexpected error \(error.localizedDescription)", line: line)
            return nil
        }
    }

    private func verify(_ p: Plan, _ row: Row, _ label: String) {
        XCTAssertFalse(p.steps.isEmpty, label, line: row.line)
        XCTAssertFalse(p.reasons.isEmpty, label, line: row.line)
        for i in row.intents { XCTAssertTrue(p.intents.contains(i), "\(label): missing intent \(i) in \(p.intents)", line: row.line) }
        for i in row.notIntents { XCTAssertFalse(p.intents.contains(i), "\(label): unexpected intent \(i)", line: row.line) }
        if case let .some(s) = row.start { XCTAssertEqual(p.start, s, "\(label): start", line: row.line) }
        if case let .some(d) = row.duration { XCTAssertEqual(p.duration, d, "\(label): duration", line: row.line) }
    }
}
