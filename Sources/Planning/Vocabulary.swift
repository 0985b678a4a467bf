/// Words that are not in the phrase table but still tell the planner something: filler that
/// asks for nothing by itself, English words it recognises (so an unknown request written in
/// English goes to the cloud agent rather than being called gibberish), clause connectors and
/// negations.
enum Vocabulary {
    /// Asks for nothing by itself: function words, polite words, generic verbs whose object
    /// carries the meaning ("make it vertical", "change it to mp4"), and names of the material.
    static let filler: Set<String> = Set([
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "itself", "them", "they", "their", "my", "me",
        "mine", "i", "im", "id", "ill", "ive", "we", "our", "us", "you", "your", "yours", "please", "pls", "plz",
        "kindly", "thanks", "thank", "thx", "ty", "hi", "hello", "hey", "ok", "okay", "yes", "sure", "so", "just",
        "also", "then", "and", "or", "but", "plus", "with", "to", "into", "onto", "in", "on", "at", "of", "for",
        "from", "by", "as", "be", "been", "being", "is", "are", "was", "were", "am", "make", "makes", "made",
        "making", "turn", "turns", "turned", "get", "got", "do", "does", "did", "done", "can", "could", "would",
        "will", "should", "shall", "must", "may", "might", "want", "wanna", "wants", "need", "needs", "needed",
        "like", "let", "lets", "go", "going", "gonna", "have", "has", "had", "some", "any", "all", "every",
        "everything", "whole", "entire", "full", "video", "videos", "vid", "vids", "clip", "clips", "file", "files",
        "footage", "movie", "movies", "film", "recording", "recordings", "thing", "things", "one", "version",
        "format", "formats", "ready", "output", "result", "final", "here", "there", "now", "quickly", "quick",
        "fast", "simply", "using", "use", "help", "how", "what", "which", "really", "very", "more", "less", "much",
        "bit", "little", "slightly", "put", "set", "change", "switch", "keep", "apply", "adjust", "add", "remove",
        "delete", "take", "give", "create", "avi", "mov", "mkv", "webm", "flv", "wmv", "m4v", "3gp", "mpg", "mpeg",
        "ts", "gif", "hevc", "h264", "h265", "x264", "phone", "iphone", "android", "camera", "way", "too", "maybe",
        "if", "possible", "style", "upload", "post", "posting", "app", "platform", "sized", "size", "format",
        "formatted", "properly", "correctly", "right", "good", "nice", "great", "new", "original", "source",
        "same", "again", "both", "each", "only", "other", "another", "something", "stuff", "pic", "pics",
        "again", "cool", "awesome", "it's", "dont", "not", "no", "without", "never", "into", "out", "up", "down",
        "off", "over", "before", "after", "while", "when", "where", "who", "why", "yeah", "pretty", "nicely",
        "whats", "hows", "wheres", "check", "see", "view", "many", "left", "remaining", "current", "currently",
        "still", "yet", "mine", "account", "tell", "show", "know", "about", "mode", "orientation", "layout",
    ])

