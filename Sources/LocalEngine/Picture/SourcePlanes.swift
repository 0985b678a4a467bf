import FFmpeg

/// Where the fitters read a source picture from.
enum SourcePlanes {
    /// Plane pointers and strides for the stored-space rectangle `r` of a decoded frame, in the
    /// source's own pixel format (so swscale reads only those pixels). When deinterlacing,
    /// every other line is skipped: the scaler then sees one field and interpolates it to full
    /// height, which removes combing at no cost.
    static func of(_ frame: Frame, _ r: PixelRect, layout planeLayout: [(step: Int, shiftX: Int, shiftY: Int)],
                   deinterlace: Bool) -> (data: [UnsafePointer<UInt8>?], strides: [Int32]) {
        var data = [UnsafePointer<UInt8>?](repeating: nil, count: 4)
        var strides = [Int32](repeating: 0, count: 4)
        let y0 = deinterlace ? r.y - (r.y & 3) : r.y
        for (p, layout) in planeLayout.enumerated() {
            let (d, ls) = frame.plane(p)
            guard let d else { continue }
            data[p] = UnsafePointer(d + (y0 >> layout.shiftY) * Int(ls) + (r.x >> layout.shiftX) * layout.step)
            strides[p] = deinterlace ? ls * 2 : ls
        }
        return (data, strides)
    }
}
