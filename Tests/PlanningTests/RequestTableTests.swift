import Foundation
import XCTest
import MediaProbe
@testable import Planning

/// Issue 17's table: every request is read part by part, and each part is done locally, sent to
/// the cloud agent, refused, or answered as nothing to do — never dropped. Each row gives the
/// route, the exact list of parts (the user's words, in order, with what happens to each), the
/// exact local edits, and steps that must be in the plan. English and Chinese; the seeds' own
/// phrasings; mixed, misspelled, negated, out-of-range and unknown requests; gibberish.
final class RequestTableTests: XCTestCase {
    enum Route: Equatable {
        case local(LocalPlan)
        case cloud(CloudSkill)
        case error(PlanningError)
    }

    /// A part: the user's words and what happens to them ("local", "cloud", "refused", "nothing").
    struct P: Equatable, CustomStringConvertible {
        var phrase: String
        var kind: String
        var description: String { "\(kind)('\(phrase)')" }
    }
    static func L(_ s: String) -> P { P(phrase: s, kind: "local") }
    static func C(_ s: String) -> P { P(phrase: s, kind: "cloud") }
    static func X(_ s: String) -> P { P(phrase: s, kind: "refused") }
    static func N(_ s: String) -> P { P(phrase: s, kind: "nothing") }

    struct Row {
        var inputs: [ProbeReport]
        var prompt: String?
        var flags: PlanFlags
        var route: Route
        var parts: [P]
        var edits: LocalEdits
        var steps: [String]
        var why: [String]
        var fit: FitMode?
        var start: Double??
        var duration: Double??
        var line: UInt
    }

    static let v = Fx.video()
    static let long = Fx.video(duration: 120)
    static let short = Fx.video(path: "/in/short.mp4", duration: 3)
    static let silent = Fx.video(audio: nil, path: "/in/silent.mp4")
    static let photos = [Fx.photo("a.jpg"), Fx.photo("b.jpg")]

    static func E(mute: Bool = false, volume: Double? = nil, speed: Double? = nil, fadeIn: Double? = nil,
                  fadeOut: Double? = nil, loudnorm: Bool = false, grayscale: Bool = false) -> LocalEdits {
        LocalEdits(mute: mute, volumeDB: volume, speed: speed, fadeIn: fadeIn, fadeOut: fadeOut, loudnorm: loudnorm, grayscale: grayscale)
    }

    static func r(_ prompt: String?, _ route: Route, _ parts: [P] = [], _ edits: LocalEdits = LocalEdits(),
                  inputs: [ProbeReport] = [v], flags: PlanFlags = PlanFlags(), steps: [String] = [], why: [String] = [],
                  fit: FitMode? = nil, start: Double?? = .none, duration: Double?? = .none, line: UInt = #line) -> Row {
        Row(inputs: inputs, prompt: prompt, flags: flags, route: route, parts: parts, edits: edits, steps: steps, why: why,
            fit: fit, start: start, duration: duration, line: line)
    }

    static let local = Route.local(.tiktok)
    static let mp4 = Route.local(.mp4)
    static let agent = Route.cloud(.videoConverterTikTok)
    static let forceLocal = Fx.flags(local: true)
    static func db(_ ratio: Double) -> Double { 20 * log10(ratio) }

    static let rows: [Row] = issue + seeds + speed + sound + fades + looks + chinese + mixed + mp4Plan + conflicts
        + negation + unknown + misspelled + notRequests + otherInputs + flagsAndAnswers

