import CFFmpeg
@testable import FFmpeg
import Foundation
import XCTest

/// Readers for the edit tests: decoded pictures and sound of an output, a pitch from an FFT
/// peak, and the loudness the ffmpeg CLI's ebur128 filter measures (an independent reader).
enum EditInspection {
    /// Calls `body` with every decoded picture of the best video stream and its time in seconds.
    static func forEachPicture(_ path: String, _ body: (Frame, Double) throws -> Void) throws {
        let d = try Demuxer(path: path)
        let index = d.bestStream(.video)!
        let dec = try Decoder(demuxer: d, stream: index, threads: 1)
        let tb = d.stream(at: index).pointee.time_base.double
        let frame = try Frame(), packet = try Packet()
        func drain() throws {
            while try dec.receive(into: frame) == .got {
                try body(frame, Double(frame.bestEffortTimestamp ?? 0) * tb)
                frame.unref()
            }
        }
        while try d.read(into: packet) {
            if packet.streamIndex == index { try dec.send(packet); try drain() }
            packet.unref()
        }
        try dec.send(nil)
        try drain()
    }

    /// Lowest and highest sample of plane `p` over every picture, with the picture count.
    static func planeRange(_ path: String, plane p: Int) throws -> (min: Int, max: Int, pictures: Int) {
        var lo = Int.max, hi = Int.min, n = 0
        try forEachPicture(path) { f, _ in
            n += 1
            let desc = av_pix_fmt_desc_get(f.pixelFormat.av)!.pointee
            let deep = desc.comp.0.depth > 8
            let (data, ls) = f.plane(p)
            let sx = p == 0 ? 0 : Int(desc.log2_chroma_w), sy = p == 0 ? 0 : Int(desc.log2_chroma_h)
            for r in 0..<((f.height + (1 << sy) - 1) >> sy) {
                let row = data! + r * Int(ls)
                for c in 0..<((f.width + (1 << sx) - 1) >> sx) {
                    let v = deep ? Int(UnsafeRawPointer(row).load(fromByteOffset: 2 * c, as: UInt16.self)) : Int(row[c])
                    lo = min(lo, v); hi = max(hi, v)
                }
            }
        }
        return (lo, hi, n)
    }

    /// Mean luma of every picture (8-bit), in order, with its time; every 4th sample of every
    /// 4th row (a debug build reads 1080x1920 pictures slowly).
    static func lumaMeans(_ path: String) throws -> [(seconds: Double, mean: Double)] {
        var means: [(Double, Double)] = []
        try forEachPicture(path) { f, t in
            let (data, ls) = f.plane(0)
            var sum = 0, n = 0
            for r in stride(from: 0, to: f.height, by: 4) {
                for c in stride(from: 0, to: f.width, by: 4) { sum += Int(data![r * Int(ls) + c]); n += 1 }
            }
            means.append((t, Double(sum) / Double(n)))
        }
        return means.sorted { $0.0 < $1.0 }
    }

    /// The first channel of the best audio stream, decoded (AAC decodes to planar float).
    static func firstChannel(_ path: String) throws -> (samples: [Float], rate: Int) {
        let d = try Demuxer(path: path)
        guard let index = d.bestStream(.audio) else { return ([], 0) }
        let dec = try Decoder(demuxer: d, stream: index)
        let frame = try Frame(), packet = try Packet()
        var samples: [Float] = [], rate = 0
        func drain() throws {
            while try dec.receive(into: frame) == .got {
                XCTAssertEqual(frame.sampleFormat, .fltp)
                rate = frame.sampleRate
                let p = UnsafeMutableRawPointer(frame.plane(0).data!).assumingMemoryBound(to: Float.self)
                samples += UnsafeBufferPointer(start: p, count: frame.sampleCount)
                frame.unref()
            }
        }
        while try d.read(into: packet) {
            if packet.streamIndex == index { try dec.send(packet); try drain() }
            packet.unref()
        }
        try dec.send(nil)
        try drain()
        return (samples, rate)
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
    }

