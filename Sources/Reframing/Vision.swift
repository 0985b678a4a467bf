import CVision
import Foundation

/// A detection in some picture's pixels, with a confidence proxy (see CVisionBox).
struct Box: Equatable {
    var x, y, w, h: Double
    var score: Double
    /// Variance of the Laplacian inside the box (0: not measured); in focus beats blurred.
    var sharpness: Double = 0
    /// How fast the boxed content moved just before, in pixels a second (nil: not measured).
    var velocity: Velocity?

    struct Velocity: Equatable {
        var x, y: Double
    }

    var centreX: Double { x + w / 2 }
    var centreY: Double { y + h / 2 }
    var right: Double { x + w }

    func scaled(_ sx: Double, _ sy: Double) -> Box {
        Box(x: x * sx, y: y * sy, w: w * sx, h: h * sy, score: score, sharpness: sharpness,
            velocity: velocity.map { Velocity(x: $0.x * sx, y: $0.y * sy) })
    }

    /// Intersection over union.
    func iou(_ other: Box) -> Double {
        let ix = max(0, min(right, other.right) - max(x, other.x))
        let iy = max(0, min(y + h, other.y + other.h) - max(y, other.y))
        let inter = ix * iy
        return inter <= 0 ? 0 : inter / (w * h + other.w * other.h - inter)
    }
}

/// Calls a CVision function with an error buffer; a negative status becomes a thrown error.
private func visionCall(_ body: (UnsafeMutablePointer<CChar>, Int) -> CVisionStatus) throws {
    var message = [CChar](repeating: 0, count: 512)
    let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    guard status.rawValue < 0 else { return }
    let text = String(cString: message)
    if status == CVISION_ERR_CASCADES_MISSING { throw ReframingError.cascadesMissing(text) }
    throw ReframingError.vision(message: text.isEmpty ? "CVision error \(status.rawValue)" : text)
}

private func boxes(_ raw: [CVisionBox], _ count: Int32) -> [Box] {
    raw.prefix(Int(count)).map { Box(x: Double($0.x), y: Double($0.y), w: Double($0.w), h: Double($0.h), score: Double($0.score)) }
}

/// libTikconvVision (the CVision API over OpenCV) is opened on first use, so only smart
/// reframing and face targets pay for OpenCV. OpenCV then runs its loops on the calling thread:
/// the analysis shares the machine with the encoder, so extra workers would only add
/// scheduling overhead.
enum VisionThreads {
    private static let opened: Result<Void, ReframingError> = {
        var message = [CChar](repeating: 0, count: 768)
        guard tk_vision_load(&message, message.count) == 0 else { return .failure(.libraryMissing(String(cString: message))) }
        cvision_set_threads(1)
        return .success(())
    }()

    /// Opens the library (once); throws when it cannot be loaded.
    static func open() throws { try opened.get() }
}

/// Owner of a CVisionFaceDetector (frontal + profile LBP cascades from opencv-data).
final class FaceDetector {
    private let handle: OpaquePointer

    /// - Parameter directory: the cascades' folder; nil looks in TIKCONV_CASCADES, then the
    ///   known install paths.
    init(directory: String? = nil) throws {
        try VisionThreads.open()
        var out: OpaquePointer?
        try visionCall { err, len in cvision_face_detector_create(directory, &out, err, len) }
        guard let out else { throw ReframingError.vision(message: "face detector not created") }
        handle = out
    }

    deinit { cvision_face_detector_destroy(handle) }

    var directory: String { String(cString: cvision_face_detector_directory(handle)) }

    enum Profiles { case never, ifNoFrontal, always }

    /// Faces of at least `minSize` pixels; inside `region` only (picture pixels) when given.
    func detect(_ picture: GreyPicture, minSize: Int, profiles: Profiles, region: Box? = nil) throws -> [Box] {
        let mode: CVisionProfileMode
        switch profiles {
        case .never: mode = CVISION_PROFILES_NEVER
        case .ifNoFrontal: mode = CVISION_PROFILES_IF_NO_FRONTAL
        case .always: mode = CVISION_PROFILES_ALWAYS
        }
        var raw = [CVisionBox](repeating: CVisionBox(), count: 32)
        var count: Int32 = 0
        let area = region.map { r in
            CVisionRegion(x: Int32(r.x.rounded(.down)), y: Int32(r.y.rounded(.down)), w: Int32(r.w.rounded(.up)), h: Int32(r.h.rounded(.up)))
        } ?? CVisionRegion(x: 0, y: 0, w: 0, h: 0)
        try visionCall { err, len in
            cvision_face_detector_detect(handle, picture.base, Int32(picture.width), Int32(picture.height), picture.stride,
                                         Int32(minSize), mode, area, &raw, Int32(raw.count), &count, err, len)
        }
        return boxes(raw, count)
    }
}

