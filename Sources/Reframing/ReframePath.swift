import Foundation

/// A rectangle in display pixels of the full-size source (sub-pixel).
public struct ReframeRect: Codable, Equatable, Sendable {
    public var x, y, w, h: Double
    public init(x: Double, y: Double, w: Double, h: Double) {
        self.x = x; self.y = y; self.w = w; self.h = h
    }
}

/// The reframe of a whole source: per shot, how the 9:16 window moves. Written by
/// `--reframe-out`, read back (after a person's edits) by `--reframe-in`.
public struct ReframePath: Codable, Equatable, Sendable {
    public static let currentVersion = 1

    public var version: Int
    /// The source's display size (after rotation and pixel aspect), in pixels.
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// Contiguous and in time order: each shot starts where the previous one ends.
    public var shots: [Shot]

    public init(version: Int = ReframePath.currentVersion, sourceWidth: Int, sourceHeight: Int, shots: [Shot]) {
        self.version = version
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.shots = shots
    }
}

public struct Shot: Codable, Equatable, Sendable {
    public enum Mode: String, Codable, Sendable {
        /// One window for the whole shot.
        case still
        /// The window moves along the keyframes.
        case pan
        /// No crop: the whole picture over a blurred copy (today's --fit blur).
        case fill
        /// Two stacked halves (1080x960 each): `keyframes` move the upper half's window,
        /// `lower` the lower half's; each window has the half's 9:8 shape.
        case split
    }

    /// How a shot shows its people when they cannot share one 9:16 window (see `ShotLayout`).
    public var layout: ShotLayout?
    /// Why the shot got its layout, for `--plan` and people editing the path.
    public var why: String?
    /// A split shot's lower window (the upper one is `keyframes`).
    public var lower: [Keyframe]?

    /// Seconds of source time; the shot covers [start, end).
    public var start: Double
    public var end: Double
    public var mode: Mode
    /// What the window follows, for people: "face", "2 faces", "person", "motion", "nothing salient", …
    public var follows: String
    /// Window positions at times within the shot; interpolated linearly between them and
    /// held before the first and after the last. A still shot has one.
    public var keyframes: [Keyframe]

    public init(start: Double, end: Double, mode: Mode, follows: String, keyframes: [Keyframe],
                layout: ShotLayout? = nil, why: String? = nil, lower: [Keyframe]? = nil) {
        self.start = start
        self.end = end
        self.mode = mode
        self.follows = follows
        self.keyframes = keyframes
        self.layout = layout
        self.why = why
        self.lower = lower
    }
}

/// The layout of a shot. `single`: one full-frame window (the subjects fit, or only the main
/// one is followed); `split`: two stacked halves, one person each; `speaker`: one full-frame
/// window on whoever talks (a speaker shot is divided where the talker changes); `fill`:
/// the whole picture over its blurred copy.
public enum ShotLayout: String, Codable, Sendable, CaseIterable {
    case single, split, speaker, fill
}

public struct Keyframe: Codable, Equatable, Sendable {
    public var t, x, y, w, h: Double
    public init(t: Double, x: Double, y: Double, w: Double, h: Double) {
        self.t = t; self.x = x; self.y = y; self.w = w; self.h = h
    }

    public init(t: Double, rect: ReframeRect) { self.init(t: t, x: rect.x, y: rect.y, w: rect.w, h: rect.h) }

    public var rect: ReframeRect { ReframeRect(x: x, y: y, w: w, h: h) }
}

public extension ReframePath {
    /// The shot that shows time `t`: shots own [start, end), so a cut's first frame belongs
    /// to the new shot. Times before the first or after the last shot take the nearest one.
    func shotIndex(at t: Double) -> Int? {
        guard !shots.isEmpty else { return nil }
        var low = 0, high = shots.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if shots[mid].start <= t { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The window for an output frame at source time `t`, in display pixels: interpolated
    /// between the shot's keyframes, jumping exactly at shot boundaries. A `fill` shot's
    /// rectangle is the whole picture.
    func window(at t: Double) -> (mode: Shot.Mode, rect: ReframeRect) {
        let whole = ReframeRect(x: 0, y: 0, w: Double(sourceWidth), h: Double(sourceHeight))
        guard let index = shotIndex(at: t) else { return (.fill, whole) }
        let shot = shots[index]
        guard shot.mode != .fill, let rect = Self.interpolate(shot.keyframes, at: t) else { return (.fill, whole) }
        return (shot.mode, rect)
    }

    /// A split shot's two windows at `t` (upper, lower); nil when `t` is not in a split shot.
    func splitWindows(at t: Double) -> (upper: ReframeRect, lower: ReframeRect)? {
        guard let index = shotIndex(at: t), shots[index].mode == .split,
              let upper = Self.interpolate(shots[index].keyframes, at: t),
              let lower = Self.interpolate(shots[index].lower ?? [], at: t) else { return nil }
        return (upper, lower)
    }

    /// Keyframes read at `t`: linear between them, held before the first and after the last.
    static func interpolate(_ keyframes: [Keyframe], at t: Double) -> ReframeRect? {
        guard let first = keyframes.first, let last = keyframes.last else { return nil }
        if t <= first.t { return first.rect }
        if t >= last.t { return last.rect }
        // Binary search: long pans have hundreds of keyframes and this runs once per frame.
        var low = 0, high = keyframes.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if keyframes[mid].t <= t { low = mid } else { high = mid }
        }
        let a = keyframes[low], b = keyframes[high]
        let f = (t - a.t) / (b.t - a.t)
        func mix(_ p: Double, _ q: Double) -> Double { p + (q - p) * f }
        return ReframeRect(x: mix(a.x, b.x), y: mix(a.y, b.y), w: mix(a.w, b.w), h: mix(a.h, b.h))
    }

    /// Encodes as pretty-printed JSON with sorted keys (stable diffs for hand edits).
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Decodes a path from JSON; malformed JSON becomes `ReframingError.invalidPath`.
    static func decode(_ data: Data) throws -> ReframePath {
        do {
            return try JSONDecoder().decode(ReframePath.self, from: data)
        } catch let error as DecodingError {
            throw ReframingError.invalidPath("not a reframe path: \(PathValidation.describe(error))")
        }
    }
}