    // MARK: The issue's four commands
    static let issue: [Row] = [
        r("speed it up 2x", local, [L("speed it up 2x")], E(speed: 2), steps: ["speed 2× (audio pitch kept)"], fit: .smart),
        r("add a title card saying Hello", agent, [C("title card saying Hello")], why: ["'title card' (titles and text) → cloud"]),
        r("remove the background noise", agent, [C("background noise")], why: ["'background noise' (noise removal) → cloud"]),
        r("make it black and white", local, [L("black and white")], E(grayscale: true), steps: ["black and white"]),
        r("speed it up 2x", local, [L("speed it up 2x")], E(speed: 2), flags: forceLocal),
        r("add a title card saying Hello", .error(.needsCloud(part: "titles and text")), flags: forceLocal),
        r("remove the background noise", .error(.needsCloud(part: "noise removal")), flags: forceLocal),
        r("make it black and white", local, [L("black and white")], E(grayscale: true), flags: forceLocal),
    ]

    // MARK: The seeds' own phrasings (README, cloud protocol, fuzz seeds)
    static let seeds: [Row] = [
        r("convert this video to vertical 9:16", local, [L("convert"), L("vertical"), L("9:16")], fit: .smart),
        r("convert this AVI file to MP4 without losing quality", mp4, [L("convert"), L("to MP4"), L("without losing quality")],
          inputs: [Fx.avi()]),
        r("无损转换为MP4", mp4, [L("无损"), L("转换"), L("MP4")], inputs: [Fx.avi()]),
        r("slideshow with music and transitions", .cloud(.photoVideo), [C("slideshow"), C("music"), C("transitions")], inputs: photos),
        r("add captions and background music", agent, [C("captions"), C("background music")]),
        r("加字幕和背景音乐", agent, [C("字幕"), C("背景音乐")]),
        r("make the captions bigger", agent, [C("captions bigger")]),
        r("make the captions bigger", .cloud(.textToTikTok), [C("captions bigger")], inputs: []),
        r("first 15 seconds", local, [L("first 15 seconds")], steps: ["trim first 15 s"], start: .some(nil), duration: 15),
        r("vertical 9:16", local, [L("vertical"), L("9:16")]),
        r(nil, local, [], why: ["video input with no prompt → local tiktok plan"]),
        r(nil, .cloud(.textToTikTok), [], inputs: [Fx.script()]),
        r("cut the first 3 seconds and make it vertical", local, [L("cut the first 3 seconds"), L("vertical")],
          start: 3, duration: .some(nil)),
        r("去掉前5秒，不要音乐", local, [L("去掉前5秒"), N("不要音乐")], start: 5, duration: .some(nil)),
        r("trim from 0:05 to 0:20", local, [L("trim from 0:05 to 0:20")], start: 5, duration: 15),
        r("竖屏 9:16，加字幕", agent, [C("竖屏"), C("9:16"), C("字幕")]),
        r("keep 00:01:02.5-00:01:10, crop, focus on the face", agent,
          [C("00:01:02.5-00:01:10"), C("crop"), C("focus on the face")], inputs: [long], start: 62.5, duration: 7.5),
        r("no music, without captions, blur background", local, [N("no music"), N("without captions"), L("blur background")], fit: .blur),
    ]

    // MARK: Speed
    static let speed: [Row] = [
        r("speed it up a bit", local, [L("speed it up a bit")], E(speed: 1.25)),
        r("speed up the video", local, [L("speed up")], E(speed: 1.5)),
        r("make it twice as fast", local, [L("twice as fast")], E(speed: 2)),
        r("three times faster", local, [L("three times faster")], E(speed: 3)),
        r("2x speed", local, [L("2x speed")], E(speed: 2)),
        r("2x", local, [L("2x")], E(speed: 2)),
        r("make it 1.5x", local, [L("1.5x")], E(speed: 1.5)),
        r("resize to 1080x1920", local, [L("resize"), L("1080x1920")], E()),
        r("1920 x 1080 to 1080 x 1920", local, [X("1920 x 1080 to"), L("1080 x 1920")], E()),
        r("play it at 1.5x", local, [L("play it at 1.5x")], E(speed: 1.5)),
        r("half speed", local, [L("half speed")], E(speed: 0.5)),
        r("slow it down", local, [L("slow it down")], E(speed: 0.75)),
        r("slow it down a little", local, [L("slow it down a little")], E(speed: 0.8)),
        r("slow motion", local, [L("slow motion")], E(speed: 0.5), steps: ["speed 0.5× (audio pitch kept)"]),
        r("50% speed", local, [L("50% speed")], E(speed: 0.5)),
        r("speed x2", local, [L("speed x2")], E(speed: 2)),
        r("4x speed", local, [L("4x speed")], E(speed: 4)),
        r("0.25x speed", local, [L("0.25x speed")], E(speed: 0.25)),
        r("speed 10x", local, [X("speed 10x")], E()),
        r("0.1x speed", local, [X("0.1x speed")], E()),
        r("speed 1x", local, [N("speed 1x")], E()),
    ]

