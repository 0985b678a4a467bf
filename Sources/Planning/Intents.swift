/// What a prompt can ask for. The raw value is what `Plan.intents` lists.
public enum Intent: String, Codable, Sendable, CaseIterable {
    // Generative: only the cloud agent can do these.
    case captions, bgm, transitions, voiceover, effects, slideshow, generate, merge, edit
    // Local shaping and conversion.
    case vertical, resize, trim, convert, mp4, pad, crop, blur
    // Cloud-session actions.
    case export, upload, credits, status

    public enum Category: String, Sendable { case generative, local, session }

    public var category: Category {
        switch self {
        case .captions, .bgm, .transitions, .voiceover, .effects, .slideshow, .generate, .merge, .edit: return .generative
        case .vertical, .resize, .trim, .convert, .mp4, .pad, .crop, .blur: return .local
        case .export, .upload, .credits, .status: return .session
        }
    }

    /// How the intent is named in messages ("captions need the cloud route …").
    public var displayName: String {
        switch self {
        case .captions: return "captions"
        case .bgm: return "background music"
        case .transitions: return "transitions"
        case .voiceover: return "voice-over"
        case .effects: return "effects"
        case .slideshow: return "slideshow"
        case .generate: return "video generation"
        case .merge: return "merging clips"
        case .edit: return "editing"
        case .vertical: return "vertical 9:16"
        case .resize: return "resize"
        case .trim: return "trim"
        case .convert: return "conversion"
        case .mp4: return "MP4 without quality loss"
        case .pad: return "pad"
        case .crop: return "crop"
        case .blur: return "blur"
        case .export: return "export"
        case .upload: return "upload"
        case .credits: return "credits"
        case .status: return "status"
        }
    }

    /// The fit mode this intent names, if any.
    public var fitMode: FitMode? {
        switch self {
        case .pad: return .pad
        case .crop: return .crop
        case .blur: return .blur
        default: return nil
        }
    }
}

/// The keyword table: data, not code. English phrases match whole words (a phrase's last word
/// also matches its plural/-ed/-ing forms: "caption" matches "captions", not "recaption");
/// phrases with Chinese characters match as substrings. Matching ignores case.
public enum IntentTable {
    public static let entries: [(phrases: [String], intent: Intent)] = [
        (["caption", "subtitle", "subs", "closed captions", "auto captions", "text overlay",
          "字幕", "加字幕"], .captions),
        (["background music", "music", "bgm", "soundtrack", "song", "backing track",
          "背景音乐", "配乐", "音乐", "加音乐"], .bgm),
        (["transition", "转场", "过渡"], .transitions),
        (["voice over", "voiceover", "voice-over", "narration", "narrate", "narrator", "dub", "dubbing", "tts",
          "text to speech", "配音", "旁白", "解说"], .voiceover),
        (["effect", "filter", "sticker", "emoji", "slow motion", "slow-mo", "slowmo", "speed up",
          "特效", "滤镜", "贴纸", "慢动作"], .effects),
        (["slideshow", "slide show", "photo video", "photo montage", "photo album",
          "幻灯片", "相册", "图片视频", "照片视频"], .slideshow),
        (["generate", "make a video about", "create a video about", "video about", "turn this script",
          "text to video", "text-to-video", "生成", "制作一个视频", "做一个视频", "做个视频"], .generate),
        (["merge", "combine", "concatenate", "stitch", "join together", "montage", "合并", "拼接"], .merge),
        (["edit", "highlight", "highlights", "剪辑", "编辑", "精彩片段"], .edit),

        (["vertical", "portrait", "9:16", "9x16", "tiktok", "tik tok", "reels", "shorts",
          "竖屏", "竖版", "竖向", "9比16", "抖音"], .vertical),
        (["resize", "scale", "rescale", "1080p", "缩放", "调整大小", "调整尺寸"], .resize),
        (["trim", "trimmed", "trimming", "cut", "shorten", "截取", "裁短", "剪短", "剪掉", "截掉"], .trim),
        (["convert", "conversion", "transcode", "转换", "转码", "转成", "转为"], .convert),
        (["to mp4", "into mp4", "as mp4", "as an mp4", "mp4", "lossless", "losslessly",
          "without losing quality", "without quality loss", "no quality loss", "keep the quality",
          "keep quality", "remux", "rewrap", "re-wrap", "change container", "change the container",
          "container change", "无损", "转封装", "换封装", "不损失画质", "不降低画质"], .mp4),
        (["pad", "padding", "padded", "letterbox", "letterboxed", "letterboxing", "pillarbox",
          "black bars", "black bar", "加黑边", "黑边", "留黑边"], .pad),
        (["crop", "cropped", "cropping", "fill", "zoom to fill", "zoom in", "裁剪", "裁切", "填满", "铺满"], .crop),
        (["blur", "blurred", "blurry", "blurred background", "模糊背景", "背景模糊", "模糊"], .blur),

        (["export", "render", "导出", "渲染"], .export),
        (["upload", "上传"], .upload),
        (["credit", "balance", "quota", "积分", "余额", "额度", "点数"], .credits),
        (["status", "progress", "状态", "进度"], .status),
    ]
}

