import CFFmpeg

/// Owns an AVChannelLayout (which may own a custom channel map; freed with
/// av_channel_layout_uninit).
public final class ChannelLayout: Equatable, CustomStringConvertible {
    var layout = AVChannelLayout()

    /// FFmpeg's default layout for `channels` (1: mono, 2: stereo, 6: 5.1 …).
    public init(defaultFor channels: Int) {
        av_channel_layout_default(&layout, Int32(max(1, channels)))
    }

    /// A deep copy of `source`; an unspecified or empty order becomes the default for its count.
    init(copying source: UnsafePointer<AVChannelLayout>) throws {
        if source.pointee.order == AV_CHANNEL_ORDER_UNSPEC || source.pointee.nb_channels == 0 {
            av_channel_layout_default(&layout, max(1, source.pointee.nb_channels))
        } else {
            try check(av_channel_layout_copy(&layout, source), "av_channel_layout_copy")
        }
    }

    deinit { av_channel_layout_uninit(&layout) }

    public var channelCount: Int { Int(layout.nb_channels) }
    /// Whether the order is known (not just a channel count).
    public var isSpecified: Bool { layout.order != AV_CHANNEL_ORDER_UNSPEC }

    public var description: String {
        var buf = [CChar](repeating: 0, count: 128)
        return av_channel_layout_describe(&layout, &buf, buf.count) > 0 ? String(cString: buf) : "\(channelCount) channels"
    }

    public static func == (a: ChannelLayout, b: ChannelLayout) -> Bool { av_channel_layout_compare(&a.layout, &b.layout) == 0 }

    /// Copies this layout into a C struct another owner holds.
    func copy(into target: UnsafeMutablePointer<AVChannelLayout>) throws {
        av_channel_layout_uninit(target)
        try check(av_channel_layout_copy(target, &layout), "av_channel_layout_copy")
    }
}
