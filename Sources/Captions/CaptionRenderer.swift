import CASS
import CPixel

/// The text on one picture: a box of premultiplied Y'CbCrA (studio-range BT.709), at an even
/// position with even sides, to blend over 4:2:0 pictures.
public final class CaptionOverlay {
    public let x: Int, y: Int, width: Int, height: Int
    /// Y', Cb, Cr (premultiplied) and alpha, `width` bytes per row each.
    public private(set) var luma: [UInt8], blue: [UInt8], red: [UInt8], alpha: [UInt8]

    init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
        luma = [UInt8](repeating: 0, count: width * height)
        (blue, red, alpha) = (luma, luma, luma)
    }

    /// The bounding box of pixels at least this opaque, in picture coordinates (for tests).
    public func inkBounds(minAlpha: UInt8 = 1) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var b: (Int, Int, Int, Int)?
        for j in 0..<height { for i in 0..<width where alpha[j * width + i] >= minAlpha {
            let (px, py) = (x + i, y + j)
            b = b.map { (min($0.0, px), min($0.1, py), max($0.2, px), max($0.3, py)) } ?? (px, py, px, py)
        } }
        return b.map { (minX: $0.0, minY: $0.1, maxX: $0.2, maxY: $0.3) }
    }

    fileprivate func add(_ image: ASS_Image) {
        let (cy, cu, cv) = Self.studioYCbCr(image.color)
        let ix = Int(image.dst_x) - x, iy = Int(image.dst_y) - y
        luma.withUnsafeMutableBufferPointer { py in
        blue.withUnsafeMutableBufferPointer { pu in
        red.withUnsafeMutableBufferPointer { pv in
        alpha.withUnsafeMutableBufferPointer { pa in
            tk_overlay_add(image.bitmap, ptrdiff_t(image.stride), image.w, image.h, Int32(ix), Int32(iy), cy, cu, cv,
                           tk_ass_opacity(image.color), py.baseAddress, pu.baseAddress, pv.baseAddress, pa.baseAddress, Int32(width))
        } } } }
    }

    /// BT.709 studio range, as the tiktok output is tagged.
    static func studioYCbCr(_ color: UInt32) -> (UInt8, UInt8, UInt8) {
        let r = Double(tk_ass_r(color)), g = Double(tk_ass_g(color)), b = Double(tk_ass_b(color))
        let y = 16 + 0.1826 * r + 0.6142 * g + 0.0620 * b
        let u = 128 - 0.1006 * r - 0.3386 * g + 0.4392 * b
        let v = 128 + 0.4392 * r - 0.3989 * g - 0.0403 * b
        func byte(_ d: Double) -> UInt8 { UInt8(max(0, min(255, d.rounded()))) }
        return (byte(y), byte(u), byte(v))
    }
}

/// Renders a caption script onto pictures of one size with libass. The text is rendered only
/// when it changes (a cue starts or ends, or a styled effect moves): between changes the same
/// overlay is returned.
public final class CaptionRenderer {
    private let library: ASSLibrary
    private let track: ASSTrack
    private let renderer: ASSRenderer
    private let width: Int, height: Int
    private var current: CaptionOverlay?
    private var rendered = false
    /// Renders so far that produced a new overlay (the cost that matters).
    public private(set) var overlaysBuilt = 0

    public init(script: CaptionScript, width: Int, height: Int) throws {
        library = try ASSLibrary()
        track = try ASSTrack(script: script.text, library: library)
        if script.keepsAuthorStyles { Self.fitAuthorScript(track, width: width, height: height) }
        renderer = try ASSRenderer(library: library, width: width, height: height)
        self.width = width; self.height = height
    }

    /// A script written for another shape keeps its font sizes relative to its width (a
    /// landscape script's text would otherwise be scaled by the tall picture's height), and
    /// the text its author did not place keeps to the safe zone.
    private static func fitAuthorScript(_ track: ASSTrack, width: Int, height: Int) {
        var (pw, ph) = track.playSize
        if pw <= 0 || ph <= 0 { (pw, ph) = (384, 288) }
        let newHeight = pw * height / width
        track.setPlayHeight(newHeight)
        let scale = Double(pw) / Double(width)
        // A little more than the zone: outlines reach past the margins.
        let zone = SafeZone.tiktok, pad = 12
        track.raiseMargins(left: Int(Double(zone.left + pad) * scale), right: Int(Double(width - zone.right + pad) * scale),
                           vertical: Int(Double(max(zone.top, height - zone.bottom) + pad) * scale))
    }

    /// The text to show at `seconds` on the script's clock, or nil when there is none.
    public func overlay(atSeconds seconds: Double) -> CaptionOverlay? {
        let ms = Int64((seconds * 1000).rounded())
        let (images, change) = renderer.render(track, atMilliseconds: ms)
        guard change != 0 || !rendered else { return current }
        rendered = true
        current = images.flatMap(build)
        if current != nil { overlaysBuilt += 1 }
        return current
    }

    private func build(_ first: UnsafeMutablePointer<ASS_Image>) -> CaptionOverlay? {
        var box: (Int, Int, Int, Int)?
        var p: UnsafeMutablePointer<ASS_Image>? = first
        while let img = p {
            let i = img.pointee
            if i.w > 0 && i.h > 0 {
                let b = (Int(i.dst_x), Int(i.dst_y), Int(i.dst_x) + Int(i.w), Int(i.dst_y) + Int(i.h))
                box = box.map { (min($0.0, b.0), min($0.1, b.1), max($0.2, b.2), max($0.3, b.3)) } ?? b
            }
            p = i.next
        }
        guard let box else { return nil }
        // Even corners, inside the picture, so 4:2:0 chroma lines up.
        let x0 = max(0, box.0 & ~1), y0 = max(0, box.1 & ~1)
        let x1 = min(width & ~1, (box.2 + 1) & ~1), y1 = min(height & ~1, (box.3 + 1) & ~1)
        guard x1 > x0, y1 > y0 else { return nil }
        let overlay = CaptionOverlay(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        p = first
        while let img = p {
            if let clipped = clip(img.pointee, x0: x0, y0: y0, x1: x1, y1: y1) { overlay.add(clipped) }
            p = img.pointee.next
        }
        return overlay
    }

    /// The part of a bitmap inside the box (libass keeps bitmaps inside the frame; this guards the edges).
    private func clip(_ image: ASS_Image, x0: Int, y0: Int, x1: Int, y1: Int) -> ASS_Image? {
        var i = image
        let left = max(0, x0 - Int(i.dst_x)), top = max(0, y0 - Int(i.dst_y))
        let w = min(Int(i.dst_x) + Int(i.w), x1) - Int(i.dst_x) - left
        let h = min(Int(i.dst_y) + Int(i.h), y1) - Int(i.dst_y) - top
        guard w > 0, h > 0, let bitmap = i.bitmap else { return nil }
        i.bitmap = bitmap + top * Int(i.stride) + left
        i.dst_x += Int32(left); i.dst_y += Int32(top)
        i.w = Int32(w); i.h = Int32(h)
        return i
    }
}
