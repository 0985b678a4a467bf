/// What a row of the phrase table means.
public enum PhraseMeaning: Equatable, Sendable {
    /// A request: local shaping, something only the cloud agent does, or a session action.
    case intent(Intent)
    /// A local edit, with how its value is read from the phrase.
    case edit(EditKind, EditValue)
    /// Understood, and already part of every plan: nothing to do (the text says why).
    case already(String)
    /// Understood, and not offered: refused on the local route (the text says why), sent along on the cloud route.
    case unsupported(String)
}

/// The local edits a phrase can ask for.
public enum EditKind: String, Sendable, CaseIterable {
    case mute, volume, speed, fadeIn, fadeOut, fade, loudnorm, grayscale

    /// The `Intent` listed in `Plan.intents`.
    public var intent: Intent {
        switch self {
        case .mute: return .mute
        case .volume: return .volume
        case .speed: return .speed
        case .fadeIn, .fadeOut, .fade: return .fade
        case .loudnorm: return .loudness
        case .grayscale: return .grayscale
        }
    }
}

/// How an edit's value comes from the phrase. `n` is the number in the phrase's slot.
public enum EditValue: Equatable, Sendable {
    /// No value (mute, loudness, black and white; fades take the default length).
    case none
    /// Always this value ("louder" = +6 dB, "slow motion" = 0.5×, "fade in" = 1 s).
    case fixed(Double)
    /// n as said ("2x speed", "volume -3 dB", "fade in 2 s").
    case slot
    /// 1 / n ("2x slower").
    case inverse
    /// n / 100 ("50% speed").
    case percent
    /// +|n| ("3 dB louder"), −|n| ("3 dB quieter").
    case up, down
    /// Gain in dB for a level of n % ("volume 50%"), for n % more ("20% louder"), for n % less.
    case percentLevel, percentUp, percentDown
}

public struct PhraseRow: Sendable {
    public let phrases: [String]
    public let meaning: PhraseMeaning
    init(_ phrases: [String], _ meaning: PhraseMeaning) { self.phrases = phrases; self.meaning = meaning }
    init(_ phrases: [String], _ intent: Intent) { self.init(phrases, .intent(intent)) }
    init(_ phrases: [String], edit kind: EditKind, _ value: EditValue = .none) { self.init(phrases, .edit(kind, value)) }
}

/// Every phrasing the planner understands: data, not code. One row per meaning.
///
/// Phrase syntax. English words match whole words, ignoring case; every word also matches its
/// inflections (caption → captions, captioned; trim → trimmed; fade → fading) and, from five
/// letters on, a typo one edit away that keeps the first letter (vertcal, captoins). Chinese
/// characters match in sequence. `…` stands for up to three filler words ("speed … up" matches
/// "speed it up", "speed the video up"). Slots read a value: `{n}` a number ("2", "-3", "两"),
/// `{x}` a factor ("2x", "x2", "2×"), `{sec}` a duration ("2 s", "2 seconds", "2秒"), `{pct}` a
/// percentage ("50%"), `{db}` a gain ("3 dB", "3分贝"), `{lufs}` a loudness ("-14 LUFS").
/// Number words next to a unit are digits by then ("three times", "两倍", "十秒").
///
/// When phrases overlap, the one covering more words wins, then the earlier row: "black and
/// white filter" is black and white, not a cloud filter; "speed it up 2x" is 2×, not 1.5×.
/// A phrase right after a negation ("no", "don't", "without", "不要", "别") is understood as
/// "not that" and does nothing.
public enum PhraseTable {
    public static let rows: [PhraseRow] = generative + local + edits + already + unsupported + session