    // MARK: Sound: mute, volume, loudness
    static let sound: [Row] = [
        r("mute", local, [L("mute")], E(mute: true), steps: ["remove the sound (muted)", "encode H.264 High 1080x1920 30 fps, no audio (muted)"]),
        r("muted", local, [L("muted")], E(mute: true)),
        r("remove the audio", local, [L("remove the audio")], E(mute: true)),
        r("no sound", local, [L("no sound")], E(mute: true)),
        r("without audio", local, [L("without audio")], E(mute: true)),
        r("strip the audio", local, [L("strip the audio")], E(mute: true)),
        r("louder", local, [L("louder")], E(volume: 6), steps: ["volume +6 dB"]),
        r("make it louder", local, [L("louder")], E(volume: 6)),
        r("a bit louder", local, [L("a bit louder")], E(volume: 3)),
        r("much louder", local, [L("much louder")], E(volume: 10)),
        r("quieter", local, [L("quieter")], E(volume: -6), steps: ["volume -6 dB"]),
        r("turn the volume down", local, [L("turn the volume down")], E(volume: -6)),
        r("turn up the volume", local, [L("turn up the volume")], E(volume: 6)),
        r("volume +3 dB", local, [L("volume +3 dB")], E(volume: 3)),
        r("volume -5dB", local, [L("volume -5dB")], E(volume: -5)),
        r("3 dB louder", local, [L("3 dB louder")], E(volume: 3)),
        r("reduce the volume by 6 dB", local, [L("reduce the volume by 6 dB")], E(volume: -6)),
        r("volume 50%", local, [L("volume 50%")], E(volume: db(0.5))),
        r("20% louder", local, [L("20% louder")], E(volume: db(1.2))),
        r("half the volume", local, [L("half the volume")], E(volume: -6.02)),
        r("volume 0%", local, [L("volume 0%")], E(mute: true)),
        r("volume +40 dB", local, [X("volume +40 dB")], E()),
        r("normalize audio", local, [L("normalize audio")], E(loudnorm: true),
          steps: ["normalise loudness to -14 LUFS (TikTok's level)"]),
        r("normalise the volume", local, [L("normalise the volume")], E(loudnorm: true)),
        r("loudness normalization", local, [L("loudness normalization")], E(loudnorm: true)),
        r("even out the audio", local, [L("even out the audio")], E(loudnorm: true)),
        r("-14 LUFS", local, [L("-14 LUFS")], E(loudnorm: true)),
        r("normalize to -16 LUFS", local, [X("normalize to -16 LUFS")], E()),
    ]

    // MARK: Fades
    static let fades: [Row] = [
        r("fade in", local, [L("fade in")], E(fadeIn: 1), steps: ["fade in from black over 1 s (picture and sound)"]),
        r("fade out", local, [L("fade out")], E(fadeOut: 1), steps: ["fade out to black over 1 s (picture and sound)"]),
        r("fade in and out", local, [L("fade in and out")], E(fadeIn: 1, fadeOut: 1)),
        r("fade in 2 seconds", local, [L("fade in 2 seconds")], E(fadeIn: 2)),
        r("fade out over 3 seconds", local, [L("fade out over 3 seconds")], E(fadeOut: 3)),
        r("2 second fade in", local, [L("2 second fade in")], E(fadeIn: 2)),
        r("fade out the last 3 seconds", local, [L("fade out the last 3 seconds")], E(fadeOut: 3), start: .some(nil), duration: .some(nil)),
        r("fade in over the first two seconds", local, [L("fade in over the first two seconds")], E(fadeIn: 2), duration: .some(nil)),
        r("fade to black at the end", local, [L("fade to black at the end")], E(fadeOut: 1)),
        r("fade in 40 seconds", local, [X("fade in 40 seconds")], E()),
    ]

