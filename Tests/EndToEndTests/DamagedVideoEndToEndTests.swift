import Foundation
import XCTest

/// A video with damaged stretches: a little damage is converted and reported (how much), too much
/// is refused (exit 3) saying how much was damaged, and no output is left.
final class DamagedVideoEndToEndTests: EndToEndTestCase {
    /// TestMedia/h264_aac.ts with the payload of every `every`-th 188-byte TS packet (after the
    /// first 40, which hold the tables and the first keyframe) overwritten with noise.
    func damagedTS(every: Int, as name: String) throws -> String {
        var ts = try bytes(Self.testMedia("h264_aac.ts"))
        XCTAssertEqual(ts.count % 188, 0, "h264_aac.ts is whole TS packets")
        var r: UInt32 = 12345
        for (n, start) in stride(from: 188 * 40, to: ts.count, by: 188).enumerated() where n % every == 0 {
            for i in (start + 8)..<(start + 188) {
                r = r &* 1_103_515_245 &+ 12345
                ts[i] = UInt8(truncatingIfNeeded: r >> 16)
            }
        }
        return try write(ts, as: name)
    }

    func testALittleDamageIsConvertedAndReported() throws {
        let input = try damagedTS(every: 30, as: "light.ts")
        let r = try tikconv([input, "-o", outDir + "/", "--preset", "ultrafast", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("were damaged and skipped") || r.stderr.contains("had damage the decoder covered up"), r.stderr)
        XCTAssertEqual(entries(outDir), ["light.tiktok.mp4"])
    }

    func testTooMuchDamageIsRefusedSayingHowMuch() throws {
        let input = try damagedTS(every: 3, as: "heavy.ts")
        try assertRefused(input, exit: 3, message: "the video is too damaged to convert, ")
        let r = try tikconv([input, "--progress", "none"])
        XCTAssertNotNil(r.stderr.range(of: #"\d+% of it: \d+ of \d+"#, options: .regularExpression), r.stderr)
    }
}
