import MediaProbe

/// Whether a request is the offline photo slideshow. It is asked before the general
/// planner; nil leaves the request to `Planner.plan` (videos, scripts, `--cloud`, a prompt
/// without `--local` — the cloud's photo skill, as before).
///
/// The rule, in order:
/// 1. `--cloud` → nil.
/// 2. The inputs must be photos, plus at most one audio file (it becomes the music); any video
///    or script → nil. Two songs (an audio input and `--music`, or two audio inputs) → nil.
/// 3. No prompt → the slideshow (whether or not `--local` or slideshow flags were given).
/// 4. A prompt without `--local` → nil: words are a request for the agent.
/// 5. A prompt with `--local`: the planner reads its intents; the slideshow does "slideshow",
///    "transitions", "vertical"/"resize"/"convert"/"blur", "export", and "background music"
///    when a song was given. Any other generative or cloud-session intent → `needsCloud` naming
///    it; local words that do not apply to photos ("crop", "mp4", "trim") are answered in the
///    reasons and otherwise ignored.
public enum SlideshowRouting {
    public struct Decision: Equatable, Sendable {
        /// The photos, in the order given.
        public var photos: [ProbeReport]
        /// An audio input to use as the music (nil: none, or `--music` gives it).
        public var music: ProbeReport?
        /// Why the slideshow was chosen, for `--plan`.
        public var reasons: [String]
    }

    /// Intents the offline slideshow carries out itself.
    static let offline: Set<Intent> = [.slideshow, .transitions, .vertical, .resize, .convert, .blur, .export]

    /// - Parameters:
    ///   - musicFlag: `--music` was given.
    ///   - slideshowFlags: a slideshow-only flag was given (`--music`, `--photo-duration`, …).
    public static func decide(_ request: Request, musicFlag: Bool, slideshowFlags: Bool) throws -> Decision? {
        let flags = request.flags
        if flags.forceCloud { return nil }
        let photos = request.inputs.filter { $0.kind == .image }
        let others = request.inputs.filter { $0.kind != .image }
        guard !photos.isEmpty, others.allSatisfy({ $0.kind == .audio }), others.count + (musicFlag ? 1 : 0) <= 1 else { return nil }
        let music = others.first
        var reasons = ["\(photos.count == 1 ? "1 photo" : "\(photos.count) photos") → offline slideshow (Ken Burns, crossfades); nothing is uploaded"]
        if let music { reasons.append("the audio input \(name(music)) is the music") }
        if flags.fit != nil { reasons.append("--fit applies to videos; photos sit over their own blurred fill") }
        if flags.target == .mp4 { reasons.append("--to mp4 applies to videos; photos make the slideshow (the tiktok contract)") }
        if flags.start != nil || flags.duration != nil { reasons.append("--start/--duration apply to videos; the slideshow's length is photos × --photo-duration") }
        let prompt = request.prompt?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if prompt.isEmpty {
            reasons.append(flags.forceLocal ? "--local" : slideshowFlags ? "only slideshow flags, no request" : "no request")
            return Decision(photos: photos, music: music, reasons: reasons)
        }
        guard flags.forceLocal else { return nil }
        try check(prompt: prompt, request: request, hasMusic: music != nil || musicFlag, reasons: &reasons)
        return Decision(photos: photos, music: music, reasons: reasons)
    }

    /// --local with a prompt: every intent is done offline, answered, or refused as cloud-only.
    static func check(prompt: String, request: Request, hasMusic: Bool, reasons: inout [String]) throws {
        var asCloud = request
        asCloud.flags.forceLocal = false
        let intents = try Planner.plan(asCloud).intents.compactMap(Intent.init(rawValue:))
        var done: [String] = []
        for intent in intents {
            if offline.contains(intent) || (intent == .bgm && hasMusic) {
                done.append(intent.displayName)
            } else if intent.category == .local {
                reasons.append("'\(intent.displayName)' does not apply to a photo slideshow; ignored")
            } else {
                throw PlanningError.needsCloud(part: intent == .bgm ? "background music chosen by the agent (give --music FILE to use your own)"
                                                                    : intent.displayName)
            }
        }
        reasons.append("--local with a request the slideshow does itself" + (done.isEmpty ? "" : " (\(done.joined(separator: ", ")))"))
    }

    static func name(_ r: ProbeReport) -> String { String(r.path.split(separator: "/").last ?? Substring(r.path)) }

    /// The slideshow's plan with the default timing (3 s a photo, 0.5 s crossfades); the CLI
    /// makes it again with the slideshow flags given.
    public static func plan(_ decision: Decision) -> Plan {
        let steps = Self.steps(photos: decision.photos.count, photoSeconds: 3, transition: "crossfade 0.5 s at each cut",
                               music: decision.music.map(name), fitToMusic: false, beatSync: false)
        return Plan(route: .local, localPlan: .tiktok, steps: steps, reasons: decision.reasons)
    }

    /// The steps `--plan` shows for the slideshow.
    public static func steps(photos: Int, photoSeconds: Double, transition: String, music: String?, fitToMusic: Bool,
                             beatSync: Bool) -> [String] {
        var steps = ["decode the \(photos == 1 ? "photo" : "\(photos) photos") one at a time (JPEG at reduced size, HEIC through libheif), upright by EXIF",
                     fitToMusic ? "share the song's length among the photos" : "show each photo \(seconds(photoSeconds))",
                     "Ken Burns pan and zoom (towards faces when there are any), sampled at sub-pixel positions; photos that are not 9:16 over their own blurred fill",
                     transition]
        if beatSync { steps.append("move each cut onto the nearest beat of the music (aubio)") }
        if let music {
            steps.append("music: \(music), trimmed to the slideshow, about −14 LUFS (EBU R128), faded out at the end")
        }
        let contract = TikTokContract.photoOutput
        steps.append("encode H.264 High \(contract.width)x\(contract.height) \(Planner.fps(contract.framesPerSecond)) fps" + (music == nil ? "" : " + AAC-LC 48 kHz stereo") + "; MP4 with the index first")
        return steps
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.2g s", s)
    }
}
