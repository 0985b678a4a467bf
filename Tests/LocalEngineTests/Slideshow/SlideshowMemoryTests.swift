import FFmpeg
import Foundation
@testable import LocalEngine
import MediaProbe
import XCTest

/// Memory must not grow with the number of photos: what a photo needs — its plate,
/// the plate's picture and background frames, and through them their C buffers — is freed once
/// the photo has left the screen. Checked through weak references while a roll is walked frame
/// by frame, the way `SlideshowConverter.film` walks it (no timing or RSS involved).
final class SlideshowMemoryTests: SlideshowTestCase {
    /// Weak references to what one photo's preparation made.
    private final class Prepared {
        weak var plate: PhotoPlate?
        weak var picture: Frame?
        var alive: Bool { plate != nil || picture != nil }
    }

    /// Twelve photos of three kinds (a landscape JPEG with a background, a 9:16 PNG without, a
    /// portrait WebP), walked with crossfades on every frame (0.5 s photos, 0.5 s fades: two
    /// plates are always in use) and with solo stretches (1 s photos, 0.3 s fades).
    func testPlatesAreReleasedOnceTheirPhotoIsShown() throws {
        let kinds = [try photo("land.jpg", "testsrc2=s=640x480"), try photo("story.png", "testsrc2=s=270x480"),
                     try photo("tall.webp", "testsrc2=s=480x640")]
        let reports = try (0..<12).map { try Prober.probe(path: kinds[$0 % kinds.count]) }
        for (duration, transition) in [(0.5, 0.5), (1.0, 0.3)] {
            try walk(reports, photoDuration: duration, transition: transition)
        }
    }

    private func walk(_ reports: [ProbeReport], photoDuration: Double, transition: Double) throws {
        let plan: (Int, [Double]) -> SlideshowTimeline = { count, locked in
            SlideshowTimeline.plan(count: count, photoDuration: photoDuration, transition: transition, locked: locked)
        }
        var prepared: [Int: Prepared] = [:]
        var roll: PhotoRoll? = PhotoRoll(reports: reports, timeline: plan(reports.count, [0]), replan: plan) { report, index in
            let plate = try PhotoPlate(report: report, index: index, motion: true, targets: nil)
            let p = Prepared()
            p.plate = plate
            p.picture = plate.plate.frame
            prepared[index] = p
            return plate
        }
        let frames = try XCTUnwrap(roll).timeline.frameCount
        let label = "\(photoDuration) s photos, \(transition) s crossfades"
        var mostAlive = 0
        var firstExcess: String?
        for frame in 0..<frames {
            // The plates handed out are dropped at once, as the frame loop drops them.
            let shot = try XCTUnwrap(roll).shot(atFrame: frame).shot
            let alive = prepared.filter { $0.value.alive }.map(\.key).sorted()
            mostAlive = max(mostAlive, alive.count)
            // The photo on screen and the next one (prepared a photo ahead) — nothing older.
            if firstExcess == nil, !alive.allSatisfy({ $0 == shot.photo || $0 == shot.photo + 1 }) {
                firstExcess = "frame \(frame) shows photo \(shot.photo) (next: \(shot.next.map(String.init) ?? "none")), yet photos \(alive) are in memory"
            }
        }
        XCTAssertNil(firstExcess, label)
        XCTAssertEqual(prepared.count, reports.count, "\(label): every photo was prepared")
        XCTAssertEqual(mostAlive, 2, "\(label): at most the photo shown and the next are held")
        roll = nil
        XCTAssertEqual(prepared.filter { $0.value.alive }.map(\.key), [], "\(label): nothing outlives the roll")
    }
}
