import FFmpeg
import HEIF
import MediaProbe

/// HEIC/HEIF/AVIF photos (iPhone's default), which FFmpeg 5.1 cannot read: libheif decodes them
/// upright (it applies the file's own rotation and mirroring). Opaque pictures stay Y'CbCr
/// 4:2:0 as coded — swscale then converts with the file's own matrix and range while it scales
/// down, so no full-size RGB copy is ever made (12 MP: 36 MB less at the peak); pictures with
/// transparency come as RGBA.
enum HEIFPhoto {
    static let formats: Set<String> = ["heic", "heif", "avif"]

    static func decode(_ report: ProbeReport) throws -> DecodedPhoto {
        do {
            let handle = try HEIFFile(path: report.path).primaryImage()
            let image = handle.hasAlpha ? try handle.decodeRGB() : try handle.decodeYCbCr()
            guard let decoded = photo(image) else {
                throw LocalEngineError.photoUnreadable(path: report.path, reason: "libheif returned no pixels in a usable form")
            }
            return decoded
        } catch let e as HEIFError {
            throw LocalEngineError.photoUnreadable(path: report.path, reason: e.reason)
        }
    }

    static func photo(_ image: HEIFImage) -> DecodedPhoto? {
        if image.layout != .ycbcr420 {
            let (data, stride) = image.plane(.interleaved)
            guard let data else { return nil }
            return DecodedPhoto(width: image.width, height: image.height, format: image.hasAlpha ? .rgba : .rgb24, matrix: .bt709,
                                fullRange: true, planes: [data, nil, nil, nil], strides: [Int32(stride), 0, 0, 0], owner: image)
        }
        let bits = image.bitsPerSample
        guard let format = bits <= 8 ? PixelFormat.yuv420p : PixelFormat(name: "yuv420p\(bits)le") else { return nil }
        let planes = [image.plane(.y), image.plane(.cb), image.plane(.cr)]
        guard planes.allSatisfy({ $0.data != nil }) else { return nil }
        // Without a description, libheif's own default: BT.601, full range.
        let coding = image.coding ?? (matrix: 6, fullRange: true)
        return DecodedPhoto(width: image.width, height: image.height, format: format, matrix: matrix(coding.matrix),
                            fullRange: coding.fullRange, planes: planes.map(\.data) + [nil], strides: planes.map { Int32($0.stride) } + [0],
                            owner: image)
    }

    /// H.273 matrix coefficients → the families swscale knows.
    static func matrix(_ code: Int) -> ColorMatrix {
        switch code {
        case 1: return .bt709
        case 9, 10: return .bt2020
        case 4: return .fcc
        case 7: return .smpte240m
        default: return .bt601
        }
    }
}
