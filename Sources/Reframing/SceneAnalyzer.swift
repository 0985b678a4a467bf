/// Smart reframing's analysis: fed downscaled pictures in time order, it finds shot cuts,
/// the subjects of each shot, and a camera path per shot, in display pixels of the
/// full-size source.
///
/// Every picture given is used for cut detection (a histogram, well under a millisecond),
/// so feeding every frame makes cuts frame-exact; the detectors run on at most
/// `detectionRate` pictures per second and on the first picture of every shot.
public final class SceneAnalyzer {
    public let displayWidth: Int
    public let displayHeight: Int
    public let outputAspect: Double
    /// Detector runs per second of source time.
    public let detectionRate: Double
    public private(set) var costs = AnalysisCosts()
    /// Things the user should know about how the analysis ran (one line each).
    public private(set) var notes: [String] = []
    /// The face detector in use: "YuNet" or "cascades".
    public var faceDetectorName: String { learned != nil ? "YuNet" : "cascades" }

    /// A source already as tall as the output (or taller) is shown whole: nothing to analyse.
    public var needsReframe: Bool { Double(displayWidth) / Double(displayHeight) > outputAspect * 1.01 }

    /// The learned face detector (YuNet) when its model is installed, else the cascades.
    private let learned: YuNetDetector?
    private let faces: FaceDetector?
    private let people: PeopleDetector?
    private let motion: MotionDetector?
    private var shotDetector = ShotDetector()
    private var cuts: [Double] = []
    private var observations: [Observation] = []
    private var lastTime: Double?
    private var lastDetection: (t: Double, cut: Int)?
    /// Face detector runs so far, and consecutive ones in this shot that found nothing.
    private var faceRuns = 0
    private var facelessRuns = 0
    /// The widest face (analysis pixels, 0 for none) of each of this shot's last face runs.
    private var recentWidest: [Double] = []
    /// This shot's last face run: when, and what it found; and the last search of the whole
    /// picture: when, and what it found (analysis pixels).
    private var lastFaceRun: (t: Double, faces: [Box])?
    private var lastFullSearch: (t: Double, faces: [Box])?
    /// This shot's last people run, and consecutive people runs that found nobody.
    private var lastPeopleRun: Double?
    private var peoplelessRuns = 0
    /// The speaker layout's cue: mouth motion in the faces found, on every picture.
    private var mouths = MouthMotion()
    /// When the picture the motion detector last kept was shown (this shot's; see keepForFaces).
    private var keptAt: Double?

    /// - Parameters:
    ///   - displayWidth, displayHeight: the source's display size (after rotation and SAR).
    ///   - outputAspect: the output's width / height.
    ///   - cascadeDirectory: where the face cascades are; nil looks in TIKCONV_CASCADES, then
    ///     the known install paths.
    ///   - faceModel: the YuNet model file; nil uses the face cascades (with a note).
    public init(displayWidth: Int, displayHeight: Int, outputAspect: Double = 9.0 / 16.0,
                detectionRate: Double = 5, cascadeDirectory: String? = nil,
                faceModel: String? = FaceModel.locate().path) throws {
        guard displayWidth > 0, displayHeight > 0, outputAspect > 0, detectionRate > 0 else {
            throw ReframingError.badPicture("display size \(displayWidth)x\(displayHeight) or aspect \(outputAspect) is not positive")
        }
        self.displayWidth = displayWidth
        self.displayHeight = displayHeight
        self.outputAspect = outputAspect
        self.detectionRate = detectionRate
        let analyse = Double(displayWidth) / Double(displayHeight) > outputAspect * 1.01
        // A damaged model is a note, like a missing one: the cascades still find faces.
        var modelProblem: String?
        do { learned = analyse ? try faceModel.map(YuNetDetector.init) : nil } catch {
            learned = nil
            modelProblem = error.localizedDescription
        }
        faces = analyse && learned == nil ? try FaceDetector(directory: cascadeDirectory) : nil
        people = analyse ? try PeopleDetector() : nil
        motion = analyse ? try MotionDetector() : nil
        if analyse && learned == nil {
            let looked = FaceModel.locate().looked.joined(separator: ", ")
            notes.append(modelProblem.map { "\($0); faces are found with the older cascades" }
                ?? "smart fit: no YuNet face model (\(FaceModel.fileName) in \(looked); scripts/setup installs it), so faces are found with the older cascades")
        }
    }

