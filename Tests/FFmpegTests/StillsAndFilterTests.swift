import TestSupport
import XCTest
@testable import FFmpeg

/// The AV layer's operations for photos and music: reduced-size JPEG decoding, opening a still
/// without a second analysis, and an audio filter chain with the metadata its filters attach.
final class StillsAndFilterTests: XCTestCase {
    static let media = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TestMedia")

    func decodeFirst(_ name: String, format: String, lowres: Int) throws -> Frame {
        let d = try Demuxer(path: Self.media.appendingPathComponent(name).path, format: InputFormat.named(format), neverAnalyze: true)
        let dec = try Decoder(demuxer: d, stream: 0, threads: 1, lowres: lowres)
        let packet = try Packet(), frame = try Frame()
        while try d.read(into: packet) {
            try dec.send(packet); packet.unref()
            if try dec.receive(into: frame) == .got { return frame }
        }
        try dec.send(nil)
        XCTAssertEqual(try dec.receive(into: frame), .got)
        return frame
    }

    /// photo.jpg is 800x600: lowres 1…3 halve it each time; PNG cannot reduce, so asks for 0.
    func testJPEGDecodesAtReducedSize() throws {
        for (lowres, size) in [(0, (800, 600)), (1, (400, 300)), (2, (200, 150)), (3, (100, 75))] {
            let f = try decodeFirst("photo.jpg", format: "jpeg_pipe", lowres: lowres)
            XCTAssertEqual(f.width, size.0, "lowres \(lowres)"); XCTAssertEqual(f.height, size.1, "lowres \(lowres)")
        }
        let png = try Demuxer(path: Self.media.appendingPathComponent("photo.png").path, format: InputFormat.named("png_pipe"), neverAnalyze: true)
        XCTAssertEqual(Decoder.maxLowres(demuxer: png, stream: 0), 0)
        XCTAssertEqual(try decodeFirst("photo.png", format: "png_pipe", lowres: 2).width, 800, "a codec that cannot reduce ignores it")
        XCTAssertNil(InputFormat.named("no-such-demuxer"))
    }

    func testCopyPixels() throws {
        let src = try decodeFirst("photo.png", format: "png_pipe", lowres: 0)
        let dst = try Frame(width: src.width, height: src.height, format: src.pixelFormat)
        try dst.copyPixels(from: src)
        let (a, la) = src.plane(0), (b, lb) = dst.plane(0)
        for row in [0, 299, 599] { XCTAssertEqual(memcmp(a! + row * Int(la), b! + row * Int(lb), src.width * 3), 0) }
    }

    /// A 1 kHz sine peaking at −20 dBFS in both channels measures −20 LUFS through the chain,
    /// read from the frames' metadata (ebur128=metadata=1); volume moves it by its gain; the
    /// samples come out as floats.
    func testAudioChainMeasuresLoudness() throws {
        func run(_ chain: String) throws -> (lufs: Double?, samples: [Float]) {
            let layout = ChannelLayout(defaultFor: 2)
            let graph = try AudioFilterGraph(format: .fltp, rate: 48_000, layout: layout, description: chain)
            let out = try Frame()
            var lufs: Double?, samples: [Float] = []
            func drain() throws {
                while try graph.pull(into: out) == .got {
                    if let v = out.metadata("lavfi.r128.I") { lufs = Double(v) }
                    samples += out.floatSamples(channel: 0); out.unref()
                }
            }
            var n = 0
            while n < 48_000 * 3 {
                let f = try Frame(samples: 1024, format: .fltp, rate: 48_000, layout: layout)
                let amplitude = Float(0.1)   // −20 dBFS peak
                for ch in 0..<2 {
                    let plane = f.samplePlanes()[ch]!.assumingMemoryBound(to: Float.self)
                    for i in 0..<1024 { plane[i] = amplitude * sinf(2 * .pi * 1000 * Float(n + i) / 48_000) }
                }
                try graph.push(f); n += 1024
                try drain()
            }
            try graph.push(nil); try drain()
            return (lufs, samples)
        }
        let plain = try run("ebur128=metadata=1,aformat=sample_fmts=fltp")
        // −20 dBFS peak: −23.01 dB of power per channel, +3.01 for the two channels (BS.1770 sums them).
        XCTAssertEqual(plain.lufs ?? 0, -20, accuracy: 0.3)
        XCTAssertEqual(Double(plain.samples.map(abs).max() ?? 0), 0.1, accuracy: 0.001)
        let louder = try run("volume=6dB,ebur128=metadata=1,aformat=sample_fmts=fltp")
        XCTAssertEqual((louder.lufs ?? 0) - (plain.lufs ?? 0), 6, accuracy: 0.1)
        // libavfilter names the unknown filter on stderr itself: caught and checked, with its log on.
        FFmpegLog.setQuiet(false)
        defer { FFmpegLog.setQuiet(true) }
        let logged = try capturingStandardError {
            XCTAssertThrowsError(try AudioFilterGraph(format: .fltp, rate: 48_000, layout: ChannelLayout(defaultFor: 2),
                                                      description: "no_such_filter"))
        }
        XCTAssertTrue(logged.contains("No such filter: 'no_such_filter'"), logged)
    }
}
