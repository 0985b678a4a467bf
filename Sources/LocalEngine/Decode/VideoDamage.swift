/// How much of a video stream was damaged, counted while it is decoded: packets the decoder
/// refused (skipped) and pictures it decoded with damage hidden (error concealment). A little is
/// reported; past `refusedAbove` the source is refused, as its picture would be mostly repair.
public struct VideoDamage: Equatable, Sendable {
    public var packets = 0
    public var damagedPackets = 0
    public var pictures = 0
    public var repairedPictures = 0

    /// The share of damaged packets or repaired pictures (the larger) over which a video is refused.
    public static let refusedAbove = 0.2

    public init() {}

    /// The larger of the two shares, 0–1.
    public var fraction: Double {
        max(packets > 0 ? Double(damagedPackets) / Double(packets) : 0, pictures > 0 ? Double(repairedPictures) / Double(pictures) : 0)
    }

    public var isTooMuch: Bool { fraction > Self.refusedAbove }

    /// "3 of 60 video packets were damaged and skipped; 5 of 58 pictures were repaired by the decoder",
    /// or nil when nothing was damaged.
    public var summary: String? {
        var parts: [String] = []
        if damagedPackets > 0 { parts.append("\(damagedPackets) of \(packets) video packets were damaged and skipped") }
        if repairedPictures > 0 { parts.append("\(repairedPictures) of \(pictures) pictures had damage the decoder covered up") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