/// Owner of a CVisionPeopleDetector (OpenCV's built-in HOG people detector).
final class PeopleDetector {
    private let handle: OpaquePointer

    init() throws {
        try VisionThreads.open()
        var out: OpaquePointer?
        try visionCall { err, len in cvision_people_detector_create(&out, err, len) }
        guard let out else { throw ReframingError.vision(message: "people detector not created") }
        handle = out
    }

    deinit { cvision_people_detector_destroy(handle) }

    func detect(_ picture: GreyPicture) throws -> [Box] {
        var raw = [CVisionBox](repeating: CVisionBox(), count: 32)
        var count: Int32 = 0
        try visionCall { err, len in
            cvision_people_detector_detect(handle, picture.base, Int32(picture.width), Int32(picture.height), picture.stride,
                                           &raw, Int32(raw.count), &count, err, len)
        }
        return boxes(raw, count)
    }
}

/// Owner of a CVisionMotionDetector (differencing against the previous picture given; regions
/// found again in a kept copy of the picture before).
final class MotionDetector {
    private let handle: OpaquePointer

    init() throws {
        try VisionThreads.open()
        var out: OpaquePointer?
        try visionCall { err, len in cvision_motion_detector_create(&out, err, len) }
        guard let out else { throw ReframingError.vision(message: "motion detector not created") }
        handle = out
    }

    deinit { cvision_motion_detector_destroy(handle) }

    func reset() { cvision_motion_detector_reset(handle) }

    /// Keeps a copy of `picture`, for `shifts` on the next picture.
    func keep(_ picture: GreyPicture) throws {
        try visionCall { err, len in
            cvision_motion_detector_keep(handle, picture.base, Int32(picture.width), Int32(picture.height), picture.stride, err, len)
        }
    }

    /// The largest moving region since the previous picture, unless more than `maxFraction`
    /// of the picture moved (camera motion).
    func update(_ picture: GreyPicture, maxFraction: Double = 0.4) throws -> Box? {
        var box = CVisionBox()
        var found: Int32 = 0
        try visionCall { err, len in
            cvision_motion_detector_update(handle, picture.base, Int32(picture.width), Int32(picture.height), picture.stride,
                                           Float(maxFraction), &box, &found, err, len)
        }
        return found == 0 ? nil : boxes([box], 1).first
    }

    /// How the content of each box moved since the kept picture, in pixels (nil where too little
    /// texture tells, and for every box when no picture of this size is kept).
    func shifts(_ picture: GreyPicture, of boxes: [Box]) throws -> [(x: Double, y: Double)?] {
        guard !boxes.isEmpty else { return [] }
        let regions = boxes.map { b in
            CVisionRegion(x: Int32(b.x.rounded(.down)), y: Int32(b.y.rounded(.down)), w: Int32(b.w.rounded(.up)), h: Int32(b.h.rounded(.up)))
        }
        var shifts = [Float](repeating: 0, count: 2 * boxes.count)
        var found = [Int32](repeating: 0, count: boxes.count)
        try visionCall { err, len in
            cvision_motion_detector_shifts(handle, picture.base, Int32(picture.width), Int32(picture.height), picture.stride,
                                           regions, Int32(regions.count), &shifts, &found, err, len)
        }
        return boxes.indices.map { i in found[i] == 0 ? nil : (Double(shifts[2 * i]), Double(shifts[2 * i + 1])) }
    }
}

/// The Y/U/V histogram of a picture (CVISION_HISTOGRAM_BINS values; each plane sums to 1).
func yuvHistogram(_ picture: AnalysisPicture) throws -> [Float] {
    try VisionThreads.open()
    var out = [Float](repeating: 0, count: Int(CVISION_HISTOGRAM_BINS))
    let p = picture.planes
    let status = cvision_yuv_histogram(p[0].base, p[0].stride, p[1].base, p[1].stride, p[2].base, p[2].stride,
                                       Int32(picture.width), Int32(picture.height), &out)
    guard status == CVISION_OK else { throw ReframingError.badPicture("histogram: bad planes (status \(status.rawValue))") }
    return out
}

/// The picture's layout: mean luma of each cell of a 16 x 9 grid (see cvision_luma_layout).
func lumaLayout(_ picture: AnalysisPicture) throws -> [Float] {
    try VisionThreads.open()
    var out = [Float](repeating: 0, count: Int(CVISION_LAYOUT_COLUMNS * CVISION_LAYOUT_ROWS))
    let y = picture.planes[0]
    let status = cvision_luma_layout(y.base, y.stride, Int32(picture.width), Int32(picture.height), &out)
    guard status == CVISION_OK else { throw ReframingError.badPicture("layout: bad luma plane (status \(status.rawValue))") }
    return out
}
