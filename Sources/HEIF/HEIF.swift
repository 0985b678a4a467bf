import CHeif
import Foundation

/// The HEIF layer's one error type: what libheif said, naming the file.
public enum HEIFError: Error, LocalizedError, Equatable {
    /// A libheif call failed (`message` is libheif's own text).
    case call(path: String, function: String, message: String)
    /// libheif returned no object and no error.
    case outOfMemory(what: String)
    /// libheif could not be opened (it is loaded on first use); the text says what to install.
    case libraryMissing(String)

    public var errorDescription: String? {
        switch self {
        case let .call(path, function, message): return "\(path): \(function) failed: \(message)"
        case let .outOfMemory(what): return "out of memory allocating \(what)"
        case let .libraryMissing(why): return why
        }
    }

    /// The libheif message alone (for reports that name the file themselves).
    public var reason: String {
        switch self {
        case let .call(_, _, message): return message
        case let .outOfMemory(what): return "out of memory allocating \(what)"
        case let .libraryMissing(why): return why
        }
    }
}

/// libheif is opened on first use (only HEIF inputs pay for it), then initialised once per
/// process (it loads its codec plugins then) and never torn down: photos may be read at any time
/// until the process ends. True when heif_init succeeded.
private let library: Result<Bool, HEIFError> = {
    var message = [CChar](repeating: 0, count: 768)
    guard tk_heif_load(&message, message.count) == 0 else { return .failure(.libraryMissing(String(cString: message))) }
    return .success(heif_init(nil).code == heif_error_Ok)
}()

private func check(_ e: heif_error, _ path: String, _ function: String) throws {
    guard e.code != heif_error_Ok else { return }
    throw HEIFError.call(path: path, function: function, message: message(of: e))
}

/// The error's text, copied (libheif's message may belong to the context that failed).
private func message(of e: heif_error) -> String {
    e.message.map { String(cString: $0) } ?? "error \(e.code.rawValue)"
}

/// What the first bytes of a file say.
public enum HEIFSniff {
    /// "heic", "heif" or "avif" when the bytes are an HEIF file libheif can read; nil otherwise.
    /// Only files whose ISO-BMFF brands name the HEIF family open libheif to ask; when libheif is
    /// missing, the brand's answer stands (reading the file then reports the missing library).
    public static func format(of head: [UInt8]) -> String? {
        guard let branded = brandFormat(of: head) else { return nil }
        guard case let .success(initialised) = library else { return branded }
        guard head.count >= 12, initialised,
              head.withUnsafeBufferPointer({ heif_check_filetype($0.baseAddress, Int32($0.count)) }) == heif_filetype_yes_supported else { return nil }
        let mime = head.withUnsafeBufferPointer { heif_get_file_mime_type($0.baseAddress, Int32($0.count)) }.map { String(cString: $0) } ?? ""
        switch mime {
        case "image/heic", "image/heic-sequence": return "heic"
        case "image/avif", "image/avif-sequence": return "avif"
        default: return "heif"
        }
    }

    /// The HEIF-family brands (ISO/IEC 23008-12 and AVIF) that may appear in an `ftyp` box.
    private static let heifBrands: [String: String] = [
        "heic": "heic", "heix": "heic", "heim": "heic", "heis": "heic", "hevc": "heic", "hevx": "heic",
        "hevm": "heic", "hevs": "heic", "avif": "avif", "avis": "avif", "mif1": "heif", "msf1": "heif",
        "mif2": "heif", "miaf": "heif",
    ]

    /// The format an `ftyp` box at the start names (major brand, else the first HEIF-family
    /// compatible brand); nil for anything else, including MP4/MOV (their brands are others).
    static func brandFormat(of head: [UInt8]) -> String? {
        guard head.count >= 16, head[4 ..< 8].elementsEqual(Array("ftyp".utf8)) else { return nil }
        let boxSize = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        let end = min(head.count, boxSize)
        func brand(at i: Int) -> String? { String(bytes: head[i ..< i + 4], encoding: .ascii).flatMap { heifBrands[$0] } }
        if let major = brand(at: 8) { return major }
        return stride(from: 16, to: end - 3, by: 4).lazy.compactMap(brand).first
    }
}

/// Owns a heif_context (freed with heif_context_free): one HEIF file, read from disk.
public final class HEIFFile {
    let context: OpaquePointer
    public let path: String

