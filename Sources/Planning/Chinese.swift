/// Every Chinese phrasing tikconv reads, as data: the phrase table's Chinese rows (same
/// meanings, same order as `PhraseTable`'s sections, matched by the same `PhraseMatcher`), and
/// the words the prompt reader, the trim reader and the negation check need. Another language is
/// another file like this one.
enum Chinese {
    /// Appended to `PhraseTable.rows`: a Chinese phrase never overlaps an English one, so the
    /// earlier-row rule only ever compares rows of one language.
    static let rows: [PhraseRow] = generative + local + edits + already + unsupported + session

    static let generative: [PhraseRow] = [
        PhraseRow(["字幕"], .captions),
        PhraseRow(["背景音乐", "配乐", "音乐"], .bgm),
        PhraseRow(["转场", "过渡"], .transitions),
        PhraseRow(["配音", "旁白", "解说"], .voiceover),
        PhraseRow(["特效", "滤镜", "贴纸", "倒放"], .effects),
        PhraseRow(["幻灯片", "相册", "图片视频", "照片视频"], .slideshow),
        PhraseRow(["生成", "制作一个视频", "做一个视频", "做个视频"], .generate),
        PhraseRow(["合并", "拼接"], .merge),
        PhraseRow(["剪辑", "编辑", "精彩片段", "去掉停顿"], .edit),
        PhraseRow(["标题", "文字", "片头", "片尾", "水印"], .text),
        PhraseRow(["降噪", "噪音", "杂音", "底噪", "去噪"], .denoise),
        PhraseRow(["调色", "美颜", "防抖", "增强", "锐化", "提亮", "画质增强"], .enhance),
    ]

    static let local: [PhraseRow] = [
        PhraseRow(["竖屏", "竖版", "竖向", "9比16", "抖音", "快手", "小红书", "视频号"], .vertical),
        PhraseRow(["缩放", "调整大小", "调整尺寸"], .resize),
        PhraseRow(["截取", "裁短", "剪短", "剪掉", "截掉"], .trim),
        PhraseRow(["转换", "转码", "转成", "转为"], .convert),
        PhraseRow(["无损", "转封装", "换封装", "不损失画质", "不降低画质"], .mp4),
        PhraseRow(["加黑边", "黑边", "留黑边"], .pad),
        PhraseRow(["裁剪", "裁切", "填满", "铺满", "居中裁剪"], .crop),
        PhraseRow(["模糊背景", "背景模糊", "模糊"], .blur),
        PhraseRow(["智能裁剪", "自动构图", "智能构图", "跟随人物", "跟踪人脸", "人物居中"], .reframe),
    ]

    static let edits: [PhraseRow] = mute + volume + speed + fades + [
        PhraseRow(["标准化音量", "音量标准化", "响度标准化", "标准化响度", "音量均衡", "统一音量", "音量统一", "响度归一化", "音量归一化", "归一化"], edit: .loudnorm),
        PhraseRow(["黑白", "灰度", "去色", "黑白滤镜", "黑白色"], edit: .grayscale),
    ]

    static let mute: [PhraseRow] = [
        PhraseRow(["静音", "消音", "无声", "去掉声音", "去掉音频", "去除声音", "去除音频", "删除声音", "删除音频", "删掉声音", "删掉音频", "关掉声音", "关闭声音", "不要声音", "不要音频", "去掉原声", "去除原声", "移除音频", "移除声音", "没有声音"], edit: .mute),
    ]

    static let volume: [PhraseRow] = [
        PhraseRow(["音量调大", "调大音量", "音量大一点", "声音大一点", "大声一点", "大声点", "声音大点", "音量加大", "加大音量", "提高音量", "音量提高", "放大声音", "声音调大", "增大音量", "音量增大"], edit: .volume, .fixed(6)),
        PhraseRow(["稍微大声一点", "声音稍微大一点"], edit: .volume, .fixed(3)),
        PhraseRow(["音量调小", "调小音量", "音量小一点", "声音小一点", "小声一点", "小声点", "声音小点", "降低音量", "音量降低", "减小音量", "声音调小", "调低音量", "音量减小"], edit: .volume, .fixed(-6)),
        PhraseRow(["稍微小声一点", "声音稍微小一点"], edit: .volume, .fixed(-3)),
        PhraseRow(["音量减半"], edit: .volume, .fixed(-6.02)),
        PhraseRow(["音量加倍"], edit: .volume, .fixed(6.02)),
        PhraseRow(["音量{db}"], edit: .volume, .slot),
        PhraseRow(["音量提高{db}", "音量增加{db}", "音量调大{db}", "提高{db}", "增加{db}"], edit: .volume, .up),
        PhraseRow(["音量降低{db}", "音量减小{db}", "音量调小{db}", "降低{db}", "减小{db}"], edit: .volume, .down),
        PhraseRow(["音量{pct}", "音量调到{pct}", "音量调至{pct}"], edit: .volume, .percentLevel),
        PhraseRow(["音量提高{pct}", "音量增加{pct}"], edit: .volume, .percentUp),
        PhraseRow(["音量降低{pct}", "音量减少{pct}"], edit: .volume, .percentDown),
    ]

