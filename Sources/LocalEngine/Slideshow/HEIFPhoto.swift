import FFmpeg
import HEIF
import MediaProbe

/// HEIC/HEIF/AVIF photos (iPhone's default), which FFmpeg 5.1 cannot read: libheif decodes them
/// upright (it applies the file's own rotation and mirroring) as 8-bit RGB, converted from the
/// file's YCbCr with the file's own matrix.
enum HEIFPhoto {
    static let formats: Set<String> = ["heic", "heif", "avif"]

    static func decode(_ report: ProbeReport) throws -> DecodedPhoto {
        do {
            let image = try HEIFFile(path: report.path).primaryImage().decodeRGB()
            let (data, stride) = image.pixels
            guard let data else { throw LocalEngineError.photoUnreadable(path: report.path, reason: "libheif returned no pixels") }
            return DecodedPhoto(width: image.width, height: image.height, format: image.hasAlpha ? .rgba : .rgb24, matrix: .bt709,
                                fullRange: true, planes: [data, nil, nil, nil], strides: [Int32(stride), 0, 0, 0], owner: image)
        } catch let e as HEIFError {
            throw LocalEngineError.photoUnreadable(path: report.path, reason: e.reason)
        }
    }
}
