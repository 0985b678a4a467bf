import FFmpeg
import Reframing

/// `--preview sheet.png`: about one thumbnail a second of the analysed clip, with the chosen
/// window drawn on each (outside darkened; green still, amber pan, blue whole picture for a
/// blurred-fill shot; a split shot's two windows magenta above, cyan below), so a person can check
/// a reframe at a glance.
final class ContactSheet {
    static let thumbWidth = 240
    static let columns = 6
    static let maxThumbs = 60
    private let spacing: Double
    private var thumbs: [(t: Double, rgb: Frame)] = []
    private var next = 0.0
    private var scaler: Scaler?

    /// - Parameter duration: the clip's length, to space the thumbnails (at most `maxThumbs`).
    init(duration: Double?) {
        spacing = max(1, (duration ?? 0) / Double(Self.maxThumbs))
    }

    /// Keeps a thumbnail of `picture` (display orientation, yuv420p) if one is due at `t`.
    func offer(_ picture: Frame, at t: Double) throws {
        guard t >= next, thumbs.count < Self.maxThumbs else { return }
        next = t + spacing
        let h = max(2, Self.thumbWidth * picture.height / max(1, picture.width)) & ~1
        if scaler == nil || scaler!.sourceWidth != picture.width || scaler!.sourceHeight != picture.height {
            scaler = try Scaler(sourceWidth: picture.width, sourceHeight: picture.height, sourceFormat: .yuv420p,
                                destinationWidth: Self.thumbWidth, destinationHeight: h, destinationFormat: .rgb24)
        }
        let rgb = try Frame(width: Self.thumbWidth, height: h, format: .rgb24)
        scaler!.scale(picture, into: rgb)
        thumbs.append((t, rgb))
    }

    /// Draws each thumbnail's window from `path`, tiles them and writes a PNG to `file`.
    func write(path: ReframePath, to file: String) throws {
        guard let first = thumbs.first?.rgb else { return }
        let rows = (thumbs.count + Self.columns - 1) / Self.columns
        let gap = 4
        let sheet = try Frame(width: Self.columns * (first.width + gap) + gap, height: rows * (first.height + gap) + gap, format: .rgb24)
        fill(sheet, x: 0, y: 0, w: sheet.width, h: sheet.height, colour: (24, 24, 24))
        for (i, thumb) in thumbs.enumerated() {
            let x = gap + (i % Self.columns) * (first.width + gap), y = gap + (i / Self.columns) * (first.height + gap)
            if let halves = path.splitWindows(at: thumb.t) {
                markSplit(thumb.rgb, halves, source: (path.sourceWidth, path.sourceHeight))
            } else {
                mark(thumb.rgb, window: path.window(at: thumb.t), source: (path.sourceWidth, path.sourceHeight))
            }
            blit(thumb.rgb, into: sheet, x: x, y: y)
        }
        try PNGWriter.write(sheet, to: file)
    }

    private func mark(_ thumb: Frame, window: (mode: Shot.Mode, rect: ReframeRect), source: (w: Int, h: Int)) {
        let box = pixels(window.rect, thumb, source)
        let colour: (UInt8, UInt8, UInt8) = window.mode == .still ? (40, 220, 60) : window.mode == .pan ? (255, 190, 0) : (60, 140, 255)
        if window.mode != .fill {
            darken(thumb, outside: [box])
        }
        outline(thumb, box, colour)
    }

    /// A split shot: both windows kept bright, the upper half's in magenta, the lower's in cyan.
    private func markSplit(_ thumb: Frame, _ halves: (upper: ReframeRect, lower: ReframeRect), source: (w: Int, h: Int)) {
        let upper = pixels(halves.upper, thumb, source), lower = pixels(halves.lower, thumb, source)
        darken(thumb, outside: [upper, lower])
        outline(thumb, upper, (235, 60, 220))
        outline(thumb, lower, (40, 220, 235))
    }

    private func pixels(_ r: ReframeRect, _ thumb: Frame, _ source: (w: Int, h: Int)) -> (Int, Int, Int, Int) {
        let sx = Double(thumb.width) / Double(max(1, source.w)), sy = Double(thumb.height) / Double(max(1, source.h))
        return (Int((r.x * sx).rounded()), Int((r.y * sy).rounded()),
                min(thumb.width, Int(((r.x + r.w) * sx).rounded())), min(thumb.height, Int(((r.y + r.h) * sy).rounded())))
    }

    private func outline(_ thumb: Frame, _ box: (Int, Int, Int, Int), _ colour: (UInt8, UInt8, UInt8)) {
        let (x0, y0, x1, y1) = box
        let t = 2
        fill(thumb, x: x0, y: y0, w: x1 - x0, h: t, colour: colour)
        fill(thumb, x: x0, y: y1 - t, w: x1 - x0, h: t, colour: colour)
        fill(thumb, x: x0, y: y0, w: t, h: y1 - y0, colour: colour)
        fill(thumb, x: x1 - t, y: y0, w: t, h: y1 - y0, colour: colour)
    }

    private func darken(_ f: Frame, outside boxes: [(Int, Int, Int, Int)]) {
        guard let base = f.plane(0).data else { return }
        let stride = Int(f.plane(0).linesize)
        for y in 0..<f.height {
            for x in 0..<f.width where !boxes.contains(where: { x >= $0.0 && x < $0.2 && y >= $0.1 && y < $0.3 }) {
                let p = base + y * stride + x * 3
                p[0] /= 3; p[1] /= 3; p[2] /= 3
            }
        }
    }

    private func fill(_ f: Frame, x: Int, y: Int, w: Int, h: Int, colour: (UInt8, UInt8, UInt8)) {
        guard let base = f.plane(0).data else { return }
        let stride = Int(f.plane(0).linesize)
        for row in max(0, y)..<min(f.height, y + h) {
            for col in max(0, x)..<min(f.width, x + w) {
                let p = base + row * stride + col * 3
                p[0] = colour.0; p[1] = colour.1; p[2] = colour.2
            }
        }
    }

    private func blit(_ src: Frame, into dst: Frame, x: Int, y: Int) {
        guard let s = src.plane(0).data, let d = dst.plane(0).data else { return }
        let ss = Int(src.plane(0).linesize), ds = Int(dst.plane(0).linesize)
        for row in 0..<src.height where y + row < dst.height {
            (d + (y + row) * ds + x * 3).update(from: s + row * ss, count: min(src.width, dst.width - x) * 3)
        }
    }
}
