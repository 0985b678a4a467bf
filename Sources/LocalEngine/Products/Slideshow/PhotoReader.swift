import CPixel
import FFmpeg
import MediaProbe

/// An upright photo as limited-range BT.709 yuv420p (what the output is made of), at the size
/// the slideshow asked for.
struct PhotoPicture {
    let frame: Frame
    var width: Int { frame.width }
    var height: Int { frame.height }
}

/// A decoded photo in its stored orientation, in whatever format its decoder gave: the planes
/// stay valid while `owner` lives.
struct DecodedPhoto {
    let width: Int, height: Int
    let format: PixelFormat
    let matrix: ColorMatrix
    let fullRange: Bool
    let planes: [UnsafePointer<UInt8>?]
    let strides: [Int32]
    let owner: AnyObject
}

/// Reads one photo (JPEG, PNG, WebP through FFmpeg; HEIC/HEIF through libheif), turns it
/// upright (EXIF orientation, mirrored ones included) and scales it to the size asked for.
/// Only one full-size decoded picture exists at a time, and a JPEG is decoded at a reduced
/// size (libavcodec's `lowres`, down to 1/8) whenever that still leaves enough pixels.
enum PhotoReader {
    /// The photo's upright (display) size, in pixels.
    static func displaySize(_ report: ProbeReport) -> (width: Int, height: Int)? {
        guard let s = stillStream(report), let w = s.width, let h = s.height, w > 0, h > 0 else { return nil }
        return (s.rotation ?? 0) % 180 != 0 ? (h, w) : (w, h)
    }

    static func stillStream(_ report: ProbeReport) -> StreamInfo? {
        report.streams.first { $0.type == .video }
    }

    /// EXIF orientations 2, 4, 5 and 7 are mirror images: after the turn the probe reports as
    /// `rotation`, the picture is also flipped left to right.
    static func isMirrored(_ report: ProbeReport) -> Bool { [2, 4, 5, 7].contains(report.exifOrientation ?? 1) }

    /// Decodes `report`'s photo and returns it upright at `width` x `height` (both even).
    static func read(_ report: ProbeReport, width: Int, height: Int) throws -> PhotoPicture {
        let rotation = ((stillStream(report)?.rotation ?? 0) % 360 + 360) % 360
        let turned = rotation % 180 != 0
        let storedW = turned ? height : width, storedH = turned ? width : height
        let decoded = try decode(report, atLeast: (storedW, storedH))
        let stored = try scale(decoded, width: storedW, height: storedH, path: report.path)
        return PhotoPicture(frame: try orient(stored, rotation: rotation, mirror: isMirrored(report)))
    }

    /// The FFmpeg path: the demuxer the probe chose by content, one packet, one picture.
    static func decode(_ report: ProbeReport, atLeast size: (width: Int, height: Int)) throws -> DecodedPhoto {
        if HEIFPhoto.formats.contains(report.format) { return try HEIFPhoto.decode(report) }
        let path = report.path
        do {
            let demuxer = try Demuxer(path: path, format: InputFormat.named(report.container), neverAnalyze: true)
            let index = demuxer.bestStream(.video) ?? 0
            let lowres = reduction(stored: stillStream(report), needed: size, max: Decoder.maxLowres(demuxer: demuxer, stream: index))
            let decoder = try Decoder(demuxer: demuxer, stream: index, threads: 1, lowres: lowres)
            let frame = try firstPicture(demuxer, decoder, stream: index, path: path)
            let format = frame.pixelFormat
            var matrix = frame.color.matrix
            if matrix == .unspecified { matrix = .bt601 }   // JPEG (JFIF) and WebP are BT.601
            let full = frame.color.isFullRange || format.isFullRangeYUV || format.isGray
            return DecodedPhoto(width: frame.width, height: frame.height, format: format, matrix: matrix, fullRange: full,
                                planes: frame.dataPointers.map { UnsafePointer($0) }, strides: frame.linesizes, owner: frame)
        } catch let e as FFmpegError {
            throw LocalEngineError.photoUnreadable(path: path, reason: e.localizedDescription)
        }
    }

    /// The largest JPEG `lowres` step (each halves both sides) that keeps at least `needed`.
    static func reduction(stored: StreamInfo?, needed: (width: Int, height: Int), max: Int) -> Int {
        guard let w = stored?.width, let h = stored?.height else { return 0 }
        var l = 0
        while l < max, (w + (2 << l) - 1) >> (l + 1) >= needed.width, (h + (2 << l) - 1) >> (l + 1) >= needed.height { l += 1 }
        return l
    }