    /// - Parameter maxDimension: refuse pictures wider or taller than this before decoding.
    public init(path: String, maxDimension: Int = 16384) throws {
        _ = try library.get()
        guard let ctx = heif_context_alloc() else { throw HEIFError.outOfMemory(what: "heif_context") }
        // Tiles of a grid (how phones store HEIC) are decoded one at a time: each decoder in flight
        // holds its own buffers, and the photo is one of several things the show keeps in memory.
        heif_context_set_max_decoding_threads(ctx, 1)
        heif_context_set_maximum_image_size_limit(ctx, Int32(maxDimension))
        let read = heif_context_read_from_file(ctx, path, nil)
        guard read.code == heif_error_Ok else {
            // The error's message lives in the context: copy it before freeing the context (not
            // stored yet, so deinit will not run).
            let failure = HEIFError.call(path: path, function: "heif_context_read_from_file", message: message(of: read))
            heif_context_free(ctx)
            throw failure
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
        let alpha = hasAlpha
        return try decode(heif_colorspace_RGB, alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                          layout: alpha ? .rgba : .rgb)
    }

    /// Decodes to planar Y'CbCr 4:2:0 as coded (8 bits, or 10/12 in 16-bit samples), upright:
    /// no RGB copy of a 12-megapixel picture is made, and the caller converts only what it
    /// keeps. Other chroma formats are brought to 4:2:0 by libheif.
    public func decodeYCbCr() throws -> HEIFImage {
        try decode(heif_colorspace_YCbCr, heif_chroma_420, layout: .ycbcr420)
    }

    private func decode(_ space: heif_colorspace, _ chroma: heif_chroma, layout: HEIFImage.Layout) throws -> HEIFImage {
        var image: OpaquePointer?
        try check(heif_decode_image(handle, &image, space, chroma, nil), file.path, "heif_decode_image")
        guard let image else { throw HEIFError.outOfMemory(what: "heif_image") }
        return HEIFImage(image, layout: layout)
    }
}

/// Owns a decoded heif_image (released with heif_image_release): interleaved 8-bit RGB(A), or
/// planar Y'CbCr 4:2:0.
public final class HEIFImage {
    public enum Layout: Sendable { case rgb, rgba, ycbcr420 }
    public enum Plane: Sendable { case interleaved, y, cb, cr }

    let image: OpaquePointer
    public let layout: Layout

    init(_ image: OpaquePointer, layout: Layout) {
        self.image = image
        self.layout = layout
    }

    deinit { heif_image_release(image) }

    private var first: heif_channel { layout == .ycbcr420 ? heif_channel_Y : heif_channel_interleaved }
    public var width: Int { Int(heif_image_get_width(image, first)) }
    public var height: Int { Int(heif_image_get_height(image, first)) }
    public var hasAlpha: Bool { layout == .rgba }
    /// Bits per sample as coded (8, 10, 12); samples over 8 bits take two bytes, little-endian.
    public var bitsPerSample: Int { Int(heif_image_get_bits_per_pixel_range(image, first)) }

    /// A plane and its stride in bytes; valid while this image lives.
    public func plane(_ p: Plane) -> (data: UnsafePointer<UInt8>?, stride: Int) {
        let channel: heif_channel
        switch p {
        case .interleaved: channel = heif_channel_interleaved
        case .y: channel = heif_channel_Y
        case .cb: channel = heif_channel_Cb
        case .cr: channel = heif_channel_Cr
        }
        var stride: Int32 = 0
        let data = heif_image_get_plane_readonly(image, channel, &stride)
        return (data, Int(stride))
    }

    /// How the Y'CbCr is coded: the H.273 matrix coefficients (1 BT.709, 5/6 BT.601, 9 BT.2020
    /// …) and whether it is full range; nil when libheif attached no description.
    public var coding: (matrix: Int, fullRange: Bool)? {
        var nclx: UnsafeMutablePointer<heif_color_profile_nclx>?
        guard heif_image_get_nclx_color_profile(image, &nclx).code == heif_error_Ok, let p = nclx else { return nil }
        defer { heif_nclx_color_profile_free(p) }
        return (Int(p.pointee.matrix_coefficients.rawValue), p.pointee.full_range_flag != 0)
    }
}