    // MARK: Black and white
    static let looks: [Row] = [
        r("black & white", local, [L("black & white")], E(grayscale: true)),
        r("b&w", local, [L("b&w")], E(grayscale: true)),
        r("grayscale", local, [L("grayscale")], E(grayscale: true)),
        r("monochrome", local, [L("monochrome")], E(grayscale: true)),
        r("desaturate it", local, [L("desaturate")], E(grayscale: true)),
    ]

    // MARK: Chinese
    static let chinese: [Row] = [
        r("两倍速", local, [L("两倍速")], E(speed: 2)),
        r("1.5倍速", local, [L("1.5倍速")], E(speed: 1.5)),
        r("三倍速播放", local, [L("三倍速播放")], E(speed: 3)),
        r("慢动作", local, [L("慢动作")], E(speed: 0.5)),
        r("放慢两倍", local, [L("放慢两倍")], E(speed: 0.5)),
        r("加速", local, [L("加速")], E(speed: 1.5)),
        r("快一点", local, [L("快一点")], E(speed: 1.25)),
        r("十倍速", local, [X("十倍速")], E()),
        r("静音", local, [L("静音")], E(mute: true)),
        r("去掉声音", local, [L("去掉声音")], E(mute: true)),
        r("不要静音", local, [N("不要静音")], E()),
        r("音量调大", local, [L("音量调大")], E(volume: 6)),
        r("声音小一点", local, [L("声音小一点")], E(volume: -6)),
        r("音量提高3分贝", local, [L("音量提高3分贝")], E(volume: 3)),
        r("音量50%", local, [L("音量50%")], E(volume: db(0.5))),
        r("淡入", local, [L("淡入")], E(fadeIn: 1)),
        r("淡出", local, [L("淡出")], E(fadeOut: 1)),
        r("淡入淡出", local, [L("淡入淡出")], E(fadeIn: 1, fadeOut: 1)),
        r("淡入2秒", local, [L("淡入2秒")], E(fadeIn: 2)),
        r("标准化音量", local, [L("标准化音量")], E(loudnorm: true)),
        r("响度标准化", local, [L("响度标准化")], E(loudnorm: true)),
        r("黑白", local, [L("黑白")], E(grayscale: true)),
        r("变成黑白", local, [L("黑白")], E(grayscale: true)),
        r("前十秒", local, [L("前十秒")], duration: 10),
        r("帮我把视频转成竖屏，谢谢", local, [L("转成"), L("竖屏")]),
    ]

