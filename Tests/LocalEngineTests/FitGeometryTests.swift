import XCTest
@testable import LocalEngine
import Planning

final class FitGeometryTests: XCTestCase {
    func testLandscapePadCentresAFullWidthPicture() {
        let g = FitGeometry(storedWidth: 1920, storedHeight: 1080, sampleAspect: 1, rotation: 0, mode: .pad)
        XCTAssertEqual(g.foreground, PixelRect(x: 0, y: 656, width: 1080, height: 608))
        XCTAssertEqual(g.foregroundSource, PixelRect(x: 0, y: 0, width: 1920, height: 1080))
        XCTAssertNil(g.backgroundSource)
    }

    func testCropScalesOnlyTheKeptColumns() {
        let g = FitGeometry(storedWidth: 1920, storedHeight: 1080, sampleAspect: 1, rotation: 0, mode: .crop)
        XCTAssertEqual(g.foreground, PixelRect(x: 0, y: 0, width: 1080, height: 1920))
        // 607.5 columns are seen; the window is a little wider (732 → a 1301-wide canvas) so the
        // luma and chroma samples land where scale-to-3413-then-crop puts them, far from the full 1920.
        XCTAssertEqual(g.foregroundSource, PixelRect(x: 594, y: 0, width: 732, height: 1080))
        XCTAssertEqual(g.canvas, PixelRect(x: 110, y: 0, width: 1301, height: 1920))
    }

    func testCropFocusMovesTheWindowAndStaysInside() {
        let left = FitGeometry(storedWidth: 1920, storedHeight: 1080, sampleAspect: 1, rotation: 0, mode: .crop, focus: (0, 0.5))
        XCTAssertEqual(left.foregroundSource.x, 0)
        let right = FitGeometry(storedWidth: 1920, storedHeight: 1080, sampleAspect: 1, rotation: 0, mode: .crop, focus: (1, 0.5))
        XCTAssertEqual(right.foregroundSource.x + right.foregroundSource.width, 1920)
    }

    func testBlurBackgroundCoversTheFrame() {
        let g = FitGeometry(storedWidth: 1280, storedHeight: 720, sampleAspect: 1, rotation: 0, mode: .blur)
        XCTAssertEqual(g.foreground.width, 1080)
        XCTAssertEqual(g.backgroundSource?.height, 720)
        XCTAssertEqual(g.backgroundSource?.width, 406) // 720 * 9/16 = 405 → even
    }

    func testNineBySixteenIsScaledOnly() {
        let g = FitGeometry(storedWidth: 720, storedHeight: 1280, sampleAspect: 1, rotation: 0, mode: .blur)
        XCTAssertFalse(g.hasBackground)
        XCTAssertEqual(g.foregroundSource, PixelRect(x: 0, y: 0, width: 720, height: 1280))
    }

    func testRotatedPhoneClipIsPortrait() {
        // Stored 1920x1080, turned 90°: upright 1080x1920 = exactly 9:16.
        let g = FitGeometry(storedWidth: 1920, storedHeight: 1080, sampleAspect: 1, rotation: 90, mode: .blur)
        XCTAssertFalse(g.hasBackground)
        XCTAssertEqual(g.foregroundScaledSize.width, 1920)
        XCTAssertEqual(g.foregroundScaledSize.height, 1080)
    }

    func testRotatedCropMapsBackToStoredColumns() {
        // Stored 1440x1080 turned 90° → upright 1080x1440 (3:4): crop keeps the middle 810 upright
        // columns, which are stored rows 135…945 (even-aligned: 134, 810 high).
        let g = FitGeometry(storedWidth: 1440, storedHeight: 1080, sampleAspect: 1, rotation: 90, mode: .crop)
        XCTAssertEqual(g.foregroundSource, PixelRect(x: 0, y: 134, width: 1440, height: 810))
        let g2 = FitGeometry(storedWidth: 1920, storedHeight: 1440, sampleAspect: 1, rotation: 90, mode: .crop)
        // Upright 1440x1920 (3:4): keep 1080 of 1440 upright columns = stored rows.
        XCTAssertEqual(g2.foregroundSource.width, 1920)
        XCTAssertEqual(g2.foregroundSource.height, 1080)
        XCTAssertEqual(g2.foregroundSource.y, 180)
    }