    // MARK: Only the cloud agent does these.
    static let generative: [PhraseRow] = [
        PhraseRow(["caption", "subtitle", "subs", "closed captions", "auto captions", "text overlay", "字幕"], .captions),
        PhraseRow(["background music", "music", "bgm", "soundtrack", "song", "backing track",
                   "背景音乐", "配乐", "音乐"], .bgm),
        PhraseRow(["transition", "crossfade", "cross fade", "转场", "过渡"], .transitions),
        PhraseRow(["voice over", "voiceover", "narration", "narrate", "narrator", "dub", "dubbing", "tts",
                   "text to speech", "配音", "旁白", "解说"], .voiceover),
        PhraseRow(["effect", "filter", "sticker", "emoji", "reverse", "rewind", "boomerang", "glitch",
                   "特效", "滤镜", "贴纸", "倒放"], .effects),
        PhraseRow(["slideshow", "slide show", "photo video", "photo montage", "photo album",
                   "幻灯片", "相册", "图片视频", "照片视频"], .slideshow),
        PhraseRow(["generate", "make a video about", "create a video about", "video about", "turn this script",
                   "text to video", "生成", "制作一个视频", "做一个视频", "做个视频"], .generate),
        PhraseRow(["merge", "combine", "concatenate", "stitch", "join together", "montage", "合并", "拼接"], .merge),
        PhraseRow(["edit", "highlight", "highlights", "jump cut", "remove … silence", "cut … silence", "silent parts",
                   "dead air", "剪辑", "编辑", "精彩片段", "去掉停顿"], .edit),
        PhraseRow(["title", "title card", "text", "intro card", "end card", "end screen", "watermark", "logo",
                   "标题", "文字", "片头", "片尾", "水印"], .text),
        PhraseRow(["noise", "background noise", "denoise", "noise reduction", "hiss", "wind noise", "echo",
                   "降噪", "噪音", "杂音", "底噪", "去噪"], .denoise),
        PhraseRow(["color grade", "colour grade", "color correct", "colour correct", "color correction", "brighten",
                   "brighter", "sharpen", "sharper", "stabilize", "stabilise", "stabilization", "stabilisation",
                   "enhance", "upscale", "improve … quality", "调色", "美颜", "防抖", "增强", "锐化", "提亮", "画质增强"], .enhance),
    ]

    // MARK: Local shaping and conversion.
    static let local: [PhraseRow] = [
        PhraseRow(["vertical", "portrait", "9:16", "9x16", "1080x1920", "1080 x 1920", "720x1280", "720 x 1280", "tiktok", "tik tok", "reels", "shorts", "instagram",
                   "snapchat", "douyin", "竖屏", "竖版", "竖向", "9比16", "抖音", "快手", "小红书", "视频号"], .vertical),
        PhraseRow(["resize", "scale", "rescale", "1080p", "缩放", "调整大小", "调整尺寸"], .resize),
        PhraseRow(["trim", "cut", "shorten", "shorter", "截取", "裁短", "剪短", "剪掉", "截掉"], .trim),
        PhraseRow(["convert", "conversion", "transcode", "转换", "转码", "转成", "转为"], .convert),
        PhraseRow(["to mp4", "into mp4", "as mp4", "as an mp4", "mp4", "lossless", "losslessly",
                   "without losing quality", "without quality loss", "no quality loss", "keep the quality",
                   "keep quality", "remux", "rewrap", "re wrap", "change container", "change the container",
                   "container change", "无损", "转封装", "换封装", "不损失画质", "不降低画质"], .mp4),
        PhraseRow(["pad", "letterbox", "pillarbox", "black bars", "black bar", "加黑边", "黑边", "留黑边"], .pad),
        PhraseRow(["crop", "fill", "zoom to fill", "zoom in", "center crop", "centre crop", "crop … center", "crop … centre",
                   "crop to … center", "crop to … centre", "crop … middle", "crop to … middle", "裁剪", "裁切", "填满", "铺满",
                   "居中裁剪"], .crop),
        PhraseRow(["blur", "blurry", "blurred background", "blurry background", "background blur", "background with blur",
                   "blur … background", "模糊背景", "背景模糊", "模糊"], .blur),
        PhraseRow(["auto reframe", "autoreframe", "smart reframe", "smart crop", "reframe", "keep the speaker in frame",
                   "keep the speaker in the frame", "keep … in frame", "keep … in the frame", "follow the subject",
                   "follow the speaker", "follow the face", "follow … face", "track the subject", "track the face",
                   "keep the face in frame", "keep the face centred", "keep the face centered", "智能裁剪", "自动构图",
                   "智能构图", "跟随人物", "跟踪人脸", "人物居中"], .reframe),
    ]

