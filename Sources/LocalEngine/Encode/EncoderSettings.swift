import MediaProbe
import Planning

/// The encoders a local conversion will use, worked out from the same values the converters
/// use (the tiktok contract's output, options), so `--plan` shows what will really happen.
public struct EncoderSettings: Codable, Equatable, Sendable {
    /// Video encoder settings; nil when no video is encoded (copied or absent).
    public var video: Video?
    /// Audio encoder settings; nil when no audio is encoded (copied or absent).
    public var audio: Audio?

    public struct Video: Codable, Equatable, Sendable {
        public var encoder = "libx264"
        public var preset: String
        public var crf: Int
        /// "high" for the tiktok plan; nil when x264 chooses (the mp4 plan keeps the source's pixel format).
        public var profile: String?
        /// The declared H.264 level ("4.0", "4.2"); nil when x264 chooses.
        public var level: String?
        /// Output frames per second, when the plan fixes it.
        public var framesPerSecond: Double?
    }

    public struct Audio: Codable, Equatable, Sendable {
        /// "aac" or "alac".
        public var codec: String
        /// Bits per second (nil for lossless).
        public var bitRate: Int?
    }

    /// One line for `--plan`: "H.264 High level 4.0 (x264 preset veryfast, CRF 21), 30 fps; AAC 160 kb/s".
    public var summary: String {
        var parts: [String] = []
        if let v = video {
            var s = "H.264"
            if let p = v.profile { s += " " + p.prefix(1).uppercased() + p.dropFirst() }
            s += " level " + (v.level ?? "chosen by x264")
            s += " (x264 preset \(v.preset), CRF \(v.crf))"
            if let f = v.framesPerSecond { s += ", " + (f == f.rounded() ? "\(Int(f))" : String(format: "%.3f", f)) + " fps" }
            parts.append(s)
        } else {
            parts.append("video not re-encoded")
        }
        if let a = audio {
            parts.append(a.codec == "alac" ? "ALAC (lossless)" : "AAC \(a.bitRate.map { "\($0 / 1000) kb/s" } ?? "")")
        } else {
            parts.append("no audio encoded")
        }
        return parts.joined(separator: "; ")
    }
}

extension TikTokOptions {
    /// What `TikTokConverter` will encode `report` with: the contract's output for its video.
    public func encoderSettings(for report: ProbeReport) -> EncoderSettings {
        let contract = TikTokContract.output(for: report.primaryVideo)
        let video = EncoderSettings.Video(preset: preset, crf: crf, profile: contract.profile,
                                          level: contract.level.name, framesPerSecond: contract.framesPerSecond)
        let hasAudio = (report.primaryAudio != nil && !edits.mute) || silentAudio
        return EncoderSettings(video: video, audio: hasAudio ? .init(codec: "aac", bitRate: audioBitrate) : nil)
    }
}

extension MP4Options {
    /// What `MP4Converter` will encode `report` with: only the streams it cannot copy.
    public func encoderSettings(for report: ProbeReport) -> EncoderSettings {
        func reencoded(_ type: StreamType) -> Bool {
            report.streams.contains { s in
                guard s.type == type, case .reencode = MP4Compatibility.action(for: s, edits: edits) else { return false }
                return true
            }
        }
        let video = reencoded(.video) ? EncoderSettings.Video(preset: preset, crf: crf, profile: nil, level: nil) : nil
        let audio = reencoded(.audio) ? EncoderSettings.Audio(codec: losslessAudio ? "alac" : "aac",
                                                              bitRate: losslessAudio ? nil : audioBitrate) : nil
        return EncoderSettings(video: video, audio: audio)
    }
}
