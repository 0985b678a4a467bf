/// How much a face's mouth moved between two consecutive pictures, in display pixels' terms.
struct MouthSample {
    var t: Double
    /// The face box the motion was measured in (display pixels).
    var face: Box
    /// How much the mouth region changed shape, beyond the same measure in the eye region:
    /// each region is compared with the previous picture at the shift (within `reach` pixels)
    /// that fits it best, so a nod or a turn, which carries the mouth along whole, counts
    /// little; lips that open and close, which no shift undoes, count. The eye region's own
    /// remainder is the picture's noise and compression (and blinks), subtracted.
    var motion: Double
}

/// The talking cue of the speaker layout, measured on every analysed picture (not only the
/// few a second the detectors see: lips move faster than that) inside the faces the last
/// face run found, when it found two or more: the cue only ever decides between two people,
/// so a one-face shot pays nothing. A copy of the previous picture's luma is the only state.
struct MouthMotion {
    private var previous: [UInt8] = []
    private var previousSize = (width: 0, height: 0)
    private(set) var samples: [MouthSample] = []

    /// Measures `faces` (analysis pixels) of `grey` against the previous picture, then keeps
    /// `grey` as the previous one. `scale` maps analysis to display pixels.
    mutating func feed(_ grey: GreyPicture, at t: Double, faces: [Box], scale: (x: Double, y: Double)) {
        guard faces.count >= 2 else { previous.removeAll(keepingCapacity: true); return }
        if previousSize == (grey.width, grey.height), previous.count == grey.width * grey.height {
            for face in faces {
                let reach = min(Self.maxReach, max(1, Int((face.w * Self.reach).rounded())))
                let mouth = alignedChange(grey, in: Self.region(face, x: 0.25 ... 0.75, y: 0.62 ... 0.95), reach: reach)
                let eyes = alignedChange(grey, in: Self.region(face, x: 0.2 ... 0.8, y: 0.15 ... 0.45), reach: reach)
                samples.append(MouthSample(t: t, face: face.scaled(scale.x, scale.y), motion: max(0, mouth - eyes)))
            }
        }
        previousSize = (grey.width, grey.height)
        previous.removeAll(keepingCapacity: true)
        for row in 0 ..< grey.height {
            previous.append(contentsOf: UnsafeBufferPointer(start: grey.base + row * grey.stride, count: grey.width))
        }
    }

    /// A part of a face box, as fractions of its width and height.
    static func region(_ face: Box, x: ClosedRange<Double>, y: ClosedRange<Double>) -> Box {
        Box(x: face.x + x.lowerBound * face.w, y: face.y + y.lowerBound * face.h,
            w: (x.upperBound - x.lowerBound) * face.w, h: (y.upperBound - y.lowerBound) * face.h, score: 0)
    }

    /// How far a region may have moved between two pictures, as a share of the face's width
    /// (a head turns or nods by a few per cent of its width in a 25th of a second).
    static let reach = 0.04
    /// At most this many pixels (a large face's search grows with the square of its reach).
    static let maxReach = 4

    /// The smallest mean absolute difference between `box` and the previous picture shifted by
    /// up to `reach` pixels each way: what of the region's change no movement explains.
    private func alignedChange(_ grey: GreyPicture, in box: Box, reach: Int) -> Double {
        let x0 = max(reach, Int(box.x)), y0 = max(reach, Int(box.y))
        let x1 = min(grey.width - reach, Int(box.right.rounded(.up))), y1 = min(grey.height - reach, Int((box.y + box.h).rounded(.up)))
        guard x1 > x0, y1 > y0 else { return 0 }
        var best = Int.max
        previous.withUnsafeBufferPointer { old in
            for dy in -reach ... reach {
                for dx in -reach ... reach {
                    best = min(best, difference(grey, old, columns: x0 ..< x1, rows: y0 ..< y1, shift: (dx, dy), stopAbove: best))
                }
            }
        }
        return Double(best) / Double((x1 - x0) * (y1 - y0))
    }

    /// The sum of absolute differences between the picture's `columns` x `rows` and the old
    /// picture's shifted by `shift`; stops early once past `stopAbove` (a worse shift).
    private func difference(_ grey: GreyPicture, _ old: UnsafeBufferPointer<UInt8>, columns: Range<Int>, rows: Range<Int>,
                            shift: (dx: Int, dy: Int), stopAbove: Int) -> Int {
        var total = 0
        for row in rows {
            let now = grey.base + row * grey.stride, before = (row + shift.dy) * grey.width + shift.dx
            for col in columns { total += abs(Int(now[col]) - Int(old[before + col])) }
            if total > stopAbove { return total }
        }
        return total
    }
}

/// The loudness of the source's sound over time: RMS of the mono mix in steps of `step`
/// seconds from the analysis clock's zero.
public struct SoundLevels: Sendable {
    public let step: Double
    public let rms: [Double]

    public init(step: Double, rms: [Double]) {
        self.step = step
        self.rms = rms
    }

    /// The level at `t` (0 outside the measured time).
    func level(at t: Double) -> Double {
        let i = Int((t / step).rounded(.down))
        return i >= 0 && i < rms.count ? rms[i] : 0
    }
}
