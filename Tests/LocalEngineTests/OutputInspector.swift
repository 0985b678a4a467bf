import CFFmpeg
@testable import FFmpeg
import Foundation
import XCTest

/// Reads an output file back with the AV layer and collects what the tiktok contract speaks of.
/// Everything here comes from decoding the file, not from what the engine said it did.
struct OutputInspector {
    struct Video {
        var codec: String, profile: Int32, level: Int32
        var width: Int32, height: Int32, sar: AVRational
        var pixelFormat: String
        var primaries: AVColorPrimaries, transfer: AVColorTransferCharacteristic, space: AVColorSpace
        var frameRate: AVRational
        var hasDisplayMatrix: Bool
        var ptsSeconds: [Double]          // decoded frames, in order
        var keyframeSeconds: [Double]     // packets flagged key
        var endSeconds: Double            // last pts + one frame
    }
    struct Audio {
        var codec: String, profile: Int32, sampleRate: Int32, channels: Int32, bitRate: Int64
        var startSeconds: Double, endSeconds: Double, samples: Int64
    }
    var video: Video?
    var audio: Audio?
    var moovBeforeMdat: Bool
    var streamCount: Int

    static func read(_ path: String) throws -> OutputInspector {
        let d = try Demuxer(path: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let moov = data.range(of: Data("moov".utf8))?.lowerBound ?? Int.max
        let mdat = data.range(of: Data("mdat".utf8))?.lowerBound ?? Int.max
        var result = OutputInspector(video: nil, audio: nil, moovBeforeMdat: moov < mdat, streamCount: d.streamCount)

        let vIndex = d.bestStream(.video)
        let aIndex = d.bestStream(.audio)
        let vDec = try vIndex.map { try Decoder(demuxer: d, stream: $0) }
        let aDec = try aIndex.map { try Decoder(demuxer: d, stream: $0) }
        var pts: [Double] = [], keys: [Double] = []
        var aStart: Double?, aSamples: Int64 = 0
        let frame = try Frame(), packet = try Packet()
        func drainVideo() throws {
            guard let vDec, let vIndex else { return }
            let tb = d.stream(at: vIndex).pointee.time_base
            while try vDec.receive(into: frame) == .got {
                pts.append(Double(frame.bestEffortTimestamp ?? 0) * tb.double); frame.unref()
            }
        }
        func drainAudio() throws {
            guard let aDec, let aIndex else { return }
            let tb = d.stream(at: aIndex).pointee.time_base
            while try aDec.receive(into: frame) == .got {
                if aStart == nil { aStart = Double(frame.bestEffortTimestamp ?? 0) * tb.double }
                aSamples += Int64(frame.sampleCount); frame.unref()
            }
        }
        while try d.read(into: packet) {
            if packet.streamIndex == vIndex {
                if packet.isKeyframe { keys.append(Double(packet.pointer.pointee.pts) * d.stream(at: vIndex!).pointee.time_base.double) }
                try vDec?.send(packet); try drainVideo()
            } else if packet.streamIndex == aIndex {
                try aDec?.send(packet); try drainAudio()
            }
            packet.unref()
        }
        try vDec?.send(nil); try drainVideo()
        try aDec?.send(nil); try drainAudio()

        if let vIndex {
            let st = d.stream(at: vIndex), par = st.pointee.codecpar!.pointee
            let rate = st.pointee.avg_frame_rate
            pts.sort()
            result.video = Video(codec: String(cString: avcodec_get_name(par.codec_id)), profile: par.profile, level: par.level,
                                 width: par.width, height: par.height, sar: par.sample_aspect_ratio,
                                 pixelFormat: String(cString: av_get_pix_fmt_name(AVPixelFormat(rawValue: par.format))),
                                 primaries: par.color_primaries, transfer: par.color_trc, space: par.color_space,
                                 frameRate: rate,
                                 hasDisplayMatrix: av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, nil) != nil,
                                 ptsSeconds: pts, keyframeSeconds: keys,
                                 endSeconds: (pts.last ?? 0) + 1 / rate.double)
        }
        if let aIndex {
            let par = d.stream(at: aIndex).pointee.codecpar!.pointee
            let start = aStart ?? 0
            result.audio = Audio(codec: String(cString: avcodec_get_name(par.codec_id)), profile: par.profile,
                                 sampleRate: par.sample_rate, channels: par.ch_layout.nb_channels, bitRate: par.bit_rate,
                                 startSeconds: start, endSeconds: start + Double(aSamples) / Double(par.sample_rate), samples: aSamples)
        }
        return result
    }

