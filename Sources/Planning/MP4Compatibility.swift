import MediaProbe

/// What the `.mp4` plan does with one stream. Shared table: the planner describes it, the
/// engine can follow it (`MP4Compatibility.action(for:)`).
public enum StreamAction: Equatable, Sendable {
    /// Copy packets unchanged.
    case copy
    /// Decode and encode again as `codec` ("h264", "aac"), because of `why`.
    case reencode(to: String, why: String)
    /// Text subtitles rewritten as `codec` ("mov_text").
    case convert(to: String)
    /// Left out of the output, because of `why`.
    case drop(why: String)
}

public enum MP4Compatibility {
    /// Video codecs copied as they are.
    public static let copyVideo: Set<String> = ["h264", "hevc", "av1"]
    /// Audio codecs copied as they are.
    public static let copyAudio: Set<String> = ["aac", "mp3", "ac3", "eac3", "alac"]
    /// Video codecs MP4 can technically carry but that many players (TikTok, phones, browsers) handle poorly.
    public static let poorlyPlayedVideo: Set<String> = ["mpeg4", "mpeg2video", "mpeg1video", "vp9", "mjpeg", "h263", "prores", "dnxhd"]
    /// Audio codecs MP4 can technically carry but that play poorly.
    public static let poorlyPlayedAudio: Set<String> = ["opus", "flac", "mp2", "mp1", "dts", "truehd"]
    /// Text subtitle codecs, rewritten as mov_text.
    public static let textSubtitles: Set<String> = ["subrip", "srt", "ass", "ssa", "webvtt", "mov_text", "text", "microdvd", "subviewer"]

    public static let videoTarget = "h264"
    public static let audioTarget = "aac"

    public static func action(for stream: StreamInfo) -> StreamAction {
        let codec = stream.codec.lowercased()
        switch stream.type {
        case .video:
            if stream.isStill == true { return .drop(why: "cover art is not kept") }
            if copyVideo.contains(codec) { return .copy }
            return .reencode(to: videoTarget, why: poorlyPlayedVideo.contains(codec) ? "plays poorly in MP4" : "MP4 cannot hold it")
        case .audio:
            if copyAudio.contains(codec) { return .copy }
            return .reencode(to: audioTarget, why: poorlyPlayedAudio.contains(codec) ? "plays poorly in MP4" : "MP4 cannot hold it")
        case .subtitle:
            if codec == "mov_text" { return .copy }
            if textSubtitles.contains(codec) { return .convert(to: "mov_text") }
            return .drop(why: "bitmap subtitles cannot go in MP4")
        case .attachment:
            return .drop(why: "MP4 has no attachments")
        default:
            return .drop(why: "data streams are not kept")
        }
    }

    /// The action with local edits: changed pictures or sound cannot be copied, a muted
    /// output drops its audio, and subtitles are not retimed for a speed change.
    public static func action(for stream: StreamInfo, edits: LocalEdits) -> StreamAction {
        let base = action(for: stream)
        if case .drop = base { return base }
        func because(_ what: String) -> String {
            if case let .reencode(_, why) = base { return "\(why); \(what)" }
            return what
        }
        switch stream.type {
        case .video where edits.changesPicture:
            return .reencode(to: videoTarget, why: because(edits.pictureSummary))
        case .audio where edits.mute:
            return .drop(why: "muted")
        case .audio where edits.changesSound:
            return .reencode(to: audioTarget, why: because(edits.soundSummary))
        case .subtitle where edits.speed != nil:
            return .drop(why: "subtitles are not retimed for a speed change")
        default:
            return base
        }
    }

    /// One human-readable step: "copy h264", "re-encode mpeg4 → h264 (plays poorly in MP4)", …
    public static func step(for stream: StreamInfo, edits: LocalEdits = LocalEdits()) -> String {
        let codec = stream.codec
        switch action(for: stream, edits: edits) {
        case .copy:
            var s = "copy \(stream.type) \(codec)"
            if codec.lowercased() == "hevc" { s += " (tagged hvc1 for Apple players)" }
            if let r = stream.rotation, r % 360 != 0 { s += " (keeps the \(r)° rotation tag)" }
            return s
        case let .reencode(target, why):
            return "re-encode \(stream.type) \(codec) → \(target) (\(why))"
        case let .convert(target):
            return "convert subtitle \(codec) → \(target)"
        case let .drop(why):
            return "drop \(stream.type) \(codec) (\(why))"
        }
    }
}