    static let speed: [PhraseRow] = [
        PhraseRow(["{n}倍速", "{n}倍速度", "{n}倍速播放", "{n}倍播放", "加速{n}倍", "加速到{n}倍", "快{n}倍", "{n}倍快", "速度{x}", "{n}倍的速度"], edit: .speed, .slot),
        PhraseRow(["放慢{n}倍", "慢{n}倍", "减速{n}倍"], edit: .speed, .inverse),
        PhraseRow(["{pct}速度"], edit: .speed, .percent),
        PhraseRow(["快进"], edit: .speed, .fixed(2)),
        PhraseRow(["半速", "慢动作", "慢镜头", "慢放", "一半速度", "速度减半"], edit: .speed, .fixed(0.5)),
        PhraseRow(["加速", "加快", "加快速度", "提速", "速度快一些"], edit: .speed, .fixed(1.5)),
        PhraseRow(["快一点", "快点", "稍微快一点", "稍微加速", "稍微快点"], edit: .speed, .fixed(1.25)),
        PhraseRow(["减速", "放慢"], edit: .speed, .fixed(0.75)),
        PhraseRow(["慢一点", "慢点", "稍微慢一点", "稍微放慢"], edit: .speed, .fixed(0.8)),
    ]

    static let fades: [PhraseRow] = [
        PhraseRow(["淡入", "渐入", "渐显"], edit: .fadeIn, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["淡入{sec}", "{sec}淡入", "{sec}的淡入"], edit: .fadeIn, .slot),
        PhraseRow(["淡出", "渐出", "渐隐"], edit: .fadeOut, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["淡出{sec}", "{sec}淡出", "{sec}的淡出"], edit: .fadeOut, .slot),
        PhraseRow(["淡入淡出", "渐入渐出"], edit: .fade, .fixed(LocalEdits.defaultFade)),
        PhraseRow(["淡入淡出{sec}", "{sec}淡入淡出"], edit: .fade, .slot),
    ]

    static let already: [PhraseRow] = [
        PhraseRow(["高清", "高画质", "画质好", "超清"], .already("the conversion already keeps upload quality (1080x1920 x264, or no loss with the mp4 plan)")),
        PhraseRow(["压缩"], .already("the tiktok plan re-encodes at x264 CRF 21, TikTok's upload quality; a size target is not offered")),
        PhraseRow(["完整画面", "保留完整画面", "不裁剪画面"], .already("blur and pad keep the whole picture; only crop cuts the edges")),
        PhraseRow(["保留声音", "保留原声", "保留音频"], .already("the sound is kept")),
    ]

    static let unsupported: [PhraseRow] = [
        PhraseRow(["转成gif", "动图"], .unsupported("tikconv writes MP4 only (what TikTok takes)")),
        PhraseRow(["帧率"], .unsupported("the frame rate follows the source (23–60 fps kept, slower sources at 30, faster at 60); setting one is not offered")),
        PhraseRow(["{n} mb以内", "{n}mb以内"], .unsupported("a file-size target is not offered; the tiktok plan encodes at x264 CRF 21")),
    ]

    static let session: [PhraseRow] = [
        PhraseRow(["导出", "渲染"], .export),
        PhraseRow(["上传"], .upload),
        PhraseRow(["积分", "余额", "额度", "点数"], .credits),
        PhraseRow(["状态", "进度"], .status),
    ]
}

// MARK: - The prompt reader's words (PromptReading, PromptText, PhraseMatcher, PlanContext)

extension Chinese {
    /// Split a request into clauses ("加字幕然后导出").
    static let connectors: Set<String> = Set(["和", "然后", "并且", "并", "再", "同时", "还有", "以及", "及", "跟", "接着"])
    /// Words that cancel the phrase just after them ("不要字幕", "别加音乐").
    static let negators: Set<String> = Set(["不要", "不加", "不用", "无需", "别加", "不需要", "没有", "不", "别", "无", "勿"])
    /// Characters a negation reaches across: "不要加字幕" is negated, "无损竖屏" is not.
    static let negationTransparent: Set<String> = Set(["加", "用", "添", "放", "给", "的", "任", "何", "再"])
    /// Fit words that only hint at a mode; a named mode in the same prompt wins over them.
    static let looseFitPhrases: Set<String> = ["填满", "铺满", "模糊"]

