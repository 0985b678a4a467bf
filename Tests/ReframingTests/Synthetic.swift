import Foundation
@testable import Reframing

/// Ground-truth clips made at test time: a real photographed face (Tests/Fixtures/reframe,
/// see its README) composited onto a photographed texture, at known positions per frame.
/// Pictures are made directly at the analysis size; ground truth is in display pixels.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/reframe")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The head (hair to chin) inside face.ppm, measured by eye on the photograph: the
    /// part that must be seen.
    static let headInFace = (x: 18.0, y: 10.0, w: 95.0, h: 97.0)
}

/// A binary PGM (P5) or PPM (P6) image, 8 bits per sample.
struct PNM {
    let width: Int
    let height: Int
    let channels: Int
    let pixels: [UInt8]

    init(path: String) throws {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var fields: [String] = []
        var i = 0
        while fields.count < 4, i < data.count {
            while i < data.count, data[i] == 0x20 || data[i] == 0x0A || data[i] == 0x0D || data[i] == 0x09 { i += 1 }
            var token = ""
            while i < data.count, !(data[i] == 0x20 || data[i] == 0x0A || data[i] == 0x0D || data[i] == 0x09) {
                token.append(Character(UnicodeScalar(data[i]))); i += 1
            }
            fields.append(token)
        }
        i += 1 // the single whitespace before the samples
        guard fields.count == 4, fields[0] == "P5" || fields[0] == "P6", let w = Int(fields[1]), let h = Int(fields[2]), fields[3] == "255" else {
            throw NSError(domain: "PNM", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(path) is not an 8-bit P5/P6 file"])
        }
        width = w; height = h; channels = fields[0] == "P6" ? 3 : 1
        pixels = Array(data[i ..< i + w * h * channels])
    }
}

/// A yuv420p picture being painted.
struct Planes {
    let width: Int
    let height: Int
    var y: [UInt8]
    var u: [UInt8]
    var v: [UInt8]
    var chromaWidth: Int { (width + 1) / 2 }

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        y = Array(repeating: 16, count: width * height)
        u = Array(repeating: 128, count: ((width + 1) / 2) * ((height + 1) / 2))
        v = u
    }

    /// `texture` mirrored-tiled over the picture, with a colour tint (U, V) and a shift, so
    /// two backgrounds differ in colour and pattern as real shots do.
    static func background(_ texture: PNM, width: Int, height: Int, tint: (UInt8, UInt8), shift: Int = 0) -> Planes {
        var p = Planes(width: width, height: height)
        for row in 0 ..< height {
            for col in 0 ..< width {
                let tx = Self.mirror(col + shift, texture.width), ty = Self.mirror(row, texture.height)
                p.y[row * width + col] = UInt8(16 + Int(texture.pixels[ty * texture.width + tx]) * 219 / 255)
            }
        }
        for i in p.u.indices { p.u[i] = tint.0; p.v[i] = tint.1 }
        return p
    }

    private static func mirror(_ i: Int, _ n: Int) -> Int {
        let m = i % (2 * n)
        return m < n ? m : 2 * n - 1 - m
    }

    /// Pastes `sprite` with its top-left corner at (x, y) (rounded down to even), clipped.
    mutating func paste(_ sprite: Planes, x: Int, y: Int) {
        let x0 = x & ~1, y0 = y & ~1
        for row in 0 ..< sprite.height where y0 + row >= 0 && y0 + row < height {
            for col in 0 ..< sprite.width where x0 + col >= 0 && x0 + col < width {
                self.y[(y0 + row) * width + x0 + col] = sprite.y[row * sprite.width + col]
            }
        }
        for row in 0 ..< sprite.height / 2 where y0 / 2 + row >= 0 && y0 / 2 + row < (height + 1) / 2 {
            for col in 0 ..< sprite.width / 2 where x0 / 2 + col >= 0 && x0 / 2 + col < chromaWidth {
                u[(y0 / 2 + row) * chromaWidth + x0 / 2 + col] = sprite.u[row * sprite.chromaWidth + col]
                v[(y0 / 2 + row) * chromaWidth + x0 / 2 + col] = sprite.v[row * sprite.chromaWidth + col]
            }
        }
    }

