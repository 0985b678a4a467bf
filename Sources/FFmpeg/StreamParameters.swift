import CFFmpeg

/// One input stream as its header and libavformat's analysis describe it: a value copied out
/// of the AVStream, so nothing above this layer holds a pointer into the demuxer.
public struct StreamParameters {
    public let index: Int
    public let type: MediaType
    public let codecName: String
    public let profileName: String?
    /// The codec's level as the analysis found it (H.264: level_idc, 40 for level 4.0); nil
    /// when unknown.
    public let level: Int?
    /// H.264 only: the profile and level the stream's sequence parameter set declares, read from
    /// the codec parameters' extradata (no decoding, no analysis needed).
    public let h264Header: H264Header?
    public let hasDecoder: Bool
    public let timeBase: Rational
    /// First timestamp, in `timeBase`.
    public let startTime: Int64?
    /// Length, in `timeBase`, when the header gives it.
    public let duration: Int64?
    public let bitRate: Int?
    public let isDefault: Bool
    /// A cover picture inside an audio file (not a video).
    public let isAttachedPicture: Bool
    public let language: String?

    // Video.
    public let width: Int
    public let height: Int
    /// The codec's pixel aspect ratio, else the container's; reduced; 0/1 when neither knows.
    public let sampleAspectRatio: Rational
    public let averageFrameRate: Rational
    public let realFrameRate: Rational
    /// Frames of reordering delay (B-frames); 0 when presentation order is decode order.
    public let videoDelay: Int
    public let pixelFormat: PixelFormat?
    public let color: ColorDescription
    /// Degrees clockwise to turn the stored picture upright: 0, 90, 180 or 270.
    public let rotation: Int
    /// "progressive", "tt", "bb", "tb", "bt", or nil when unknown.
    public let fieldOrder: String?

    // Audio.
    public let sampleRate: Int
    public let channels: Int
    public let channelLayoutName: String?

    init(_ stp: UnsafeMutablePointer<AVStream>, index: Int) {
        let st = stp.pointee
        let par = st.codecpar.pointee
        self.index = index
        type = MediaType(par.codec_type)
        codecName = String(cString: avcodec_get_name(par.codec_id))
        profileName = avcodec_profile_name(par.codec_id, par.profile).map { String(cString: $0) }
        level = par.level > 0 ? Int(par.level) : nil
        h264Header = par.codec_id == AV_CODEC_ID_H264 && par.extradata_size > 0
            ? H264Header(extradata: Array(UnsafeBufferPointer(start: par.extradata, count: Int(par.extradata_size))))
            : nil
        hasDecoder = avcodec_find_decoder(par.codec_id) != nil
        timeBase = Rational(st.time_base)
        startTime = st.start_time.orNoPTS
        duration = st.duration == noPTS || st.duration <= 0 ? nil : st.duration
        bitRate = par.bit_rate > 0 ? Int(par.bit_rate) : nil
        isDefault = st.disposition & AV_DISPOSITION_DEFAULT != 0
        isAttachedPicture = st.disposition & AV_DISPOSITION_ATTACHED_PIC != 0
        language = av_dict_get(st.metadata, "language", nil, 0)?.pointee.value.map { String(cString: $0) }
        width = Int(par.width)
        height = Int(par.height)
        sampleAspectRatio = Self.reduced(Rational(par.sample_aspect_ratio).isValid ? par.sample_aspect_ratio : st.sample_aspect_ratio)
        averageFrameRate = Rational(st.avg_frame_rate)
        realFrameRate = Rational(st.r_frame_rate)
        videoDelay = Int(par.video_delay)
        pixelFormat = type == .video && par.format >= 0 ? PixelFormat(AVPixelFormat(rawValue: par.format)) : nil
        color = ColorDescription(primaries: par.color_primaries, transfer: par.color_trc, space: par.color_space, range: par.color_range)
        rotation = Self.rotation(stp)
        fieldOrder = Self.fieldOrderName(par.field_order)
        sampleRate = Int(par.sample_rate)
        var layout = par.ch_layout
        channels = Int(layout.nb_channels)
        var buf = [CChar](repeating: 0, count: 128)
        channelLayoutName = layout.nb_channels > 0 && av_channel_layout_describe(&layout, &buf, buf.count) > 0 ? String(cString: buf) : nil
    }