    /// Analyses the picture shown at `seconds` (source time). Pictures must come in time order.
    public func add(_ picture: AnalysisPicture, at seconds: Double) throws {
        if let lastTime, seconds < lastTime { throw ReframingError.outOfOrder(previous: lastTime, given: seconds) }
        guard seconds.isFinite else { throw ReframingError.badPicture("picture time \(seconds) is not a number") }
        lastTime = seconds
        costs.pictures += 1
        guard needsReframe else { return }
        try picture.check(displayWidth: displayWidth, displayHeight: displayHeight)
        let (histogram, layout) = try measured(&costs.histogramMs) { (try yuvHistogram(picture), try lumaLayout(picture)) }
        switch shotDetector.feed(histogram, layout: layout, at: seconds) {
        case .cut:
            cuts.append(seconds)
            startShot()
        case .flash(let t):
            // Not a cut after all: the flash's pictures join the shot (its detections are
            // one odd run among many, which the tracker treats as a miss).
            cuts.removeAll { $0 == t }
        case .same:
            break
        }
        let due = lastDetection.map { seconds - $0.t >= 0.999 / detectionRate || $0.cut != cuts.count } ?? true
        if due { try detect(picture, at: seconds) }
        let scale = (Double(displayWidth) / Double(picture.width), Double(displayHeight) / Double(picture.height))
        mouths.feed(picture.luma, at: seconds, faces: lastFaceRun?.faces ?? [], scale: scale)
        try keepForFaces(picture, at: seconds)
    }

    /// While the last face run found someone, every picture is kept (a copy) by the motion
    /// detector, so the next face run can tell how its faces moved over the last frame.
    private func keepForFaces(_ picture: AnalysisPicture, at seconds: Double) throws {
        guard let motion, let lastFaceRun, !lastFaceRun.faces.isEmpty else { return }
        try measured(&costs.motionMs) { try motion.keep(picture.luma) }
        keptAt = seconds
    }

    /// When the picture kept since the last detection (of this shot) was shown; nil if none.
    private var keptSinceLastDetection: Double? {
        // keptAt is forgotten at a cut, so a kept picture is always of this shot.
        keptAt.flatMap { k in (lastDetection.map { k > $0.t } ?? true) ? k : nil }
    }

    /// `faces` (analysis pixels) with the velocity of their content over the last frame, for
    /// those that overlap no face of the previous run (`before`): a face crossing the picture
    /// moves more than its own width between runs, and the tracker needs its velocity to know
    /// it for the same face. A face that overlaps one before needs none.
    private func withVelocities(_ faces: [Box], before: [Box], in grey: GreyPicture, at t: Double) throws -> [Box] {
        let moved = faces.indices.filter { i in !before.contains { $0.iou(faces[i]) > 0 } }
        guard let motion, let kept = keptSinceLastDetection, t > kept, !moved.isEmpty else { return faces }
        let shifts = try measured(&costs.motionMs) { try motion.shifts(grey, of: moved.map { faces[$0] }) }
        var measuredFaces = faces
        for (i, shift) in zip(moved, shifts) {
            measuredFaces[i].velocity = shift.map { Box.Velocity(x: $0.x / (t - kept), y: $0.y / (t - kept)) }
        }
        return measuredFaces
    }

    /// Forgets what the detectors knew of the last shot.
    private func startShot() {
        motion?.reset()
        keptAt = nil
        facelessRuns = 0
        recentWidest.removeAll()
        lastFaceRun = nil
        lastFullSearch = nil
        lastPeopleRun = nil
        peoplelessRuns = 0
    }

