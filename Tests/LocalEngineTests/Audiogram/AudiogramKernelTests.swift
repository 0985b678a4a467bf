import CPixel
import Foundation
import XCTest

/// The audiogram's and the animations' C kernels against their definitions.
final class AudiogramKernelTests: XCTestCase {
    func sine(hz: Double, amplitude: Double, rate: Int = 16_000, count: Int = 1024) -> [Float] {
        (0..<count).map { Float(amplitude * sin(2 * Double.pi * hz * Double($0) / Double(rate))) }
    }

    /// A sine lights the band at its frequency most; −24 dBFS reads as full; silence as nothing.
    func testBandLevelsFollowTheSound() {
        var levels = [Float](repeating: -1, count: 24)
        let bands = (0..<24).map { 120 * pow(5000.0 / 120, Double($0) / 23) }
        let nearest = bands.indices.min { abs(bands[$0] - 1000) < abs(bands[$1] - 1000) }!
        tk_band_levels(sine(hz: bands[nearest], amplitude: pow(10, -24.0 / 20)), 1024, 16_000, 24, 120, 5000, &levels)
        XCTAssertEqual(levels[nearest], 1, accuracy: 0.02)
        XCTAssertEqual(levels.indices.max { levels[$0] < levels[$1] }, nearest)
        XCTAssertLessThan(levels[0], 0.5, "120 Hz is far from the tone")
        // −51 dBFS: half way up the 54 dB scale.
        tk_band_levels(sine(hz: bands[nearest], amplitude: pow(10, -51.0 / 20)), 1024, 16_000, 24, 120, 5000, &levels)
        XCTAssertEqual(levels[nearest], 0.5, accuracy: 0.02)
        tk_band_levels([Float](repeating: 0, count: 1024), 1024, 16_000, 24, 120, 5000, &levels)
        XCTAssertEqual(levels, [Float](repeating: 0, count: 24))
    }

    /// The strip is restored from the plate, then the bars drawn; nothing outside it changes.
    func testBarsRedrawOnlyTheirStrip() {
        let w = 64, h = 48, cw = w / 2, ch = h / 2
        let plateY = (0..<(w * h)).map { UInt8($0 % 200) }, plateU = [UInt8](repeating: 100, count: cw * ch)
        let plateV = [UInt8](repeating: 150, count: cw * ch)
        var y = [UInt8](repeating: 7, count: w * h), u = [UInt8](repeating: 7, count: cw * ch), v = u
        let levels: [Float] = [0, 1, 0.5, 0]
        tk_draw_level_bars(&y, w, &u, cw, &v, cw, plateY, w, plateU, cw, plateV, cw, 8, 16, 48, 16, levels, 4, 235, 128, 128)
        for row in 0..<h {
            for col in 0..<w {
                let inStrip = row >= 16 && row < 32 && col >= 8 && col < 56
                if !inStrip { XCTAssertEqual(y[row * w + col], 7, "outside the strip at \(col),\(row)") }
            }
        }
        // Bar pitch 12, bar width 8, from column 10: bar 1 (level 1) is the strip's full height, bar 0 is 4 rows.
        XCTAssertEqual(y[16 * w + 22], 235, "bar 1's top row")
        XCTAssertEqual(y[31 * w + 22], 235, "bar 1's bottom row")
        XCTAssertEqual(y[16 * w + 10], plateY[16 * w + 10], "bar 0 is short: the plate shows above it")
        XCTAssertEqual(y[22 * w + 10], 235, "bar 0's middle")
        XCTAssertEqual(y[16 * w + 9], plateY[16 * w + 9], "between bars: the plate")
        XCTAssertEqual(u[8 * cw + 11], 128)
        XCTAssertEqual(u[8 * cw + 4], 100, "the strip's chroma between bars is the plate's")
    }

    /// Straight alpha over a colour, rounded: opaque kept, transparent becomes the colour.
    func testRGBAOverAColour() {
        var px: [UInt8] = [200, 100, 50, 255, 200, 100, 50, 0, 200, 100, 50, 128, 0, 0, 0, 64]
        tk_composite_rgba_over(&px, 16, 4, 1, 10, 20, 30)
        XCTAssertEqual(px, [200, 100, 50, 255, 10, 20, 30, 255, 105, 60, 40, 255, 7, 15, 22, 255])
    }
}
