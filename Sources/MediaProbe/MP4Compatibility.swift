/// What an MP4 can carry so that it plays widely — the one table the planner (to explain)
/// and the engine (to act) both read.
public enum MP4Compatibility {
    /// Video codecs copied bit-exact into MP4 (HEVC is tagged hvc1 for Apple players).
    public static let copyableVideo: Set<String> = ["h264", "hevc", "av1"]
    /// Audio codecs copied bit-exact into MP4.
    public static let copyableAudio: Set<String> = ["aac", "mp3", "ac3", "eac3", "alac"]
    /// Text subtitles, converted to MP4's own mov_text.
    public static let textSubtitles: Set<String> = ["subrip", "srt", "ass", "ssa", "webvtt", "mov_text", "text"]

    public enum Decision: Equatable, Sendable {
        case copy
        case reencode(to: String, why: String)
        case drop(why: String)
    }

    public static func decide(_ stream: StreamInfo, losslessAudio: Bool = false) -> Decision {
        switch stream.type {
        case "video" where stream.isStill == true:
            return .drop(why: "cover art is not kept")
        case "video":
            return copyableVideo.contains(stream.codec) ? .copy
                : .reencode(to: "h264", why: "\(stream.codec) does not play widely in MP4")
        case "audio":
            return copyableAudio.contains(stream.codec) ? .copy
                : .reencode(to: losslessAudio ? "alac" : "aac", why: "\(stream.codec) does not play widely in MP4")
        case "subtitle":
            return textSubtitles.contains(stream.codec) ? .reencode(to: "mov_text", why: "MP4 keeps text subtitles as mov_text")
                : .drop(why: "bitmap subtitles (\(stream.codec)) cannot go in MP4")
        default:
            return .drop(why: "\(stream.type) streams are not kept in MP4")
        }
    }
}