    /// Mean of each plane over a rectangle of the frame nearest `seconds` (luma coordinates).
    static func planeMeans(_ path: String, atSeconds seconds: Double, x: Int, y: Int, width: Int, height: Int) throws -> (y: Double, u: Double, v: Double) {
        let d = try Demuxer(path: path)
        let vIndex = d.bestStream(.video)!
        let dec = try Decoder(demuxer: d, stream: vIndex)
        let tb = d.stream(at: vIndex).pointee.time_base
        let frame = try Frame(), packet = try Packet()
        func means() -> (Double, Double, Double) {
            func mean(_ p: Int, _ s: Int) -> Double {
                let (data, ls) = frame.plane(p)
                var sum = 0.0
                for r in (y >> s)..<((y + height) >> s) {
                    for c in (x >> s)..<((x + width) >> s) { sum += Double(data![r * Int(ls) + c]) }
                }
                return sum / Double((height >> s) * (width >> s))
            }
            return (mean(0, 0), mean(1, 1), mean(2, 1))
        }
        var eof = false
        while true {
            if !eof {
                if try d.read(into: packet) {
                    if packet.streamIndex == vIndex { try dec.send(packet) }
                    packet.unref()
                } else { eof = true; try dec.send(nil) }
            }
            switch try dec.receive(into: frame) {
            case .got:
                if Double(frame.bestEffortTimestamp ?? 0) * tb.double >= seconds { return means() }
                frame.unref()
            case .endOfStream: throw FFmpegError.call(function: "planeMeans", code: AVError.eof, message: "no frame at \(seconds) s")
            case .needsInput: if eof { throw FFmpegError.call(function: "planeMeans", code: AVError.eof, message: "decoder stalled") }
            }
        }
    }

    /// MD5-like digest (FNV-1a 64) of every decoded frame of the best stream of `type`, in order.
    static func frameHashes(_ path: String, type: MediaType) throws -> [UInt64] {
        let d = try Demuxer(path: path)
        let index = d.bestStream(type)!
        let dec = try Decoder(demuxer: d, stream: index, threads: 1)
        let frame = try Frame(), packet = try Packet()
        var hashes: [UInt64] = []
        func hashFrame() {
            var h: UInt64 = 0xcbf29ce484222325
            func eat(_ p: UnsafePointer<UInt8>, _ n: Int) { for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100000001b3 } }
            if type == .video {
                let desc = av_pix_fmt_desc_get(frame.pixelFormat.av)!.pointee
                for p in 0..<3 {
                    let (data, ls) = frame.plane(p)
                    guard let data else { continue }
                    let sh = p == 0 ? 0 : Int(desc.log2_chroma_h), sw = p == 0 ? 0 : Int(desc.log2_chroma_w)
                    let rows = (Int(frame.height) + (1 << sh) - 1) >> sh
                    let bytes = ((Int(frame.width) + (1 << sw) - 1) >> sw) * Int(desc.comp.0.step)
                    for r in 0..<rows { eat(data + r * Int(ls), bytes) }
                }
            } else {
                let (data, _) = frame.plane(0)
                eat(data!, Int(frame.sampleCount) * Int(av_get_bytes_per_sample(frame.sampleFormat.av))
                    * (av_sample_fmt_is_planar(frame.sampleFormat.av) != 0 ? 1 : Int(frame.pointer.pointee.ch_layout.nb_channels)))
            }
            hashes.append(h)
        }
        while try d.read(into: packet) {
            if packet.streamIndex == index { try dec.send(packet); while try dec.receive(into: frame) == .got { hashFrame(); frame.unref() } }
            packet.unref()
        }
        try dec.send(nil)
        while try dec.receive(into: frame) == .got { hashFrame(); frame.unref() }
        return hashes
    }
}

/// TestMedia/ next to Tests/.
let testMedia = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("TestMedia")

func media(_ name: String) -> String { testMedia.appendingPathComponent(name).path }

/// A fresh temporary folder for one test's outputs.
func scratchFolder() throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-tests-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
}

/// The reader works on FFmpeg's C structs directly (it is an independent check of what the
/// engine wrote), so it keeps its own small helpers for them.
extension AVRational {
    var double: Double { den == 0 ? 0 : Double(num) / Double(den) }
    var isValid: Bool { num > 0 && den > 0 }
}