    /// An RGB photograph as a yuv420p sprite (BT.601 limited range), box-downscaled by `factor`.
    static func sprite(_ image: PNM, factor: Int = 1) -> Planes {
        var p = Planes(width: image.width / factor / 2 * 2, height: image.height / factor / 2 * 2)
        var ys = [Double](repeating: 0, count: p.width * p.height), us = ys, vs = ys
        for row in 0 ..< p.height {
            for col in 0 ..< p.width {
                var rgb = (0.0, 0.0, 0.0)
                for dy in 0 ..< factor { for dx in 0 ..< factor {
                    let i = ((row * factor + dy) * image.width + col * factor + dx) * image.channels
                    let g = Double(image.pixels[i + (image.channels == 3 ? 1 : 0)])
                    rgb.0 += Double(image.pixels[i]); rgb.1 += g; rgb.2 += Double(image.pixels[i + (image.channels == 3 ? 2 : 0)])
                } }
                let n = Double(factor * factor), r = rgb.0 / n, g = rgb.1 / n, b = rgb.2 / n
                ys[row * p.width + col] = 16 + 0.257 * r + 0.504 * g + 0.098 * b
                us[row * p.width + col] = 128 - 0.148 * r - 0.291 * g + 0.439 * b
                vs[row * p.width + col] = 128 + 0.439 * r - 0.368 * g - 0.071 * b
            }
        }
        p.y = ys.map { UInt8(max(0, min(255, $0.rounded()))) }
        for row in 0 ..< p.height / 2 {
            for col in 0 ..< p.width / 2 {
                let idx = [0, 1, p.width, p.width + 1].map { (2 * row) * p.width + 2 * col + $0 }
                p.u[row * p.chromaWidth + col] = UInt8((idx.map { us[$0] }.reduce(0, +) / 4).rounded())
                p.v[row * p.chromaWidth + col] = UInt8((idx.map { vs[$0] }.reduce(0, +) / 4).rounded())
            }
        }
        return p
    }

    /// A disc of `radius` with a checker pattern: salient and textured, but no face.
    static func ball(radius: Int) -> Planes {
        var p = Planes(width: 2 * radius, height: 2 * radius)
        for row in 0 ..< p.height {
            for col in 0 ..< p.width {
                let dx = col - radius, dy = row - radius
                let inside = dx * dx + dy * dy <= radius * radius
                p.y[row * p.width + col] = inside ? (((col / 6) + (row / 6)) % 2 == 0 ? 235 : 60) : 16
            }
        }
        for i in p.u.indices { p.u[i] = 90; p.v[i] = 200 }
        return p
    }

    /// Runs `body` with an AnalysisPicture over these planes.
    func withPicture<T>(_ body: (AnalysisPicture) throws -> T) rethrows -> T {
        try y.withUnsafeBufferPointer { yp in
            try u.withUnsafeBufferPointer { up in
                try v.withUnsafeBufferPointer { vp in
                    try body(AnalysisPicture(width: width, height: height, planes: [
                        (yp.baseAddress!, width), (up.baseAddress!, chromaWidth), (vp.baseAddress!, chromaWidth),
                    ]))
                }
            }
        }
    }
}

/// A clip: per frame, a picture and where each face's head is (display pixels).
struct SyntheticClip {
    static let analysisWidth = 480, analysisHeight = 270
    static let displayWidth = 1920, displayHeight = 1080
    static let scale = Double(displayWidth) / Double(analysisWidth)

    var fps = 30.0
    var duration: Double
    /// Paints the frame at time t and returns the heads' boxes in display pixels.
    var frame: (Double) -> (Planes, [ReframeRect])

    var frameTimes: [Double] { (0 ..< Int((duration * fps).rounded())).map { Double($0) / fps } }

    /// Feeds every frame to a new analyzer and returns its path and the truth per frame.
    func analyse(layout: ShotLayout? = nil) throws -> (path: ReframePath, truth: [(t: Double, heads: [ReframeRect])], costs: AnalysisCosts) {
        let analyzer = try SceneAnalyzer(displayWidth: Self.displayWidth, displayHeight: Self.displayHeight)
        var truth: [(Double, [ReframeRect])] = []
        for t in frameTimes {
            let (planes, heads) = frame(t)
            try planes.withPicture { try analyzer.add($0, at: t) }
            truth.append((t, heads))
        }
        return (try analyzer.finish(duration: duration, layout: layout), truth, analyzer.costs)
    }
}

/// The head of a face sprite pasted at (x, y) in analysis pixels, in display pixels.
func headRect(spriteAt x: Int, _ y: Int, factor: Int) -> ReframeRect {
    let h = Fixtures.headInFace, f = Double(factor), s = SyntheticClip.scale
    return ReframeRect(x: (Double(x & ~1) + h.x / f) * s, y: (Double(y & ~1) + h.y / f) * s, w: h.w / f * s, h: h.h / f * s)
}

extension ReframeRect {
    /// True when `inner` lies entirely inside this rectangle.
    func contains(_ inner: ReframeRect) -> Bool {
        inner.x >= x - 1e-6 && inner.y >= y - 1e-6 && inner.x + inner.w <= x + w + 1e-6 && inner.y + inner.h <= y + h + 1e-6
    }
}