    /// Filler, longest first: what is left of a clause without them asks for something.
    static let filler: [String] = Array(Set(fillerWords)).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    static let fillerWords: [String] = [
        "这个视频", "这段视频", "帮我把", "麻烦", "这个", "这段", "这部", "那个", "视频", "影片", "片子", "短片",
        "素材", "文件", "一下", "帮我", "帮忙", "给我", "谢谢", "变成", "变得", "弄成", "做成", "我们", "想要", "需要",
        "可以", "然后", "并且", "以及", "还有", "同时", "一点", "一些", "一个", "处理", "调整", "设置", "改成", "稍微",
        "有点", "非常", "格式", "版本", "输出", "最后", "把", "将", "该", "请", "帮", "给", "的", "了", "吧", "呢",
        "啊", "呀", "哦", "让", "它", "他", "她", "变", "弄", "成", "点", "我", "你", "要", "想", "能", "吗", "用", "在",
        "是", "得", "个", "段", "更", "再", "也", "都", "就", "和", "并", "还", "跟", "与", "及", "好", "里", "中", "做",
        "改", "为", "到", "去", "加", "一", "下", "上", "很", "最", "查看", "查询", "看看", "看", "多少", "还剩", "剩余",
        "画面", "屏幕", "整个", "全部", "所有", "当前", "现在", "且", "而", "以", "去掉", "去除", "删掉", "删除", "移除", "使用", "采用", "换成", "改为", "模式", "方向", "加上",
        "效果", "只要", "只", "仅", "只保留", "保留", "画质",
    ]

    /// Units in a slot: "2秒", "2秒钟", "1分钟", "3分贝".
    static let second = "秒", minute = "分", unitTail = "钟"
    static let decibel = (first: "分", second: "贝")

    // MARK: Numerals ("两倍" → "2倍", "十秒" → "10秒", "零点五" → 0.5)

    static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    /// Units after which numerals are a quantity (not "一下", "十分好").
    static let numberUnits = ["秒", "分钟", "倍", "帧", "分贝", "%", "个小时", "小时"]
    /// A numeral: digits and 十/百, with an optional 点 and decimal digits.
    static let numeral = "[零〇一二两三四五六七八九十百]+(?:点[零〇一二两三四五六七八九]+)?"
    static let decimalPoint: Character = "点"

    /// "三" → 3, "十五" → 15, "二十" → 20, "一百" → 100, "零点五" → 0.5.
    static func value(_ s: String) -> Double? {
        let halves = s.split(separator: decimalPoint, maxSplits: 1).map(String.init)
        guard let whole = integer(halves[0]) else { return nil }
        guard halves.count == 2 else { return Double(whole) }
        var frac = "0."
        for c in halves[1] { guard let d = digits[c] else { return nil }; frac += String(d) }
        return Double(whole) + (Double(frac) ?? 0)
    }

    static func integer(_ s: String) -> Int? {
        if s.isEmpty { return nil }
        var total = 0, current = 0, sawUnit = false
        for c in s {
            if let d = digits[c] { current = current * 10 + d; continue }
            let unit = c == "十" ? 10 : c == "百" ? 100 : 0
            guard unit > 0 else { return nil }
            total += (current == 0 ? 1 : current) * unit
            current = 0; sawUnit = true
        }
        return sawUnit ? total + current : current
    }
}

// MARK: - Trim phrasings (TrimParser's patterns; `time` is its time expression)

extension Chinese {
    enum Trim {
        /// "15秒", "15秒钟", "2分钟", "2分", "1分30秒".
        static let duration = #"\d+\s*分(?:钟)?\s*\d+(?:\.\d+)?\s*秒(?:钟)?|\d+(?:\.\d+)?\s*(?:秒钟|秒|分钟|分)"#
        static let removeVerb = "(?:去掉|去除|删掉|删除|剪掉|砍掉|剪去|切掉)"
        /// "10秒到20秒", "10秒至20秒".
        static let to = "到|至"
        /// "从10到20秒".
        static func range(_ timeOrNumber: String, _ time: String) -> String { "从\\s*(\(timeOrNumber))\\s*(?:到|至|-|~)\\s*(\(time))" }
        /// "去掉前3秒和最后5秒".
        static func bothEnds(_ time: String) -> String {
            "\(removeVerb)(?:前|开头)\\s*(\(time))\\s*(?:和|与|跟|、|，|,)?\\s*(?:最后|末尾|结尾)\\s*(\(time))"
        }
        /// "去掉前3秒", "跳过开头3秒".
        static func dropFirst(_ time: String) -> String { "(?:\(removeVerb)|跳过)(?:前|开头)\\s*(\(time))" }
        /// "去掉最后5秒".
        static func dropLast(_ time: String) -> String { "\(removeVerb)(?:最后|末尾|结尾)\\s*(\(time))" }
        /// "从10秒开始".
        static func startAt(_ time: String) -> String { "从\\s*(\(time))\\s*开始" }
        /// "前15秒".
        static func first(_ time: String) -> String { "前\\s*(\(time))" }
        /// "最后10秒".
        static func last(_ time: String) -> String { "(?:最后|末尾)\\s*(\(time))" }
        /// "剪成30秒".
        static func length(_ time: String) -> String { "(?:剪|截|裁|缩短|剪辑|控制)(?:成|到|为|在)\\s*(\(time))" }
    }
}