    func testNonSquarePixelsUseTheDisplayShape() {
        // 720x576 with SAR 64:45 displays as 1024x576 (16:9), so pad gives a 1080x608 picture.
        let g = FitGeometry(storedWidth: 720, storedHeight: 576, sampleAspect: 64.0 / 45.0, rotation: 0, mode: .pad)
        XCTAssertEqual(g.foreground.width, 1080)
        XCTAssertEqual(g.foreground.height, 608)
    }
}

final class CropMatchTests: XCTestCase {
    /// 1920x1080 → crop: ffmpeg scales to 3413x1920 and keeps columns 1166… Our window must map
    /// every output column to the same source position within 0.05 of a pixel (today's naive
    /// window is off by up to 0.5).
    func testCentredCropSamplesWhereScaleThenCropDoes() throws {
        for (w, h) in [(1920, 1080), (1280, 720), (640, 360), (720, 576), (1080, 1080), (1440, 1080), (360, 640), (720, 1600)] {
            let g = FitGeometry(storedWidth: w, storedHeight: h, sampleAspect: 1, rotation: 0, mode: .crop)
            let wide = w * 1920 >= h * 1080
            let (src, out, scaled) = wide ? (w, 1080, Int((Double(1920 * w) / Double(h)).rounded(.toNearestOrEven)))
                                          : (h, 1920, Int((Double(1080 * h) / Double(w)).rounded(.toNearestOrEven)))
            let crop = ((scaled - out) / 2) & ~1
            let r = Double(src) / Double(scaled)
            let start = Double(wide ? g.foregroundSource.x : g.foregroundSource.y)
            let length = Double(wide ? g.foregroundSource.width : g.foregroundSource.height)
            let canvas = Double(wide ? g.canvas.width : g.canvas.height)
            let offset = Double(wide ? g.canvas.x : g.canvas.y)
            for x in [0, out / 2, out - 1].map(Double.init) {
                let ffmpeg = (x + Double(crop) + 0.5) * r - 0.5
                let ours = start + (x + offset + 0.5) * length / canvas - 0.5
                XCTAssertEqual(ours, ffmpeg, accuracy: 0.05, "\(w)x\(h) output sample \(x)")
            }
            // 4:2:0 chroma planes are ceil(luma / 2) long, in FFmpeg's chain and in ours.
            func half(_ v: Double) -> Double { (v / 2).rounded(.up) }
            let rc = half(Double(src)) / half(Double(scaled))
            for x in [0, out / 4, out / 2 - 1].map(Double.init) {
                let ffmpeg = (x + Double(crop / 2) + 0.5) * rc - 0.5
                let ours = start / 2 + (x + offset / 2 + 0.5) * half(length) / half(canvas) - 0.5
                XCTAssertEqual(ours, ffmpeg, accuracy: 0.05, "\(w)x\(h) output chroma sample \(x)")
            }
            XCTAssertLessThanOrEqual(canvas, Double(out) * 1.25, "reads at most 25% more than the output")
            XCTAssertEqual(g.canvas.x % 2, 0); XCTAssertEqual(g.canvas.y % 2, 0)
        }
    }

