import FFmpeg

/// Whether the media libraries print their own diagnostics. tikconv reports errors itself, so
/// they are hidden unless a user asks for them (e.g. when filing a bug).
public enum EngineLog {
    public static func setQuiet(_ quiet: Bool) { FFmpegLog.setQuiet(quiet) }
}
