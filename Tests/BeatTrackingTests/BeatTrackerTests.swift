import BeatTracking
import Foundation
import TestSupport
import XCTest

/// aubio's tracker on a drum loop whose beats are known.
final class BeatTrackerTests: XCTestCase {
    /// A drum loop at 120 BPM: a kick (a decaying 60 Hz thump) on every beat, from 0.35 s, and a
    /// hi-hat (a short burst of noise) between the beats, over a quiet bass note.
    func drums(rate: Int, seconds: Double) -> (samples: [Float], beats: [Double]) {
        let beats = stride(from: 0.35, to: seconds, by: 0.5).map { $0 }
        var s = (0..<Int(seconds * Double(rate))).map { Float(0.05 * sin(2 * .pi * 110 * Double($0) / Double(rate))) }
        var noise: UInt32 = 12345
        for t in beats {
            let kick = Int(t * Double(rate)), hat = Int((t + 0.25) * Double(rate))
            for i in 0..<Int(0.15 * Double(rate)) where kick + i < s.count {
                let x = Double(i) / Double(rate)
                s[kick + i] += Float(0.7 * exp(-x * 25) * sin(2 * .pi * 60 * x))
            }
            for i in 0..<Int(0.03 * Double(rate)) where hat + i < s.count {
                noise = noise &* 1103515245 &+ 12345
                s[hat + i] += Float(0.15 * exp(-Double(i) / Double(rate) * 120) * (Double(noise >> 16 & 0x7FFF) / 16384 - 1))
            }
        }
        return (s, beats)
    }

    func testFindsTheBeatsOfADrumLoop() throws {
        let rate = 44_100
        let (samples, times) = drums(rate: rate, seconds: 12)
        let tracker = try BeatTracker(sampleRate: rate)
        var i = 0
        while i < samples.count {   // in odd-sized pieces, as decoded frames come
            let n = min(1153, samples.count - i)
            tracker.feed(Array(samples[i..<(i + n)]))
            i += n
        }
        tracker.finish()
        XCTAssertEqual(tracker.beatsPerMinute, 120, accuracy: 2)
        // aubio takes a few seconds to settle on the kicks (at first it may follow the hi-hats,
        // half a beat off); from 5 s on, every beat is a kick, none missed.
        let settled = tracker.beats.filter { $0 > 5 }
        XCTAssertGreaterThanOrEqual(settled.count, 13, "every beat after it settles: \(tracker.beats)")
        for b in settled {
            XCTAssertLessThan(times.map { abs($0 - b) }.min() ?? 1, 0.03, "beat \(b) lies on a kick")
        }
        XCTAssertEqual(zip(settled.dropFirst(), settled).map { $0 - $1 }.max() ?? 0, 0.5, accuracy: 0.03, "none missed")
        for b in tracker.beats {
            XCTAssertLessThan(times.flatMap { [$0, $0 + 0.25] }.map { abs($0 - b) }.min() ?? 1, 0.03, "beat \(b) lies on the drums")
        }
        XCTAssertLessThan(tracker.beats.last ?? 0, 12, "nothing from the flush's silence")
    }

    func testImpossibleSettingsAreAnError() throws {
        // aubio says why on stderr itself: caught and checked here, not left in the test output.
        let logged = try capturingStandardError {
            XCTAssertThrowsError(try BeatTracker(sampleRate: 44_100, window: 256, hop: 1024))
        }
        XCTAssertTrue(logged.contains("AUBIO ERROR"), logged)
    }
}
