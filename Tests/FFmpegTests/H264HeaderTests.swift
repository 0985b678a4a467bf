import XCTest
@testable import FFmpeg

/// The SPS profile and level read from extradata, against the bytes' meaning and against what
/// FFmpeg's own analysis (which decodes the parameter sets) reports for real files.
final class H264HeaderTests: XCTestCase {
    static let media = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestMedia")

    func testAvcCBox() {
        // configurationVersion 1, profile 100 (High), flags 0, level 40.
        let h = H264Header(extradata: [1, 100, 0, 40, 0xff, 0xe1, 0, 4, 0x67, 100, 0, 40])
        XCTAssertEqual(h?.profileName, "High")
        XCTAssertEqual(h?.profileIDC, 100)
        XCTAssertEqual(h?.levelIDC, 40)
    }

    func testAnnexBParameterSets() {
        // A PPS first (type 8), then the SPS (type 7) after a 4-byte start code.
        let h = H264Header(extradata: [0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80, 0, 0, 0, 1, 0x67, 77, 0x40, 31, 0xac, 0x2b])
        XCTAssertEqual(h?.profileName, "Main")
        XCTAssertEqual(h?.levelIDC, 31)
    }

    func testConstraintFlagsNameTheVariants() {
        XCTAssertEqual(H264Header(extradata: [1, 66, 0x40, 30])?.profileName, "Constrained Baseline", "constraint_set1")
        XCTAssertEqual(H264Header(extradata: [1, 66, 0x00, 30])?.profileName, "Baseline")
        XCTAssertEqual(H264Header(extradata: [1, 110, 0x10, 40])?.profileName, "High 10 Intra", "constraint_set3")
        XCTAssertEqual(H264Header(extradata: [1, 110, 0x00, 40])?.profileName, "High 10")
        XCTAssertEqual(H264Header(extradata: [1, 122, 0, 40])?.profileName, "High 4:2:2")
    }

    func testNoParameterSets() {
        XCTAssertNil(H264Header(extradata: []))
        XCTAssertNil(H264Header(extradata: [1, 100]))
        XCTAssertNil(H264Header(extradata: [0, 0, 1, 0x68, 1, 2, 3, 4]), "a PPS alone")
    }

    /// Files written by x264 (TestMedia/make): the header's profile and level are what
    /// libavformat's analysis — which parses the SPS with FFmpeg's own decoder — reports.
    func testAgreesWithFFmpegsAnalysis() throws {
        for name in ["h264_aac_16x9.mp4", "h264_10bit.mp4", "odd_853x479.mp4", "h264_ac3.mkv", "h264_srt.mkv"] {
            let d = try Demuxer(path: Self.media.appendingPathComponent(name).path)
            let p = d.parameters(of: try XCTUnwrap(d.bestStream(.video)))
            let header = try XCTUnwrap(p.h264Header, name)
            XCTAssertEqual(header.profileName, p.profileName, name)
            XCTAssertEqual(header.levelIDC, p.level, name)
        }
    }
}
