import XCTest
@testable import MediaProbe

/// Damaged and random inputs: the probe answers (a report or a ProbeError), never crashes or hangs.
final class RobustnessTests: ProbeTestCase {
    var tempDir: String!

    override func setUpWithError() throws {
        tempDir = NSTemporaryDirectory() + "probe-robust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tempDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: tempDir) }

    func answer(_ path: String) -> String {
        do { return "ok \(try Prober.probe(path: path).kind)" } catch let e as ProbeError { return "\(e)" } catch { return "OTHER \(error)" }
    }

    func testEveryClipCutShortAndBitFlipped() throws {
        let names = ["h264_aac_16x9.mp4", "mpeg4_mp3.avi", "h264_aac.mov", "h264_ac3.mkv", "vp9_opus.webm", "vp8_vorbis.webm",
                     "hdr_pq.mp4", "interlaced_tff.mkv", "photo.jpg", "photo.png", "photo.webp", "tone_cover.mp3", "tone.wav", "h264_aac.ts"]
        var rng = SeededGenerator(state: 20240601)
        let start = Date()
        for name in names {
            let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestMedia.path(name))))
            for fraction in [0.001, 0.05, 0.3, 0.7, 0.99] {
                let p = tempDir + "/cut_\(fraction)_" + name
                try Data(data.prefix(max(1, Int(Double(data.count) * fraction)))).write(to: URL(fileURLWithPath: p))
                XCTAssertFalse(answer(p).hasPrefix("OTHER"), p)
            }
            var flipped = data
            for _ in 0..<64 { flipped[Int.random(in: 0..<flipped.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng) }
            let p = tempDir + "/flip_" + name
            try Data(flipped).write(to: URL(fileURLWithPath: p))
            XCTAssertFalse(answer(p).hasPrefix("OTHER"), p)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }

    func testRandomFilesAreRefusedQuickly() throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<20 {
            var bytes = [UInt8](repeating: 0, count: 65536)
            for j in bytes.indices {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                bytes[j] = UInt8(truncatingIfNeeded: seed >> 33)
            }
            let p = tempDir + "/random\(i).mp4"
            try Data(bytes).write(to: URL(fileURLWithPath: p))
            let start = Date()
            let a = answer(p)
            XCTAssertFalse(a.hasPrefix("ok"), "\(p): \(a)")
            XCTAssertFalse(a.hasPrefix("OTHER"), "\(p): \(a)")
            XCTAssertLessThan(Date().timeIntervalSince(start), 2, p)
        }
    }
}

/// Deterministic generator (an LCG) so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 29)
    }
}
