import Foundation
import HEIF

extension Prober {
    /// An HEIC/HEIF/AVIF photo, as libheif reads it: one still picture whose size is already the
    /// upright one (libheif applies the file's own rotation and mirroring, so no EXIF turn is
    /// reported), plus the capture time from its EXIF block.
    static func heifReport(path: String, size: Int64, format: String, limits: ProbeLimits) throws -> ProbeReport {
        let label = format == "avif" ? "an AVIF image" : "a HEIF image"
        let image: HEIFImageHandle
        do {
            image = try HEIFFile(path: path, maxDimension: limits.maxDimension).primaryImage()
        } catch let HEIFError.libraryMissing(reason) {
            throw ProbeError.libraryMissing(path: path, reason: reason)
        } catch let e as HEIFError {
            throw ProbeError.corrupt(path: path, container: label, detail: e.reason)
        }
        guard image.width > 0, image.height > 0 else {
            throw ProbeError.corrupt(path: path, container: label, detail: "its picture has no size")
        }
        try checkDimensions(path: path, width: image.width, height: image.height, limits: limits)
        var stream = StreamInfo(index: 0, type: .video, codec: format == "avif" ? "av1" : "hevc")
        stream.isDefault = true
        stream.width = image.width
        stream.height = image.height
        stream.sampleAspectRatio = "1:1"
        stream.rotation = 0
        stream.isStill = true
        stream.bitDepth = image.bitDepth
        var report = ProbeReport(path: path, kind: .image, container: "heif", format: format, sizeBytes: size, streams: [stream])
        report.captureTime = image.exif().flatMap { ImageHeader.exifFields(tiff: $0).captureTime }
        return report
    }
}