    private static func firstPicture(_ demuxer: Demuxer, _ decoder: Decoder, stream: Int, path: String) throws -> Frame {
        let packet = try Packet(), frame = try Frame()
        while try demuxer.read(into: packet) {
            defer { packet.unref() }
            guard packet.streamIndex == stream else { continue }
            try decoder.send(packet)
            if try decoder.receive(into: frame) == .got { return frame }
        }
        try decoder.send(nil)
        if try decoder.receive(into: frame) == .got { return frame }
        throw LocalEngineError.photoUnreadable(path: path, reason: "no picture could be decoded")
    }

    /// Palette and bit-packed pictures (GIF-like PNGs, 1-bit PNGs) become plain RGB first: in one
    /// step swscale would convert a palette with BT.601's matrix whatever it is told.
    static func unpacked(_ p: DecodedPhoto) throws -> DecodedPhoto {
        guard p.format.isPalette || !p.format.isAddressable else { return p }
        let format: PixelFormat = p.format.hasAlpha ? .rgba : .rgb24
        let rgb = try stage("unpack photo colours") { try Frame(width: p.width, height: p.height, format: format) }
        let scaler = try stage("unpack photo colours") {
            try Scaler(sourceWidth: p.width, sourceHeight: p.height, sourceFormat: p.format,
                       destinationWidth: p.width, destinationHeight: p.height, destinationFormat: format)
        }
        scaler.scale(source: p.planes, sourceStrides: p.strides, destination: rgb.dataPointers, destinationStrides: rgb.linesizes)
        return DecodedPhoto(width: p.width, height: p.height, format: format, matrix: p.matrix, fullRange: true,
                            planes: rgb.dataPointers.map { UnsafePointer($0) }, strides: rgb.linesizes, owner: rgb)
    }

    /// Scales to the stored-orientation size as limited-range BT.709 yuv420p; a picture with
    /// transparency is laid over black first (a transparent PNG shows black where it is clear).
    static func scale(_ decoded: DecodedPhoto, width: Int, height: Int, path: String) throws -> Frame {
        let p = try unpacked(decoded)
        let alpha = p.format.hasAlpha
        let target: PixelFormat = alpha ? .yuva420p : .yuv420p
        let scaler = try stage("scale photo") {
            try Scaler(sourceWidth: p.width, sourceHeight: p.height, sourceFormat: p.format,
                       destinationWidth: width, destinationHeight: height, destinationFormat: target, filter: .bicubic)
        }
        scaler.setColorspace(source: p.matrix, sourceFullRange: p.fullRange || p.format.isRGB, destination: .bt709, destinationFullRange: false)
        let out = try stage("scale photo") { try Frame(width: width, height: height, format: target) }
        scaler.scale(source: p.planes, sourceStrides: p.strides, destination: out.dataPointers, destinationStrides: out.linesizes)
        guard alpha else { return out }
        let (y, ys) = out.plane(0), (u, us) = out.plane(1), (v, vs) = out.plane(2), (a, alphaStride) = out.plane(3)
        tk_composite_over_black(y, Int(ys), u, Int(us), v, Int(vs), a, Int(alphaStride), Int32(width), Int32(height))
        // The alpha plane is not part of the output: a yuv420p copy drops it.
        let opaque = try stage("scale photo") { try Frame(width: width, height: height, format: .yuv420p) }
        for plane in 0..<3 {
            let (src, ss) = out.plane(plane), (dst, ds) = opaque.plane(plane)
            let shift = plane == 0 ? 0 : 1
            tk_copy_plane(src, Int(ss), dst, Int(ds), Int32(width >> shift), Int32(height >> shift))
        }
        return opaque
    }

    /// Turns the stored picture upright: the EXIF turn, then the mirror for orientations 2/4/5/7.
    static func orient(_ stored: Frame, rotation: Int, mirror: Bool) throws -> Frame {
        var upright = stored
        if rotation != 0 {
            let turned = rotation % 180 != 0
            upright = try stage("turn photo upright") {
                try Frame(width: turned ? stored.height : stored.width, height: turned ? stored.width : stored.height, format: .yuv420p)
            }
            for p in 0..<3 {
                let shift = p == 0 ? 0 : 1
                let (s, ss) = stored.plane(p), (d, ds) = upright.plane(p)
                tk_rotate_plane(s, Int(ss), Int32(stored.width >> shift), Int32(stored.height >> shift), d, Int(ds), Int32(rotation))
            }
        }
        if mirror {
            for p in 0..<3 {
                let shift = p == 0 ? 0 : 1
                let (d, ds) = upright.plane(p)
                tk_mirror_plane(d, Int(ds), Int32(upright.width >> shift), Int32(upright.height >> shift))
            }
        }
        return upright
    }
}
