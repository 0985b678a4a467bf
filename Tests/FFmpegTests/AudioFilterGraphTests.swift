import CFFmpeg
@testable import FFmpeg
import TestSupport
import XCTest

/// The libavfilter owner: frames in, edited frames out, the end flushed, errors named.
final class AudioFilterGraphTests: XCTestCase {
    override class func setUp() { FFmpegLog.setQuiet(true) }

    static let rate = 48_000

    /// `count` samples of a sine at `hz` (amplitude 0.25) in both channels of a fltp stereo frame,
    /// continuing from sample `offset`.
    func sine(_ hz: Double, count: Int, offset: Int = 0) throws -> Frame {
        let f = try Frame(samples: count, format: .fltp, rate: Self.rate, layout: ChannelLayout(defaultFor: 2))
        for c in 0..<2 {
            let p = UnsafeMutableRawPointer(f.plane(c).data!).assumingMemoryBound(to: Float.self)
            for i in 0..<count { p[i] = Float(0.25 * sin(2 * .pi * hz * Double(offset + i) / Double(Self.rate))) }
        }
        return f
    }

    /// Pushes `seconds` of a 440 Hz sine through `description` in 1024-sample frames, ends the
    /// input, and returns the first channel of everything that came out, with its rate.
    func run(_ description: String, seconds: Double = 1) throws -> (samples: [Float], rate: Int) {
        let graph = try AudioFilterGraph(format: .fltp, rate: Self.rate, layout: ChannelLayout(defaultFor: 2), description: description)
        let out = try Frame()
        var samples: [Float] = [], rate = 0
        func drain() throws {
            while try graph.pull(into: out) == .got {
                XCTAssertEqual(out.sampleFormat, .fltp, "the chain ends in fltp")
                rate = out.sampleRate
                let p = UnsafeMutableRawPointer(out.plane(0).data!).assumingMemoryBound(to: Float.self)
                samples += UnsafeBufferPointer(start: p, count: out.sampleCount)
                out.unref()
            }
        }
        let total = Int(seconds * Double(Self.rate))
        var done = 0
        while done < total {
            let n = min(1024, total - done)
            let f = try sine(440, count: n, offset: done)
            f.pts = Int64(done)
            try graph.push(f)
            try drain()
            done += n
        }
        try graph.push(nil)
        try drain()
        XCTAssertEqual(try graph.pull(into: out), .endOfStream, "nothing after the end")
        return (samples, rate)
    }

    func rms(_ x: ArraySlice<Float>) -> Double { (x.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot() }

    func testVolumeScalesTheSamples() throws {
        let plain = try run("aformat=sample_fmts=fltp")
        let louder = try run("volume=6dB,aformat=sample_fmts=fltp")
        XCTAssertEqual(plain.samples.count, Self.rate, "every sample comes out")
        XCTAssertEqual(louder.samples.count, Self.rate)
        XCTAssertEqual(rms(plain.samples[...]), 0.25 / 2.squareRoot(), accuracy: 0.001, "a sine of amplitude 0.25")
        // +6 dB is 10^(6/20) = 1.995 times the amplitude.
        XCTAssertEqual(rms(louder.samples[...]) / rms(plain.samples[...]), pow(10, 6.0 / 20), accuracy: 0.002)
    }

    func testTempoHalvesTheLengthAndTheFlushGivesUpTheTail() throws {
        let out = try run("atempo=2,aformat=sample_fmts=fltp", seconds: 2)
        XCTAssertEqual(out.rate, Self.rate)
        // 2 s at twice the speed is 1 s; atempo may pad its last window by a few ms.
        XCTAssertEqual(Double(out.samples.count) / Double(Self.rate), 1.0, accuracy: 0.05)
        XCTAssertGreaterThan(Double(out.samples.count) / Double(Self.rate), 0.97, "the held-back tail came out at the end")
    }

    func testResamplingChainChangesTheRate() throws {
        let out = try run("aresample=44100,aformat=sample_fmts=fltp")
        XCTAssertEqual(out.rate, 44_100)
        XCTAssertEqual(Double(out.samples.count), 44_100, accuracy: 64)
    }

    func testABadDescriptionThrowsNamingIt() throws {
        // libavfilter logs its own complaint as well: it is caught and checked here, with the log on.
        FFmpegLog.setQuiet(false)
        defer { FFmpegLog.setQuiet(true) }
        let logged = try capturingStandardError {
            XCTAssertThrowsError(try AudioFilterGraph(format: .fltp, rate: Self.rate, layout: ChannelLayout(defaultFor: 2),
                                                      description: "atempo=2,nosuchfilter")) { error in
                guard case let .call(function, code, _) = error as? FFmpegError else { return XCTFail("\(error)") }
                XCTAssertTrue(function.contains("nosuchfilter"), function)
                XCTAssertLessThan(code, 0)
            }
            XCTAssertThrowsError(try AudioFilterGraph(format: .fltp, rate: Self.rate, layout: ChannelLayout(defaultFor: 2),
                                                      description: "atempo=50000"), "out-of-range option")
        }
        XCTAssertTrue(logged.contains("No such filter: 'nosuchfilter'"), logged)
    }

    func testThisFFmpegHasTheEditFilters() {
        for name in ["atempo", "volume", "loudnorm", "afade", "asetpts", "aformat", "aresample"] {
            XCTAssertTrue(AudioFilterGraph.hasFilter(name), name)
        }
        XCTAssertFalse(AudioFilterGraph.hasFilter("nosuchfilter"))
    }

    func testFormatChangeMidStreamIsRefused() throws {
        let graph = try AudioFilterGraph(format: .fltp, rate: Self.rate, layout: ChannelLayout(defaultFor: 2), description: "anull")
        try graph.push(try sine(440, count: 1024))
        let mono = try Frame(samples: 1024, format: .fltp, rate: 22_050, layout: ChannelLayout(defaultFor: 1))
        mono.fillSilence(count: 1024)
        XCTAssertThrowsError(try graph.push(mono), "abuffer takes one format; the engine makes a new graph instead")
    }

    func testKeepSamplesShortensAFrame() throws {
        let f = try sine(440, count: 1000)
        f.keepSamples(300)
        XCTAssertEqual(f.sampleCount, 300)
        f.keepSamples(5000)
        XCTAssertEqual(f.sampleCount, 300, "never longer than it was")
        f.keepSamples(-1)
        XCTAssertEqual(f.sampleCount, 0)
    }

    func testPlanarYUVFormats() {
        for f in [PixelFormat.yuv420p, .yuv422p, .yuv444p, .yuvj420p, .yuv420p10, .yuv444p10, .gray] {
            XCTAssertTrue(f.isPlanarYUV, f.name)
        }
        for name in ["nv12", "nv21", "p010le", "rgb24", "gbrp", "yuyv422", "yuv420p10be", "pal8", "ya8"] {
            XCTAssertFalse(PixelFormat(name: name)!.isPlanarYUV, name)
        }
        XCTAssertEqual(PixelFormat.yuv420p.componentCount, 3)
        XCTAssertEqual(PixelFormat.gray.componentCount, 1)
        XCTAssertEqual(PixelFormat(name: "yuva420p")!.componentCount, 4)
    }
}
