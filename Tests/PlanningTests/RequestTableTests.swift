import Foundation
import XCTest
import MediaProbe
@testable import Planning

/// The request table: every request is read part by part, and each part is done locally, sent to
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
    struct Part: Equatable, CustomStringConvertible {
        var phrase: String
        var kind: String
        var description: String { "\(kind)('\(phrase)')" }
    }
    static func localPart(_ s: String) -> Part { Part(phrase: s, kind: "local") }
    static func cloudPart(_ s: String) -> Part { Part(phrase: s, kind: "cloud") }
    static func refusedPart(_ s: String) -> Part { Part(phrase: s, kind: "refused") }
    static func nothingPart(_ s: String) -> Part { Part(phrase: s, kind: "nothing") }

    struct Row {
        var inputs: [ProbeReport]
        var prompt: String?
        var flags: PlanFlags
        var route: Route
        var parts: [Part]
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

    static func edits(mute: Bool = false, volume: Double? = nil, speed: Double? = nil, fadeIn: Double? = nil,
                  fadeOut: Double? = nil, loudnorm: Bool = false, grayscale: Bool = false) -> LocalEdits {
        LocalEdits(mute: mute, volumeDB: volume, speed: speed, fadeIn: fadeIn, fadeOut: fadeOut, loudnorm: loudnorm, grayscale: grayscale)
    }

    static func row(_ prompt: String?, _ route: Route, _ parts: [Part] = [], _ edits: LocalEdits = LocalEdits(),
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
        row("speed it up 2x", local, [localPart("speed it up 2x")], edits(speed: 2), steps: ["speed 2× (audio pitch kept)"], fit: .smart),
        row("add a title card saying Hello", agent, [cloudPart("title card saying Hello")], why: ["'title card' (titles and text) → cloud"]),
        row("remove the background noise", agent, [cloudPart("background noise")], why: ["'background noise' (noise removal) → cloud"]),
        row("make it black and white", local, [localPart("black and white")], edits(grayscale: true), steps: ["black and white"]),
        row("speed it up 2x", local, [localPart("speed it up 2x")], edits(speed: 2), flags: forceLocal),
        row("add a title card saying Hello", .error(.needsCloud(part: "titles and text")), flags: forceLocal),
        row("remove the background noise", .error(.needsCloud(part: "noise removal")), flags: forceLocal),
        row("make it black and white", local, [localPart("black and white")], edits(grayscale: true), flags: forceLocal),
    ]

    // MARK: The seeds' own phrasings (README, cloud protocol, fuzz seeds)
    static let seeds: [Row] = [
        row("convert this video to vertical 9:16", local, [localPart("convert"), localPart("vertical"), localPart("9:16")], fit: .smart),
        row("convert this AVI file to MP4 without losing quality", mp4, [localPart("convert"), localPart("to MP4"), localPart("without losing quality")],
          inputs: [Fx.avi()]),
        row("无损转换为MP4", mp4, [localPart("无损"), localPart("转换"), localPart("MP4")], inputs: [Fx.avi()]),
        row("slideshow with music and transitions", .cloud(.photoVideo), [cloudPart("slideshow"), cloudPart("music"), cloudPart("transitions")], inputs: photos),
        row("add captions and background music", agent, [cloudPart("captions"), cloudPart("background music")]),
        row("加字幕和背景音乐", agent, [cloudPart("字幕"), cloudPart("背景音乐")]),
        row("make the captions bigger", agent, [cloudPart("captions bigger")]),
        row("make the captions bigger", .cloud(.textToTikTok), [cloudPart("captions bigger")], inputs: []),
        row("first 15 seconds", local, [localPart("first 15 seconds")], steps: ["trim first 15 s"], start: .some(nil), duration: 15),
        row("vertical 9:16", local, [localPart("vertical"), localPart("9:16")]),
        row(nil, local, [], why: ["video input with no prompt → local tiktok plan"]),
        row(nil, .cloud(.textToTikTok), [], inputs: [Fx.script()]),
        row("cut the first 3 seconds and make it vertical", local, [localPart("cut the first 3 seconds"), localPart("vertical")],
          start: 3, duration: .some(nil)),
        row("去掉前5秒，不要音乐", local, [localPart("去掉前5秒"), nothingPart("不要音乐")], start: 5, duration: .some(nil)),
        row("trim from 0:05 to 0:20", local, [localPart("trim from 0:05 to 0:20")], start: 5, duration: 15),
        row("竖屏 9:16，加字幕", agent, [cloudPart("竖屏"), cloudPart("9:16"), cloudPart("字幕")]),
        row("keep 00:01:02.5-00:01:10, crop, focus on the face", agent,
          [cloudPart("00:01:02.5-00:01:10"), cloudPart("crop"), cloudPart("focus on the face")], inputs: [long], start: 62.5, duration: 7.5),
        row("no music, without captions, blur background", local, [nothingPart("no music"), nothingPart("without captions"), localPart("blur background")], fit: .blur),
    ]

    // MARK: Speed
    static let speed: [Row] = [
        row("speed it up a bit", local, [localPart("speed it up a bit")], edits(speed: 1.25)),
        row("speed up the video", local, [localPart("speed up")], edits(speed: 1.5)),
        row("make it twice as fast", local, [localPart("twice as fast")], edits(speed: 2)),
        row("three times faster", local, [localPart("three times faster")], edits(speed: 3)),
        row("2x speed", local, [localPart("2x speed")], edits(speed: 2)),
        row("2x", local, [localPart("2x")], edits(speed: 2)),
        row("make it 1.5x", local, [localPart("1.5x")], edits(speed: 1.5)),
        row("resize to 1080x1920", local, [localPart("resize"), localPart("1080x1920")], edits()),
        row("1920 x 1080 to 1080 x 1920", local, [refusedPart("1920 x 1080 to"), localPart("1080 x 1920")], edits()),
        row("play it at 1.5x", local, [localPart("play it at 1.5x")], edits(speed: 1.5)),
        row("half speed", local, [localPart("half speed")], edits(speed: 0.5)),
        row("slow it down", local, [localPart("slow it down")], edits(speed: 0.75)),
        row("slow it down a little", local, [localPart("slow it down a little")], edits(speed: 0.8)),
        row("slow motion", local, [localPart("slow motion")], edits(speed: 0.5), steps: ["speed 0.5× (audio pitch kept)"]),
        row("50% speed", local, [localPart("50% speed")], edits(speed: 0.5)),
        row("speed x2", local, [localPart("speed x2")], edits(speed: 2)),
        row("4x speed", local, [localPart("4x speed")], edits(speed: 4)),
        row("0.25x speed", local, [localPart("0.25x speed")], edits(speed: 0.25)),
        row("speed 10x", local, [refusedPart("speed 10x")], edits()),
        row("0.1x speed", local, [refusedPart("0.1x speed")], edits()),
        row("speed 1x", local, [nothingPart("speed 1x")], edits()),
    ]

    // MARK: Sound: mute, volume, loudness
    static let sound: [Row] = [
        row("mute", local, [localPart("mute")], edits(mute: true), steps: ["remove the sound (muted)", "encode H.264 High 1080x1920 30 fps, no audio (muted)"]),
        row("muted", local, [localPart("muted")], edits(mute: true)),
        row("remove the audio", local, [localPart("remove the audio")], edits(mute: true)),
        row("no sound", local, [localPart("no sound")], edits(mute: true)),
        row("without audio", local, [localPart("without audio")], edits(mute: true)),
        row("strip the audio", local, [localPart("strip the audio")], edits(mute: true)),
        row("louder", local, [localPart("louder")], edits(volume: 6), steps: ["volume +6 dB"]),
        row("make it louder", local, [localPart("louder")], edits(volume: 6)),
        row("a bit louder", local, [localPart("a bit louder")], edits(volume: 3)),
        row("much louder", local, [localPart("much louder")], edits(volume: 10)),
        row("quieter", local, [localPart("quieter")], edits(volume: -6), steps: ["volume -6 dB"]),
        row("turn the volume down", local, [localPart("turn the volume down")], edits(volume: -6)),
        row("turn up the volume", local, [localPart("turn up the volume")], edits(volume: 6)),
        row("volume +3 dB", local, [localPart("volume +3 dB")], edits(volume: 3)),
        row("volume -5dB", local, [localPart("volume -5dB")], edits(volume: -5)),
        row("3 dB louder", local, [localPart("3 dB louder")], edits(volume: 3)),
        row("reduce the volume by 6 dB", local, [localPart("reduce the volume by 6 dB")], edits(volume: -6)),
        row("volume 50%", local, [localPart("volume 50%")], edits(volume: db(0.5))),
        row("20% louder", local, [localPart("20% louder")], edits(volume: db(1.2))),
        row("half the volume", local, [localPart("half the volume")], edits(volume: -6.02)),
        row("volume 0%", local, [localPart("volume 0%")], edits(mute: true)),
        row("volume +40 dB", local, [refusedPart("volume +40 dB")], edits()),
        row("normalize audio", local, [localPart("normalize audio")], edits(loudnorm: true),
          steps: ["normalise loudness to -14 LUFS (TikTok's level)"]),
        row("normalise the volume", local, [localPart("normalise the volume")], edits(loudnorm: true)),
        row("loudness normalization", local, [localPart("loudness normalization")], edits(loudnorm: true)),
        row("even out the audio", local, [localPart("even out the audio")], edits(loudnorm: true)),
        row("-14 LUFS", local, [localPart("-14 LUFS")], edits(loudnorm: true)),
        row("normalize to -16 LUFS", local, [refusedPart("normalize to -16 LUFS")], edits()),
    ]

    // MARK: Fades
    static let fades: [Row] = [
        row("fade in", local, [localPart("fade in")], edits(fadeIn: 1), steps: ["fade in from black over 1 s (picture and sound)"]),
        row("fade out", local, [localPart("fade out")], edits(fadeOut: 1), steps: ["fade out to black over 1 s (picture and sound)"]),
        row("fade in and out", local, [localPart("fade in and out")], edits(fadeIn: 1, fadeOut: 1)),
        row("fade in 2 seconds", local, [localPart("fade in 2 seconds")], edits(fadeIn: 2)),
        row("fade out over 3 seconds", local, [localPart("fade out over 3 seconds")], edits(fadeOut: 3)),
        row("2 second fade in", local, [localPart("2 second fade in")], edits(fadeIn: 2)),
        row("fade out the last 3 seconds", local, [localPart("fade out the last 3 seconds")], edits(fadeOut: 3), start: .some(nil), duration: .some(nil)),
        row("fade in over the first two seconds", local, [localPart("fade in over the first two seconds")], edits(fadeIn: 2), duration: .some(nil)),
        row("fade to black at the end", local, [localPart("fade to black at the end")], edits(fadeOut: 1)),
        row("fade in 40 seconds", local, [refusedPart("fade in 40 seconds")], edits()),
    ]

    // MARK: Black and white
    static let looks: [Row] = [
        row("black & white", local, [localPart("black & white")], edits(grayscale: true)),
        row("b&w", local, [localPart("b&w")], edits(grayscale: true)),
        row("grayscale", local, [localPart("grayscale")], edits(grayscale: true)),
        row("monochrome", local, [localPart("monochrome")], edits(grayscale: true)),
        row("desaturate it", local, [localPart("desaturate")], edits(grayscale: true)),
    ]

    // MARK: Chinese
    static let chinese: [Row] = [
        row("两倍速", local, [localPart("两倍速")], edits(speed: 2)),
        row("1.5倍速", local, [localPart("1.5倍速")], edits(speed: 1.5)),
        row("三倍速播放", local, [localPart("三倍速播放")], edits(speed: 3)),
        row("慢动作", local, [localPart("慢动作")], edits(speed: 0.5)),
        row("放慢两倍", local, [localPart("放慢两倍")], edits(speed: 0.5)),
        row("加速", local, [localPart("加速")], edits(speed: 1.5)),
        row("快一点", local, [localPart("快一点")], edits(speed: 1.25)),
        row("十倍速", local, [refusedPart("十倍速")], edits()),
        row("静音", local, [localPart("静音")], edits(mute: true)),
        row("去掉声音", local, [localPart("去掉声音")], edits(mute: true)),
        row("不要静音", local, [nothingPart("不要静音")], edits()),
        row("音量调大", local, [localPart("音量调大")], edits(volume: 6)),
        row("声音小一点", local, [localPart("声音小一点")], edits(volume: -6)),
        row("音量提高3分贝", local, [localPart("音量提高3分贝")], edits(volume: 3)),
        row("音量50%", local, [localPart("音量50%")], edits(volume: db(0.5))),
        row("淡入", local, [localPart("淡入")], edits(fadeIn: 1)),
        row("淡出", local, [localPart("淡出")], edits(fadeOut: 1)),
        row("淡入淡出", local, [localPart("淡入淡出")], edits(fadeIn: 1, fadeOut: 1)),
        row("淡入2秒", local, [localPart("淡入2秒")], edits(fadeIn: 2)),
        row("标准化音量", local, [localPart("标准化音量")], edits(loudnorm: true)),
        row("响度标准化", local, [localPart("响度标准化")], edits(loudnorm: true)),
        row("黑白", local, [localPart("黑白")], edits(grayscale: true)),
        row("变成黑白", local, [localPart("黑白")], edits(grayscale: true)),
        row("前十秒", local, [localPart("前十秒")], duration: 10),
        row("帮我把视频转成竖屏，谢谢", local, [localPart("转成"), localPart("竖屏")]),
    ]

    // MARK: Several edits at once, with trims and fits
    static let mixed: [Row] = [
        row("first 20 seconds, muted, vertical", local, [localPart("first 20 seconds"), localPart("muted"), localPart("vertical")], edits(mute: true),
          steps: ["trim first 20 s", "remove the sound (muted)"], fit: .smart, duration: 20),
        row("make it vertical and speed it up 2x", local, [localPart("vertical"), localPart("speed it up 2x")], edits(speed: 2)),
        row("vertical, louder, fade out, black and white, first 30 seconds", local,
          [localPart("vertical"), localPart("louder"), localPart("fade out"), localPart("black and white"), localPart("first 30 seconds")],
          edits(volume: 6, fadeOut: 1, grayscale: true), duration: 30),
        row("转成竖屏然后静音", local, [localPart("转成"), localPart("竖屏"), localPart("静音")], edits(mute: true)),
        row("加速两倍并且淡入淡出", local, [localPart("加速两倍"), localPart("淡入淡出")], edits(speed: 2, fadeIn: 1, fadeOut: 1)),
        row("两倍速，静音，前30秒", local, [localPart("两倍速"), localPart("静音"), localPart("前30秒")], edits(mute: true, speed: 2), duration: 30),
        row("黑白，淡入淡出", local, [localPart("黑白"), localPart("淡入淡出")], edits(fadeIn: 1, fadeOut: 1, grayscale: true)),
        row("慢动作，去掉声音", local, [localPart("慢动作"), localPart("去掉声音")], edits(mute: true, speed: 0.5)),
        row("crop it, slow motion, no sound", local, [localPart("crop"), localPart("slow motion"), localPart("no sound")], edits(mute: true, speed: 0.5), fit: .crop),
        row("letterbox it and make it quieter", local, [localPart("letterbox"), localPart("quieter")], edits(volume: -6), fit: .pad),
        row("trim to 30s, fade in and out, normalize audio", local, [localPart("trim to 30s"), localPart("fade in and out"), localPart("normalize audio")],
          edits(fadeIn: 1, fadeOut: 1, loudnorm: true), duration: 30),
        row("mute and export", local, [localPart("mute"), localPart("export")], edits(mute: true)),
        row("make it vertical for tiktok and instagram reels", local, [localPart("vertical"), localPart("tiktok"), localPart("instagram"), localPart("reels")]),
    ]

    // MARK: The mp4 plan with edits: what they touch is re-encoded
    static let mp4Plan: [Row] = [
        row("to mp4, muted", mp4, [localPart("to mp4"), localPart("muted")], edits(mute: true), steps: ["copy video h264", "drop audio aac (muted)"]),
        row("remux and mute", mp4, [localPart("remux"), localPart("mute")], edits(mute: true)),
        row("lossless mp4 but twice as fast", mp4, [localPart("lossless"), localPart("mp4"), localPart("twice as fast")], edits(speed: 2),
          steps: ["re-encode video h264 → h264 (speed 2×)", "re-encode audio aac → aac (speed 2×)"]),
        row("convert to mp4 and make it louder", mp4, [localPart("convert"), localPart("to mp4"), localPart("louder")], edits(volume: 6), inputs: [Fx.avi()],
          steps: ["re-encode video mpeg4 → h264 (plays poorly in MP4)", "re-encode audio mp3 → aac (volume +6 dB)"]),
        row("make it black and white", mp4, [localPart("black and white")], edits(grayscale: true), flags: Fx.flags(to: .mp4),
          steps: ["re-encode video h264 → h264 (black and white)", "copy audio aac"]),
        row("make it vertical", mp4, [refusedPart("vertical")], inputs: [Fx.avi()], flags: Fx.flags(to: .mp4)),
        row("export as mp4", mp4, [localPart("export"), localPart("as mp4")]),
    ]

    // MARK: Out of range, conflicting, cancelling
    static let conflicts: [Row] = [
        row("2x speed and slow motion", local, [localPart("2x speed"), refusedPart("slow motion")], edits(speed: 2)),
        row("mute it and make it louder", local, [localPart("mute"), refusedPart("louder")], edits(mute: true)),
        row("normalize audio and make it louder", local, [localPart("normalize audio"), refusedPart("louder")], edits(loudnorm: true)),
        row("fade in 2 seconds and fade out 2 seconds", local, [localPart("fade in 2 seconds"), refusedPart("fade out 2 seconds")], edits(fadeIn: 2), inputs: [short]),
        row("first 2 seconds, fade in and out", local, [localPart("first 2 seconds"), localPart("fade in and out")], edits(fadeIn: 1, fadeOut: 1), duration: 2),
        row("first 2 seconds, 2x speed, fade in and out", local, [localPart("first 2 seconds"), localPart("2x speed"), refusedPart("fade in and out")],
          edits(speed: 2), duration: 2),
        row("mute", local, [localPart("mute")], edits(mute: true), inputs: [silent],
          steps: ["no audio in silent.mp4: the sound edits have nothing to change", "encode H.264 High 1080x1920 30 fps, no audio"]),
    ]

    // MARK: Negation
    static let negation: [Row] = [
        row("don't mute", local, [nothingPart("don't mute")], edits()),
        row("no captions", local, [nothingPart("no captions")]),
        row("don't add music, just make it vertical", local, [nothingPart("don't add music"), localPart("vertical")]),
        row("letterbox it, don't crop", local, [localPart("letterbox"), nothingPart("don't crop")], fit: .pad),
        row("不要字幕，转成竖屏", local, [nothingPart("不要字幕"), localPart("转成"), localPart("竖屏")]),
        row("no need to mute", local, [nothingPart("no need to mute")], edits()),
        row("without music, 2x speed", local, [nothingPart("without music"), localPart("2x speed")], edits(speed: 2)),
        row("不要加字幕", local, [nothingPart("不要加字幕")]),
    ]

    // MARK: What the local engine does not do → the agent, naming the words
    static let unknown: [Row] = [
        row("make it punchier", agent, [cloudPart("make it punchier")], why: ["'make it punchier' is not something the local engine does"]),
        row("jazz it up", agent, [cloudPart("jazz it up")], why: ["'jazz it up' is not something the local engine does"]),
        row("rotate 90 degrees", agent, [cloudPart("rotate 90 degrees")]),
        row("flip it horizontally", agent, [cloudPart("flip it horizontally")]),
        row("stabilize the shaky footage", agent, [cloudPart("stabilize the shaky footage")]),
        row("remove the watermark", agent, [cloudPart("watermark")]),
        row("add my logo in the corner", agent, [cloudPart("logo in the corner")]),
        row("translate the subtitles to spanish", agent, [cloudPart("translate the subtitles to spanish")]),
        row("把视频变得更有趣", agent, [cloudPart("把视频变得更有趣")]),
        row("这个视频去掉水印", agent, [cloudPart("水印")]),
        row("make it pop", agent, [cloudPart("make it pop")]),
        row("make it musical", agent, [cloudPart("make it musical")]),
        row("make it more effective on tiktok", agent, [cloudPart("make it more effective on"), cloudPart("tiktok")]),
        row("speed it up 2x and add a title", agent, [cloudPart("speed it up 2x"), cloudPart("title")]),
        row("make it louder and add music", agent, [cloudPart("louder"), cloudPart("music")]),
        row("add captions in yellow", agent, [cloudPart("captions in yellow")]),
        row("trim the boring parts", agent, [cloudPart("trim the boring parts")], why: ["names no times"]),
        row("trim the boring parts", .error(.trimNeedsTimes), flags: forceLocal),
        row("jazz it up", .error(.needsCloud(part: "jazz it up")), flags: forceLocal),
        row("rotate 90 degrees and mute", .error(.needsCloud(part: "rotate 90 degrees")), flags: forceLocal),
        row("make it vertical and add music", .error(.needsCloud(part: "background music")), flags: forceLocal),
        row("it's for my grandma", agent, [cloudPart("it's for my grandma")]),
    ]

    // MARK: Misspelled
    static let misspelled: [Row] = [
        row("vertcal please", local, [localPart("vertcal")], fit: .smart),
        row("verticle", local, [localPart("verticle")]),
        row("slow motoin", local, [localPart("slow motoin")], edits(speed: 0.5)),
        row("blakc and white", local, [localPart("blakc and white")], edits(grayscale: true)),
        row("loudr", local, [localPart("loudr")], edits(volume: 6)),
        row("normalise the audoi", local, [localPart("normalise the audoi")], edits(loudnorm: true)),
        row("letterbx it", local, [localPart("letterbx")], fit: .pad),
        row("add captoins", agent, [cloudPart("captoins")]),
        row("subtitels", agent, [cloudPart("subtitels")]),
        row("musik please", agent, [cloudPart("musik")]),
    ]

    // MARK: Not a request
    static let notRequests: [Row] = [
        row("asdfghjkl", .error(.notUnderstood(words: "asdfghjkl"))),
        row("qwerty uiop", .error(.notUnderstood(words: "qwerty uiop"))),
        row("clip.mp4", .error(.promptIsFileName("clip.mp4"))),
        row("IMG_2034.MOV", .error(.promptIsFileName("IMG_2034.MOV"))),
        row("!!!", .error(.notUnderstood(words: "!!!"))),
        row("🔥🔥🔥", .error(.notUnderstood(words: "🔥🔥🔥"))),
        row("12345", .error(.notUnderstood(words: "12345"))),
        row("lorem ipsum dolor sit amet", .error(.notUnderstood(words: "lorem ipsum dolor sit amet"))),
        row("asdfgh", .error(.notUnderstood(words: "asdfgh")), inputs: []),
        row("please", .error(.notUnderstood(words: "please")), inputs: []),
        row("hazlo vertical", local, [refusedPart("hazlo"), localPart("vertical")]),
        row("xyzzy, mute", local, [refusedPart("xyzzy"), localPart("mute")], edits(mute: true)),
        row("convert clip.mp4 to vertical", local, [localPart("convert"), nothingPart("clip.mp4"), localPart("vertical")]),
        row("please", local, [], why: ["the prompt asks for nothing beyond the default"]),
        row("asdfgh", agent, [cloudPart("asdfgh")], flags: Fx.flags(cloud: true)),
    ]

    // MARK: Photos, scripts, audio, nothing
    static let otherInputs: [Row] = [
        row("make it louder", .cloud(.photoVideo), [cloudPart("louder")], inputs: photos),
        row("mute", .cloud(.textToTikTok), [cloudPart("mute")], inputs: [Fx.script()]),
        row("louder", .error(.needsCloud(part: "louder on an audio-only input (the offline audiogram keeps the sound as it is)")),
          inputs: [Fx.audioOnly()]),
        row("jazz it up", agent, [cloudPart("jazz it up")], inputs: [Fx.audioOnly()]),
        row("mute", .error(.noInputToConvert(what: "'mute'")), inputs: []),
        row("speed it up 2x", .error(.noInputToConvert(what: "'speed it up 2x'")), inputs: []),
        row("a day in the life of a cat", .cloud(.textToTikTok), [cloudPart("a day in the life of a cat")], inputs: []),
        row("生成一个关于猫的视频", .cloud(.textToTikTok), [cloudPart("生成一个关于猫的视频")], inputs: []),
        row("check my credits", agent, [cloudPart("credits")], inputs: []),
        row("mute", agent, [cloudPart("mute")], inputs: [v, Fx.audioOnly()]),
        row("mute", .error(.needsCloud(part: "background music from an audio file")), inputs: [v, Fx.audioOnly()], flags: forceLocal),
    ]

    // MARK: Flags, things already done, things not offered
    static let flagsAndAnswers: [Row] = [
        row("I want it in portrait mode", local, [localPart("portrait")]),
        row("remove the first 2 seconds and the last 2 seconds", local, [localPart("remove the first 2 seconds and the last 2 seconds")],
          start: 2, duration: 56),
        row("去掉开头2秒和结尾3秒", local, [localPart("去掉开头2秒和结尾3秒")], start: 2, duration: 55),
        row("make the audio quieter and fade it out", local, [localPart("make the audio quieter"), localPart("fade it out")], edits(volume: -6, fadeOut: 1)),
        row("make it quieter by 50%", local, [localPart("quieter by 50%")], edits(volume: db(0.5))),
        row("crop to the center", local, [localPart("crop to the center")], fit: .crop),
        // Quoted text is a title made offline; "add a title" with no text is the agent's.
        row("add text \"Follow me\" at the end", local, [localPart("add text \"Follow me\" at the end")]),
        row("convert this gif to a gif", local, [localPart("convert"), refusedPart("a gif")]),
        row("compress it", local, [nothingPart("compress")]),
        row("under 50 MB, 60 fps", local, [refusedPart("under 50 MB"), refusedPart("60 fps")]),
        row("export in 4k", agent, [cloudPart("export"), cloudPart("in 4k")]),
        row("加上淡入淡出效果", local, [localPart("淡入淡出")], edits(fadeIn: 1, fadeOut: 1)),
        row("剪掉开头3秒", local, [localPart("剪掉开头3秒")], start: 3),
        row("只要前30秒", local, [localPart("前30秒")], duration: 30),
        row("make it shorter", agent, [cloudPart("shorter")], why: ["names no times"]),
        row("make it shorter", .error(.trimNeedsTimes), flags: forceLocal),
        row("fix the audio", agent, [cloudPart("fix the audio")]),
        row("letterbox it", local, [nothingPart("letterbox")], flags: Fx.flags(fit: .crop), fit: .crop),
        row("first 15 seconds", local, [localPart("first 15 seconds")], flags: Fx.flags(start: 5, duration: 10),
          steps: ["trim 5–15 s"], start: 5, duration: 10),
        row("speed it up 2x", agent, [cloudPart("speed it up 2x")], flags: Fx.flags(cloud: true), why: ["--cloud forces the cloud route"]),
        row("high quality please", local, [nothingPart("high quality")]),
        row("keep the audio", local, [nothingPart("keep the audio")]),
        row("fill the background with blur", local, [nothingPart("fill"), localPart("background with blur")], fit: .blur),
        row("add black bars, keep the whole picture", local, [localPart("black bars"), nothingPart("keep the whole picture")], fit: .pad),
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
        XCTAssertEqual(p.parts.map { Part(phrase: $0.phrase, kind: $0.disposition.kind) }, row.parts,
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
