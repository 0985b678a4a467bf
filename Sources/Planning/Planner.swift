import Foundation
import MediaProbe

/// The pure planner: a Request (probe reports, prompt, flags) in, a Plan out.
/// No file I/O, no clock, no environment.
///
/// 1. Check the flags; read the prompt once (`PromptReading`): table phrases (`PhraseTable`),
///    times (`TrimParser`), and the words left over, clause by clause. A prompt with nothing
///    understood is an error (gibberish, a bare file name) unless `--cloud` sends it as written.
/// 2. Work out trim, fit, local plan, local edits and what only the cloud can do (`PlanContext`).
/// 3. Decide the route with the table in `decide` (inputs by kind, then what the prompt asks).
/// 4. Build the plan: steps, reasons, and every part of the prompt with what happens to it
///    (`PlanBuilder`, `RequestParts`).
public enum Planner {
    public static func plan(_ request: Request) throws -> Plan {
        try validate(request)
        // Typed titles are taken out first: their own times ("for the first 3 seconds") are not a trim.
        let titles = TitleParser.extract(request.prompt ?? "")
        let reading = PromptReading(titles.rest)
        if titles.found.isEmpty { try checkUnderstood(reading, request) }
        let context = try PlanContext(request, reading: reading, titles: titles.found)
        switch try decide(context) {
        case let .local(plan, notes): return PlanBuilder.local(plan, notes: notes, context)
        case let .cloud(choice): return PlanBuilder.cloud(choice, context)
        case .audiogram: return try AudiogramPlan.build(context)
        }
    }

    static func validate(_ request: Request) throws {
        let flags = request.flags
        let prompt = request.prompt?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if request.inputs.isEmpty && prompt.isEmpty { throw PlanningError.nothingToDo }
        if let d = flags.duration, !(d > 0) { throw PlanningError.invalidTrim("--duration must be more than 0 s (got \(seconds(d)))") }
        if let s = flags.start, !(s >= 0) { throw PlanningError.invalidTrim("--start cannot be negative (got \(seconds(s)))") }
    }

    /// A prompt that is not a request (gibberish, a file name, punctuation; filler alone with
    /// nothing to convert) is an error, not a default conversion; `--cloud` sends it as written.
    static func checkUnderstood(_ reading: PromptReading, _ request: Request) throws {
        guard !reading.isEmpty, !request.flags.forceCloud else { return }
        let said = reading.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        if reading.understoodNothing {
            if reading.gibberish.isEmpty {
                throw PlanningError.promptIsFileName(reading.fileNames.map(\.phrase).joined(separator: " "))
            }
            throw PlanningError.notUnderstood(words: reading.parts.map(\.phrase).joined(separator: ", "))
        }
        if !reading.hasWords || (reading.parts.isEmpty && request.inputs.isEmpty) {
            throw PlanningError.notUnderstood(words: said)
        }
    }

    // MARK: - The decision

    /// The route, and for the cloud the skill, the reasons that decided it and the
    /// instruction to send when there is no prompt.
    enum Decision {
        case local(LocalPlan, notes: [String])
        case cloud(CloudChoice)
        /// Audio alone, nothing asked of the cloud: the local audiogram.
        case audiogram
    }

    struct CloudChoice {
        var skill: CloudSkill
        var why: [String]
        var causes: [CloudCause]
        var defaultInstruction: String
    }

    /// Inputs by kind first: a script is text-to-video, photos a slideshow or a mixed edit;
    /// videos go local unless something only the agent does is asked for; audio alone and a
    /// prompt alone are generative or errors.
    static func decide(_ c: PlanContext) throws -> Decision {
        if !c.texts.isEmpty { return try script(c) }
        if !c.images.isEmpty { return try photos(c) }
        if !c.videos.isEmpty { return try videos(c) }
        if !c.audios.isEmpty { return try audioOnly(c) }
        return try promptAlone(c)
    }

    static func script(_ c: PlanContext) throws -> Decision {
        if c.flags.forceLocal { throw PlanningError.scriptNeedsCloud }
        var why = ["input is a text script (\(c.texts.map(name).joined(separator: ", "))) → text-to-video"]
        if !c.images.isEmpty || !c.videos.isEmpty || !c.audios.isEmpty {
            why.append("other inputs are uploaded as material for the script")
        }
        return .cloud(CloudChoice(skill: .textToTikTok, why: why, causes: c.promptCauses, defaultInstruction:
            "Turn this script into a TikTok video (9:16, 1080x1920): visuals that match each part, captions, and fitting background music." + trimNote(c)))
    }

