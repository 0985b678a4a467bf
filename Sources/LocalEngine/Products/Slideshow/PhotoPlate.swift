import CPixel
import FFmpeg
import MediaProbe
import Planning

/// One photo ready to be filmed: the upright picture enlarged from its place on screen by the
/// closest zoom of its possible moves (the plate: `KenBurnsMove.maxZoom`, or the face moves'
/// `closestZoom`), the still background it sits on (its own blurred fill, made by the video
/// blur fit's `VideoFitter`), and its move. Every frame is then the
/// background plus a sub-pixel window of the plate sampled into the foreground rectangle.
final class PhotoPlate {
    let path: String
    let plate: PhotoPicture
    /// Where the photo sits on screen.
    let foreground: PixelRect
    /// The full 1080x1920 frame behind the photo; nil when the photo fills the frame (9:16).
    private let background: Frame?
    let move: KenBurnsMove
    private var scratch: [UInt8]

    /// The plate's size for a photo shown upright at `display` size: its blur-fit rectangle,
    /// enlarged by the closest zoom (so the closest view is sampled 1:1).
    static func plateSize(display: (width: Int, height: Int), zoom: Double) -> (width: Int, height: Int) {
        let g = FitGeometry(storedWidth: display.width, storedHeight: display.height, sampleAspect: 1, rotation: 0, mode: .blur)
        func even(_ v: Double) -> Int { max(2, Int(v.rounded()) & ~1) }
        return (even(Double(g.foreground.width) * zoom), even(Double(g.foreground.height) * zoom))
    }

    /// Decodes and prepares photo `index` of the slideshow.
    init(report: ProbeReport, index: Int, motion: Bool, targets: MotionTargetFinder?) throws {
        guard let display = PhotoReader.displaySize(report) else {
            throw LocalEngineError.photoUnreadable(path: report.path, reason: "its size is unknown")
        }
        path = report.path
        let zoom = motion ? max(KenBurnsMove.maxZoom, targets?.closestZoom ?? 1) : 1
        let size = Self.plateSize(display: display, zoom: zoom)
        let plate = try PhotoReader.read(report, width: size.width, height: size.height)
        self.plate = plate
        // The blur fit of the plate itself: the same rectangle (to the pixel), and the background.
        let geometry = FitGeometry(storedWidth: size.width, storedHeight: size.height, sampleAspect: 1, rotation: 0, mode: .blur)
        foreground = geometry.foreground
        if geometry.hasBackground {
            let fitter = try stage("blur the photo's background") {
                try VideoFitter(geometry: geometry, sourceFormat: .yuv420p, colorSpace: .bt709, fullRange: false,
                                deinterlace: false, padColor: (16, 128, 128))
            }
            background = try stage("blur the photo's background") { try fitter.fit(plate.frame) }
        } else {
            background = nil
        }
        let landscape = foreground.width > foreground.height
        move = motion ? KenBurnsMove.forPhoto(index: index, landscape: landscape, target: try targets?.target(inPlate: plate)) : .still
        scratch = [UInt8](repeating: 0, count: tk_resample_scratch_size(Int32(size.width), Int32(foreground.width)))
    }

    /// Draws the photo at move progress `u` (0…1) into `out`, a 1080x1920 yuv420p frame;
    /// `backgroundDrawn`: `out` already holds this photo's background around the foreground
    /// (it was drawn there last and nothing else since).
    func render(at u: Double, into out: Frame, backgroundDrawn: Bool = false) throws {
        if let background, !backgroundDrawn { try stage("draw photo background") { try out.copyPixels(from: background) } }
        let window = move.window(at: u, plateWidth: Double(plate.width), plateHeight: Double(plate.height))
        let step = (x: window.width / Double(foreground.width), y: window.height / Double(foreground.height))
        scratch.withUnsafeMutableBytes { buffer in
            for p in 0..<3 {
                let shift = p == 0 ? 0 : 1, scale = Double(1 << shift)
                let (src, ss) = plate.frame.plane(p), (dst, ds) = out.plane(p)
                guard let src, let dst else { continue }
                // Sample centres: output sample i of this plane sits at plate position
                // window.x/scale + (i + ½)·step − ½ in the plane's own samples.
                let x0 = window.x / scale + 0.5 * step.x - 0.5, y0 = window.y / scale + 0.5 * step.y - 0.5
                let target = dst + (foreground.y >> shift) * Int(ds) + (foreground.x >> shift)
                tk_resample_plane(src, Int(ss), Int32(plate.width >> shift), Int32(plate.height >> shift), x0, y0, step.x, step.y,
                                  target, Int(ds), Int32(foreground.width >> shift), Int32(foreground.height >> shift), buffer.baseAddress)
            }
        }
    }
}