    /// A panning window is placed to the output pixel: for windows a tenth of a source pixel
    /// apart, the first output column samples the window's own left edge within half an output
    /// pixel, moves monotonically, and the strip and canvas sizes never change (so the scalers
    /// are kept from frame to frame).
    func testPanningCropFollowsTheWindowToTheOutputPixel() {
        let sourceW = 1920, sourceH = 1080
        let windowW = Double(sourceH) * 9 / 16
        var last = -Double.infinity
        var sizes = Set<String>()
        for step in 0...200 {
            let windowX = 300 + Double(step) * 0.1
            let focusX = (windowX + windowW / 2) / Double(sourceW)
            let g = FitGeometry(storedWidth: sourceW, storedHeight: sourceH, sampleAspect: 1, rotation: 0, mode: .crop,
                                focus: (focusX, 0.5), panning: true)
            let perOutput = Double(g.foregroundSource.width) / Double(g.canvas.width)
            let firstColumn = Double(g.foregroundSource.x) + Double(g.canvas.x) * perOutput
            XCTAssertEqual(firstColumn, windowX, accuracy: 0.5 * perOutput + 1e-9, "window at \(windowX)")
            XCTAssertGreaterThanOrEqual(firstColumn, last - 1e-9, "never moves backwards")
            last = firstColumn
            sizes.insert("\(g.foregroundSource.width)x\(g.foregroundSource.height) \(g.canvas.width)x\(g.canvas.height)")
            XCTAssertEqual(g.foregroundSource.x % 2, 0, "stored start stays on an even pixel (4:2:0)")
        }
        XCTAssertEqual(sizes.count, 1, "constant strip and canvas: \(sizes)")
        // Without `panning`, the same window snaps to even stored pixels (3.6 output pixels here).
        let coarse = FitGeometry(storedWidth: sourceW, storedHeight: sourceH, sampleAspect: 1, rotation: 0, mode: .crop,
                                 focus: ((301.1 + windowW / 2) / Double(sourceW), 0.5))
        XCTAssertEqual(coarse.foregroundSource.x % 2, 0)
        XCTAssertFalse(coarse.hasCanvas)
    }

    /// Every strip of a pan starts on the lattice of the whole source scaled to the output
    /// height (1080 rows → 1920: every 18 stored pixels are 32 output pixels), so each canvas is
    /// a piece of one scaled picture and consecutive panning frames are whole-pixel moves of each
    /// other (what x264's motion search matches exactly); sizes without a short lattice (an odd
    /// height) fall back to even starts.
    func testPanningStripsStartOnTheScaledPictureLattice() {
        XCTAssertEqual(FitGeometry.latticeStep(storedHeight: 1080), 18)
        XCTAssertEqual(FitGeometry.latticeStep(storedHeight: 720), 6)
        XCTAssertEqual(FitGeometry.latticeStep(storedHeight: 2160), 18)
        XCTAssertEqual(FitGeometry.latticeStep(storedHeight: 1079), 2)
        for (w, h) in [(1920, 1080), (1280, 720), (3840, 2160)] {
            let step = FitGeometry.latticeStep(storedHeight: h)
            let windowW = Double(h) * 9 / 16
            var starts = Set<Int>()
            for k in 0...400 {
                let windowX = Double(k) * (Double(w) - windowW) / 400 * 0.9
                let focusX = (windowX + windowW / 2) / Double(w)
                let g = FitGeometry(storedWidth: w, storedHeight: h, sampleAspect: 1, rotation: 0, mode: .crop,
                                    focus: (focusX, 0.5), panning: true)
                XCTAssertEqual(g.foregroundSource.x % step, 0, "\(w)x\(h): strip at \(g.foregroundSource.x)")
                // The canvas is the strip at exactly the output's scale (no stretch).
                XCTAssertEqual(g.canvas.width * h, g.foregroundSource.width * 1920, "\(w)x\(h)")
                // The window sits inside the strip with room for the scaler's taps.
                let perOutput = Double(g.foregroundSource.width) / Double(g.canvas.width)
                XCTAssertGreaterThanOrEqual(Double(g.canvas.x) * perOutput, min(windowX, 4) - 0.5 * perOutput - 1e-9)
                XCTAssertGreaterThanOrEqual(Double(g.canvas.width - g.canvas.x - 1080) * perOutput, 4 - 1e-9)
                starts.insert(g.foregroundSource.x)
            }
            XCTAssertGreaterThan(starts.count, 10, "the strip moves with the window")
        }
    }
}
