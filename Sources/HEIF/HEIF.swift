import CHeif
import Foundation

/// The HEIF layer's one error type: what libheif said, naming the file.
public enum HEIFError: Error, LocalizedError, Equatable {
    /// A libheif call failed (`message` is libheif's own text).
    case call(path: String, function: String, message: String)
    /// libheif returned no object and no error.
    case outOfMemory(what: String)

    public var errorDescription: String? {
        switch self {
        case let .call(path, function, message): return "\(path): \(function) failed: \(message)"
        case let .outOfMemory(what): return "out of memory allocating \(what)"
        }
    }

    /// The libheif message alone (for reports that name the file themselves).
    public var reason: String {
        switch self {
        case let .call(_, _, message): return message
        case let .outOfMemory(what): return "out of memory allocating \(what)"
        }
    }
}

/// libheif is initialised once per process (it loads its codec plugins then) and never torn
/// down: photos may be read at any time until the process ends.
private let initialised: Bool = { heif_init(nil).code == heif_error_Ok }()

private func check(_ e: heif_error, _ path: String, _ function: String) throws {
    guard e.code != heif_error_Ok else { return }
    throw HEIFError.call(path: path, function: function, message: e.message.map { String(cString: $0) } ?? "error \(e.code.rawValue)")
}

/// What the first bytes of a file say.
public enum HEIFSniff {
    /// "heic", "heif" or "avif" when the bytes are an HEIF file libheif can read; nil otherwise.
    public static func format(of head: [UInt8]) -> String? {
        guard head.count >= 12, initialised,
              head.withUnsafeBufferPointer({ heif_check_filetype($0.baseAddress, Int32($0.count)) }) == heif_filetype_yes_supported else { return nil }
        let mime = head.withUnsafeBufferPointer { heif_get_file_mime_type($0.baseAddress, Int32($0.count)) }.map { String(cString: $0) } ?? ""
        switch mime {
        case "image/heic", "image/heic-sequence": return "heic"
        case "image/avif", "image/avif-sequence": return "avif"
        default: return "heif"
        }
    }
}

/// Owns a heif_context (freed with heif_context_free): one HEIF file, read from disk.
public final class HEIFFile {
    let context: OpaquePointer
    public let path: String

    /// - Parameter maxDimension: refuse pictures wider or taller than this before decoding.
    public init(path: String, maxDimension: Int = 16384) throws {
        _ = initialised
        guard let ctx = heif_context_alloc() else { throw HEIFError.outOfMemory(what: "heif_context") }
        heif_context_set_maximum_image_size_limit(ctx, Int32(maxDimension))
        let read = heif_context_read_from_file(ctx, path, nil)
        guard read.code == heif_error_Ok else {
            heif_context_free(ctx)   // not stored yet: deinit will not run
            try check(read, path, "heif_context_read_from_file")
            throw HEIFError.outOfMemory(what: "heif_context")
        }
        context = ctx
        self.path = path
    }

    deinit { heif_context_free(context) }

    /// The picture the file shows (its primary image).
    public func primaryImage() throws -> HEIFImageHandle {
        var handle: OpaquePointer?
        try check(heif_context_get_primary_image_handle(context, &handle), path, "heif_context_get_primary_image_handle")
        guard let handle else { throw HEIFError.outOfMemory(what: "heif_image_handle") }
        return HEIFImageHandle(handle, file: self)
    }
}

/// Owns a heif_image_handle (released with heif_image_handle_release): one image of a file, not
/// yet decoded. Keeps its file open.
public final class HEIFImageHandle {
    let handle: OpaquePointer
    private let file: HEIFFile

    init(_ handle: OpaquePointer, file: HEIFFile) {
        self.handle = handle
        self.file = file
    }

    deinit { heif_image_handle_release(handle) }

    /// The size as shown: libheif applies the file's rotation and mirroring (irot/imir) when
    /// decoding, and reports the size after them.
    public var width: Int { Int(heif_image_handle_get_width(handle)) }
    public var height: Int { Int(heif_image_handle_get_height(handle)) }
    public var hasAlpha: Bool { heif_image_handle_has_alpha_channel(handle) != 0 }
    /// Bits per luma sample (8, 10, 12), nil when the file does not say.
    public var bitDepth: Int? { let b = heif_image_handle_get_luma_bits_per_pixel(handle); return b > 0 ? Int(b) : nil }

    /// The EXIF block as a TIFF structure (the 4-byte offset HEIF puts in front skipped), if any.
    public func exif() -> [UInt8]? {
        var id: heif_item_id = 0
        guard heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif", &id, 1) == 1 else { return nil }
        let size = heif_image_handle_get_metadata_size(handle, id)
        guard size > 4, size < 1 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        guard heif_image_handle_get_metadata(handle, id, &bytes).code == heif_error_Ok else { return nil }
        let offset = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard offset >= 0, 4 + offset < size else { return nil }
        return Array(bytes[(4 + offset)...])
    }

    /// Decodes to 8-bit interleaved RGB (RGBA when the image has alpha), upright. libheif does
    /// the colour conversion with the file's own matrix, and reduces deeper images to 8 bits.
    public func decodeRGB() throws -> HEIFImage {
        var image: OpaquePointer?
        let alpha = hasAlpha
        try check(heif_decode_image(handle, &image, heif_colorspace_RGB, alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, nil),
                  file.path, "heif_decode_image")
        guard let image else { throw HEIFError.outOfMemory(what: "heif_image") }
        return HEIFImage(image, hasAlpha: alpha)
    }
}

/// Owns a decoded heif_image (released with heif_image_release): interleaved 8-bit RGB(A).
public final class HEIFImage {
    let image: OpaquePointer
    public let hasAlpha: Bool

    init(_ image: OpaquePointer, hasAlpha: Bool) {
        self.image = image
        self.hasAlpha = hasAlpha
    }

    deinit { heif_image_release(image) }

    public var width: Int { Int(heif_image_get_width(image, heif_channel_interleaved)) }
    public var height: Int { Int(heif_image_get_height(image, heif_channel_interleaved)) }

    /// The interleaved plane and its stride in bytes; valid while this image lives.
    public var pixels: (data: UnsafePointer<UInt8>?, stride: Int) {
        var stride: Int32 = 0
        let data = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride)
        return (data, Int(stride))
    }
}
