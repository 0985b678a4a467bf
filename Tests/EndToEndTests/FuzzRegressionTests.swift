import Foundation
import XCTest

/// Every input the fuzzers ever flagged (Tests/Fixtures/fuzz/<target>/) is replayed through the
/// same harness code, built without libFuzzer (`probe-fuzz FILE…`, `prompt-fuzz FILE…`,
/// `engine-fuzz FILE…`).
/// Under `make test-asan` the replay binaries are ASan/LSan builds, so a leak or overflow that
/// comes back fails here.
final class FuzzRegressionTests: EndToEndTestCase {
    /// - Parameter expectsFixtures: the target has flagged inputs on record (the probe fuzzer
    ///   never flagged one; its seeds are replayed alone).
    func replay(_ target: String, expectsFixtures: Bool = true) throws {
        let folder = Self.repoRoot.appendingPathComponent("Tests/Fixtures/fuzz/" + target.replacingOccurrences(of: "-fuzz", with: "")).path
        // The fixtures are the test: a missing or emptied folder fails rather than passing on nothing.
        let names = expectsFixtures ? try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") } : []
        if expectsFixtures { XCTAssertFalse(names.isEmpty, "no fuzz fixtures in \(folder)") }
        let files = names.sorted().map { folder + "/" + $0 }
        let tool = Self.productsDir + "/" + target
        guard FileManager.default.isExecutableFile(atPath: tool) else { return XCTFail("\(tool) is missing: run swift build") }
        // Seeds too, so the harness itself is exercised even when no crash was ever found.
        let seeds = (Self.seeds[target] ?? []).map(Self.testMedia)
        for seed in seeds { XCTAssertTrue(FileManager.default.fileExists(atPath: seed), "seed \(seed) is missing") }
        // The fuzzers' own finds are the point of this test: without them it would pass on nothing.
        if Self.withFindings.contains(target) && files.isEmpty { return XCTFail("no regression inputs in \(folder): the fixtures are missing") }
        let r = try tikconv(files + seeds, executable: tool, timeout: 120)
        XCTAssertFalse(r.signaled, "\(target) crashed: \(r.stderr)")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, files.count + seeds.count, r.stdout)
    }

    /// Targets whose fuzzing found inputs kept under Tests/Fixtures/fuzz/ (the probe's never did).
    static let withFindings: Set<String> = ["prompt-fuzz", "engine-fuzz"]

    static let seeds = [
        "probe-fuzz": ["photo.png", "random.mp4", "truncated.mp4", "empty.mp4", "text_named.mp4"],
        // One clip both plans convert (the mp4 plan copies it), one they re-encode, one the probe refuses.
        "engine-fuzz": ["portrait_rot90.mp4", "vp8_vorbis.webm", "truncated.mp4"],
    ]

    func testProbeFuzzRegressions() throws { try replay("probe-fuzz", expectsFixtures: false) }
    func testPromptFuzzRegressions() throws { try replay("prompt-fuzz") }
    func testEngineFuzzRegressions() throws { try replay("engine-fuzz") }
}
