import CPixel
import XCTest

/// The slideshow's C kernels (Sources/CPixel/slideshow.c) against their definitions.
final class SlideshowKernelTests: XCTestCase {
    func resample(_ src: [UInt8], sw: Int, sh: Int, x0: Double, y0: Double, step: Double, dw: Int, dh: Int) -> [UInt8] {
        var dst = [UInt8](repeating: 0, count: dw * dh)
        var scratch = [UInt8](repeating: 0, count: tk_resample_scratch_size(Int32(sw), Int32(dw)))
        tk_resample_plane(src, sw, Int32(sw), Int32(sh), x0, y0, step, step, &dst, dw, Int32(dw), Int32(dh), &scratch)
        return dst
    }

    /// Whole-pixel positions with step 1 copy the source exactly (no softening when still).
    func testWholePixelWindowIsAnExactCopy() {
        let sw = 37, sh = 23
        let src = (0..<sw * sh).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        let dst = resample(src, sw: sw, sh: sh, x0: 5, y0: 3, step: 1, dw: 20, dh: 11)
        for y in 0..<11 { for x in 0..<20 { XCTAssertEqual(dst[y * 20 + x], src[(y + 3) * sw + x + 5], "(\(x), \(y))") } }
    }

    /// A quarter-pixel shift of a linear ramp lands between the samples (the cubic reproduces
    /// straight lines), so motion is not rounded to whole pixels.
    func testSubPixelShiftInterpolatesARamp() {
        let sw = 64, sh = 8
        let src = (0..<sw * sh).map { UInt8(($0 % sw) * 4) }   // 4 per pixel along x
        for shift in [0.25, 0.5, 0.75] {
            let dst = resample(src, sw: sw, sh: sh, x0: 10 + shift, y0: 2, step: 1, dw: 30, dh: 4)
            for x in 0..<30 {
                XCTAssertEqual(Double(dst[x]), (10 + Double(x) + shift) * 4, accuracy: 0.51, "shift \(shift), sample \(x)")
            }
        }
    }

    /// A sample's value does not depend on where it falls in the row (in a group of four done
    /// with SIMD, or in the scalar tail): the right 17 samples of a 37-wide row equal a 17-wide
    /// row started at their position.
    func testSamplesDoNotDependOnTheirPlaceInTheRow() {
        let sw = 90, sh = 30
        var seed: UInt32 = 7
        let src = (0..<sw * sh).map { _ -> UInt8 in seed = seed &* 1664525 &+ 1013904223; return UInt8(seed >> 24) }
        let step = 1.0731, x0 = 2.37, y0 = 1.61
        let wide = resample(src, sw: sw, sh: sh, x0: x0, y0: y0, step: step, dw: 37, dh: 9)
        let right = resample(src, sw: sw, sh: sh, x0: x0 + 20 * step, y0: y0, step: step, dw: 17, dh: 9)
        for y in 0..<9 { XCTAssertEqual(Array(wide[(y * 37 + 20)..<(y * 37 + 37)]), Array(right[(y * 17)..<(y * 17 + 17)]), "row \(y)") }
    }

    /// The AVX2 loops give the baseline loops' bits: random pictures, positions and steps, rows
    /// long enough for whole AVX2 rounds plus a scalar tail.
    func testAVX2AndBaselineLoopsAgree() throws {
        defer { tk_resample_use_avx2(1) }
        guard tk_resample_use_avx2(1) == 1 else { throw XCTSkip("this CPU has no AVX2: only the baseline loops run here") }
        var seed: UInt32 = 11
        func next() -> UInt32 { seed = seed &* 1664525 &+ 1013904223; return seed >> 8 }
        for round in 0..<6 {
            let sw = 60 + Int(next() % 200), sh = 20 + Int(next() % 60)
            let src = (0..<sw * sh).map { _ in UInt8(truncatingIfNeeded: next()) }
            let step = 0.8 + Double(next() % 1000) / 1000 * 0.5
            let dw = Int(Double(sw - 4) / step) - 1, dh = Int(Double(sh - 4) / step) - 1
            let x0 = Double(next() % 300) / 100 - 0.5, y0 = Double(next() % 300) / 100 - 0.5
            tk_resample_use_avx2(1)
            let wide = resample(src, sw: sw, sh: sh, x0: x0, y0: y0, step: step, dw: dw, dh: dh)
            tk_resample_use_avx2(0)
            let base = resample(src, sw: sw, sh: sh, x0: x0, y0: y0, step: step, dw: dw, dh: dh)
            XCTAssertEqual(wide, base, "round \(round): \(sw)x\(sh) → \(dw)x\(dh), step \(step)")
        }
    }