    // MARK: Local edits.
    static let edits: [PhraseRow] = mute + volume + speed + fades + [
        PhraseRow(["normalize", "normalise", "normalize … audio", "normalize … volume", "normalize … loudness",
                   "normalize … sound", "normalise … audio", "normalise … volume", "normalise … loudness",
                   "audio normalization", "loudness normalization", "loudness normalisation", "loudnorm",
                   "even out … volume", "even out … audio", "even out … sound", "consistent volume",
                   "tiktok loudness", "标准化音量", "音量标准化", "响度标准化", "标准化响度", "音量均衡", "统一音量",
                   "音量统一", "响度归一化", "音量归一化", "归一化"], edit: .loudnorm),
        PhraseRow(["{lufs}", "normalize … to {lufs}", "normalise … to {lufs}", "loudness {lufs}"], edit: .loudnorm, .slot),
        PhraseRow(["black and white", "black & white", "b & w", "b / w", "grayscale", "greyscale", "gray scale",
                   "grey scale", "monochrome", "desaturate", "black and white filter", "b & w filter",
                   "remove … color", "remove … colour", "no color", "no colour", "without color", "without colour",
                   "黑白", "灰度", "去色", "黑白滤镜", "黑白色", "black and white effect"], edit: .grayscale),
    ]

    static let mute: [PhraseRow] = [
        PhraseRow(["mute", "silent", "no sound", "no audio", "without sound", "without audio", "without … sound",
                   "without … audio", "sound off", "audio off", "remove … audio", "remove … sound", "strip … audio",
                   "strip … sound", "drop … audio", "drop … sound", "delete … audio", "delete … sound",
                   "take out … audio", "take out … sound", "turn off … sound", "turn off … audio", "turn … sound off",
                   "kill … audio", "kill … sound", "get rid of … audio", "get rid of … sound", "lose … audio",
                   "lose … sound", "disable … audio", "cut … audio", "cut … sound",
                   "静音", "消音", "无声", "去掉声音", "去掉音频", "去除声音", "去除音频", "删除声音", "删除音频",
                   "删掉声音", "删掉音频", "关掉声音", "关闭声音", "不要声音", "不要音频", "去掉原声", "去除原声",
                   "移除音频", "移除声音", "没有声音"], edit: .mute),
    ]

    static let volume: [PhraseRow] = [
        PhraseRow(["louder", "more volume", "volume up", "turn up … volume", "turn … volume up", "turn up … sound",
                   "turn … sound up", "increase … volume", "raise … volume", "boost … volume", "boost … audio",
                   "boost … sound", "amplify", "higher volume", "音量调大", "调大音量", "音量大一点", "声音大一点",
                   "大声一点", "大声点", "声音大点", "音量加大", "加大音量", "提高音量", "音量提高", "放大声音",
                   "声音调大", "增大音量", "音量增大"], edit: .volume, .fixed(6)),
        PhraseRow(["a bit louder", "a little louder", "slightly louder", "bit louder", "little louder",
                   "稍微大声一点", "声音稍微大一点"], edit: .volume, .fixed(3)),
        PhraseRow(["much louder", "way louder", "a lot louder"], edit: .volume, .fixed(10)),
        PhraseRow(["quieter", "softer", "less volume", "lower volume", "volume down", "turn down … volume",
                   "turn … volume down", "lower … volume", "decrease … volume", "reduce … volume",
                   "turn down … sound", "turn … sound down", "音量调小", "调小音量", "音量小一点", "声音小一点",
                   "小声一点", "小声点", "声音小点", "降低音量", "音量降低", "减小音量", "声音调小", "调低音量",
                   "音量减小"], edit: .volume, .fixed(-6)),
        PhraseRow(["a bit quieter", "a little quieter", "slightly quieter", "bit quieter", "little quieter",
                   "a bit softer", "稍微小声一点", "声音稍微小一点"], edit: .volume, .fixed(-3)),
        PhraseRow(["much quieter", "way quieter", "a lot quieter", "much softer"], edit: .volume, .fixed(-10)),
        PhraseRow(["half the volume", "half volume", "halve … volume", "音量减半"], edit: .volume, .fixed(-6.02)),
        PhraseRow(["double the volume", "double … volume", "音量加倍"], edit: .volume, .fixed(6.02)),
        PhraseRow(["volume {db}", "{db} volume", "gain {db}", "audio {db}", "sound {db}", "{db}", "音量{db}"], edit: .volume, .slot),
        PhraseRow(["{db} louder", "louder by {db}", "increase … volume by {db}", "raise … volume by {db}",
                   "boost … by {db}", "turn … up by {db}", "volume up {db}", "volume up by {db}",
                   "音量提高{db}", "音量增加{db}", "音量调大{db}", "提高{db}", "增加{db}"], edit: .volume, .up),
        PhraseRow(["{db} quieter", "{db} softer", "quieter by {db}", "lower … volume by {db}",
                   "reduce … volume by {db}", "decrease … volume by {db}", "turn … down by {db}",
                   "volume down {db}", "volume down by {db}", "音量降低{db}", "音量减小{db}", "音量调小{db}",
                   "降低{db}", "减小{db}"], edit: .volume, .down),
        PhraseRow(["volume {pct}", "{pct} volume", "volume to {pct}", "volume at {pct}", "音量{pct}",
                   "音量调到{pct}", "音量调至{pct}"], edit: .volume, .percentLevel),
        PhraseRow(["{pct} louder", "louder by {pct}", "increase … volume by {pct}", "boost … volume by {pct}",
                   "raise … volume by {pct}", "volume up by {pct}", "音量提高{pct}", "音量增加{pct}"], edit: .volume, .percentUp),
        PhraseRow(["{pct} quieter", "quieter by {pct}", "softer by {pct}", "reduce … volume by {pct}", "lower … volume by {pct}",
                   "decrease … volume by {pct}", "volume down by {pct}", "音量降低{pct}", "音量减少{pct}"], edit: .volume, .percentDown),
    ]