    /// The strongest frequency in `samples` (Hann window, radix-2 FFT over the first power-of-two
    /// samples, peak refined by a parabola through the three bins around it).
    static func peakFrequency(_ samples: ArraySlice<Float>, rate: Int) -> Double {
        var n = 1
        while n * 2 <= samples.count { n *= 2 }
        let start = samples.startIndex
        var re = (0..<n).map { Double(samples[start + $0]) * (0.5 - 0.5 * cos(2 * .pi * Double($0) / Double(n))) }
        var im = [Double](repeating: 0, count: n)
        fft(&re, &im)
        let mag = (0..<n / 2).map { (re[$0] * re[$0] + im[$0] * im[$0]).squareRoot() }
        let k = (1..<n / 2 - 1).max { mag[$0] < mag[$1] }!
        let (a, b, c) = (log(mag[k - 1]), log(mag[k]), log(mag[k + 1]))
        let offset = 0.5 * (a - c) / (a - 2 * b + c)
        return (Double(k) + offset) * Double(rate) / Double(n)
    }

    /// In-place iterative radix-2 FFT (n a power of two).
    static func fft(_ re: inout [Double], _ im: inout [Double]) {
        let n = re.count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var len = 2
        while len <= n {
            let angle = -2 * Double.pi / Double(len)
            for i in stride(from: 0, to: n, by: len) {
                for k in 0..<len / 2 {
                    let (wr, wi) = (cos(angle * Double(k)), sin(angle * Double(k)))
                    let (ur, ui) = (re[i + k], im[i + k])
                    let (xr, xi) = (re[i + k + len / 2], im[i + k + len / 2])
                    let (vr, vi) = (xr * wr - xi * wi, xr * wi + xi * wr)
                    re[i + k] = ur + vr; im[i + k] = ui + vi
                    re[i + k + len / 2] = ur - vr; im[i + k + len / 2] = ui - vi
                }
            }
            len <<= 1
        }
    }

    /// A 4 s 320x240 clip whose sound changes level every half second (quiet passages 20 dB
    /// below the loud ones, about −24 LUFS in all), made by the ffmpeg CLI into `folder`.
    static func unevenClip(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("uneven.mp4").path
        let level = "(0.01+0.09*gte(mod(t,1),0.5))"
        let sound = "aevalsrc='\(level)*sin(2*PI*220*t)+0.004*sin(2*PI*3000*t)|\(level)*sin(2*PI*330*t)':s=44100:d=4"
        let status = try ffmpeg(["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=4", "-f", "lavfi", "-i", sound,
                                 "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "128k", "-shortest", path])
        XCTAssertEqual(status.status, 0, status.stderr)
        return path
    }

    static func ffmpeg(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ffmpeg", "-nostdin", "-hide_banner"] + arguments
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    /// Integrated loudness in LUFS, as the ffmpeg CLI's ebur128 filter measures it.
    static func loudness(_ path: String) throws -> Double { try loudnessAndPeak(path).integrated }

    /// Integrated loudness (LUFS) and true peak (dBTP) from the ebur128 filter's summary.
    static func loudnessAndPeak(_ path: String) throws -> (integrated: Double, truePeak: Double) {
        let text = try ffmpeg(["-nostats", "-i", path, "-map", "0:a:0", "-af", "ebur128=peak=true", "-f", "null", "-"]).stderr
        // The summary at the end: "Integrated loudness:\n    I:  -14.0 LUFS" … "True peak:\n    Peak:  -1.6 dBFS".
        func value(after heading: String, label: String) -> Double? {
            guard let h = text.range(of: heading, options: .backwards),
                  let line = text[h.upperBound...].split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
            return line.split(separator: " ").compactMap { Double($0) }.first
        }
        guard let i = value(after: "Integrated loudness:", label: "I:"), let p = value(after: "True peak:", label: "Peak:") else {
            throw NSError(domain: "ebur128", code: 1, userInfo: [NSLocalizedDescriptionKey: "no loudness in: \(text.suffix(400))"])
        }
        return (i, p)
    }

    /// 4 s of a quiet tone (−30 dBFS) with loud 10 ms bursts twice a second: the bursts' peaks
    /// stop a plain gain from reaching −14 LUFS.
    static func peakyClip(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("peaky.mp4").path
        let sound = "aevalsrc='0.03*sin(2*PI*220*t)+0.7*sin(2*PI*1000*t)*lt(mod(t,0.5),0.01)':s=48000:d=4"
        let status = try ffmpeg(["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=4", "-f", "lavfi", "-i", sound,
                                 "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "128k", "-shortest", path])
        XCTAssertEqual(status.status, 0, status.stderr)
        return path
    }
}
