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
    public static let rows: [PhraseRow] = generative + local + edits + already + unsupported + session + layouts + Chinese.rows

    // MARK: Only the cloud agent does these.
    static let generative: [PhraseRow] = [
        PhraseRow(["caption", "subtitle", "subs", "closed captions", "auto captions", "text overlay"], .captions),
        PhraseRow(["background music", "music", "bgm", "soundtrack", "song", "backing track"], .bgm),
        PhraseRow(["transition", "crossfade", "cross fade"], .transitions),
        PhraseRow(["voice over", "voiceover", "narration", "narrate", "narrator", "dub", "dubbing", "tts",
                   "text to speech"], .voiceover),
        PhraseRow(["effect", "filter", "sticker", "emoji", "reverse", "rewind", "boomerang", "glitch"], .effects),
        PhraseRow(["slideshow", "slide show", "photo video", "photo montage", "photo album"], .slideshow),
        PhraseRow(["generate", "make a video about", "create a video about", "video about", "turn this script",
                   "text to video"], .generate),
        PhraseRow(["merge", "combine", "concatenate", "stitch", "join together", "montage"], .merge),
        PhraseRow(["edit", "highlight", "highlights", "jump cut", "remove … silence", "cut … silence", "silent parts",
                   "dead air"], .edit),
        PhraseRow(["title", "title card", "text", "intro card", "end card", "end screen", "watermark", "logo"], .text),
        PhraseRow(["noise", "background noise", "denoise", "noise reduction", "hiss", "wind noise", "echo"], .denoise),
        PhraseRow(["color grade", "colour grade", "color correct", "colour correct", "color correction", "brighten",
                   "brighter", "sharpen", "sharper", "stabilize", "stabilise", "stabilization", "stabilisation",
                   "enhance", "upscale", "improve … quality"], .enhance),
    ]

    // MARK: Local shaping and conversion.
    static let local: [PhraseRow] = [
        PhraseRow(["vertical", "portrait", "9:16", "9x16", "1080x1920", "1080 x 1920", "720x1280", "720 x 1280", "tiktok", "tik tok", "reels", "shorts", "instagram",
                   "snapchat", "douyin"], .vertical),
        PhraseRow(["resize", "scale", "rescale", "1080p"], .resize),
        PhraseRow(["trim", "cut", "shorten", "shorter"], .trim),
        PhraseRow(["convert", "conversion", "transcode"], .convert),
        PhraseRow(["to mp4", "into mp4", "as mp4", "as an mp4", "mp4", "lossless", "losslessly",
                   "without losing quality", "without quality loss", "no quality loss", "keep the quality",
                   "keep quality", "remux", "rewrap", "re wrap", "change container", "change the container",
                   "container change"], .mp4),
        PhraseRow(["pad", "letterbox", "pillarbox", "black bars", "black bar"], .pad),
        PhraseRow(["crop", "fill", "zoom to fill", "zoom in", "center crop", "centre crop", "crop … center", "crop … centre",
                   "crop to … center", "crop to … centre", "crop … middle", "crop to … middle"], .crop),
        PhraseRow(["blur", "blurry", "blurred background", "blurry background", "background blur", "background with blur",
                   "blur … background"], .blur),
        PhraseRow(["auto reframe", "autoreframe", "smart reframe", "smart crop", "reframe", "keep the speaker in frame",
                   "keep the speaker in the frame", "keep … in frame", "keep … in the frame", "follow the subject",
                   "follow the speaker", "follow the face", "follow … face", "track the subject", "track the face",
                   "keep the face in frame", "keep the face centred", "keep the face centered"], .reframe),
    ]

    // MARK: Local edits.
    static let edits: [PhraseRow] = mute + volume + speed + fades + [
        PhraseRow(["normalize", "normalise", "normalize … audio", "normalize … volume", "normalize … loudness",
                   "normalize … sound", "normalise … audio", "normalise … volume", "normalise … loudness",
                   "audio normalization", "loudness normalization", "loudness normalisation", "loudnorm",
                   "even out … volume", "even out … audio", "even out … sound", "consistent volume",
                   "tiktok loudness"], edit: .loudnorm),
        PhraseRow(["{lufs}", "normalize … to {lufs}", "normalise … to {lufs}", "loudness {lufs}"], edit: .loudnorm, .slot),
        PhraseRow(["black and white", "black & white", "b & w", "b / w", "grayscale", "greyscale", "gray scale",
                   "grey scale", "monochrome", "desaturate", "black and white filter", "b & w filter",
                   "remove … color", "remove … colour", "no color", "no colour", "without color", "without colour", "black and white effect"], edit: .grayscale),
    ]

    static let mute: [PhraseRow] = [
        PhraseRow(["mute", "silent", "no sound", "no audio", "without sound", "without audio", "without … sound",
                   "without … audio", "sound off", "audio off", "remove … audio", "remove … sound", "strip … audio",
                   "strip … sound", "drop … audio", "drop … sound", "delete … audio", "delete … sound",
                   "take out … audio", "take out … sound", "turn off … sound", "turn off … audio", "turn … sound off",
                   "kill … audio", "kill … sound", "get rid of … audio", "get rid of … sound", "lose … audio",
                   "lose … sound", "disable … audio", "cut … audio", "cut … sound"], edit: .mute),
    ]

    static let volume: [PhraseRow] = [
        PhraseRow(["louder", "more volume", "volume up", "turn up … volume", "turn … volume up", "turn up … sound",
                   "turn … sound up", "increase … volume", "raise … volume", "boost … volume", "boost … audio",
                   "boost … sound", "amplify", "higher volume"], edit: .volume, .fixed(6)),
        PhraseRow(["a bit louder", "a little louder", "slightly louder", "bit louder", "little louder"], edit: .volume, .fixed(3)),
        PhraseRow(["much louder", "way louder", "a lot louder"], edit: .volume, .fixed(10)),
        PhraseRow(["quieter", "softer", "less volume", "lower volume", "volume down", "turn down … volume",
                   "turn … volume down", "lower … volume", "decrease … volume", "reduce … volume",
                   "turn down … sound", "turn … sound down"], edit: .volume, .fixed(-6)),
        PhraseRow(["a bit quieter", "a little quieter", "slightly quieter", "bit quieter", "little quieter",
                   "a bit softer"], edit: .volume, .fixed(-3)),
        PhraseRow(["much quieter", "way quieter", "a lot quieter", "much softer"], edit: .volume, .fixed(-10)),
        PhraseRow(["half the volume", "half volume", "halve … volume"], edit: .volume, .fixed(-6.02)),
        PhraseRow(["double the volume", "double … volume"], edit: .volume, .fixed(6.02)),
        PhraseRow(["volume {db}", "{db} volume", "gain {db}", "audio {db}", "sound {db}", "{db}"], edit: .volume, .slot),
        PhraseRow(["{db} louder", "louder by {db}", "increase … volume by {db}", "raise … volume by {db}",
                   "boost … by {db}", "turn … up by {db}", "volume up {db}", "volume up by {db}"], edit: .volume, .up),
        PhraseRow(["{db} quieter", "{db} softer", "quieter by {db}", "lower … volume by {db}",
                   "reduce … volume by {db}", "decrease … volume by {db}", "turn … down by {db}",
                   "volume down {db}", "volume down by {db}"], edit: .volume, .down),
        PhraseRow(["volume {pct}", "{pct} volume", "volume to {pct}", "volume at {pct}"], edit: .volume, .percentLevel),
        PhraseRow(["{pct} louder", "louder by {pct}", "increase … volume by {pct}", "boost … volume by {pct}",
                   "raise … volume by {pct}", "volume up by {pct}"], edit: .volume, .percentUp),
        PhraseRow(["{pct} quieter", "quieter by {pct}", "softer by {pct}", "reduce … volume by {pct}", "lower … volume by {pct}",
                   "decrease … volume by {pct}", "volume down by {pct}"], edit: .volume, .percentDown),
    ]

    static let speed: [PhraseRow] = [
        PhraseRow(["{x}", "{x} speed", "speed {x}", "speed to {x}", "speed at {x}", "speed of {x}", "at {x}", "at {x} speed",
                   "{x} faster", "{x} fast", "speed … up {x}", "speed … up by {x}", "speed … up to {x}",
                   "sped … up {x}", "{x} playback", "playback speed {x}", "playback speed {n}", "play … at {x}",
                   "{n} times faster", "{n} times as fast", "{n} times the speed", "{n} times speed",
                   "{n} times normal speed", "speed … up {n} times", "{x} speed up", "speed up {x}"], edit: .speed, .slot),
        PhraseRow(["{x} slower", "{n} times slower", "slow … down {x}", "slow … down by {x}",
                   "slow … down {n} times"], edit: .speed, .inverse),
        PhraseRow(["{pct} speed", "speed {pct}", "speed to {pct}", "play … at {pct}"], edit: .speed, .percent),
        PhraseRow(["twice as fast", "twice the speed", "double speed", "double the speed", "double … speed",
                   "fast forward", "much faster", "way faster", "a lot faster"], edit: .speed, .fixed(2)),
        PhraseRow(["half speed", "half the speed", "half as fast", "slow motion", "slow mo", "slowmo", "slomo",
                   "slo mo", "slow motion effect", "much slower", "way slower", "a lot slower"], edit: .speed, .fixed(0.5)),
        PhraseRow(["speed … up", "sped … up", "faster", "quicker", "make … faster", "increase … speed"], edit: .speed, .fixed(1.5)),
        PhraseRow(["speed … up a bit", "speed … up a little", "speed … up slightly", "a bit faster",
                   "a little faster", "slightly faster", "bit faster", "little faster"], edit: .speed, .fixed(1.25)),
        PhraseRow(["slow … down", "slower", "decrease … speed", "reduce … speed"], edit: .speed, .fixed(0.75)),
        PhraseRow(["slow … down a bit", "slow … down a little", "a bit slower", "a little slower",
                   "slightly slower", "bit slower", "little slower"],
                  edit: .speed, .fixed(0.8)),
    ]

    static let fades: [PhraseRow] = [
        PhraseRow(["fade in", "fade from black", "fade … in", "fade in at … start", "fade in at … beginning",
                   "fade from black at … start", "fade from black at … beginning"], edit: .fadeIn, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["fade in {sec}", "fade in for {sec}", "fade in over {sec}", "fade in of {sec}", "{sec} fade in",
                   "fade in … first {sec}", "fade in over … first {sec}", "fade in during … first {sec}",
                   "fade … in over {sec}"], edit: .fadeIn, .slot),
        PhraseRow(["fade out", "fade to black", "fade … out", "fade out at … end", "fade … out at … end",
                   "fade to black at … end"], edit: .fadeOut, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["fade out {sec}", "fade out for {sec}", "fade out over {sec}", "fade out of {sec}", "{sec} fade out",
                   "fade out … last {sec}", "fade out over … last {sec}", "fade out during … last {sec}",
                   "fade … out over {sec}"], edit: .fadeOut, .slot),
        PhraseRow(["fade", "fade effect", "fade in and out", "fade in & out", "fade in / out", "fade it in and out"], edit: .fade, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["fade in and out {sec}", "fade in and out over {sec}", "{sec} fade in and out", "{sec} fades"], edit: .fade, .slot),
    ]

    // MARK: Already part of every plan.
    static let already: [PhraseRow] = [
        PhraseRow(["high quality", "best quality", "good quality", "hd", "full hd", "hq", "high definition"],
                  .already("the conversion already keeps upload quality (1080x1920 x264, or no loss with the mp4 plan)")),
        PhraseRow(["compress", "make … smaller", "smaller file"],
                  .already("the tiktok plan re-encodes at x264 CRF 21, TikTok's upload quality; a size target is not offered")),
        PhraseRow(["keep … whole picture", "whole picture", "full picture", "entire picture", "nothing cut off"],
                  .already("blur and pad keep the whole picture; only crop cuts the edges")),
        PhraseRow(["keep … audio", "keep … sound", "with sound", "with audio"],
                  .already("the sound is kept")),
    ]

    // MARK: Understood, not offered.
    static let unsupported: [PhraseRow] = [
        PhraseRow(["a gif", "to gif", "into gif", "as gif", "animated gif", "to avi", "to mov", "to mkv", "to webm", "to flv",
                   "to wmv", "as avi", "as mov", "as mkv", "as webm"],
                  .unsupported("tikconv writes MP4 only (what TikTok takes)")),
        PhraseRow(["{n} fps", "frame rate", "framerate", "fps"],
                  .unsupported("the frame rate follows the source (23–60 fps kept, slower sources at 30, faster at 60); setting one is not offered")),
        PhraseRow(["{n} mb", "under {n} mb", "smaller than {n} mb", "less than {n} mb", "file size"],
                  .unsupported("a file-size target is not offered; the tiktok plan encodes at x264 CRF 21")),
        PhraseRow(["4k", "in 4k", "2160p", "uhd", "8k"], .unsupported("the output is 1080x1920, TikTok's size")),
    ]

    // MARK: Cloud-session actions.
    static let session: [PhraseRow] = [
        PhraseRow(["export", "render"], .export),
        PhraseRow(["upload"], .upload),
        PhraseRow(["credit", "credit balance", "account balance", "my balance", "quota"], .credits),
        PhraseRow(["status", "progress"], .status),
    ]

    // MARK: Layouts of smart reframing (two people). Each phrase asks for smart reframing
    // (`.reframe`) and `layoutPhrases` says which layout; "follow the speaker" is in the
    // reframe row above and means the speaker layout too.
    static let layouts: [PhraseRow] = [
        PhraseRow(["split screen", "splitscreen", "split the screen", "show both people", "show both speakers",
                   "show both of them", "keep both people", "both people in frame", "分屏", "上下分屏", "双人分屏", "双人同框"], .reframe),
        PhraseRow(["follow who is talking", "follow whoever is talking", "whoever is talking", "who is talking",
                   "active speaker", "cut to the speaker", "跟随说话人", "跟随说话的人"], .reframe),
    ]

    /// The layout each phrase of `layouts` (and "follow the speaker") asks for.
    public static let layoutPhrases: [String: LayoutMode] = {
        var table: [String: LayoutMode] = ["follow the speaker": .speaker]
        for phrase in layouts[0].phrases { table[phrase] = .split }
        for phrase in layouts[1].phrases { table[phrase] = .speaker }
        return table
    }()
}
