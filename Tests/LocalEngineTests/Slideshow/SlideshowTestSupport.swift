import CFFmpeg
import FFmpeg
import Foundation
@testable import LocalEngine
import MediaProbe
import XCTest

/// Photos made at test time (by the ffmpeg CLI, an independent tool) and slideshows read back by
/// decoding them.
class SlideshowTestCase: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        FFmpegLog.setQuiet(ProcessInfo.processInfo.environment["TIKCONV_FFMPEG_LOG"] == nil)
        guard Self.which("ffmpeg") != nil else { throw XCTSkip("ffmpeg is not installed (scripts/setup installs it)") }
        dir = try scratchFolder()
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    static func which(_ tool: String) -> String? {
        for d in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(d)/\(tool)") { return "\(d)/\(tool)" }
        return nil
    }

    /// Runs a tool (killed after `timeout` seconds, so a wrong filter graph cannot hang the
    /// suite); returns (status, stdout, stderr). Output goes through files, not pipes.
    @discardableResult
    func run(_ tool: String, _ args: [String], timeout: TimeInterval = 120) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.which(tool) ?? tool)
        p.arguments = args
        let tag = UUID().uuidString
        let outPath = dir.appendingPathComponent(".out-\(tag)").path, errPath = dir.appendingPathComponent(".err-\(tag)").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath); try? FileManager.default.removeItem(atPath: errPath) }
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        p.standardError = FileHandle(forWritingAtPath: errPath)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            XCTFail("\(tool) \(args.joined(separator: " ")) did not finish within \(timeout) s")
        }
        p.waitUntilExit()
        let o = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "", e = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (p.terminationStatus, o, e)
    }

    /// A photo drawn by ffmpeg's lavfi `graph` (e.g. "color=red:s=800x600"), written as `name`
    /// (the extension picks the format) with extra output options.
    func photo(_ name: String, _ graph: String, _ extra: [String] = []) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let r = try run("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", graph, "-frames:v", "1"] + extra + ["-update", "1", path])
        XCTAssertEqual(r.status, 0, "ffmpeg could not make \(name): \(r.err)")
        return path
    }

    /// A solid-colour photo.
    func solid(_ name: String, _ color: String, size: String = "800x600") throws -> String {
        try photo(name, "color=\(color):s=\(size)")
    }

    /// Inserts an EXIF APP1 segment (big-endian TIFF, IFD0 entries) right after a JPEG's SOI.
    /// Entries: Orientation (SHORT) and/or DateTimeOriginal via an Exif sub-IFD.
    func addEXIF(to path: String, orientation: Int? = nil, dateTimeOriginal: String? = nil) throws {
        var jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8])
        func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func be32(_ v: Int) -> [UInt8] { be16(v >> 16) + be16(v & 0xFFFF) }
        var entries: [[UInt8]] = []
        let ifd0Count = (orientation != nil ? 1 : 0) + (dateTimeOriginal != nil ? 1 : 0)
        let ifd0End = 8 + 2 + ifd0Count * 12 + 4
        if let orientation { entries.append(be16(0x0112) + be16(3) + be32(1) + be16(orientation) + be16(0)) }
        var tail: [UInt8] = []
        if let date = dateTimeOriginal {
            // IFD0 → Exif IFD (one entry: DateTimeOriginal, ASCII 20 bytes stored after it).
            entries.append(be16(0x8769) + be16(4) + be32(1) + be32(ifd0End))
            let text = Array(date.utf8) + [0]
            tail = be16(1) + be16(0x9003) + be16(2) + be32(text.count) + be32(ifd0End + 2 + 12 + 4) + be32(0) + text
        }
        let tiff = Array("MM".utf8) + be16(42) + be32(8) + be16(ifd0Count) + entries.flatMap { $0 } + be32(0) + tail
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        jpeg.insert(contentsOf: [0xFF, 0xE1] + be16(payload.count + 2) + payload, at: 2)
        try Data(jpeg).write(to: URL(fileURLWithPath: path))
    }

    /// Makes a slideshow of `paths` (probed here) into the scratch folder.
    func slideshow(_ paths: [String], name: String = "show.mp4", _ configure: (inout SlideshowOptions) throws -> Void = { _ in }) throws
        -> (result: ConversionResult, path: String) {
        var o = SlideshowOptions()
        o.encoding.preset = "ultrafast"
        try configure(&o)
        let out = dir.appendingPathComponent(name).path
        let reports = try paths.map { try Prober.probe(path: $0) }
        let r = try SlideshowConverter(photos: reports, options: o, outputPath: out, overwrite: true).run()
        return (r, out)
    }

    /// Mean Y, U, V over a rectangle (luma coordinates) of output frame `index` (30 fps).
    func means(_ path: String, frame index: Int, x: Int, y: Int, width: Int, height: Int) throws -> (y: Double, u: Double, v: Double) {
        try OutputInspector.planeMeans(path, atSeconds: (Double(index) - 0.25) / 30, x: x, y: y, width: width, height: height)
    }

    /// The TikTok contract, from the decoded file: H.264 High 1080x1920 yuv420p BT.709, 30 fps
    /// constant, starting at 0, keyframes ≤ 2 s apart, index first; AAC-LC 48 kHz stereo when
    /// there is audio, ending with the picture (within a frame).
    func assertContract(_ i: OutputInspector, frames: Int, audio: Bool, file: StaticString = #filePath, line: UInt = #line) {
        guard let v = i.video else { return XCTFail("no video", file: file, line: line) }
        XCTAssertEqual(v.codec, "h264", file: file, line: line)
        XCTAssertEqual(v.profile, 100, "H.264 High", file: file, line: line)
        XCTAssertEqual(v.width, 1080, file: file, line: line)
        XCTAssertEqual(v.height, 1920, file: file, line: line)
        XCTAssertEqual(v.pixelFormat, "yuv420p", file: file, line: line)
        XCTAssertEqual(v.primaries, AVCOL_PRI_BT709, file: file, line: line)
        XCTAssertEqual(v.transfer, AVCOL_TRC_BT709, file: file, line: line)
        XCTAssertEqual(v.space, AVCOL_SPC_BT709, file: file, line: line)
        XCTAssertEqual(v.frameRate.double, 30, accuracy: 0.001, file: file, line: line)
        XCTAssertTrue(i.moovBeforeMdat, "index first", file: file, line: line)
        XCTAssertEqual(v.ptsSeconds.count, frames, "frame count", file: file, line: line)
        let steps = zip(v.ptsSeconds.dropFirst(), v.ptsSeconds).map { $0 - $1 }
        XCTAssertTrue(steps.allSatisfy { abs($0 - 1.0 / 30) < 0.001 }, "constant 30 fps", file: file, line: line)
        XCTAssertEqual(v.ptsSeconds.first ?? -1, 0, accuracy: 0.001, file: file, line: line)
        let keys = v.keyframeSeconds + [v.endSeconds]
        XCTAssertLessThanOrEqual(zip(keys.dropFirst(), keys).map { $0 - $1 }.max() ?? 9, 2.0001, "keyframe gap", file: file, line: line)
        if audio {
            guard let a = i.audio else { return XCTFail("no audio", file: file, line: line) }
            XCTAssertEqual(a.codec, "aac", file: file, line: line)
            XCTAssertEqual(a.profile, 1, "AAC-LC", file: file, line: line)
            XCTAssertEqual(a.sampleRate, 48000, file: file, line: line)
            XCTAssertEqual(a.channels, 2, file: file, line: line)
            XCTAssertEqual(a.startSeconds, 0, accuracy: 0.001, file: file, line: line)
            XCTAssertEqual(a.endSeconds, v.endSeconds, accuracy: 1.0 / 30, "audio ends with the picture", file: file, line: line)
        } else {
            XCTAssertNil(i.audio, "no audio track", file: file, line: line)
        }
    }
}

/// BT.709 limited-range Y'CbCr of an 8-bit RGB colour, as the output should carry it.
func bt709(_ r: Double, _ g: Double, _ b: Double) -> (y: Double, u: Double, v: Double) {
    let y = 0.2126 * r / 255 + 0.7152 * g / 255 + 0.0722 * b / 255
    return (16 + 219 * y, 128 + 224 * (b / 255 - y) / 1.8556, 128 + 224 * (r / 255 - y) / 1.5748)
}
