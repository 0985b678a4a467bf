import CPixel
import TestSupport
import XCTest

/// The C kernels against obvious per-pixel definitions.
final class PixelKernelTests: XCTestCase {
    func testRotationsMatchTheDefinition() {
        var seed: UInt64 = 0x9E3779B97F4A7C15
        func byte() -> UInt8 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return UInt8(truncatingIfNeeded: seed >> 33) }
        for (w, h) in [(8, 8), (16, 24), (13, 7), (640, 360), (37, 61), (1, 9), (90, 180), (320, 180)] {
            let ss = w + 5   // strides wider than the rows, as frames have
            var src = [UInt8](repeating: 0, count: ss * h)
            for i in src.indices { src[i] = byte() }
            for deg: Int32 in [90, 180, 270] {
                let (dw, dh) = deg == 180 ? (w, h) : (h, w)
                let ds = dw + 3
                var dst = [UInt8](repeating: 0, count: ds * dh)
                tk_rotate_plane(src, ss, Int32(w), Int32(h), &dst, ds, deg)
                var wrong = 0
                for y in 0..<h {
                    for x in 0..<w {
                        // Clockwise degrees: 90 puts the top row on the right, 270 on the left.
                        let (X, Y): (Int, Int) = deg == 90 ? (h - 1 - y, x) : deg == 270 ? (y, w - 1 - x) : (w - 1 - x, h - 1 - y)
                        if dst[Y * ds + X] != src[y * ss + x] { wrong += 1 }
                    }
                }
                XCTAssertEqual(wrong, 0, "\(w)x\(h) rotated \(deg)°")
            }
        }
    }

    func testBlurKeepsFlatPlanesFlatAndSmoothsAnEdge() {
        let w = 40, h = 30
        var plane = [UInt8](repeating: 100, count: w * h)
        var scratch = [UInt8](repeating: 0, count: tk_blur_scratch_size(Int32(w), Int32(h)))
        tk_blur_plane(&plane, w, Int32(w), Int32(h), 3.3, 1, &scratch)
        XCTAssertTrue(plane.allSatisfy { $0 == 100 }, "a flat plane stays flat, edges included")
        for y in 0..<h { for x in 0..<w { plane[y * w + x] = x < w / 2 ? 0 : 200 } }
        tk_blur_plane(&plane, w, Int32(w), Int32(h), 3.3, 1, &scratch)
        let row = Array(plane[(h / 2) * w ..< (h / 2 + 1) * w])
        XCTAssertEqual(row.first, 0); XCTAssertEqual(row.last, 200)
        XCTAssertTrue(zip(row, row.dropFirst()).allSatisfy { $0 <= $1 }, "the edge becomes a monotone ramp")
        XCTAssertTrue((80...120).contains(Int(row[w / 2 - 1]) + Int(row[w / 2]) - 100), "symmetric about the edge: \(row[w / 2 - 1]), \(row[w / 2])")
    }

    /// A vertical line comes out as the 1-D kernel on every row: it must sum to the line's value
    /// and have variance sigma² (what gblur's sigma means), within 8-bit rounding.
    func testBlurKernelHasTheRequestedSpread() {
        let w = 81, h = 9, sigma: Float = 3.333
        var plane = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { plane[y * w + w / 2] = 255 }
        var scratch = [UInt8](repeating: 0, count: tk_blur_scratch_size(Int32(w), Int32(h)))
        tk_blur_plane(&plane, w, Int32(w), Int32(h), sigma, 1, &scratch)
        let row = plane[(h / 2) * w ..< (h / 2 + 1) * w].map(Double.init)
        let total = row.reduce(0, +)
        let variance = row.enumerated().map { Double($0.offset - w / 2) * Double($0.offset - w / 2) * $0.element }.reduce(0, +) / total
        XCTAssertEqual(total, 255, accuracy: 8, "the kernel sums to one")
        XCTAssertEqual(variance, Double(sigma * sigma), accuracy: Double(sigma * sigma) * 0.1, "variance sigma²")
        XCTAssertEqual(row[w / 2 - 3], row[w / 2 + 3], "symmetric")
    }

    /// With glibc's threshold pinned, a large block freed goes back to the system every time;
    /// glibc's default would raise the threshold to the first freed block's size and keep the
    /// second one resident in the heap (what made the slideshow's peak grow with its decodes).
    ///
    /// The measure runs in a fresh copy of this test process: in a process that has already run
    /// hundreds of tests, a 16 MB request can be served from free space left in the heap by
    /// earlier ones, which no threshold decides (the slideshow pins it before its first decode).
    func testPinnedMmapThresholdGivesLargeBlocksBack() throws {
        if ProcessInfo.processInfo.environment[Self.freshProcessKey] == nil {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            child.arguments = ["LocalEngineTests.PixelKernelTests/testPinnedMmapThresholdGivesLargeBlocksBack"]
            child.environment = ProcessInfo.processInfo.environment.merging([Self.freshProcessKey: "1"]) { $1 }
            let output = Pipe()
            child.standardOutput = output
            child.standardError = output
            try child.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            XCTAssertEqual(child.terminationStatus, 0, text)
            XCTAssert(text.contains("Executed 1 test, with 0 failures"), text)
            return
        }
        XCTAssertEqual(tk_pin_mmap_threshold(128 * 1024), 1, "glibc takes the setting")
        let size = 16 << 20
        for round in 0 ..< 2 {
            let block = try XCTUnwrap(malloc(size))
            memset(block, 1, size)
            let held = try Self.residentBytes()
            free(block)
            let released = try held - Self.residentBytes()
            XCTAssertGreaterThan(released, size * 3 / 4, "round \(round): \(released) bytes given back of \(size)")
        }
    }

    private static let freshProcessKey = "TIKCONV_TEST_FRESH_PROCESS"

    /// Resident bytes of this process (/proc/self/statm's second field, in pages).
    private static func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Flat 8x8 colour patches (10-bit Y'CbCr, BT.2020): the tone-mapping kernel against FFmpeg's
    /// zscale + tonemap=hable chain on the same pixels, for HLG and PQ. Greys test the transfer
    /// curves; saturated colours whose R'G'B' leave [0, 1] test that nothing is clipped early.
    func testToneMapMatchesZscaleOnFlatPatches() throws {
        let patches: [(y: UInt16, u: UInt16, v: UInt16)] = [
            (300, 360, 960), (323, 360, 960), (600, 204, 175), (681, 664, 68), (615, 363, 537),
            (500, 512, 512), (900, 512, 512), (200, 512, 512), (323, 360, 1000), (940, 300, 700)]
        let b = 8, w = b * patches.count, h = b
        var raw = [UInt16](repeating: 0, count: w * h * 3 / 2)
        for (i, p) in patches.enumerated() {
            for y in 0..<h { for x in 0..<b { raw[y * w + i * b + x] = p.y } }
            for y in 0..<h / 2 { for x in 0..<b / 2 {
                raw[w * h + y * w / 2 + i * b / 2 + x] = p.u
                raw[w * h * 5 / 4 + y * w / 2 + i * b / 2 + x] = p.v
            } }
        }
        for (hlg, trc) in [(Int32(1), "arib-std-b67"), (0, "smpte2084")] {
            let reference = try zscaleToneMap(raw, width: w, height: h, transfer: trc)
            XCTAssertEqual(reference.count, w * h * 3 / 2, "the reference chain needs ffmpeg with zscale and tonemap")
            guard reference.count == w * h * 3 / 2, let t = tk_tonemap_create(hlg, 10, 2) else { return }
            defer { tk_tonemap_free(t) }
            var out = [UInt8](repeating: 0, count: w * h * 3 / 2)
            raw.withUnsafeBytes { src in
                out.withUnsafeMutableBufferPointer { dst in
                    let s = src.baseAddress!.assumingMemoryBound(to: UInt8.self), d = dst.baseAddress!
                    tk_tonemap_420p10(t, s, 2 * w, s + 2 * w * h, w, s + 2 * w * h * 5 / 4, w, Int32(w), Int32(h),
                                      d, w, d + w * h, w / 2, d + w * h * 5 / 4, w / 2)
                }
            }
            for i in patches.indices {
                let cx = i * b + b / 2, luma = 4 * w + cx, chroma = 2 * (w / 2) + cx / 2
                for (plane, at) in [("Y", luma), ("Cb", w * h + chroma), ("Cr", w * h * 5 / 4 + chroma)] {
                    XCTAssertLessThanOrEqual(abs(Int(out[at]) - Int(reference[at])), 4,
                                             "\(trc) \(patches[i]) \(plane): kernel \(out[at]), zscale + tonemap \(reference[at])")
                }
            }
        }
    }

    /// FFmpeg's reference chain (as bench J8's peer runs it) on a raw yuv420p10le picture.
    private func zscaleToneMap(_ raw: [UInt16], width: Int, height: Int, transfer: String) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("tonemap-\(UUID().uuidString).yuv")
        defer { try? FileManager.default.removeItem(at: input) }
        try raw.withUnsafeBytes { try Data($0).write(to: input) }
        let chain = "zscale=t=linear:npl=100:agamma=0,format=gbrpf32le,zscale=p=bt709:agamma=0,"
            + "tonemap=tonemap=hable,zscale=t=bt709:m=bt709:r=tv:agamma=0,format=yuv420p"
        let reference = try runTool(FidelityTests.which("ffmpeg") ?? "/usr/bin/ffmpeg", [
            "-nostdin", "-v", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p10le", "-s", "\(width)x\(height)",
            "-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc", "-color_range", "tv",
            "-i", input.path, "-vf", chain, "-f", "rawvideo", "-"])
        XCTAssertEqual(reference.status, 0, "ffmpeg's zscale + tonemap chain failed")
        return [UInt8](reference.output)
    }
}
