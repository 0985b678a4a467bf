/// A face found in a still picture, as fractions of the picture's width and height (0…1 from
/// the top left), so it holds at any size the picture is shown at.
public struct FaceRegion: Equatable, Sendable {
    public var x, y, width, height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var centreX: Double { x + width / 2 }
    public var centreY: Double { y + height / 2 }
    public var right: Double { x + width }
    public var bottom: Double { y + height }

    /// The smallest region holding both.
    public func union(_ o: FaceRegion) -> FaceRegion {
        let l = min(x, o.x), t = min(y, o.y)
        return FaceRegion(x: l, y: t, width: max(right, o.right) - l, height: max(bottom, o.bottom) - t)
    }
}

/// Faces in photos, for the slideshow's moves towards them: the smart-reframing face detector
/// (the same LBP cascades), run once per photo on a small grey copy. Frontal faces first; the
/// profile cascade only when no frontal face is found (it costs twice the frontal pass).
public final class PhotoFaceFinder {
    /// The smallest face looked for, in pixels of the ≤ 480 px copy (the cascade's window):
    /// 5% of the picture's width — smaller faces are not worth a move.
    public static let minFaceSize = 24

    private let detector: FaceDetector
    /// Detector runs so far and their CPU time (ms of this thread).
    public private(set) var runs = 0
    public private(set) var cpuMilliseconds = 0.0

    /// - Parameter cascadeDirectory: nil looks in TIKCONV_CASCADES, then the known install paths.
    public init(cascadeDirectory: String? = nil) throws {
        detector = try FaceDetector(directory: cascadeDirectory)
    }

    /// The faces in `picture` (its luma plane is read; at most `AnalysisPicture.maxWidth`
    /// wide, upright), best first.
    public func faces(in picture: AnalysisPicture) throws -> [FaceRegion] {
        guard let luma = picture.planes.first, picture.width >= 16, picture.height >= 16,
              picture.width <= AnalysisPicture.maxWidth, picture.height <= 4 * AnalysisPicture.maxWidth,
              luma.stride >= picture.width else {
            throw ReframingError.badPicture("a photo's face search needs a grey picture 16 to \(AnalysisPicture.maxWidth) pixels wide, got \(picture.width)x\(picture.height)")
        }
        runs += 1
        let found = try measured(&cpuMilliseconds) { try detector.detect(picture.luma, minSize: Self.minFaceSize, profiles: .ifNoFrontal) }
        let w = Double(picture.width), h = Double(picture.height)
        return found.map { FaceRegion(x: $0.x / w, y: $0.y / h, width: $0.w / w, height: $0.h / h) }
    }
}
