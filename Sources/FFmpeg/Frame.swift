import CFFmpeg

/// Owns one AVFrame (and, through it, references to its data buffers).
public final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    public init() throws {
        guard let f = av_frame_alloc() else { throw FFmpegError.outOfMemory(what: "AVFrame") }
        pointer = f
    }

    /// A new picture with its own buffers.
    public convenience init(width: Int, height: Int, format: PixelFormat) throws {
        try self.init()
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        pointer.pointee.format = format.raw
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer(\(width)x\(height))")
    }

    /// New audio with its own buffers for `samples` samples (at least 1).
    public convenience init(samples: Int, format: SampleFormat, rate: Int, layout: ChannelLayout) throws {
        try self.init()
        pointer.pointee.format = format.raw
        pointer.pointee.sample_rate = Int32(rate)
        try layout.copy(into: &pointer.pointee.ch_layout)
        pointer.pointee.nb_samples = Int32(max(samples, 1))
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer(audio)")
    }

    deinit {
        var f: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&f)
    }

    /// A new owner referencing the same buffers (no pixel copy).
    public func reference() throws -> Frame {
        let copy = try Frame()
        try check(av_frame_ref(copy.pointer, pointer), "av_frame_ref")
        return copy
    }

    /// Drops the buffers so the frame can receive the next decoded picture.
    public func unref() { av_frame_unref(pointer) }

    // MARK: Pictures

    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    public var pixelFormat: PixelFormat { PixelFormat(AVPixelFormat(rawValue: pointer.pointee.format)) }
    public var color: ColorDescription {
        let f = pointer.pointee
        return ColorDescription(primaries: f.color_primaries, transfer: f.color_trc, space: f.colorspace, range: f.color_range)
    }
    public var isInterlaced: Bool { pointer.pointee.interlaced_frame != 0 }
    /// The decoder found damage in this picture and hid it (error concealment), or marked it corrupt.
    public var isDamaged: Bool { pointer.pointee.decode_error_flags != 0 || pointer.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0 }
    /// The pixel aspect ratio the decoder reports (0/1 when unknown).
    public var sampleAspectRatio: Rational { Rational(pointer.pointee.sample_aspect_ratio) }

    /// Presentation time in the time base of whoever reads it next.
    public var pts: Int64? {
        get { pointer.pointee.pts.orNoPTS }
        set { pointer.pointee.pts = newValue.avTimestamp }
    }
    /// The decoder's best guess at the presentation time (pts, else dts-derived).
    public var bestEffortTimestamp: Int64? { pointer.pointee.best_effort_timestamp.orNoPTS }
    /// The duration of the packet the frame came from (0 when unknown).
    public var packetDuration: Int64 { pointer.pointee.pkt_duration }

    /// A metadata value a filter attached to the frame ("lavfi.r128.I"), if any.
    public func metadata(_ key: String) -> String? {
        av_dict_get(pointer.pointee.metadata, key, nil, 0)?.pointee.value.map { String(cString: $0) }
    }

    /// Lets the encoder choose the picture type (a decoded frame's own type must not force one).
    public func clearPictureType() { pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE }

    /// Gives the frame its own buffers if an encoder still references them, so they can be overwritten.
    public func makeWritable() throws { try check(av_frame_make_writable(pointer), "av_frame_make_writable") }

    /// Narrows the picture to a window by moving the data pointers (FFmpeg's own cropping;
    /// nothing is copied).
    public func crop(left: Int, top: Int, right: Int, bottom: Int) throws {
        pointer.pointee.crop_left = left
        pointer.pointee.crop_top = top
        pointer.pointee.crop_right = right
        pointer.pointee.crop_bottom = bottom
        try check(av_frame_apply_cropping(pointer, Int32(AV_FRAME_CROP_UNALIGNED)), "av_frame_apply_cropping")
    }

    /// Copies the pixels of `source`, a picture of the same size and format, into this frame's
    /// own buffers (av_frame_copy).
    public func copyPixels(from source: Frame) throws {
        try check(av_frame_copy(pointer, source.pointer), "av_frame_copy")
    }
    /// The peak of an HDR signal, in units of 100 cd/m², from the frame's side data: MaxCLL,
    /// else the mastering display's peak (as vf_tonemap determines it); nil when it carries none.
    public var hdrSignalPeak: Double? {
        if let sd = av_frame_get_side_data(pointer, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL) {
            let cll = UnsafeRawPointer(sd.pointee.data).assumingMemoryBound(to: AVContentLightMetadata.self).pointee
            if cll.MaxCLL > 0 { return Double(cll.MaxCLL) / 100 }
        }
        if let sd = av_frame_get_side_data(pointer, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA) {
            let m = UnsafeRawPointer(sd.pointee.data).assumingMemoryBound(to: AVMasteringDisplayMetadata.self).pointee
            if m.has_luminance != 0, m.max_luminance.den != 0 { return Rational(m.max_luminance).double / 100 }
        }
        return nil
    }

    /// Plane data pointer and stride.
    public func plane(_ i: Int) -> (data: UnsafeMutablePointer<UInt8>?, linesize: Int32) {
        withUnsafePointer(to: &pointer.pointee.data) { tuple in
            tuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { data in
                withUnsafePointer(to: &pointer.pointee.linesize) { ls in
                    ls.withMemoryRebound(to: Int32.self, capacity: 8) { lines in (data[i], lines[i]) }
                }
            }
        }
    }

    /// The data pointers as a C array of 4 (what swscale takes).
    public var dataPointers: [UnsafeMutablePointer<UInt8>?] { (0..<4).map { plane($0).data } }
    public var linesizes: [Int32] { (0..<4).map { plane($0).linesize } }

    // MARK: Audio

    public var sampleFormat: SampleFormat { SampleFormat(AVSampleFormat(rawValue: pointer.pointee.format)) }
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }
    /// Shortens the audio to its first `count` samples (the buffers stay as they are).
    public func keepSamples(_ count: Int) {
        pointer.pointee.nb_samples = Int32(max(0, min(count, sampleCount)))
    }
    public var sampleRate: Int { Int(pointer.pointee.sample_rate) }
    public var channelCount: Int { Int(pointer.pointee.ch_layout.nb_channels) }
    /// A copy of the channel layout (an unspecified order becomes the default for the count).
    public func channelLayout() throws -> ChannelLayout { try ChannelLayout(copying: &pointer.pointee.ch_layout) }

    /// Whether `layout` describes this frame's channels (checked per frame, so compared in place).
    public func hasChannelLayout(_ layout: ChannelLayout) -> Bool {
        var own = pointer.pointee.ch_layout
        if own.order == AV_CHANNEL_ORDER_UNSPEC || own.nb_channels == 0 {
            return layout.channelCount == max(1, Int(own.nb_channels)) && ChannelLayout(defaultFor: layout.channelCount) == layout
        }
        return av_channel_layout_compare(&own, &layout.layout) == 0
    }

    /// Fills the first `count` samples with silence.
    public func fillSilence(count: Int) {
        av_samples_set_silence(pointer.pointee.extended_data, 0, Int32(count), pointer.pointee.ch_layout.nb_channels,
                               AVSampleFormat(rawValue: pointer.pointee.format))
    }

    /// A copy of one channel's samples, for float audio (planar or interleaved); empty for
    /// other sample formats.
    public func floatSamples(channel: Int) -> [Float] {
        let format = sampleFormat, channels = channelCount, n = sampleCount
        guard format == .fltp || format == .flt, channel >= 0, channel < channels, n > 0 else { return [] }
        let planar = format.isPlanar
        guard let base = pointer.pointee.extended_data[planar ? channel : 0] else { return [] }
        let samples = UnsafeRawPointer(base).assumingMemoryBound(to: Float.self)
        if planar { return Array(UnsafeBufferPointer(start: samples, count: n)) }
        return (0..<n).map { samples[$0 * channels + channel] }
    }

    /// The channel planes (or the one interleaved buffer), advanced past `skip` samples.
    func samplePlanes(skipping skip: Int = 0) -> [UnsafeMutableRawPointer?] {
        let format = sampleFormat
        let channels = channelCount
        let planes = format.isPlanar ? channels : 1
        let advance = skip * format.bytesPerSample * (format.isPlanar ? 1 : channels)
        return (0..<planes).map { UnsafeMutableRawPointer(pointer.pointee.extended_data[$0]!) + advance }
    }
}
