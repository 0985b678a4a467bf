/// The mark tikconv leaves in every file it writes (a container "comment"), read back by the
/// probe: a batch skips files tikconv made instead of converting its own outputs again.
public enum MadeByTikconv {
    public static let metadataKey = "comment"
    public static let metadataValue = "made with tikconv"

    /// Whether a container comment is tikconv's mark.
    public static func isMark(_ comment: String?) -> Bool { comment?.hasPrefix(metadataValue) ?? false }
}