    private func detect(_ picture: AnalysisPicture, at t: Double) throws {
        guard faces != nil || learned != nil, let people, let motion else { return }
        let grey = picture.luma
        let sx = Double(displayWidth) / Double(picture.width), sy = Double(displayHeight) / Double(picture.height)
        var observation = Observation(t: t)
        observation.facesChecked = searchesFaces(at: t)
        if observation.facesChecked {
            let before = lastFaceRun?.faces ?? []
            observation.faces = try withVelocities(findFaces(in: picture, at: t), before: before, in: grey, at: t).map { $0.scaled(sx, sy) }
        }
        if searchesPeople(observation) {
            costs.peopleRuns += 1
            observation.people = try measured(&costs.peopleMs) { try people.detect(grey).map { $0.scaled(sx, sy) } }
            lastPeopleRun = t
            peoplelessRuns = observation.people.isEmpty ? peoplelessRuns + 1 : 0
        }
        if let box = try measured(&costs.motionMs, { try motion.update(grey) }), let previous = lastDetection, previous.cut == cuts.count {
            observation.motion = ((previous.t + t) / 2, box.scaled(sx, sy))
        }
        observations.append(observation)
        lastDetection = (t, cuts.count)
        costs.detections += 1
    }

    /// People only matter in shots without faces, and stand still longer: every other run,
    /// and after three runs (over a second) without anyone, once a second.
    private func searchesPeople(_ observation: Observation) -> Bool {
        guard observation.faces.isEmpty else { return false }
        if peoplelessRuns >= 3, let lastPeopleRun { return observation.t - lastPeopleRun >= 0.999 }
        return costs.detections % 2 == 0
    }

    /// After a second without a face, faces (the costliest detector) are looked for once a
    /// second; the first face found restores the full rate.
    private func searchesFaces(at t: Double) -> Bool {
        guard facelessRuns >= 5, let lastFaceRun else { return true }
        return t - lastFaceRun.t >= 0.999
    }

    /// One face run: around the faces already found while the whole picture was searched
    /// less than a second ago, else over the whole picture (so a newcomer is found within a
    /// second, and from then on is searched around too).
    private func findFaces(in picture: AnalysisPicture, at t: Double) throws -> [Box] {
        guard let faces else { return try findLearnedFaces(in: picture, at: t) }
        let grey = picture.luma
        // Profiles cost twice the frontal pass (both facing directions); every third run
        // is enough to build a track for a face turned away for a whole shot.
        let profiles: FaceDetector.Profiles = faceRuns % 3 == 0 ? .always : .never
        faceRuns += 1
        costs.faceRuns += 1
        let region = faceRegion(at: t, width: grey.width, height: grey.height)
        let found = try measured(&costs.facesMs) { try faces.detect(grey, minSize: minFaceSize, profiles: profiles, region: region) }
        if region == nil { lastFullSearch = (t, found) } else { costs.regionFaceRuns += 1 }
        lastFaceRun = (t, found)
        facelessRuns = found.isEmpty ? facelessRuns + 1 : 0
        recentWidest = Array((recentWidest + [found.map(\.w).max() ?? 0]).suffix(5))
        return found
    }

    /// One YuNet run over the whole picture (a few ms at analysis size: no region search needed).
    /// Each face carries its sharpness, which ranks a subject in focus above a blurred crowd.
    private func findLearnedFaces(in picture: AnalysisPicture, at t: Double) throws -> [Box] {
        guard let learned else { return [] }
        faceRuns += 1
        costs.faceRuns += 1
        let grey = picture.luma
        let found = try measured(&costs.facesMs) {
            try learned.detect(picture, minScore: Self.minFaceScore).map(\.box).filter { $0.w >= 6 }.map { face in
                var box = face
                box.sharpness = sharpness(grey, in: face)
                return box
            }
        }
        lastFaceRun = (t, found)
        facelessRuns = found.isEmpty ? facelessRuns + 1 : 0
        return found
    }

