/// How much a face's mouth moved between two consecutive pictures, in display pixels' terms.
struct MouthSample {
    var t: Double
    /// The face box the motion was measured in (display pixels).
    var face: Box
    /// Mean absolute luma change in the mouth region beyond the change in the eye region
    /// (a head that moves or a light that changes moves both; a mouth that talks only one).
    var motion: Double
}

/// The talking cue of the speaker layout, measured on every analysed picture (not only the
/// few a second the detectors see: lips move faster than that) inside the faces the last
/// face run found. A copy of the previous picture's luma is the only state; the cost is a
/// few hundred pixels per face per picture.
struct MouthMotion {
    private var previous: [UInt8] = []
    private var previousSize = (width: 0, height: 0)
    private(set) var samples: [MouthSample] = []

    /// Measures `faces` (analysis pixels) of `grey` against the previous picture, then keeps
    /// `grey` as the previous one. `scale` maps analysis to display pixels.
    mutating func feed(_ grey: GreyPicture, at t: Double, faces: [Box], scale: (x: Double, y: Double)) {
        guard !faces.isEmpty else { previous.removeAll(keepingCapacity: true); return }
        if previousSize == (grey.width, grey.height), previous.count == grey.width * grey.height {
            for face in faces {
                let mouth = change(grey, in: Self.region(face, x: 0.25 ... 0.75, y: 0.62 ... 0.95))
                let eyes = change(grey, in: Self.region(face, x: 0.2 ... 0.8, y: 0.15 ... 0.45))
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

    /// Mean absolute difference from the previous picture inside `box` (clipped to the picture).
    private func change(_ grey: GreyPicture, in box: Box) -> Double {
        let x0 = max(0, Int(box.x)), y0 = max(0, Int(box.y))
        let x1 = min(grey.width, Int(box.right.rounded(.up))), y1 = min(grey.height, Int((box.y + box.h).rounded(.up)))
        guard x1 > x0, y1 > y0 else { return 0 }
        var total = 0
        previous.withUnsafeBufferPointer { old in
            for row in y0 ..< y1 {
                let now = grey.base + row * grey.stride, before = row * grey.width
                for col in x0 ..< x1 { total += abs(Int(now[col]) - Int(old[before + col])) }
            }
        }
        return Double(total) / Double((x1 - x0) * (y1 - y0))
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