    // MARK: Several edits at once, with trims and fits
    static let mixed: [Row] = [
        r("first 20 seconds, muted, vertical", local, [L("first 20 seconds"), L("muted"), L("vertical")], E(mute: true),
          steps: ["trim first 20 s", "remove the sound (muted)"], fit: .smart, duration: 20),
        r("make it vertical and speed it up 2x", local, [L("vertical"), L("speed it up 2x")], E(speed: 2)),
        r("vertical, louder, fade out, black and white, first 30 seconds", local,
          [L("vertical"), L("louder"), L("fade out"), L("black and white"), L("first 30 seconds")],
          E(volume: 6, fadeOut: 1, grayscale: true), duration: 30),
        r("转成竖屏然后静音", local, [L("转成"), L("竖屏"), L("静音")], E(mute: true)),
        r("加速两倍并且淡入淡出", local, [L("加速两倍"), L("淡入淡出")], E(speed: 2, fadeIn: 1, fadeOut: 1)),
        r("两倍速，静音，前30秒", local, [L("两倍速"), L("静音"), L("前30秒")], E(mute: true, speed: 2), duration: 30),
        r("黑白，淡入淡出", local, [L("黑白"), L("淡入淡出")], E(fadeIn: 1, fadeOut: 1, grayscale: true)),
        r("慢动作，去掉声音", local, [L("慢动作"), L("去掉声音")], E(mute: true, speed: 0.5)),
        r("crop it, slow motion, no sound", local, [L("crop"), L("slow motion"), L("no sound")], E(mute: true, speed: 0.5), fit: .crop),
        r("letterbox it and make it quieter", local, [L("letterbox"), L("quieter")], E(volume: -6), fit: .pad),
        r("trim to 30s, fade in and out, normalize audio", local, [L("trim to 30s"), L("fade in and out"), L("normalize audio")],
          E(fadeIn: 1, fadeOut: 1, loudnorm: true), duration: 30),
        r("mute and export", local, [L("mute"), L("export")], E(mute: true)),
        r("make it vertical for tiktok and instagram reels", local, [L("vertical"), L("tiktok"), L("instagram"), L("reels")]),
    ]

    // MARK: The mp4 plan with edits: what they touch is re-encoded
    static let mp4Plan: [Row] = [
        r("to mp4, muted", mp4, [L("to mp4"), L("muted")], E(mute: true), steps: ["copy video h264", "drop audio aac (muted)"]),
        r("remux and mute", mp4, [L("remux"), L("mute")], E(mute: true)),
        r("lossless mp4 but twice as fast", mp4, [L("lossless"), L("mp4"), L("twice as fast")], E(speed: 2),
          steps: ["re-encode video h264 → h264 (speed 2×)", "re-encode audio aac → aac (speed 2×)"]),
        r("convert to mp4 and make it louder", mp4, [L("convert"), L("to mp4"), L("louder")], E(volume: 6), inputs: [Fx.avi()],
          steps: ["re-encode video mpeg4 → h264 (plays poorly in MP4)", "re-encode audio mp3 → aac (volume +6 dB)"]),
        r("make it black and white", mp4, [L("black and white")], E(grayscale: true), flags: Fx.flags(to: .mp4),
          steps: ["re-encode video h264 → h264 (black and white)", "copy audio aac"]),
        r("make it vertical", mp4, [X("vertical")], inputs: [Fx.avi()], flags: Fx.flags(to: .mp4)),
        r("export as mp4", mp4, [L("export"), L("as mp4")]),
    ]

    // MARK: Out of range, conflicting, cancelling
    static let conflicts: [Row] = [
        r("2x speed and slow motion", local, [L("2x speed"), X("slow motion")], E(speed: 2)),
        r("mute it and make it louder", local, [L("mute"), X("louder")], E(mute: true)),
        r("normalize audio and make it louder", local, [L("normalize audio"), X("louder")], E(loudnorm: true)),
        r("fade in 2 seconds and fade out 2 seconds", local, [L("fade in 2 seconds"), X("fade out 2 seconds")], E(fadeIn: 2), inputs: [short]),
        r("first 2 seconds, fade in and out", local, [L("first 2 seconds"), L("fade in and out")], E(fadeIn: 1, fadeOut: 1), duration: 2),
        r("first 2 seconds, 2x speed, fade in and out", local, [L("first 2 seconds"), L("2x speed"), X("fade in and out")],
          E(speed: 2), duration: 2),
        r("mute", local, [L("mute")], E(mute: true), inputs: [silent],
          steps: ["no audio in silent.mp4: the sound edits have nothing to change", "encode H.264 High 1080x1920 30 fps, no audio"]),
    ]

