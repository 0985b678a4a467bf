import Foundation

/// The contract's conditions on the audio and on the file itself, which copying into a new
/// MP4 or re-encoding only the audio can fix.
enum FileConditions {
    private typealias T = ReadinessText

    /// AAC-LC 48 kHz stereo, or no audio at all (`--silent-audio` adds a silent track).
    static func audio(_ a: StreamInfo?) -> ReadinessCondition {
        let required = "AAC-LC 48 kHz stereo, or none"
        guard let a else {
            return ReadinessCondition(.audio, passed: true, required: required, found: "none", fix: .audio,
                                      remedy: "none kept (--silent-audio adds a silent AAC track)")
        }
        let ok = a.codec == "aac" && a.profile == "LC" && a.sampleRate == TikTokContract.audioSampleRate
            && a.channels == TikTokContract.audioChannels
        var found = T.codec(a.codec) + (a.profile.map { "-" + $0 } ?? "")
        if let r = a.sampleRate { found += " " + (r % 1000 == 0 ? "\(r / 1000)" : String(format: "%.1f", Double(r) / 1000)) + " kHz" }
        if let c = a.channels { found += " " + (c == 1 ? "mono" : c == 2 ? "stereo" : "\(c) channels") }
        return ReadinessCondition(.audio, passed: ok, required: required, found: found, fix: .audio,
                                  remedy: "re-encoded to AAC-LC 48 kHz stereo")
    }

    /// MP4. An MP4/MOV file's streams can be copied into a new MP4; other containers are encoded
    /// (their timestamps need the repairs the mp4 plan makes: `--to mp4` first).
    static func container(_ r: ProbeReport) -> ReadinessCondition {
        let isoFamily = r.container.hasPrefix("mov,mp4")
        return ReadinessCondition(.container, passed: r.format == "mp4", required: "MP4", found: r.format.uppercased(),
                                  fix: isoFamily ? .remux : .video,
                                  remedy: isoFamily ? "streams copied into an MP4" : "encoded into an MP4 (tikconv copies only out of MP4/MOV)")
    }

    /// The index (moov) before the media data (mdat), so playback and upload checks can start
    /// before the whole file has arrived.
    static func index(_ r: ProbeReport, boxes: [String]?) -> ReadinessCondition {
        let required = "index (moov) before the media data (mdat)"
        guard let boxes else {
            let iso = r.container.hasPrefix("mov,mp4")
            return ReadinessCondition(.index, passed: false, required: required, found: iso ? "unreadable" : "not an MP4 file",
                                      fix: iso ? .remux : .video, remedy: "written first in the new MP4")
        }
        let first = TopLevelBoxes.indexFirst(boxes)
        return ReadinessCondition(.index, passed: first, required: required, found: first ? "moov first" : "moov after mdat",
                                  fix: .remux, remedy: "written first in the new MP4")
    }

    /// TikTok takes 3 s to 10 min; tikconv neither lengthens a clip nor cuts one unasked.
    static func duration(_ d: Double?) -> ReadinessCondition {
        let range = TikTokContract.durations
        let required = "\(Int(range.lowerBound)) s to \(Int(range.upperBound / 60)) min (TikTok's limits)"
        guard let d else {
            return ReadinessCondition(.duration, passed: false, required: required, found: "unknown", fix: .none, remedy: "none")
        }
        let remedy = d > range.upperBound ? "none: trim it with --duration \(Int(range.upperBound))"
            : d < range.lowerBound ? "none: tikconv cannot lengthen a clip" : "none needed"
        return ReadinessCondition(.duration, passed: range.contains(d), required: required, found: T.seconds(d), fix: .none,
                                  remedy: remedy)
    }
}
