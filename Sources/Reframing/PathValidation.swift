import Foundation

public extension ReframePath {
    /// Checks an edited path (--reframe-in) against the source it will be applied to: the
    /// version, the source size, shots contiguous and in order, keyframe times ordered and
    /// inside their shot, every window inside the picture with the output's shape (within
    /// 1%). Throws `ReframingError.invalidPath` naming the first problem.
    func validated(sourceWidth: Int, sourceHeight: Int, outputAspect: Double = 9.0 / 16.0) throws -> ReframePath {
        guard version == ReframePath.currentVersion else {
            throw ReframingError.invalidPath("version \(version) is not supported (this tikconv reads version \(ReframePath.currentVersion))")
        }
        guard self.sourceWidth == sourceWidth, self.sourceHeight == sourceHeight else {
            throw ReframingError.invalidPath("made for a \(self.sourceWidth)x\(self.sourceHeight) picture, but this source is \(sourceWidth)x\(sourceHeight)")
        }
        guard !shots.isEmpty else { throw ReframingError.invalidPath("it has no shots") }
        let checker = PathValidation(width: Double(sourceWidth), height: Double(sourceHeight), aspect: outputAspect)
        for (index, shot) in shots.enumerated() {
            try checker.check(shot, number: index + 1, previousEnd: index == 0 ? nil : shots[index - 1].end)
        }
        return self
    }
}

/// The checks behind `ReframePath.validated`.
struct PathValidation {
    let width, height, aspect: Double
    /// Times within a microsecond are equal: JSON round trips and hand edits of decimals.
    static let timeTolerance = 1e-6
    /// Half a pixel: windows are sub-pixel and edits round.
    static let pixelTolerance = 0.5
    /// A split half's shape: 1080x960.
    static let splitAspect = 9.0 / 8.0

    func check(_ shot: Shot, number: Int, previousEnd: Double?) throws {
        let name = "shot \(number) (\(seconds(shot.start))–\(seconds(shot.end)))"
        guard shot.start.isFinite, shot.end.isFinite, shot.start >= -Self.timeTolerance, shot.end > shot.start else {
            throw ReframingError.invalidPath("\(name): start must be ≥ 0 and before end")
        }
        if let previousEnd, abs(previousEnd - shot.start) > Self.timeTolerance {
            throw ReframingError.invalidPath("\(name) starts at \(seconds(shot.start)) but the shot before ends at \(seconds(previousEnd)); shots must be contiguous and in time order")
        }
        guard !shot.keyframes.isEmpty else { throw ReframingError.invalidPath("\(name) has no keyframes") }
        if shot.mode == .split {
            guard let lower = shot.lower, !lower.isEmpty else {
                throw ReframingError.invalidPath("\(name) is a split but has no \"lower\" keyframes (the lower half's window)")
            }
            try check(lower, in: shot, name: name + ", lower half")
        }
        try check(shot.keyframes, in: shot, name: name)
    }

    private func check(_ keyframes: [Keyframe], in shot: Shot, name: String) throws {
        var previousT = -Double.infinity
        for key in keyframes {
            guard key.t > previousT else {
                throw ReframingError.invalidPath("\(name): keyframe times must increase (\(seconds(key.t)) after \(seconds(previousT)))")
            }
            guard key.t >= shot.start - Self.timeTolerance, key.t <= shot.end + Self.timeTolerance else {
                throw ReframingError.invalidPath("\(name): keyframe at \(seconds(key.t)) is outside the shot")
            }
            previousT = key.t
            try check(key, name: name, mode: shot.mode)
        }
    }

    private func check(_ key: Keyframe, name: String, mode: Shot.Mode) throws {
        let values = [key.x, key.y, key.w, key.h]
        guard values.allSatisfy(\.isFinite), key.w > 0, key.h > 0 else {
            throw ReframingError.invalidPath("\(name): keyframe at \(seconds(key.t)) has an empty or non-numeric window")
        }
        let tol = Self.pixelTolerance
        guard key.x >= -tol, key.y >= -tol, key.x + key.w <= width + tol, key.y + key.h <= height + tol else {
            throw ReframingError.invalidPath("\(name): window \(Int(key.w.rounded()))x\(Int(key.h.rounded())) at (\(Int(key.x.rounded())),\(Int(key.y.rounded()))), time \(seconds(key.t)), is not inside the \(Int(width))x\(Int(height)) picture")
        }
        guard mode != .fill else { return }
        let shape = key.w / key.h
        if mode == .split {
            guard abs(shape / Self.splitAspect - 1) <= 0.01 else {
                throw ReframingError.invalidPath("\(name): window at \(seconds(key.t)) is \(String(format: "%.1f", key.w))x\(String(format: "%.1f", key.h)), not a split half's 9:8 shape")
            }
            return
        }
        // A source already as tall as the output is shown whole: its window is the picture.
        let wholePicture = width / height <= aspect * 1.01 && abs(key.w - width) <= tol && abs(key.h - height) <= tol
        guard abs(shape / aspect - 1) <= 0.01 || wholePicture else {
            throw ReframingError.invalidPath("\(name): window at \(seconds(key.t)) is \(String(format: "%.1f", key.w))x\(String(format: "%.1f", key.h)), not the output's \(aspectName) shape")
        }
    }

    private var aspectName: String { abs(aspect - 9.0 / 16.0) < 1e-9 ? "9:16" : String(format: "%.4f", aspect) }

    private func seconds(_ t: Double) -> String { t.isFinite ? String(format: "%.3f s", t) : "\(t)" }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context): return "missing \"\(key.stringValue)\" at \(path(context))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
        return parts.isEmpty ? "the top level" : parts.joined()
    }
}