    // MARK: Negation
    static let negation: [Row] = [
        r("don't mute", local, [N("don't mute")], E()),
        r("no captions", local, [N("no captions")]),
        r("don't add music, just make it vertical", local, [N("don't add music"), L("vertical")]),
        r("letterbox it, don't crop", local, [L("letterbox"), N("don't crop")], fit: .pad),
        r("不要字幕，转成竖屏", local, [N("不要字幕"), L("转成"), L("竖屏")]),
        r("no need to mute", local, [N("no need to mute")], E()),
        r("without music, 2x speed", local, [N("without music"), L("2x speed")], E(speed: 2)),
        r("不要加字幕", local, [N("不要加字幕")]),
    ]

    // MARK: What the local engine does not do → the agent, naming the words
    static let unknown: [Row] = [
        r("make it punchier", agent, [C("make it punchier")], why: ["'make it punchier' is not something the local engine does"]),
        r("jazz it up", agent, [C("jazz it up")], why: ["'jazz it up' is not something the local engine does"]),
        r("rotate 90 degrees", agent, [C("rotate 90 degrees")]),
        r("flip it horizontally", agent, [C("flip it horizontally")]),
        r("stabilize the shaky footage", agent, [C("stabilize the shaky footage")]),
        r("remove the watermark", agent, [C("watermark")]),
        r("add my logo in the corner", agent, [C("logo in the corner")]),
        r("translate the subtitles to spanish", agent, [C("translate the subtitles to spanish")]),
        r("把视频变得更有趣", agent, [C("把视频变得更有趣")]),
        r("这个视频去掉水印", agent, [C("水印")]),
        r("make it pop", agent, [C("make it pop")]),
        r("make it musical", agent, [C("make it musical")]),
        r("make it more effective on tiktok", agent, [C("make it more effective on"), C("tiktok")]),
        r("speed it up 2x and add a title", agent, [C("speed it up 2x"), C("title")]),
        r("make it louder and add music", agent, [C("louder"), C("music")]),
        r("add captions in yellow", agent, [C("captions in yellow")]),
        r("trim the boring parts", agent, [C("trim the boring parts")], why: ["names no times"]),
        r("trim the boring parts", .error(.trimNeedsTimes), flags: forceLocal),
        r("jazz it up", .error(.needsCloud(part: "jazz it up")), flags: forceLocal),
        r("rotate 90 degrees and mute", .error(.needsCloud(part: "rotate 90 degrees")), flags: forceLocal),
        r("make it vertical and add music", .error(.needsCloud(part: "background music")), flags: forceLocal),
        r("it's for my grandma", agent, [C("it's for my grandma")]),
    ]

    // MARK: Misspelled
    static let misspelled: [Row] = [
        r("vertcal please", local, [L("vertcal")], fit: .smart),
        r("verticle", local, [L("verticle")]),
        r("slow motoin", local, [L("slow motoin")], E(speed: 0.5)),
        r("blakc and white", local, [L("blakc and white")], E(grayscale: true)),
        r("loudr", local, [L("loudr")], E(volume: 6)),
        r("normalise the audoi", local, [L("normalise the audoi")], E(loudnorm: true)),
        r("letterbx it", local, [L("letterbx")], fit: .pad),
        r("add captoins", agent, [C("captoins")]),
        r("subtitels", agent, [C("subtitels")]),
        r("musik please", agent, [C("musik")]),
    ]

    // MARK: Not a request
    static let notRequests: [Row] = [
        r("asdfghjkl", .error(.notUnderstood(words: "asdfghjkl"))),
        r("qwerty uiop", .error(.notUnderstood(words: "qwerty uiop"))),
        r("clip.mp4", .error(.promptIsFileName("clip.mp4"))),
        r("IMG_2034.MOV", .error(.promptIsFileName("IMG_2034.MOV"))),
        r("!!!", .error(.notUnderstood(words: "!!!"))),
        r("🔥🔥🔥", .error(.notUnderstood(words: "🔥🔥🔥"))),
        r("12345", .error(.notUnderstood(words: "12345"))),
        r("lorem ipsum dolor sit amet", .error(.notUnderstood(words: "lorem ipsum dolor sit amet"))),
        r("asdfgh", .error(.notUnderstood(words: "asdfgh")), inputs: []),
        r("please", .error(.notUnderstood(words: "please")), inputs: []),
        r("hazlo vertical", local, [X("hazlo"), L("vertical")]),
        r("xyzzy, mute", local, [X("xyzzy"), L("mute")], E(mute: true)),
        r("convert clip.mp4 to vertical", local, [L("convert"), N("clip.mp4"), L("vertical")]),
        r("please", local, [], why: ["the prompt asks for nothing beyond the default"]),
        r("asdfgh", agent, [C("asdfgh")], flags: Fx.flags(cloud: true)),
    ]

