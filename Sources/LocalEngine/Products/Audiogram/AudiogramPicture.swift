import CPixel
import FFmpeg

/// Picture stage of the audiogram: the plate (the cover fitted to 1080x1920, made once) and the
/// bars' strip, the only part redrawn per frame.
final class AudiogramPicture {
    /// The strip under a square cover (whose fit spans rows 420–1500).
    static let strip = (x: 60, y: 1560, width: 960, height: 240)
    /// Bar colour: near-white in limited-range BT.709.
    static let colour: (y: UInt8, u: UInt8, v: UInt8) = (225, 128, 128)
    private let plate: Frame
    private let canvas: Frame

    init(plate: Frame) throws {
        self.plate = plate
        canvas = try stage("audiogram picture") { try Frame(width: plate.width, height: plate.height, format: .yuv420p) }
        try stage("audiogram picture") { try canvas.copyPixels(from: plate) }
    }

    /// A plain dark plate, for audio with no cover.
    static func plainPlate() throws -> Frame {
        let f = try stage("audiogram picture") { try Frame(width: FitGeometry.outputWidth, height: FitGeometry.outputHeight, format: .yuv420p) }
        for (p, value) in [(0, UInt8(30)), (1, 136), (2, 124)] {
            let (data, stride) = f.plane(p)
            let w = p == 0 ? f.width : f.width / 2, h = p == 0 ? f.height : f.height / 2
            if let data { tk_fill_plane(data, ptrdiff_t(stride), Int32(w), Int32(h), value) }
        }
        return f
    }

    /// The picture with the bars at `levels`: the strip is restored from the plate and redrawn;
    /// the rest of the canvas is left as it is.
    func draw(_ levels: [Float]) throws -> Frame {
        // The encoder may still hold the last picture: then the canvas gets fresh buffers (a copy).
        try stage("audiogram picture") { try canvas.makeWritable() }
        let d = (0..<3).map { canvas.plane($0) }, p = (0..<3).map { plate.plane($0) }
        guard let dy = d[0].data, let du = d[1].data, let dv = d[2].data,
              let py = p[0].data, let pu = p[1].data, let pv = p[2].data else { return canvas }
        let s = Self.strip, c = Self.colour
        tk_draw_level_bars(dy, ptrdiff_t(d[0].linesize), du, ptrdiff_t(d[1].linesize), dv, ptrdiff_t(d[2].linesize),
                           py, ptrdiff_t(p[0].linesize), pu, ptrdiff_t(p[1].linesize), pv, ptrdiff_t(p[2].linesize),
                           Int32(s.x), Int32(s.y), Int32(s.width), Int32(s.height), levels, Int32(levels.count), c.y, c.u, c.v)
        return canvas
    }
}
