import Foundation
import XCTest

/// The heavy libraries (OpenCV through libTikconvVision, GLPK, libheif, aubio, libavfilter, libcurl) are
/// opened only when a stage needs them. Each run writes its own /proc/self/maps at exit
/// (TIKCONV_DEBUG_MAPS), which lists every shared object the process mapped; the positive
/// runs show the same check sees a library when a stage does load it.
final class LoadOnFirstUseEndToEndTests: EndToEndTestCase {
    /// A mapped file path's last component matching one of these is a heavy library.
    static let heavy = ["libopencv_", "libTikconvVision", "libglpk", "libheif", "libaubio", "libavfilter", "libcurl"]

    /// The shared objects `arguments` mapped, by file name; the run must exit with `status`.
    func mappedLibraries(_ arguments: [String], status: Int32 = 0, environment: [String: String] = [:],
                         file: StaticString = #filePath, line: UInt = #line) throws -> Set<String> {
        let maps = dir + "/maps-\(UUID().uuidString)"
        let r = try tikconv(arguments, timeout: 180, environment: environment.merging(["TIKCONV_DEBUG_MAPS": maps]) { $1 },
                            file: file, line: line)
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        let text = try String(contentsOfFile: maps, encoding: .utf8)
        let paths = text.split(separator: "\n").compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(5).first }
        XCTAssertTrue(paths.contains { $0.hasSuffix("/tikconv") }, "the maps are this binary's own", file: file, line: line)
        return Set(paths.filter { $0.contains(".so") }.map { String($0.split(separator: "/").last ?? "") })
    }

    func heavyOnes(_ libraries: Set<String>) -> [String] {
        libraries.filter { name in Self.heavy.contains { name.hasPrefix($0) } }.sorted()
    }

    func testVersionMapsNoHeavyLibrary() throws {
        let libraries = try mappedLibraries(["--version"])
        XCTAssertTrue(libraries.contains { $0.hasPrefix("libswiftCore") }, "\(libraries.sorted())")
        XCTAssertEqual(heavyOnes(libraries), [])
        XCTAssertEqual(libraries.filter { $0.hasPrefix("libav") || $0.hasPrefix("libsw") && !$0.hasPrefix("libswift") }.sorted(), [],
                       "FFmpeg is opened by the first media command, not by --version")
        // libass and libwebp are opened by Captions and WebP (Debian's libavfilter and libavcodec bring
        // them too, so only a run without FFmpeg shows that they are not linked).
        XCTAssertEqual(libraries.filter { $0.hasPrefix("libass") || $0.hasPrefix("libwebp") }.sorted(), [])
    }

    func testPlainConversionMapsOnlyLibav() throws {
        let libraries = try mappedLibraries([Self.testMedia("portrait_rot90.mp4"), "-o", outDir + "/", "--preset", "ultrafast",
                                             "--progress", "none"])
        XCTAssertTrue(libraries.contains { $0.hasPrefix("libavcodec") }, "\(libraries.sorted())")
        XCTAssertEqual(heavyOnes(libraries), [])
    }

    func testProbeOfAVideoMapsNoHeavyLibrary() throws {
        XCTAssertEqual(heavyOnes(try mappedLibraries(["probe", Self.testMedia("h264_aac_16x9.mp4")])), [])
    }

    /// Each stage opens its own library, and only it.
    func testEachStageOpensItsOwnLibrary() throws {
        let heic = try heic()
        XCTAssertEqual(heavyOnes(try mappedLibraries(["probe", heic])).map { String($0.prefix(7)) }, ["libheif"])
        // A portrait clip: a landscape one would be smart-fitted by default (which opens vision).
        let louder = try mappedLibraries([Self.testMedia("portrait_rot90.mp4"), "-p", "louder", "-o", outDir + "/l.mp4",
                                          "--preset", "ultrafast", "--progress", "none"])
        XCTAssertEqual(heavyOnes(louder).map { String($0.prefix(11)) }, ["libavfilter"])
        let smart = try mappedLibraries([Self.testMedia("h264_aac_16x9.mp4"), "--fit", "smart", "-o", outDir + "/s.mp4",
                                         "--preset", "ultrafast", "--progress", "none"])
        XCTAssertTrue(smart.contains { $0.hasPrefix("libTikconvVision") } && smart.contains { $0.hasPrefix("libopencv_objdetect") },
                      "\(heavyOnes(smart))")
        XCTAssertFalse(smart.contains { $0.hasPrefix("libheif") || $0.hasPrefix("libaubio") }, "\(heavyOnes(smart))")
        try ffmpeg(["-f", "lavfi", "-i", "aevalsrc=0.1*sin(2*PI*220*t)*lt(mod(t\\,0.5)\\,0.05):d=4", "song.mp3"])
        let beats = try mappedLibraries([Self.testMedia("photo.jpg"), "--music", dir + "/song.mp3", "--beat-sync", "--photo-duration", "0.5",
                                         "-o", outDir + "/b.mp4", "--preset", "ultrafast", "--progress", "none"])
        XCTAssertTrue(beats.contains { $0.hasPrefix("libaubio") } && !beats.contains { $0.hasPrefix("libheif") }, "\(heavyOnes(beats))")
    }

    /// A library that cannot be opened is one line naming it and the package to install, with the
    /// input's usual exit code — never a crash.
    func testMissingLibraryIsOneClearLine() throws {
        let heic = try heic()
        let r = try tikconv(["probe", heic], environment: ["TIKCONV_HEIF_LIBRARY": dir + "/no/libheif.so.1"])
        XCTAssertFalse(r.signaled, r.stderr)
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("libheif") && r.stderr.contains("TIKCONV_HEIF_LIBRARY"), r.stderr)
        let smart = try tikconv([Self.testMedia("h264_aac_16x9.mp4"), "--fit", "smart", "-o", outDir + "/s.mp4", "--preset", "ultrafast",
                                 "--progress", "none"], environment: ["TIKCONV_VISION_LIBRARY": dir + "/no/libTikconvVision.so"])
        // Smart reframing never fails a conversion: the missing library is one note naming it,
        // and the video is made with the blur fit.
        XCTAssertFalse(smart.signaled, smart.stderr)
        XCTAssertEqual(smart.status, 0, smart.stderr)
        let notes = smart.stderrLines.filter { $0.contains("libTikconvVision") }
        XCTAssertEqual(notes.count, 1, smart.stderr)
        XCTAssertTrue(notes.allSatisfy { $0.contains("TIKCONV_VISION_LIBRARY") && $0.contains("blur fit") }, smart.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: outDir + "/s.mp4"))
    }

    /// A HEIC made now by heif-enc (Debian's libheif-examples, installed by scripts/setup).
    func heic() throws -> String {
        let path = dir + "/photo.heic"
        let h = Process()
        h.executableURL = URL(fileURLWithPath: "/usr/bin/heif-enc")
        h.arguments = ["-q", "60", Self.testMedia("photo.jpg"), "-o", path]
        h.standardOutput = FileHandle.nullDevice
        try h.run(); h.waitUntilExit()
        XCTAssertEqual(h.terminationStatus, 0, "heif-enc")
        return path
    }
}
