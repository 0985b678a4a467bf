import Foundation
import XCTest

/// The README's examples are a test: every line of its marked block runs, in order, in one fresh
/// folder holding the files the examples name, through /bin/sh (so `*.mp4` is the shell's), with
/// the built tikconv first on PATH and the cloud at a closed port. A line passes when it exits
/// with a code its comment names ("exit 4: …"; no code named means 0).
final class ReadmeExamplesTests: EndToEndTestCase {
    /// Where a file the examples name comes from.
    enum Source {
        /// A copy of a TestMedia file.
        case testMedia(String)
        /// Made by the ffmpeg CLI (an independent tool) with these arguments, the output last.
        case ffmpeg([String])
        /// Written as this text (a subtitle file, a script).
        case text(String)
    }

    /// Every file the README's examples use, by the name they use. An example that names a new
    /// file adds its row here.
    static let files: [(name: String, source: Source)] = [
        ("clip.mov", .testMedia("h264_aac.mov")),
        ("clip.avi", .testMedia("mpeg4_mp3.avi")),
        ("phone.mp4", .testMedia("portrait_rot90.mp4")),
        ("script.txt", .testMedia("script.txt")),
        ("talk.mp4", .testMedia("h264_aac_16x9.mp4")),
        // An editor's SubRip file: a byte-order mark and Windows line ends.
        ("talk.srt", .text("\u{FEFF}1\r\n00:00:00,200 --> 00:00:01,200\r\nHello there\r\n\r\n2\r\n00:00:01,400 --> 00:00:02,600\r\nLink in bio\r\n")),
        // A short animation (2 s at 10 frames a second), looped to TikTok's 3-second minimum.
        ("walk.gif", .ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=240x160:r=10:d=2"])),
        ("memo.m4a", .ffmpeg(["-f", "lavfi", "-i", "sine=f=440:d=4", "-c:a", "aac"])),
        ("cover.jpg", .testMedia("photo.jpg")),
        ("photos/a.jpg", .testMedia("photo.jpg")),
        ("photos/b.jpg", .testMedia("photo_exif_rot6.jpg")),
        ("photos/c.png", .testMedia("photo.png")),
        // 12 s of a kick drum twice a second over a quiet bass note: beats aubio can find.
        ("song.mp3", .ffmpeg(["-f", "lavfi", "-i",
                              "aevalsrc=0.7*sin(2*PI*60*mod(t\\,0.5))*exp(-25*mod(t\\,0.5))+0.05*sin(2*PI*110*t):s=44100:d=12",
                              "-c:a", "libmp3lame", "-b:a", "128k"])),
    ]

    /// The comment line just above the block; the block is the next ```sh fence after it.
    static let marker = "<!-- readme-examples"

    struct Example: Equatable {
        var command: String
        /// The exit codes its comment allows.
        var expected: Set<Int32>
    }

    enum ExtractionError: Error, CustomStringConvertible {
        case noMarker, noBlock, emptyBlock
        var description: String {
            switch self {
            case .noMarker: return "README.md has no \(ReadmeExamplesTests.marker) … --> line before its examples"
            case .noBlock: return "no ```sh block follows the readme-examples marker"
            case .emptyBlock: return "the readme-examples block has no commands"
            }
        }
    }

    /// The commands of the marked block, each with the exit codes its comment names.
    static func examples(in readme: String) throws -> [Example] {
        let lines = readme.components(separatedBy: "\n")
        guard let mark = lines.firstIndex(where: { $0.hasPrefix(marker) }) else { throw ExtractionError.noMarker }
        guard let open = lines[(mark + 1)...].firstIndex(where: { $0.hasPrefix("```") }), lines[open] == "```sh",
              let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else { throw ExtractionError.noBlock }
        let commands = lines[(open + 1)..<close].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
        if commands.isEmpty { throw ExtractionError.emptyBlock }
        return commands.map { Example(command: $0, expected: expectedCodes($0)) }
    }

    /// "exit N" in the line's comment (after " # "), each N; none named means 0.
    static func expectedCodes(_ line: String) -> Set<Int32> {
        guard let hash = line.range(of: " # ") else { return [0] }
        let comment = String(line[hash.upperBound...])
        let words = comment.components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }
        let found = zip(words, words.dropFirst()).compactMap { $0 == "exit" ? Int32($1) : nil }
        return found.isEmpty ? [0] : Set(found)
    }

    /// Copies or makes every file of the table in the scratch folder.
    func prepareFolder() throws {
        for (name, source) in Self.files {
            let folder = (name as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: dir + "/" + folder, withIntermediateDirectories: true) }
            switch source {
            case let .testMedia(file): try copy(Self.testMedia(file), as: name)
            case let .ffmpeg(arguments): try ffmpeg(arguments + [name])
            case let .text(contents): try contents.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + name), "\(name) was not made")
        }
    }

    func testTheReadmeExamplesRunInOrderInOneFolder() throws {
        let readme = try String(contentsOf: Self.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let examples = try Self.examples(in: readme)
        XCTAssertGreaterThanOrEqual(examples.count, 10, "the README shows about ten examples")
        try prepareFolder()
        let environment = ["PATH": Self.productsDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                           "NEMO_API_BASE": "http://127.0.0.1:\(try closedPort())", "NEMO_TOKEN": "",
                           "XDG_CONFIG_HOME": dir + "/config"]
        for example in examples {
            let r = try tikconv(["-c", example.command], executable: "/bin/sh", timeout: 300, environment: environment)
            XCTAssertTrue(example.expected.contains(r.status),
                          "`\(example.command)` exited \(r.status), the README says \(example.expected.sorted()):\n\(r.stderr)")
        }
        XCTAssertEqual(entries(dir).filter { $0.contains(".tiktok.tiktok.") }, [], "an output was converted again")
    }

    func testExtractionNeedsTheMarkedBlockAndReadsTheExitCodes() throws {
        XCTAssertThrowsError(try Self.examples(in: "# tikconv\n```sh\ntikconv a.mp4\n```\n"), "no marker: the test must fail")
        XCTAssertThrowsError(try Self.examples(in: "\(Self.marker) -->\nno block\n"))
        let readme = """
        ```sh
        tikconv not-this.mp4
        ```
        \(Self.marker) -->
        ```sh
        tikconv a.mp4                 # → a.tiktok.mp4
        tikconv b.mp4 --local -p "add captions"   # exit 4: needs the cloud
        tikconv check a.tiktok.mp4    # exit 0 if ready, exit 11 if not
        ```
        ```sh
        tikconv nor-this.mp4
        ```
        """
        XCTAssertEqual(try Self.examples(in: readme), [
            Example(command: "tikconv a.mp4                 # → a.tiktok.mp4", expected: [0]),
            Example(command: "tikconv b.mp4 --local -p \"add captions\"   # exit 4: needs the cloud", expected: [4]),
            Example(command: "tikconv check a.tiktok.mp4    # exit 0 if ready, exit 11 if not", expected: [0, 11]),
        ])
    }
}
