import Foundation
import TestSupport
import XCTest

/// Smart reframing is an improvement, never the reason a conversion fails: real media whose
/// timestamps restart converts with its analysis, and an analysis that cannot run falls back
/// to the blur fit with one note, exit 0.
final class AnalysisFallbackEndToEndTests: EndToEndTestCase {
    struct Report: Decodable {
        struct Output: Decodable {
            var notes: [String]
            var shots: [Shot]?
        }
        struct Shot: Decodable { var mode: String }
        var outputs: [Output]
    }

    /// A file of the wild tier (Tests/WildMedia/public.tsv), fetched into its cache by
    /// scripts/test-wild. The test fails when it cannot be had.
    func wildFile(_ name: String) throws -> String {
        let fetched = try runTool("/usr/bin/python3", [Self.repoRoot.appendingPathComponent("scripts/test-wild").path, "--fetch", name])
        let path = String(decoding: fetched.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard fetched.status == 0, FileManager.default.fileExists(atPath: path) else {
            XCTFail("could not fetch the wild file \(name) (scripts/test-wild --fetch \(name))")
            throw XCTSkip("no \(name)")
        }
        return path
    }

    func report(_ r: Result) throws -> Report.Output {
        try XCTUnwrap(try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8)).outputs.first)
    }

    /// mimetype's mkv.mkv: two joined pieces, the second's timestamps start again at 0 after 2.24 s.
    func testJoinedFileWhoseTimestampsRestartIsAnalysed() throws {
        let source = try wildFile("mimetype_mpeg4_aac51.mkv")
        let out = outDir + "/joined.mp4"
        let r = try tikconv([source, "-o", out, "--local", "--progress", "none", "--json"], timeout: 180)
        XCTAssertEqual(r.status, 0, r.stderr)
        let output = try report(r)
        XCTAssertFalse(output.notes.contains { $0.contains("analysis failed") }, "\(output.notes)")
        XCTAssertFalse(try XCTUnwrap(output.shots).isEmpty, "the analysis ran and planned the shots")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
    }

    /// No face model and no cascades: the analysis cannot start, the file converts with the blur fit.
    func testAnalysisThatCannotRunFallsBackToBlur() throws {
        let source = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "wide.mp4")
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let out = outDir + "/wide.mp4"
        let env = ["TIKCONV_MODEL_DIR": empty, "TIKCONV_CASCADES": empty]
        let r = try tikconv([source, "-o", out, "--local", "--progress", "none"], timeout: 120, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        let notes = r.stderrLines.filter { $0.contains("analysis failed") }
        XCTAssertEqual(notes.count, 1, r.stderr)
        XCTAssertTrue(notes.first?.contains("blur fit") == true, r.stderr)
        XCTAssertTrue(notes.first?.contains("TIKCONV_CASCADES") == true, "the note says why: \(r.stderr)")
    }

    /// The face model missing alone is one note; the cascades take over and the analysis runs.
    func testMissingFaceModelIsANoteAndTheCascadesTakeOver() throws {
        let source = try copy(Self.testMedia("h264_aac_16x9.mp4"), as: "wide.mp4")
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let r = try tikconv([source, "-o", outDir + "/wide.mp4", "--local", "--progress", "none", "--json"], timeout: 120,
                            environment: ["TIKCONV_MODEL_DIR": empty])
        XCTAssertEqual(r.status, 0, r.stderr)
        let output = try report(r)
        XCTAssertEqual(output.notes.filter { $0.contains("no YuNet face model") }.count, 1, "\(output.notes)")
        XCTAssertFalse(output.notes.contains { $0.contains("analysis failed") }, "\(output.notes)")
        XCTAssertNotNil(output.shots)
    }
}