    // MARK: Photos, scripts, audio, nothing
    static let otherInputs: [Row] = [
        r("make it louder", .cloud(.photoVideo), [C("louder")], inputs: photos),
        r("mute", .cloud(.textToTikTok), [C("mute")], inputs: [Fx.script()]),
        r("louder", .error(.needsCloud(part: "louder on an audio-only input (the offline audiogram keeps the sound as it is)")),
          inputs: [Fx.audioOnly()]),
        r("jazz it up", agent, [C("jazz it up")], inputs: [Fx.audioOnly()]),
        r("mute", .error(.noInputToConvert(what: "'mute'")), inputs: []),
        r("speed it up 2x", .error(.noInputToConvert(what: "'speed it up 2x'")), inputs: []),
        r("a day in the life of a cat", .cloud(.textToTikTok), [C("a day in the life of a cat")], inputs: []),
        r("生成一个关于猫的视频", .cloud(.textToTikTok), [C("生成一个关于猫的视频")], inputs: []),
        r("check my credits", agent, [C("credits")], inputs: []),
        r("mute", agent, [C("mute")], inputs: [v, Fx.audioOnly()]),
        r("mute", .error(.needsCloud(part: "background music from an audio file")), inputs: [v, Fx.audioOnly()], flags: forceLocal),
    ]

    // MARK: Flags, things already done, things not offered
    static let flagsAndAnswers: [Row] = [
        r("I want it in portrait mode", local, [L("portrait")]),
        r("remove the first 2 seconds and the last 2 seconds", local, [L("remove the first 2 seconds and the last 2 seconds")],
          start: 2, duration: 56),
        r("去掉开头2秒和结尾3秒", local, [L("去掉开头2秒和结尾3秒")], start: 2, duration: 55),
        r("make the audio quieter and fade it out", local, [L("make the audio quieter"), L("fade it out")], E(volume: -6, fadeOut: 1)),
        r("make it quieter by 50%", local, [L("quieter by 50%")], E(volume: db(0.5))),
        r("crop to the center", local, [L("crop to the center")], fit: .crop),
        // Quoted text is a title made offline; "add a title" with no text is the agent's.
        r("add text \"Follow me\" at the end", local, [L("add text \"Follow me\" at the end")]),
        r("convert this gif to a gif", local, [L("convert"), X("a gif")]),
        r("compress it", local, [N("compress")]),
        r("under 50 MB, 60 fps", local, [X("under 50 MB"), X("60 fps")]),
        r("export in 4k", agent, [C("export"), C("in 4k")]),
        r("加上淡入淡出效果", local, [L("淡入淡出")], E(fadeIn: 1, fadeOut: 1)),
        r("剪掉开头3秒", local, [L("剪掉开头3秒")], start: 3),
        r("只要前30秒", local, [L("前30秒")], duration: 30),
        r("make it shorter", agent, [C("shorter")], why: ["names no times"]),
        r("make it shorter", .error(.trimNeedsTimes), flags: forceLocal),
        r("fix the audio", agent, [C("fix the audio")]),
        r("letterbox it", local, [N("letterbox")], flags: Fx.flags(fit: .crop), fit: .crop),
        r("first 15 seconds", local, [L("first 15 seconds")], flags: Fx.flags(start: 5, duration: 10),
          steps: ["trim 5–15 s"], start: 5, duration: 10),
        r("speed it up 2x", agent, [C("speed it up 2x")], flags: Fx.flags(cloud: true), why: ["--cloud forces the cloud route"]),
        r("high quality please", local, [N("high quality")]),
        r("keep the audio", local, [N("keep the audio")]),
        r("fill the background with blur", local, [N("fill"), L("background with blur")], fit: .blur),
        r("add black bars, keep the whole picture", local, [L("black bars"), N("keep the whole picture")], fit: .pad),
    ]