    static func reduced(_ r: AVRational) -> Rational {
        guard r.num > 0, r.den > 0 else { return Rational(0, 1) }
        var n: Int32 = 0, d: Int32 = 0
        av_reduce(&n, &d, Int64(r.num), Int64(r.den), 1 << 20)
        return Rational(n, d)
    }

    /// `av_display_rotation_get` returns the matrix's rotation in degrees COUNTER-clockwise
    /// (range [-180, 180]); phones that write the classic `rotate=90` tag store a matrix for which
    /// it returns -90 (ffprobe prints "rotation of -90.00 degrees"). So clockwise = −value, rounded
    /// to the nearest quarter turn. Mirroring in the matrix is ignored.
    static func rotation(_ st: UnsafeMutablePointer<AVStream>) -> Int {
        guard let raw = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, nil) else { return 0 }
        let ccw = raw.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard ccw.isFinite else { return 0 }
        return clockwiseQuarterTurns(fromCounterClockwise: ccw)
    }

    /// −ccw normalised to 0/90/180/270.
    public static func clockwiseQuarterTurns(fromCounterClockwise ccw: Double) -> Int {
        let quarter = Int((-ccw / 90).rounded())
        return ((quarter % 4) + 4) % 4 * 90
    }

    static func fieldOrderName(_ f: AVFieldOrder) -> String? {
        switch f {
        case AV_FIELD_PROGRESSIVE: return "progressive"
        case AV_FIELD_TT: return "tt"
        case AV_FIELD_BB: return "bb"
        case AV_FIELD_TB: return "tb"
        case AV_FIELD_BT: return "bt"
        default: return nil
        }
    }

    /// Names of the colour tags when set ("bt2020", "smpte2084", "bt2020nc"); nil when unspecified.
    public var colorPrimariesName: String? {
        color.primaries == AVCOL_PRI_UNSPECIFIED ? nil : av_color_primaries_name(color.primaries).map { String(cString: $0) }
    }
    public var colorTransferName: String? {
        color.transfer == AVCOL_TRC_UNSPECIFIED ? nil : av_color_transfer_name(color.transfer).map { String(cString: $0) }
    }
    public var colorSpaceName: String? {
        color.space == AVCOL_SPC_UNSPECIFIED ? nil : av_color_space_name(color.space).map { String(cString: $0) }
    }
    /// PQ (SMPTE 2084) or HLG (ARIB STD-B67) transfer.
    public var isPQ: Bool { color.transfer == AVCOL_TRC_SMPTE2084 }
    public var isHLG: Bool { color.transfer == AVCOL_TRC_ARIB_STD_B67 }
}

/// An H.264 stream's profile and level, from the start of its sequence parameter set.
public struct H264Header: Equatable, Sendable {
    /// FFmpeg's name for the profile ("High", "Main", "Constrained Baseline", "High 10", …).
    public let profileName: String
    /// profile_idc and level_idc as written (100 = High; 40 = level 4.0).
    public let profileIDC: Int
    public let levelIDC: Int

    /// Reads an avcC box (MP4/MOV/MKV: version 1, then profile, constraint flags, level) or
    /// Annex B parameter sets (the first SPS NAL after a start code); nil when neither is found.
    public init?(extradata d: [UInt8]) {
        var at: Int?
        if d.count >= 4 && d[0] == 1 {
            at = 1
        } else {
            var i = 0
            while i + 6 < d.count {
                if d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1 && d[i + 3] & 0x1f == 7 { at = i + 4; break }
                i += 1
            }
        }
        guard let at, at + 2 < d.count else { return nil }
        let idc = Int(d[at]), flags = d[at + 1]
        // FFmpeg's own profile numbering (ff_h264_get_profile): constraint_set1 marks Constrained
        // Baseline, constraint_set3 the Intra variants of the High 10/4:2:2/4:4:4 profiles.
        var profile = Int32(idc)
        if idc == 66 && flags & 0x40 != 0 { profile |= FF_PROFILE_H264_CONSTRAINED }
        if [110, 122, 244].contains(idc) && flags & 0x10 != 0 { profile |= FF_PROFILE_H264_INTRA }
        profileIDC = idc
        levelIDC = Int(d[at + 2])
        profileName = avcodec_profile_name(AV_CODEC_ID_H264, profile).map { String(cString: $0) } ?? "profile \(idc)"
    }
}