    static let speed: [PhraseRow] = [
        PhraseRow(["{x}", "{x} speed", "speed {x}", "speed to {x}", "speed at {x}", "speed of {x}", "at {x}", "at {x} speed",
                   "{x} faster", "{x} fast", "speed … up {x}", "speed … up by {x}", "speed … up to {x}",
                   "sped … up {x}", "{x} playback", "playback speed {x}", "playback speed {n}", "play … at {x}",
                   "{n} times faster", "{n} times as fast", "{n} times the speed", "{n} times speed",
                   "{n} times normal speed", "speed … up {n} times", "{x} speed up", "speed up {x}",
                   "{n}倍速", "{n}倍速度", "{n}倍速播放", "{n}倍播放", "加速{n}倍", "加速到{n}倍", "快{n}倍",
                   "{n}倍快", "速度{x}", "{n}倍的速度"], edit: .speed, .slot),
        PhraseRow(["{x} slower", "{n} times slower", "slow … down {x}", "slow … down by {x}",
                   "slow … down {n} times", "放慢{n}倍", "慢{n}倍", "减速{n}倍"], edit: .speed, .inverse),
        PhraseRow(["{pct} speed", "speed {pct}", "speed to {pct}", "play … at {pct}", "{pct}速度"], edit: .speed, .percent),
        PhraseRow(["twice as fast", "twice the speed", "double speed", "double the speed", "double … speed",
                   "fast forward", "much faster", "way faster", "a lot faster", "快进"], edit: .speed, .fixed(2)),
        PhraseRow(["half speed", "half the speed", "half as fast", "slow motion", "slow mo", "slowmo", "slomo",
                   "slo mo", "slow motion effect", "much slower", "way slower", "a lot slower", "半速", "慢动作", "慢镜头", "慢放",
                   "一半速度", "速度减半"], edit: .speed, .fixed(0.5)),
        PhraseRow(["speed … up", "sped … up", "faster", "quicker", "make … faster", "increase … speed",
                   "加速", "加快", "加快速度", "提速", "速度快一些"], edit: .speed, .fixed(1.5)),
        PhraseRow(["speed … up a bit", "speed … up a little", "speed … up slightly", "a bit faster",
                   "a little faster", "slightly faster", "bit faster", "little faster",
                   "快一点", "快点", "稍微快一点", "稍微加速", "稍微快点"], edit: .speed, .fixed(1.25)),
        PhraseRow(["slow … down", "slower", "decrease … speed", "reduce … speed", "减速", "放慢"], edit: .speed, .fixed(0.75)),
        PhraseRow(["slow … down a bit", "slow … down a little", "a bit slower", "a little slower",
                   "slightly slower", "bit slower", "little slower", "慢一点", "慢点", "稍微慢一点", "稍微放慢"],
                  edit: .speed, .fixed(0.8)),
    ]

