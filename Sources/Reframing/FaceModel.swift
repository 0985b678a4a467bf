import CVision
import Foundation

/// A face found by the learned detector: its box (with the score) and five landmarks (right
/// eye, left eye, nose tip, right and left mouth corner), in the picture's pixels.
struct LearnedFace {
    var box: Box
    var landmarks: [(x: Double, y: Double)]
}

/// Where the YuNet model file is looked for, first found wins: the folder in TIKCONV_MODEL_DIR
/// (only there, when set), beside the executable, the install prefix's share/tikconv (beside
/// bin/), the user's data folder where scripts/setup puts it, then the system prefixes.
public enum FaceModel {
    public static let fileName = "face_detection_yunet_2023mar.onnx"

    /// The model's path, or nil with where it was looked for.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: String? = Bundle.main.executablePath) -> (path: String?, looked: [String]) {
        let folders = searchFolders(environment: environment, executable: executable)
        let found = folders.map { $0 + "/" + fileName }.first { FileManager.default.isReadableFile(atPath: $0) }
        return (found, folders)
    }

    static func searchFolders(environment: [String: String], executable: String?) -> [String] {
        if let dir = environment["TIKCONV_MODEL_DIR"], !dir.isEmpty { return [dir] }
        var folders: [String] = []
        if let executable {
            let bin = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            folders.append(bin.path)
            folders.append(bin.deletingLastPathComponent().appendingPathComponent("share/tikconv").path)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        folders += [data + "/tikconv", "/usr/local/share/tikconv", "/usr/share/tikconv"]
        return folders
    }
}

/// Owner of a CVisionYuNet (YuNet through cv::dnn, one network per picture size).
final class YuNetDetector {
    private let handle: OpaquePointer
    let path: String

    init(path: String) throws {
        try VisionThreads.open()
        var out: OpaquePointer?
        var message = [CChar](repeating: 0, count: 512)
        let status = message.withUnsafeMutableBufferPointer { cvision_yunet_open(path, &out, $0.baseAddress, $0.count) }
        guard status == CVISION_OK, let out else {
            throw ReframingError.faceModel(String(cString: message))
        }
        handle = out
        self.path = path
    }

    deinit { cvision_yunet_close(handle) }

    /// Faces scoring at least `minScore` in a yuv420p picture, best first.
    func detect(_ picture: AnalysisPicture, minScore: Double) throws -> [LearnedFace] {
        let planes: [UnsafePointer<UInt8>?] = picture.planes.map { $0.base }
        let strides = picture.planes.map { $0.stride }
        return try detect(format: CVISION_PIXELS_YUV420P, planes: planes, strides: strides, width: picture.width,
                          height: picture.height, minScore: minScore)
    }

    /// Faces in packed BGR pixels (`stride` bytes a row).
    func detect(bgr: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int, minScore: Double) throws -> [LearnedFace] {
        try detect(format: CVISION_PIXELS_BGR, planes: [bgr, nil, nil], strides: [stride, 0, 0], width: width, height: height,
                   minScore: minScore)
    }

    private func detect(format: CVisionPixels, planes: [UnsafePointer<UInt8>?], strides: [Int], width: Int, height: Int,
                        minScore: Double) throws -> [LearnedFace] {
        var raw = [CVisionFace](repeating: CVisionFace(), count: 64)
        var count: Int32 = 0
        var message = [CChar](repeating: 0, count: 512)
        let status = planes.withUnsafeBufferPointer { p in
            strides.withUnsafeBufferPointer { s in
                message.withUnsafeMutableBufferPointer { m in
                    cvision_yunet_detect(handle, format, p.baseAddress, s.baseAddress, Int32(width), Int32(height), Float(minScore),
                                         &raw, Int32(raw.count), &count, m.baseAddress, m.count)
                }
            }
        }
        guard status == CVISION_OK else { throw ReframingError.vision(message: String(cString: message)) }
        return raw.prefix(Int(count)).map { f in
            let l = withUnsafeBytes(of: f.landmarks) { Array($0.bindMemory(to: Float.self)) }
            return LearnedFace(box: Box(x: Double(f.x), y: Double(f.y), w: Double(f.w), h: Double(f.h), score: Double(f.score)),
                               landmarks: (0..<5).map { (Double(l[2 * $0]), Double(l[2 * $0 + 1])) })
        }
    }
}

/// The variance of the Laplacian inside `box` (picture pixels) of a grey picture: high in
/// focus, low when blurred.
func sharpness(_ picture: GreyPicture, in box: Box) -> Double {
    var out: Float = 0
    let region = CVisionRegion(x: Int32(box.x.rounded(.down)), y: Int32(box.y.rounded(.down)),
                               w: Int32(box.w.rounded(.up)), h: Int32(box.h.rounded(.up)))
    guard (try? VisionThreads.open()) != nil,
          cvision_sharpness(picture.base, Int32(picture.width), Int32(picture.height), picture.stride, region, &out) == CVISION_OK else {
        return 0
    }
    return Double(out)
}
