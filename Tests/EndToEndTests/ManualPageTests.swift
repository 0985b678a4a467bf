import Foundation
import XCTest

/// `man tikconv` without mdoc warnings: the generate-manual plugin copies each command's help
/// discussion into the page verbatim, blank lines included, and `scripts/fix-manual` (run by
/// `make install`) turns those into paragraph breaks. Checked on the real discussions, set in a
/// page the way the plugin sets them, with `man --warnings`.
final class ManualPageTests: EndToEndTestCase {
    /// Every command's discussion, from the help the plugin itself reads (`--experimental-dump-help`).
    func discussions() throws -> [String] {
        let r = try tikconv(["--experimental-dump-help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var found: [String] = []
        func collect(_ command: [String: Any]) {
            if let d = command["discussion"] as? String, !d.isEmpty { found.append(d) }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { collect(sub) }
        }
        collect(try XCTUnwrap(json["command"] as? [String: Any]))
        return found
    }

    func warnings(_ page: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "man --warnings -l \"$0\" 2>&1 >/dev/null", page]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    func testFixedPageRendersWithoutWarnings() throws {
        let texts = try discussions()
        XCTAssertFalse(texts.isEmpty, "the root command has a discussion")
        let page = dir + "/tikconv.1"
        let body = texts.map { ".Sh DESCRIPTION\n" + $0 }.joined(separator: "\n")
        try (".Dd December 7, 2026\n.Dt TIKCONV 1\n.Os\n.Sh NAME\n.Nm tikconv\n.Nd convert\n" + body + "\n").write(toFile: page, atomically: true, encoding: .utf8)
        XCTAssertTrue(try warnings(page).contains("Empty input line"), "the plugin's page, unfixed, is what mdoc warns about")
        let fix = try tikconv([page], executable: Self.repoRoot.appendingPathComponent("scripts/fix-manual").path)
        XCTAssertEqual(fix.status, 0, fix.stderr)
        XCTAssertEqual(try warnings(page), "")
    }

    func testInstallFixesTheGeneratedPage() throws {
        let makefile = try String(contentsOf: Self.repoRoot.appendingPathComponent("Makefile"), encoding: .utf8)
        XCTAssertTrue(makefile.contains("scripts/fix-manual .build/plugins/GenerateManual/outputs/tikconv/tikconv.1"), "make install runs the fix")
    }
}
