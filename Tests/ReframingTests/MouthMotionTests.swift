import XCTest
@testable import Reframing

/// The speaker layout's mouth cue on pictures made here: a face of random texture (grain like a
/// webcam's) that moves whole, or whose mouth opens.
final class MouthMotionTests: XCTestCase {
    private let width = 160, height = 120
    private let face = Box(x: 40, y: 20, w: 60, h: 72, score: 1)
    /// The cue is measured only where two people are (it chooses between them).
    private let other = Box(x: 112, y: 30, w: 40, h: 48, score: 1)

    /// A grey picture: seeded random texture everywhere, the face's texture shifted by `shift`,
    /// and where `openMouth`, a dark band across the middle of the mouth region.
    private func picture(shift: (x: Int, y: Int) = (0, 0), openMouth: Bool = false) -> [UInt8] {
        var generator = SplitMix(seed: 7)
        let texture = (0 ..< width * height).map { _ in UInt8(60 + generator.next() % 120) }
        var pixels = texture
        for y in 0 ..< height {
            for x in 0 ..< width {
                let sx = x - shift.x, sy = y - shift.y
                if sx >= 0, sy >= 0, sx < width, sy < height { pixels[y * width + x] = texture[sy * width + sx] }
            }
        }
        if openMouth {
            // Lips part: rows 0.72-0.85 of the face, columns 0.35-0.65 (inside the mouth region).
            for y in 20 + 52 ..< 20 + 61 { for x in 40 + 21 ..< 40 + 39 { pixels[y * width + x] = 20 } }
        }
        return pixels
    }

    private func motion(from first: [UInt8], to second: [UInt8]) -> Double {
        var mouths = MouthMotion()
        for (t, pixels) in [(0.0, first), (0.04, second)] {
            pixels.withUnsafeBufferPointer { buffer in
                mouths.feed(GreyPicture(base: buffer.baseAddress!, width: width, height: height, stride: width), at: t, faces: [face, other], scale: (1, 1))
            }
        }
        XCTAssertEqual(mouths.samples.count, 2)
        return mouths.samples.first { $0.face.x == face.x }?.motion ?? -1
    }

    func testAHeadThatMovesWholeBarelyCounts() {
        // Shifted by 2 px right and 1 px down (within 4% of the face's 60 px width): every pixel
        // of the mouth region changes, yet a shift explains it all.
        let still = picture(), moved = picture(shift: (2, 1))
        let mean = zip(still, moved).map { abs(Int($0) - Int($1)) }.reduce(0, +) / still.count
        XCTAssertGreaterThan(mean, 20, "the move changes the pixels a lot")
        XCTAssertLessThan(motion(from: still, to: moved), 0.5)
    }

    func testOneFaceIsNotMeasured() {
        var mouths = MouthMotion()
        let pixels = picture()
        for t in [0.0, 0.04] {
            pixels.withUnsafeBufferPointer { buffer in
                mouths.feed(GreyPicture(base: buffer.baseAddress!, width: width, height: height, stride: width), at: t, faces: [face], scale: (1, 1))
            }
        }
        XCTAssertTrue(mouths.samples.isEmpty)
    }

    func testLipsThatPartCountByTheChangeNoShiftUndoes() {
        let closed = picture(), open = picture(openMouth: true)
        // The band covers 18 x 9 of the mouth region's 30 x 24 pixels (face x 0.25-0.75, y
        // 0.62-0.95), each changed from ~120 to 20 on average: about 22 grey levels over the
        // region. A shift of the textured surroundings cannot undo it, and the eyes did not change.
        let measured = motion(from: closed, to: open)
        XCTAssertGreaterThan(measured, 15)
        XCTAssertLessThan(measured, 30)
        // The head also moving does not hide it.
        XCTAssertGreaterThan(motion(from: closed, to: picture(shift: (1, 1), openMouth: true)), 15)
    }
}

/// A small seeded generator, so the texture is the same on every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