    static func photos(_ c: PlanContext) throws -> Decision {
        if c.flags.forceLocal { throw PlanningError.photosNeedCloud }
        var why: [String]
        let skill: CloudSkill
        if c.videos.isEmpty {
            why = ["\(count(c.images.count, "photo")) → slideshow"]; skill = .photoVideo
        } else if c.intents.contains(.slideshow) {
            why = ["videos and photos with '\(c.phrase(.slideshow))' → slideshow"]; skill = .photoVideo
        } else {
            why = ["videos and photos together → the video editor skill (it takes both)"]; skill = .videoConverterTikTok
        }
        if !c.audios.isEmpty { why.append("the audio input is used as background music") }
        let instruction = c.videos.isEmpty
            ? "Make a TikTok slideshow from these photos (9:16, 1080x1920) with smooth transitions and background music."
            : "Make a TikTok video (9:16, 1080x1920) from these clips and photos, with smooth transitions."
        return .cloud(CloudChoice(skill: skill, why: why, causes: c.promptCauses, defaultInstruction: instruction + trimNote(c)))
    }

    static func videos(_ c: PlanContext) throws -> Decision {
        let causes = c.videoCauses
        if let first = causes.first {
            if c.flags.forceLocal { throw first.error }
            return .cloud(CloudChoice(skill: .videoConverterTikTok, why: [], causes: causes,
                                      defaultInstruction: "Edit this video for TikTok (9:16, 1080x1920)."))
        }
        if !c.session.isEmpty && c.localIntents.isEmpty { return try sessionOnly(c) }
        if c.flags.forceCloud { return forcedCloud(c) }
        var notes: [String] = []
        if let s = c.session.first { notes.append("'\(c.phrase(s))' goes with a local conversion → done locally") }
        if c.flags.forceLocal { notes.append("--local forces the local route") }
        return .local(c.localPlan, notes: notes)
    }

    /// "export", "upload this", "check my credits" with a video and nothing else to do.
    static func sessionOnly(_ c: PlanContext) throws -> Decision {
        if c.flags.forceLocal {
            guard c.session == [.export] else {
                throw PlanningError.needsCloud(part: c.session.first { $0 != .export }?.displayName ?? "cloud session")
            }
            return .local(c.localPlan, notes: ["'\(c.phrase(.export))' with --local → the local plan writes the MP4"])
        }
        return .cloud(CloudChoice(skill: .videoConverterTikTok, why: [], causes: [],
                                  defaultInstruction: "Export this video for TikTok (9:16, 1080x1920)."))
    }

    /// `--cloud` on a plain conversion.
    static func forcedCloud(_ c: PlanContext) -> Decision {
        if c.localPlan == .mp4 {
            return .cloud(CloudChoice(skill: .dataFormatConverter, why: ["plain MP4 conversion on the cloud → generic format converter"],
                                      causes: [], defaultInstruction: "Convert this file to MP4 (H.264/AAC) without losing quality." + trimNote(c)))
        }
        return .cloud(CloudChoice(skill: .videoConverterTikTok, why: ["plain TikTok conversion on the cloud → TikTok video converter"],
                                  causes: [], defaultInstruction:
            "Convert this video to a TikTok-ready MP4: 9:16, 1080x1920, H.264/AAC, fit by \(fitDescription(c.explicitFit ?? .blur))." + trimNote(c)))
    }

    static func audioOnly(_ c: PlanContext) throws -> Decision {
        guard c.flags.forceCloud || !c.promptCauses.isEmpty || !c.session.isEmpty else {
            // The audiogram keeps the sound as it is: a sound or picture edit asked of it is the agent's.
            if let other = c.localIntents.first(where: { !AudiogramPlan.offline.contains($0) }) {
                throw PlanningError.needsCloud(part: "\(c.phrase(other)) on an audio-only input (the offline audiogram keeps the sound as it is)")
            }
            return .audiogram
        }
        if c.flags.forceLocal { throw c.promptCauses.first?.error ?? PlanningError.audioOnly }
        let skill: CloudSkill = c.intents.contains(.generate) ? .textToTikTok : .videoConverterTikTok
        return .cloud(CloudChoice(skill: skill, why: ["audio-only input: the agent makes the pictures"], causes: c.promptCauses,
                                  defaultInstruction: "Make a TikTok video (9:16, 1080x1920) for this audio, with visuals that match it." + trimNote(c)))
    }

    /// No inputs: text-to-video, a session action, or a local request with nothing to convert.
    static func promptAlone(_ c: PlanContext) throws -> Decision {
        if !c.promptCauses.isEmpty || (c.session.isEmpty && c.localIntents.isEmpty) {
            if c.flags.forceLocal { throw c.promptCauses.first?.error ?? PlanningError.needsCloud(part: "text-to-video") }
            return .cloud(CloudChoice(skill: .textToTikTok, why: ["a prompt with no inputs → text-to-video"], causes: c.promptCauses,
                                      defaultInstruction: c.prompt))
        }
        if let s = c.session.first {
            if c.flags.forceLocal { throw PlanningError.needsCloud(part: s.displayName) }
            return .cloud(CloudChoice(skill: .videoConverterTikTok, why: ["no inputs: a request about the cloud session"], causes: [],
                                      defaultInstruction: c.prompt))
        }
        throw PlanningError.noInputToConvert(what: "'\(c.phrase(c.localIntents[0]))'")
    }

    static func trimNote(_ c: PlanContext) -> String {
        c.hasTimes ? " Use only \(rangeText(start: c.start, duration: c.duration)) of the input." : ""
    }
}
