/// What a prompt can ask for. The raw value is what `Plan.intents` lists.
public enum Intent: String, Codable, Sendable, CaseIterable {
    // Generative: only the cloud agent can do these.
    case captions, bgm, transitions, voiceover, effects, slideshow, generate, merge, edit, text, denoise, enhance
    // Local shaping and conversion.
    case vertical, resize, trim, convert, mp4, pad, crop, blur, reframe
    // Local edits (`LocalEdits`).
    case mute, volume, speed, fade, loudness, grayscale
    // Cloud-session actions.
    case export, upload, credits, status

    public enum Category: String, Sendable { case generative, local, session }

    public var category: Category {
        switch self {
        case .captions, .bgm, .transitions, .voiceover, .effects, .slideshow, .generate, .merge, .edit,
             .text, .denoise, .enhance: return .generative
        case .vertical, .resize, .trim, .convert, .mp4, .pad, .crop, .blur, .reframe,
             .mute, .volume, .speed, .fade, .loudness, .grayscale: return .local
        case .export, .upload, .credits, .status: return .session
        }
    }

    /// True for the words that shape the picture into 9:16.
    public var isShaping: Bool { [.vertical, .resize, .pad, .crop, .blur, .reframe].contains(self) }

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
        case .text: return "titles and text"
        case .denoise: return "noise removal"
        case .enhance: return "picture enhancement"
        case .vertical: return "vertical 9:16"
        case .resize: return "resize"
        case .trim: return "trim"
        case .convert: return "conversion"
        case .mp4: return "MP4 without quality loss"
        case .pad: return "pad"
        case .crop: return "crop"
        case .blur: return "blur"
        case .reframe: return "smart reframing"
        case .mute: return "mute"
        case .volume: return "volume"
        case .speed: return "speed"
        case .fade: return "fade in/out"
        case .loudness: return "loudness normalisation"
        case .grayscale: return "black and white"
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
        case .reframe: return .smart
        default: return nil
        }
    }
}

/// One recognised phrase in a prompt.
public struct IntentMatch: Equatable, Sendable {
    public var intent: Intent
    /// The table phrase that matched.
    public var phrase: String
    /// Where it starts in the prompt, in characters (earliest match of the intent).
    public var position: Int
}

public enum IntentMatcher {
    /// The intents `prompt` asks for (negated ones left out), in `Intent` order, each with the
    /// table phrase of its first match. The phrases live in `PhraseTable`.
    public static func match(_ prompt: String) -> [IntentMatch] {
        var first: [Intent: IntentMatch] = [:]
        for m in PromptReading(prompt).matches {
            let intent: Intent
            switch m.meaning {
            case let .intent(i): intent = i
            case let .edit(kind, _): intent = kind.intent
            case .already, .unsupported: continue
            }
            if first[intent] == nil { first[intent] = IntentMatch(intent: intent, phrase: m.phrase, position: m.chars.lowerBound) }
        }
        return Intent.allCases.compactMap { first[$0] }
    }
}
