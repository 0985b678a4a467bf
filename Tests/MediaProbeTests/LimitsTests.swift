import Foundation
@testable import MediaProbe
import XCTest

/// Offline conversions are not held to the cloud's upload caps; uploads are.
final class LimitsTests: XCTestCase {
    func report(_ kind: InputKind, megabytes: Int64) -> ProbeReport {
        ProbeReport(path: "/in/x", kind: kind, container: "mov,mp4,m4a,3gp,3g2,mj2", format: "mp4", sizeBytes: megabytes * 1_000_000)
    }

    func testUploadCaps() {
        XCTAssertNil(ProbeLimits.upload.uploadRefusal(for: report(.video, megabytes: 500)))
        XCTAssertEqual(ProbeLimits.upload.uploadRefusal(for: report(.video, megabytes: 612)),
                       .uploadTooLarge(path: "/in/x", sizeBytes: 612_000_000, limitBytes: 500_000_000))
        XCTAssertNotNil(ProbeLimits.upload.uploadRefusal(for: report(.image, megabytes: 201)))
        XCTAssertNil(ProbeLimits.upload.uploadRefusal(for: report(.image, megabytes: 200)))
        let e = ProbeError.uploadTooLarge(path: "/in/x", sizeBytes: 612_000_000, limitBytes: 500_000_000)
        XCTAssertEqual(e.backendCode, 4002)
        XCTAssertEqual(e.errorDescription, "/in/x is 612 MB, over the cloud's 500 MB upload limit: trim or compress it, "
                       + "or convert it offline (without --cloud or a prompt that needs the cloud)")
    }

    func testLocalLimitsKeepOnlyWhatProtectsTheMachine() {
        XCTAssertEqual(ProbeLimits.local.videoMaxBytes, .max)
        XCTAssertEqual(ProbeLimits.local.photoMaxBytes, .max)
        XCTAssertEqual(ProbeLimits.local.maxDimension, ProbeLimits.upload.maxDimension)
        XCTAssertEqual(ProbeLimits.local.maxPixels, ProbeLimits.upload.maxPixels)
        XCTAssertEqual(ProbeLimits.local.maxDurationSeconds, ProbeLimits.upload.maxDurationSeconds)
        XCTAssertEqual(ProbeLimits.local.maxFrameRate, ProbeLimits.upload.maxFrameRate)
    }

    /// A 600 MB file (a real clip followed by a sparse tail) is refused with the upload caps
    /// and accepted with the local limits.
    func testAFileOverTheUploadCapProbesLocally() throws {
        let path = NSTemporaryDirectory() + "tikconv-big-\(UUID().uuidString).mp4"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.copyItem(atPath: TestMedia.path("h264_aac_16x9.mp4"), toPath: path)
        XCTAssertEqual(truncate(path, 600_000_000), 0)
        XCTAssertThrowsError(try Prober.probe(path: path, limits: .upload)) {
            guard case .tooLarge = $0 as? ProbeError else { return XCTFail("\($0)") }
        }
        let r = try Prober.probe(path: path, limits: .local)
        XCTAssertEqual(r.kind, .video)
        XCTAssertEqual(r.sizeBytes, 600_000_000)
    }
}
