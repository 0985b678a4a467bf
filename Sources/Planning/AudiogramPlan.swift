import MediaProbe

/// The audiogram: an audio-only input (a voice memo, a podcast clip, a song) as a 1080x1920 video
/// of its cover with level bars that move with the sound. Planned here, made by the engine's
/// audiogram product.
public enum AudiogramPlan {
    /// TikTok's longest upload.
    public static let longest = 600.0
    /// How many level bars the picture shows.
    public static let bars = 24

    /// What a prompt may ask of the audiogram (it is vertical, converted, exported already).
    static let offline: Set<Intent> = [.vertical, .resize, .convert, .export]

    /// Where the picture comes from, for `--plan` and the engine.
    public enum Cover: Equatable, Sendable {
        case given(String)
        case embedded(StreamInfo)
        case plain
    }

    public static func cover(for r: ProbeReport, given: String?) -> Cover {
        if let given { return .given(given) }
        if let art = r.streams.first(where: { $0.type == .video && $0.isStill == true }) { return .embedded(art) }
        return .plain
    }

    static func build(_ c: PlanContext) throws -> Plan {
        var steps: [String] = [], reasons = ["audio-only input with no request → local audiogram (its cover, level bars that move with the sound); nothing is uploaded"]
        for r in c.audios {
            let total = r.duration ?? 0
            let length = c.duration.map { min($0, max(0, total - (c.start ?? 0))) } ?? max(0, total - (c.start ?? 0))
            if length > longest + 0.5 { throw PlanningError.audioTooLong(name: Planner.name(r), seconds: total) }
            let prefix = c.audios.count > 1 ? "\(Planner.name(r)): " : ""
            steps += self.steps(r, length: length, cover: cover(for: r, given: c.flags.cover), c).map { prefix + $0 }
        }
        reasons += c.trimReasons
        if c.flags.target == .mp4 { reasons.append("--to mp4: a sound has no picture to keep; it becomes the audiogram (1080x1920)") }
        if c.flags.fit != nil { reasons.append("--fit: the cover is shown whole over its own blurred fill") }
        if c.flags.loop != nil { reasons.append("--loop applies to animated images; an audiogram lasts as long as its sound") }
        return Plan(route: .local, localPlan: .tiktok, fit: .blur, steps: steps, reasons: reasons, start: c.start, duration: c.duration,
                    intents: c.intents.map(\.rawValue), parts: RequestParts.local(c, plan: .tiktok, fit: .blur))
    }

    static func steps(_ r: ProbeReport, length: Double, cover: Cover, _ c: PlanContext) -> [String] {
        let a = r.primaryAudio
        var read = "decode \(a?.codec ?? "audio")"
        if let rate = a?.sampleRate { read += " \(Planner.kHz(rate))" }
        if let ch = a?.channels { read += " \(Planner.channelName(ch))" }
        read += ", \(Planner.seconds((length * 100).rounded() / 100))"
        var steps = [read]
        if c.hasTimes { steps.append("trim \(Planner.rangeText(start: c.start, duration: c.duration))") }
        switch cover {
        case let .given(path):
            steps.append("picture: the cover \(path.split(separator: "/").last.map(String.init) ?? path) (--cover), whole over its own blurred fill")
        case let .embedded(art):
            let size = art.width.flatMap { w in art.height.map { "\(w)x\($0) " } } ?? ""
            steps.append("picture: the file's embedded cover art (\(size)\(art.codec)), whole over its own blurred fill")
        case .plain:
            steps.append("picture: a plain dark background (no --cover given, no cover art in the file)")
        }
        if let title = r.tags?["title"] {
            let artist = r.tags?["artist"].map { " by \($0)" } ?? ""
            steps.append("tagged title '\(title)'\(artist): drawn above the picture (libass, once: the plate is the same in every frame) and kept as the MP4's tags")
        }
        steps.append("\(bars) level bars under the cover that move with the sound (still in silence), redrawn each frame in their own strip only")
        steps.append("audio: all of it, AAC-LC 48 kHz stereo (the TikTok contract)")
        steps.append("encode H.264 High 1080x1920 30 fps + AAC 48 kHz stereo")
        steps.append("mux MP4 (index first)")
        return steps
    }
}
