import Foundation

/// What a photo's own header says, read from its first bytes without decoding anything.
struct ImageHeader: Equatable {
    var format: String          // "jpg", "png", "gif", "webp"
    var width: Int?
    var height: Int?
    var exifOrientation: Int?
    /// EXIF DateTimeOriginal (else DateTime) as "YYYY-MM-DDTHH:MM:SS".
    var captureTime: String?
    /// The header declares an animation (WebP's VP8X animation flag, PNG's acTL chunk); a GIF's
    /// frames are only known by reading them, so nil for GIF.
    var animated: Bool?
    /// How many times the animation plays (0: forever): GIF's NETSCAPE2.0 extension (0 is forever
    /// there too; absent: once), APNG's acTL num_plays. nil when the head does not say.
    var loopCount: Int?

    /// Recognises an image by its magic bytes; nil when the bytes are not a known photo format.
    static func parse(_ b: [UInt8]) -> ImageHeader? {
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { return parseJPEG(b) }
        if b.count >= 8, b[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            var h = ImageHeader(format: "png")
            if b.count >= 24, b[12..<16].elementsEqual(Array("IHDR".utf8)) {
                h.width = Int(be32(b, 16)); h.height = Int(be32(b, 20))
            }
            h.loopCount = apngPlays(b)
            h.animated = h.loopCount != nil
            return h
        }
        if b.count >= 6, b[0..<6].elementsEqual(Array("GIF87a".utf8)) || b[0..<6].elementsEqual(Array("GIF89a".utf8)) {
            var h = ImageHeader(format: "gif")
            if b.count >= 10 { h.width = Int(b[6]) | Int(b[7]) << 8; h.height = Int(b[8]) | Int(b[9]) << 8 }
            h.loopCount = gifLoops(b)
            return h
        }
        if b.count >= 12, b[0..<4].elementsEqual(Array("RIFF".utf8)), b[8..<12].elementsEqual(Array("WEBP".utf8)) {
            var h = ImageHeader(format: "webp")
            if b.count >= 30, b[12..<16].elementsEqual(Array("VP8X".utf8)) {
                h.width = 1 + (Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16)
                h.height = 1 + (Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16)
                h.animated = b[20] & 0x02 != 0
            } else {
                h.animated = false
            }
            return h
        }
        return nil
    }

    /// APNG's acTL chunk (before the first IDAT): its num_plays; nil when there is none (a still PNG).
    static func apngPlays(_ b: [UInt8]) -> Int? {
        var i = 8
        while i + 12 <= b.count {
            let length = Int(be32(b, i))
            let type = b[(i + 4)..<(i + 8)]
            if type.elementsEqual(Array("IDAT".utf8)) { return nil }
            if type.elementsEqual(Array("acTL".utf8)), length >= 8, i + 16 <= b.count { return Int(be32(b, i + 12)) }
            guard length >= 0, length < b.count else { return nil }
            i += 12 + length
        }
        return nil
    }

    /// A GIF's NETSCAPE2.0 application extension: its loop count (0: forever); absent: plays once (1).
    static func gifLoops(_ b: [UInt8]) -> Int? {
        let tag = Array("NETSCAPE2.0".utf8)
        guard b.count > tag.count + 4 else { return nil }
        for i in 13..<(b.count - tag.count - 4) where b[i] == tag[0] && b[i..<(i + tag.count)].elementsEqual(tag) {
            let j = i + tag.count
            if b[j] == 3, b[j + 1] == 1 { return Int(b[j + 2]) | Int(b[j + 3]) << 8 }
        }
        return nil
    }

    static func be16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
    static func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    /// Walks the JPEG marker segments up to the first scan: APP1 Exif → orientation, SOFn → size.
    static func parseJPEG(_ b: [UInt8]) -> ImageHeader {
        var h = ImageHeader(format: "jpg")
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { break }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }                 // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            if marker == 0xDA || marker == 0xD9 { break }           // start of scan / end of image
            let length = Int(be16(b, i + 2))
            guard length >= 2 else { break }
            let start = i + 4, end = min(b.count, i + 2 + length)
            if marker == 0xE1, h.exifOrientation == nil, h.captureTime == nil, end - start >= 6,
               b[start..<start + 6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0, 0]) {
                let exif = exifFields(tiff: Array(b[(start + 6)..<end]))
                h.exifOrientation = exif.orientation
                h.captureTime = exif.captureTime
            }
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC, end - start >= 5 {
                h.height = Int(be16(b, start + 1)); h.width = Int(be16(b, start + 3))
            }
            i += 2 + length
        }
        return h
    }

    /// Reads tag 0x0112 (Orientation) from IFD0 of a TIFF structure, either byte order.
    /// Returns nil when absent or out of 1…8.
    static func exifOrientation(tiff t: [UInt8]) -> Int? { exifFields(tiff: t).orientation }

    /// What a photo's EXIF (a TIFF structure, either byte order) says about showing and sorting
    /// it: IFD0's Orientation (0x0112, nil unless 1…8) and the capture time — the Exif IFD's
    /// DateTimeOriginal (0x9003), else IFD0's DateTime (0x0132) — as "YYYY-MM-DDTHH:MM:SS".
    static func exifFields(tiff t: [UInt8]) -> (orientation: Int?, captureTime: String?) {
        guard let reader = TIFFReader(t), let ifd0 = reader.u32(4) else { return (nil, nil) }
        var orientation: Int?, dateTime: String?, original: String?
        for (tag, type, entry) in reader.entries(at: ifd0) {
            switch tag {
            case 0x0112: orientation = reader.orientation(type: type, entry: entry)
            case 0x0132: dateTime = reader.dateTime(entry: entry)
            case 0x8769:
                if let sub = reader.u32(entry + 8) {
                    for (t2, _, e2) in reader.entries(at: sub) where t2 == 0x9003 { original = reader.dateTime(entry: e2) }
                }
            default: break
            }
        }
        return (orientation, original ?? dateTime)
    }
}