    func testTable() {
        XCTAssertGreaterThanOrEqual(Self.rows.count, 150)
        var cloud = 0, local = 0, refused = 0, errors = 0
        for row in Self.rows {
            let label = "\(row.prompt ?? "<no prompt>") [\(row.inputs.map(\.kind.rawValue).joined(separator: ","))]"
            let request = Request(inputs: row.inputs, prompt: row.prompt, flags: row.flags)
            if case let .error(expected) = row.route {
                errors += 1
                XCTAssertThrowsError(try Planner.plan(request), label, line: row.line) { error in
                    XCTAssertEqual(error as? PlanningError, expected, label, line: row.line)
                }
                continue
            }
            let plan: Plan
            do { plan = try Planner.plan(request) } catch {
                XCTFail("\(label): unexpected error \(error.localizedDescription)", line: row.line); continue
            }
            check(plan, row, label)
            cloud += plan.route == .cloud ? 1 : 0
            local += plan.route == .local ? 1 : 0
            refused += plan.parts.contains { $0.disposition.kind == "refused" } ? 1 : 0
        }
        // The table covers every outcome.
        XCTAssertGreaterThan(cloud, 30)
        XCTAssertGreaterThan(local, 80)
        XCTAssertGreaterThan(refused, 10)
        XCTAssertGreaterThan(errors, 15)
    }

    private func check(_ p: Plan, _ row: Row, _ label: String) {
        switch row.route {
        case let .local(plan):
            XCTAssertEqual(p.route, .local, label, line: row.line)
            XCTAssertEqual(p.localPlan, plan, label, line: row.line)
            XCTAssertEqual(p.localEdits, row.edits, "\(label): edits", line: row.line)
        case let .cloud(skill):
            XCTAssertEqual(p.route, .cloud, "\(label): \(p.reasons)", line: row.line)
            XCTAssertEqual(p.skill, skill, label, line: row.line)
            XCTAssertNil(p.edits, "\(label): no local edits on the cloud route", line: row.line)
            XCTAssertEqual(p.cloudInstruction?.hasPrefix(row.prompt ?? ""), true, label, line: row.line)
        case .error:
            return
        }
        XCTAssertEqual(p.parts.map { P(phrase: $0.phrase, kind: $0.disposition.kind) }, row.parts,
                       "\(label): \(p.parts.map(\.explained))", line: row.line)
        for part in p.parts {
            XCTAssertFalse(part.meaning.isEmpty || part.disposition.detail.isEmpty, "\(label): \(part)", line: row.line)
        }
        for s in row.steps { XCTAssertTrue(p.steps.contains(s), "\(label): no step '\(s)' in \(p.steps)", line: row.line) }
        for w in row.why { XCTAssertTrue(p.reasons.contains { $0.contains(w) }, "\(label): no reason with '\(w)' in \(p.reasons)", line: row.line) }
        if row.prompt != nil {
            XCTAssertFalse(p.reasons.contains { $0.contains("no prompt") }, "\(label): \(p.reasons)", line: row.line)
        }
        if let fit = row.fit { XCTAssertEqual(p.fit, fit, label, line: row.line) }
        if case let .some(s) = row.start { XCTAssertEqual(p.start, s, "\(label): start", line: row.line) }
        if case let .some(d) = row.duration { XCTAssertEqual(p.duration, d, "\(label): duration", line: row.line) }
    }
}