    /// YuNet's score below which a find is more often a pattern than a face.
    static let minFaceScore = 0.6

    /// Where the next face run looks (analysis pixels; nil: the whole picture): the faces of the
    /// last run and of the last whole-picture search, each widened by its size on every side.
    /// A face moves far less than its own width in a fifth of a second; one that outruns the
    /// region is missed once, and the run after it searches the whole picture.
    private func faceRegion(at t: Double, width: Int, height: Int) -> Box? {
        guard let full = lastFullSearch, t - full.t < 0.999, let last = lastFaceRun, !last.faces.isEmpty else { return nil }
        let around = (last.faces + full.faces).map { f in
            let margin = max(f.w, f.h)
            return (x0: f.x - margin, y0: f.y - margin, x1: f.right + margin, y1: f.y + f.h + margin)
        }
        let x0 = max(0, around.map(\.x0).min()!), y0 = max(0, around.map(\.y0).min()!)
        let x1 = min(Double(width), around.map(\.x1).max()!), y1 = min(Double(height), around.map(\.y1).max()!)
        // Most of the picture anyway: search all of it and renew the whole-picture finds.
        guard (x1 - x0) * (y1 - y0) < 0.6 * Double(width * height) else { return nil }
        return Box(x: x0, y: y0, w: x1 - x0, h: y1 - y0, score: 0)
    }

    /// The smallest face worth finding, in analysis pixels. Faces under 0.6 of the shot's
    /// main face are background to the planner (`ShotPlanner.lasting`), so while the recent
    /// runs agree on a main face, smaller ones need not be searched for; the small scales are
    /// most of a cascade's cost. The median of the last five runs ignores a one-off false find.
    private var minFaceSize: Int {
        guard recentWidest.count == 5 else { return 24 }
        let median = recentWidest.sorted()[2]
        return max(24, Int(0.5 * median))
    }

    /// The shots and camera path for a source of `duration` seconds.
    /// - Parameters:
    ///   - layout: how shots with two people too far apart are shown; nil chooses (split or speaker).
    ///   - sound: the source's loudness, asked for only when a shot's layout depends on who talks.
    public func finish(duration: Double, layout: ShotLayout? = nil, sound: @escaping () throws -> SoundLevels? = { nil }) throws -> ReframePath {
        let end = max(duration, lastTime ?? 0)
        let whole = Keyframe(t: 0, x: 0, y: 0, w: Double(displayWidth), h: Double(displayHeight))
        guard needsReframe else {
            let shot = Shot(start: 0, end: max(end, 1e-3), mode: .still, follows: "whole picture (already 9:16 or taller)", keyframes: [whole])
            return ReframePath(sourceWidth: displayWidth, sourceHeight: displayHeight, shots: [shot])
        }
        let planner = ShotPlanner(pictureWidth: Double(displayWidth), pictureHeight: Double(displayHeight), outputAspect: outputAspect)
        var heard: SoundLevels??
        let layouts = LayoutPlanner(planner: planner, request: layout, mouths: mouths.samples, sound: {
            if let heard { return heard }
            let levels = try sound()
            heard = .some(levels)
            return levels
        })
        let bounds = [0] + cuts.filter { $0 > 0 && $0 < end } + [max(end, 1e-3)]
        var shots: [Shot] = []
        for i in 0 ..< bounds.count - 1 {
            let (start, stop) = (bounds[i], bounds[i + 1])
            let inside = observations.filter { $0.t >= start && $0.t < stop }
            shots += try measured(&costs.pathMs) { try layouts.shots(start: start, end: stop, observations: inside) }
        }
        costs.shots = shots.count
        return ReframePath(sourceWidth: displayWidth, sourceHeight: displayHeight, shots: shots)
    }
}