/// Decides whether bytes are a UTF-8 text script.
enum TextSniff {
    /// No NUL bytes, valid UTF-8 (a multi-byte character cut at the end of a partial read is
    /// allowed when `partial`), and at least 95% printable characters.
    static func looksLikeText(_ bytes: [UInt8], partial: Bool) -> Bool {
        guard !bytes.isEmpty, !bytes.contains(0) else { return false }
        var b = bytes[...]
        if partial {
            // Drop an incomplete trailing UTF-8 sequence (at most 3 bytes).
            var cut = 0
            while cut < 3, cut < b.count, (b[b.endIndex - 1 - cut] & 0xC0) == 0x80 { cut += 1 }
            if cut < b.count, b[b.endIndex - 1 - cut] >= 0xC0 { b = b.dropLast(cut + 1) }
        }
        guard let s = String(validating: b, as: UTF8.self) else { return false }
        var total = 0, bad = 0
        for u in s.unicodeScalars {
            total += 1
            switch u.value {
            case 0x09, 0x0A, 0x0D, 0x0C: break
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0xFFFD: bad += 1
            default: break
            }
        }
        return total > 0 && Double(bad) <= Double(total) * 0.05
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    static func info(_ s: String) -> TextInfo {
        let body = s.hasPrefix("\u{FEFF}") ? String(s.dropFirst()) : s
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        let lineCount = body.isEmpty ? 0 : lines.count - (body.hasSuffix("\n") ? 1 : 0)
        let words = body.split(whereSeparator: { $0.isWhitespace }).count
        return TextInfo(characters: body.count, lines: lineCount, words: words)
    }
}

/// Reads the few EXIF fields tikconv needs from a TIFF structure, bounds-checked.
struct TIFFReader {
    let t: [UInt8]
    let little: Bool

    init?(_ t: [UInt8]) {
        guard t.count >= 8 else { return nil }
        if t[0] == 0x49, t[1] == 0x49 { little = true } else if t[0] == 0x4D, t[1] == 0x4D { little = false } else { return nil }
        self.t = t
        guard u16(2) == 42 else { return nil }
    }

    func u16(_ i: Int) -> Int? {
        guard i >= 0, i + 2 <= t.count else { return nil }
        return little ? Int(t[i]) | Int(t[i + 1]) << 8 : Int(t[i]) << 8 | Int(t[i + 1])
    }

    func u32(_ i: Int) -> Int? {
        guard let a = u16(i), let b = u16(i + 2) else { return nil }
        return little ? a | b << 16 : a << 16 | b
    }

    /// (tag, type, offset of the 12-byte entry) for each entry of the IFD at `offset` (at most 512).
    func entries(at offset: Int) -> [(tag: Int, type: Int, entry: Int)] {
        guard let count = u16(offset) else { return [] }
        return (0..<min(count, 512)).compactMap { n in
            let e = offset + 2 + n * 12
            guard let tag = u16(e), let type = u16(e + 2), e + 12 <= t.count else { return nil }
            return (tag, type, e)
        }
    }

    /// Orientation as SHORT (left-justified in the value field) or LONG (seen in the wild), 1…8.
    func orientation(type: Int, entry e: Int) -> Int? {
        let value = type == 3 ? u16(e + 8) : type == 4 ? u32(e + 8) : nil
        guard let v = value, (1...8).contains(v) else { return nil }
        return v
    }

    /// An ASCII "YYYY:MM:DD HH:MM:SS" value (20 bytes, stored at an offset) as ISO-like text.
    func dateTime(entry e: Int) -> String? {
        guard u16(e + 2) == 2, let count = u32(e + 4), count >= 19, let at = u32(e + 8), at >= 0, at + 19 <= t.count else { return nil }
        let text = t[at..<(at + 19)]
        let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        guard digits.allSatisfy({ (0x30...0x39).contains(text[at + $0]) }), text[at + 4] == 0x3A, text[at + 7] == 0x3A,
              text[at + 13] == 0x3A, text[at + 16] == 0x3A else { return nil }   // ':' separators
        var s = String(decoding: text, as: UTF8.self)
        if s.hasPrefix("0000") { return nil }   // cameras with no clock write zeros
        s = s.replacingOccurrences(of: ":", with: "-", options: [], range: s.startIndex..<s.index(s.startIndex, offsetBy: 10))
        return s.prefix(10) + "T" + s.dropFirst(11)
    }
}