    /// Flat stays flat at any position and scale, the edges included (weights sum to one).
    func testFlatPlaneStaysFlat() {
        let src = [UInt8](repeating: 77, count: 50 * 40)
        let dst = resample(src, sw: 50, sh: 40, x0: -0.4, y0: 0.3, step: 1.13, dw: 44, dh: 35)
        XCTAssertTrue(dst.allSatisfy { $0 == 77 })
    }

    func testBlendWeights() {
        let a = [UInt8](repeating: 200, count: 12), b = [UInt8](repeating: 40, count: 12)
        for (weight, expected) in [(0, 200), (128, 120), (256, 40), (64, 160)] {
            var d = [UInt8](repeating: 0, count: 12)
            tk_blend_plane(a, 4, b, 4, &d, 4, 4, 3, Int32(weight))
            XCTAssertTrue(d.allSatisfy { Int($0) == expected }, "weight \(weight): \(d)")
        }
    }

    /// Rows wide enough for the vector loop (16 a round) and a tail: every sample as the
    /// formula gives it, at every weight, extremes included.
    func testBlendVectorRowsMatchTheFormula() {
        let w = 37, h = 3, stride = 40
        let a = (0..<stride * h).map { UInt8(truncatingIfNeeded: $0 * 97 + 13) }
        let b = (0..<stride * h).map { UInt8(truncatingIfNeeded: $0 * 53 + 255) }
        for weight in [0, 1, 77, 128, 200, 255, 256] {
            var d = [UInt8](repeating: 0, count: stride * h)
            tk_blend_plane(a, stride, b, stride, &d, stride, Int32(w), Int32(h), Int32(weight))
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * stride + x
                    let expected = (Int(a[i]) * (256 - weight) + Int(b[i]) * weight + 128) >> 8
                    XCTAssertEqual(Int(d[i]), expected, "weight \(weight), sample \(x),\(y)")
                }
            }
        }
    }

    func testMirrorAndCopy() {
        var p: [UInt8] = [1, 2, 3, 9, 4, 5, 6, 9]   // two rows of 3, stride 4
        tk_mirror_plane(&p, 4, 3, 2)
        XCTAssertEqual(p, [3, 2, 1, 9, 6, 5, 4, 9])
        var d = [UInt8](repeating: 0, count: 6)
        tk_copy_plane(p, 4, &d, 3, 3, 2)
        XCTAssertEqual(d, [3, 2, 1, 6, 5, 4])
    }

    /// Transparent → limited-range black, opaque unchanged, half → half way.
    func testCompositeOverBlack() {
        var y: [UInt8] = [200, 200, 200, 200], u: [UInt8] = [60], v: [UInt8] = [220]
        let opaque: [UInt8] = [255, 255, 255, 255], clear: [UInt8] = [0, 0, 0, 0], half: [UInt8] = [128, 128, 128, 128]
        tk_composite_over_black(&y, 2, &u, 1, &v, 1, opaque, 2, 2, 2)
        XCTAssertEqual([y[0], u[0], v[0]], [200, 60, 220])
        tk_composite_over_black(&y, 2, &u, 1, &v, 1, half, 2, 2, 2)
        XCTAssertEqual(Int(y[0]), 108, accuracy: 1); XCTAssertEqual(Int(u[0]), 94, accuracy: 1); XCTAssertEqual(Int(v[0]), 174, accuracy: 1)
        tk_composite_over_black(&y, 2, &u, 1, &v, 1, clear, 2, 2, 2)
        XCTAssertEqual([y[0], u[0], v[0]], [16, 128, 128])
    }
}
