import MediaProbe

/// What a whole command does (`BatchPlanner.route`).
public enum CommandRoute: Sendable {
    /// Every input makes one offline slideshow.
    case slideshow(SlideshowRouting.Decision)
    /// Each group of inputs with its plan or its refusal.
    case groups([PlanGroup])
}

/// One part of a command's inputs, planned (and run) on its own.
public struct PlanGroup: Sendable {
    public enum Kind: String, Codable, Sendable {
        /// Every input together: a prompt that needs the cloud, or a script with its material.
        case together
        /// One video.
        case video
        /// All photos: one slideshow.
        case photos
        /// One audio file.
        case audio
        /// The text scripts.
        case scripts
    }

    public var kind: Kind
    public var request: Request
    /// The plan, or why this group cannot be done (the other groups still run).
    public var outcome: Result<Plan, PlanningError>
    /// Set when this photos group is the offline slideshow (one output from all its photos).
    public var slideshow: SlideshowRouting.Decision?

    public var plan: Plan? { try? outcome.get() }
    public var inputs: [ProbeReport] { request.inputs }
}

/// Splits a request by kind, so that one photo or song among videos does not send the whole
/// batch to the cloud: each video is planned on its own (local unless its request needs the
/// cloud), photos form one slideshow group, each audio file is its own group (refused unless
/// the cloud was asked for), and scripts form one group.
///
/// The request stays whole when it asks for generative work that concerns every input: a
/// prompt that needs the cloud ("add music", "merge these"), or a script with `-p`/`--cloud`
/// (the other inputs are its material).
///
/// Nothing is uploaded unasked: the photos make the offline slideshow whenever they would on
/// their own (`SlideshowRouting`: no request, `--local`, only slideshow flags); a script group
/// with neither a prompt nor `--cloud` is refused (`.uploadNotRequested`); the videos of the
/// same command still run.
public enum BatchPlanner {
    /// The route of a whole command, decided here and only here: photos (and a song) that are
    /// the offline slideshow on their own make one slideshow of every input (asked before the
    /// general planner); anything else is split into groups, each planned on its own (`plan`).
    /// Runners execute what this returns and never decide again.
    /// - Parameter batch: the command runs as a batch (`--jobs`, `--shard`, `--skip-existing`,
    ///   `--report`): photos then form a group among the others, the same slideshow as one group.
    public static func route(_ request: Request, musicFlag: Bool = false, slideshowFlags: Bool = false,
                             batch: Bool = false) throws -> CommandRoute {
        if !batch, let show = try SlideshowRouting.decide(request, musicFlag: musicFlag, slideshowFlags: slideshowFlags) {
            return .slideshow(show)
        }
        return .groups(try plan(request, musicFlag: musicFlag, slideshowFlags: slideshowFlags))
    }

    public static func groups(for request: Request) -> [(kind: PlanGroup.Kind, request: Request)] {
        let inputs = request.inputs
        guard !inputs.isEmpty, !staysWhole(request) else { return [(.together, request)] }
        func sub(_ reports: [ProbeReport]) -> Request { Request(inputs: reports, prompt: request.prompt, flags: request.flags) }

        var groups: [(first: Int, kind: PlanGroup.Kind, request: Request)] = []
        for (i, r) in inputs.enumerated() {
            switch r.kind {
            case .video: groups.append((i, .video, sub([r])))
            case .audio: groups.append((i, .audio, sub([r])))
            case .image, .text: break
            }
        }
        for (kind, inputKind) in [(PlanGroup.Kind.photos, InputKind.image), (.scripts, .text)] {
            let members = inputs.enumerated().filter { $0.element.kind == inputKind }
            if let first = members.first { groups.append((first.offset, kind, sub(members.map(\.element)))) }
        }
        // In the order the user gave the inputs (a group sits where its first input was).
        return groups.sorted { $0.first < $1.first }.map { ($0.kind, $0.request) }
    }

    /// Every group with its plan or its refusal. Errors that concern the whole command
    /// (`--local` with `--cloud`, nothing to do) are thrown.
    /// - Parameters:
    ///   - musicFlag, slideshowFlags: as for `SlideshowRouting.decide` (the photos' slideshow).
    public static func plan(_ request: Request, musicFlag: Bool = false, slideshowFlags: Bool = false) throws -> [PlanGroup] {
        let hasPrompt = !(request.prompt ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if request.inputs.isEmpty && !hasPrompt { throw PlanningError.nothingToDo }
        return try groups(for: request).map { kind, sub in
            if kind == .photos {
                do {
                    if let show = try SlideshowRouting.decide(sub, musicFlag: musicFlag, slideshowFlags: slideshowFlags) {
                        return PlanGroup(kind: kind, request: sub, outcome: .success(SlideshowRouting.plan(show)), slideshow: show)
                    }
                } catch let e as PlanningError {
                    return PlanGroup(kind: kind, request: sub, outcome: .failure(e))
                }
            }
            if (kind == .photos || kind == .scripts) && !hasPrompt && !sub.flags.forceCloud && !sub.flags.forceLocal {
                return PlanGroup(kind: kind, request: sub, outcome: .failure(.uploadNotRequested(kind == .photos ? .photos : .scripts)))
            }
            do {
                return PlanGroup(kind: kind, request: sub, outcome: .success(try Planner.plan(sub)))
            } catch let e as PlanningError {
                return PlanGroup(kind: kind, request: sub, outcome: .failure(e))
            }
        }
    }

    /// What `--local` would do instead of an unreachable cloud, when it could do something:
    /// photos make the offline slideshow (without the parts of the request only the cloud does);
    /// other inputs are named only when the local plan can do the whole request.
    public static func offlineHint(reports: [ProbeReport], prompt: String?, flags: PlanFlags, musicFlag: Bool) -> String? {
        var local = flags
        local.forceCloud = false
        local.forceLocal = true
        let asked = Request(inputs: reports, prompt: prompt, flags: local)
        let photosOnly = Request(inputs: reports, prompt: nil, flags: local)
        if (try? SlideshowRouting.decide(photosOnly, musicFlag: musicFlag, slideshowFlags: false)) != nil {
            do {
                _ = try SlideshowRouting.decide(asked, musicFlag: musicFlag, slideshowFlags: false)
                return "for an offline slideshow run again with --local"
            } catch PlanningError.needsCloud(let part) {
                return "for an offline slideshow run again with --local and without -p (only the cloud does \(part))"
            } catch {
                return nil
            }
        }
        guard let plan = try? Planner.plan(asked), plan.route == .local else { return nil }
        return "to convert offline run again with --local"
    }

    /// True when the inputs must go to the cloud together (see the type's comment).
    static func staysWhole(_ request: Request) -> Bool {
        let hasPrompt = !(request.prompt ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        let kinds = Set(request.inputs.map(\.kind))
        if kinds.contains(.text) && (hasPrompt || request.flags.forceCloud) { return true }
        return hasPrompt && promptNeedsCloud(request)
    }

    /// Whether the prompt asks for something only the cloud can do, as the planner judges it
    /// for one of the videos (or, without videos, for the prompt alone).
    static func promptNeedsCloud(_ request: Request) -> Bool {
        var flags = request.flags
        flags.forceLocal = false; flags.forceCloud = false
        let sample = request.inputs.first { $0.kind == .video }
        guard let plan = try? Planner.plan(Request(inputs: sample.map { [$0] } ?? [], prompt: request.prompt, flags: flags)) else {
            return false
        }
        if sample != nil { return plan.route == .cloud }
        return plan.intents.contains { Intent(rawValue: $0)?.category == .generative }
    }
}