/// One recognised phrase in a prompt.
public struct IntentMatch: Equatable, Sendable {
    public var intent: Intent
    /// The table phrase that matched.
    public var phrase: String
    /// Where it starts in the prompt, in characters (earliest match of any of the intent's phrases).
    public var position: Int
}

public enum IntentMatcher {
    /// Words that cancel the intent they stand just before ("no music", "without captions").
    static let englishNegators: Set<String> = ["no", "without", "not", "dont", "never", "skip"]
    static let chineseNegators = ["不要", "不加", "不用", "无需", "别加", "去掉", "不", "无", "没有"]

    /// All intents in `prompt`, in table order, each with the first table phrase that matched.
    public static func match(_ prompt: String) -> [IntentMatch] {
        let lower = prompt.lowercased()
        let tokens = tokenize(lower)
        var found: [IntentMatch] = []
        for entry in IntentTable.entries {
            var best: IntentMatch? = nil
            for phrase in entry.phrases {
                let p = phrase.lowercased()
                let at = isCJK(p) ? findChinese(p, in: lower) : findWords(tokenize(p).map(\.word), in: tokens)
                if let at {
                    if best == nil { best = IntentMatch(intent: entry.intent, phrase: phrase, position: at) }
                    else if at < best!.position { best!.position = at }
                }
            }
            if let best { found.append(best) }
        }
        return found
    }

    /// Lower-case ASCII words and numbers with their character offsets; everything else (spaces,
    /// punctuation, CJK) separates. Apostrophes are dropped so "don't" is one word.
    static func tokenize(_ s: String) -> [(word: String, offset: Int)] {
        var out: [(word: String, offset: Int)] = []
        var cur = ""
        var curStart = 0
        for (i, ch) in s.enumerated() {
            if ch == "'" || ch == "’" { continue }
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                if cur.isEmpty { curStart = i }
                cur.append(ch)
            } else if !cur.isEmpty {
                out.append((cur, curStart)); cur = ""
            }
        }
        if !cur.isEmpty { out.append((cur, curStart)) }
        return out
    }

    static func isCJK(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) || (0xF900...0xFAFF).contains($0.value) }
    }

    /// The phrase's last word may carry an inflection: caption → captions, captioned, captioning.
    static let suffixes = ["s", "es", "ed", "d", "ing"]

    static func wordMatches(_ word: String, _ token: String, last: Bool) -> Bool {
        if token == word { return true }
        guard last else { return false }
        return suffixes.contains { token == word + $0 }
    }

    /// Offset of the first un-negated occurrence of the word sequence, or nil.
    static func findWords(_ phrase: [String], in tokens: [(word: String, offset: Int)]) -> Int? {
        guard !phrase.isEmpty, tokens.count >= phrase.count else { return nil }
        outer: for i in 0...(tokens.count - phrase.count) {
            for (j, w) in phrase.enumerated() where !wordMatches(w, tokens[i + j].word, last: j == phrase.count - 1) {
                continue outer
            }
            // "no music", "without any captions", "don't add music": negated, keep looking.
            let before = tokens[max(0, i - 2)..<i]
            if before.contains(where: { englishNegators.contains($0.word) }) { continue }
            return tokens[i].offset
        }
        return nil
    }

    /// Offset of the first un-negated occurrence of a Chinese phrase, or nil.
    static func findChinese(_ phrase: String, in text: String) -> Int? {
        var searchStart = text.startIndex
        while let r = text.range(of: phrase, range: searchStart..<text.endIndex) {
            let prefix = text[text.startIndex..<r.lowerBound]
            let negated = chineseNegators.contains { prefix.hasSuffix($0) }
            if !negated { return prefix.count }
            searchStart = r.upperBound
        }
        return nil
    }
}