    /// Recognised English words with no local meaning: requests that use them are real
    /// requests for something the local engine does not do, so they go to the cloud agent.
    static let content: Set<String> = Set([
        "title", "card", "text", "logo", "watermark", "noise", "sound", "audio", "voice", "face", "faces", "person",
        "people", "background", "foreground", "sky", "intro", "outro", "ending", "end", "beginning", "start", "hook",
        "cta", "hashtag", "hashtags", "frame", "frames", "scene", "scenes", "shot", "shots", "color", "colour",
        "colors", "colours", "contrast", "brightness", "saturation", "exposure", "bright", "dark", "darker",
        "warm", "warmer", "cold", "vintage", "retro", "cinematic", "funny", "fun", "punchy", "punchier", "engaging",
        "viral", "professional", "beautiful", "clean", "smooth", "shaky", "stable", "zoom", "pan", "rotate",
        "rotated", "flip", "flipped", "mirror", "loop", "fix", "improve", "better", "nicer", "story", "ad", "ads",
        "advert", "product", "cat", "cats", "dog", "dogs", "day", "life", "ocean", "night", "city", "beach",
        "jump", "say", "saying", "said", "show", "write", "place", "insert", "replace", "translate", "transcribe",
        "summarize", "summarise", "describe", "animate", "animation", "overlay", "center", "centre", "follow",
        "track", "focus", "sync", "speak", "sing", "dance", "split", "separate", "extract", "isolate", "grade",
        "correct", "boring", "parts", "part", "section", "sections", "moment", "moments", "best", "worst",
        "interesting", "exciting", "dramatic", "epic", "cute", "happy", "sad", "emotional", "trending", "trend",
        "vibe", "mood", "aesthetic", "look", "looks", "feel", "tone", "light", "lighting", "shadow", "shadows",
        "volume", "speed", "playback", "quality", "resolution", "aspect", "ratio", "landscape", "horizontal",
        "square", "wide", "widescreen", "timelapse", "lapse", "time", "camera", "lens", "sharp", "soft", "red",
        "blue", "green", "yellow", "white", "black", "pink", "purple", "orange", "gold", "golden", "font",
        "bigger", "smaller", "larger", "big", "small", "large", "top", "bottom", "left", "right", "middle",
        "corner", "side", "name", "names", "word", "words", "quote", "quotes", "question", "answer", "subject",
        "object", "rotation", "degrees", "degree", "upside", "vlog", "tutorial", "recipe", "review", "promo",
        "trailer", "teaser", "meme", "reaction", "duet", "stitch", "greenscreen", "green", "screen", "wallpaper",
        "frame", "border", "sticker", "gif", "caption", "photos", "photo", "picture", "pictures", "image", "images",
        "slide", "slides", "song", "songs", "beat", "beats", "rhythm", "sfx", "laugh", "applause", "ambience",
        "remove", "replace", "swap", "translate", "english", "chinese", "spanish", "language", "subtitle",
        "everyone", "world", "earth", "space", "nature", "travel", "food", "sport", "sports", "game", "gaming",
        "music", "effect", "effects", "transition", "transitions", "fade", "speed", "slow",
        // Real words a letter or two from a table word, so never read as its typo.
        "spend", "short", "shorter", "long", "longer", "general", "narrative", "translation", "translations",
        "conversation", "expert", "reader", "readers", "loader", "nose", "balanced", "balancing", "balance", "tile",
        "tiles", "slice", "truck", "power", "lover", "captain", "steed", "sale", "block", "blank", "colon", "shirts",
    ])

    /// What an edit works on: beside an edit, they add nothing ("make the audio quieter").
    static let objectNouns: Set<String> = Set(["audio", "sound", "volume", "voice", "picture", "image", "color", "colour", "colors",
                                               "colours", "speed", "playback", "track", "sounds", "pictures", "images"])

    /// Split a request into clauses ("vertical and muted"; Chinese: `Chinese.connectors`).
    static let connectors: Set<String> = Set(["and", "then", "also", "plus", "but", "or", "&", "+", "/"])

    /// Words that cancel the phrase just after them.
    static let negators: Set<String> = Set(["no", "not", "dont", "never", "without", "skip", "avoid", "doesnt", "wont", "nor"])
    /// Words a negation reaches across: "don't add any music", "no need to mute".
    static let negationTransparent: Set<String> = Set([
        "it", "the", "a", "an", "any", "make", "add", "use", "to", "be", "have", "this", "that", "video", "clip",
        "do", "please", "me", "my", "put", "want", "need", "i", "apply", "change", "its", "include", "including",
        "with", "some", "too", "so", "turn", "its", "any",
    ])

    /// Words `…` in a phrase may stand for.
    static let gapWords: Set<String> = Set([
        "the", "a", "an", "it", "its", "this", "that", "these", "those", "my", "our", "your", "all", "any", "some",
        "of", "video", "videos", "clip", "clips", "whole", "entire", "original", "way", "more", "them", "everything",
        "file", "output",
    ])
    static let maxGap = 3


    /// A word that names something (a content word or a table word), not just filler.
    static func isContent(_ word: String) -> Bool {
        guard word.count >= 2, !filler.contains(word) else { return false }
        return content.contains(word) || PhraseMatcher.tableWords.contains(word) || Words.stems(of: word).contains { content.contains($0) }
    }

    /// Lower-case English words the planner recognises (table words aside).
    static func isKnown(_ word: String) -> Bool {
        filler.contains(word) || content.contains(word) || negators.contains(word)
            || Words.stems(of: word).contains { filler.contains($0) || content.contains($0) }
    }
}