    static let fades: [PhraseRow] = [
        PhraseRow(["fade in", "fade from black", "fade … in", "fade in at … start", "fade in at … beginning",
                   "fade from black at … start", "fade from black at … beginning",
                   "淡入", "渐入", "渐显"], edit: .fadeIn, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["fade in {sec}", "fade in for {sec}", "fade in over {sec}", "fade in of {sec}", "{sec} fade in",
                   "fade in … first {sec}", "fade in over … first {sec}", "fade in during … first {sec}",
                   "fade … in over {sec}", "淡入{sec}", "{sec}淡入", "{sec}的淡入"], edit: .fadeIn, .slot),
        PhraseRow(["fade out", "fade to black", "fade … out", "fade out at … end", "fade … out at … end",
                   "fade to black at … end",
                   "淡出", "渐出", "渐隐"], edit: .fadeOut, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["fade out {sec}", "fade out for {sec}", "fade out over {sec}", "fade out of {sec}", "{sec} fade out",
                   "fade out … last {sec}", "fade out over … last {sec}", "fade out during … last {sec}",
                   "fade … out over {sec}", "淡出{sec}", "{sec}淡出", "{sec}的淡出"], edit: .fadeOut, .slot),
        PhraseRow(["fade", "fade effect", "fade in and out", "fade in & out", "fade in / out", "fade it in and out",
                   "淡入淡出", "渐入渐出"], edit: .fade, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["fade in and out {sec}", "fade in and out over {sec}", "{sec} fade in and out", "{sec} fades",
                   "淡入淡出{sec}", "{sec}淡入淡出"], edit: .fade, .slot),
    ]

    // MARK: Already part of every plan.
    static let already: [PhraseRow] = [
        PhraseRow(["high quality", "best quality", "good quality", "hd", "full hd", "hq", "high definition",
                   "高清", "高画质", "画质好", "超清"],
                  .already("the conversion already keeps upload quality (1080x1920 x264, or no loss with the mp4 plan)")),
        PhraseRow(["compress", "make … smaller", "smaller file", "压缩"],
                  .already("the tiktok plan re-encodes at x264 CRF 21, TikTok's upload quality; a size target is not offered")),
        PhraseRow(["keep … whole picture", "whole picture", "full picture", "entire picture", "nothing cut off",
                   "完整画面", "保留完整画面", "不裁剪画面"],
                  .already("blur and pad keep the whole picture; only crop cuts the edges")),
        PhraseRow(["keep … audio", "keep … sound", "with sound", "with audio", "保留声音", "保留原声", "保留音频"],
                  .already("the sound is kept")),
    ]

    // MARK: Understood, not offered.
    static let unsupported: [PhraseRow] = [
        PhraseRow(["a gif", "to gif", "into gif", "as gif", "animated gif", "to avi", "to mov", "to mkv", "to webm", "to flv",
                   "to wmv", "as avi", "as mov", "as mkv", "as webm", "转成gif", "动图"],
                  .unsupported("tikconv writes MP4 only (what TikTok takes)")),
        PhraseRow(["{n} fps", "frame rate", "framerate", "fps", "帧率"],
                  .unsupported("the frame rate follows the source (23–60 fps kept, slower sources at 30, faster at 60); setting one is not offered")),
        PhraseRow(["{n} mb", "under {n} mb", "smaller than {n} mb", "less than {n} mb", "file size", "{n} mb以内", "{n}mb以内"],
                  .unsupported("a file-size target is not offered; the tiktok plan encodes at x264 CRF 21")),
        PhraseRow(["4k", "in 4k", "2160p", "uhd", "8k"], .unsupported("the output is 1080x1920, TikTok's size")),
    ]

    // MARK: Cloud-session actions.
    static let session: [PhraseRow] = [
        PhraseRow(["export", "render", "导出", "渲染"], .export),
        PhraseRow(["upload", "上传"], .upload),
        PhraseRow(["credit", "credit balance", "account balance", "my balance", "quota", "积分", "余额", "额度", "点数"], .credits),
        PhraseRow(["status", "progress", "状态", "进度"], .status),
    ]
}
