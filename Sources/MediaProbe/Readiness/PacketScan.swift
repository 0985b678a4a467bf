import FFmpeg
import Foundation

/// What the video stream's packet headers say, read without decoding a picture: decode times
/// and sizes (for the rate check), keyframe times (for the keyframe spacing), and the span.
struct PacketScan: Equatable {
    /// Decode time (s) and size (bits) of every video packet, in decode order.
    var decodeTimes: [Double] = []
    var sizes: [Int] = []
    /// Presentation times (s) of the packets flagged as keyframes, sorted.
    var keyframeTimes: [Double] = []
    /// First presentation time and the end of the last picture (s).
    var start = Double.infinity
    var end = -Double.infinity

    /// Reads every packet of `demuxer`, keeping the headers of stream `index`'s.
    /// - Parameter frameDuration: assumed for a packet that carries no duration.
    static func read(_ demuxer: Demuxer, index: Int, frameDuration: Double) throws -> PacketScan {
        var scan = PacketScan()
        let timeBase = demuxer.parameters(of: index).timeBase.double
        let packet = try Packet()
        while try demuxer.read(into: packet) {
            defer { packet.unref() }
            guard packet.streamIndex == index, let stamp = packet.pts ?? packet.dts else { continue }
            let pts = Double(stamp) * timeBase
            scan.decodeTimes.append(Double(packet.dts ?? stamp) * timeBase)
            scan.sizes.append(packet.size * 8)
            if packet.isKeyframe { scan.keyframeTimes.append(pts) }
            scan.start = min(scan.start, pts)
            scan.end = max(scan.end, pts + (packet.duration > 0 ? Double(packet.duration) * timeBase : frameDuration))
        }
        scan.keyframeTimes.sort()
        return scan
    }

    var isEmpty: Bool { sizes.isEmpty }

    /// The longest stretch without a keyframe: from the start to the first, between two, and
    /// from the last to the end (a clip's tail is as far from a seek point as any gap).
    var longestKeyframeGap: Double {
        let marks = [start] + keyframeTimes + [end]
        return zip(marks.dropFirst(), marks).map { $0 - $1 }.max() ?? 0
    }

    /// The most bits in any one-second window of decode times, i.e. the peak bit rate.
    var peakBitRate: Double {
        var best = 0, sum = 0, first = 0
        for i in sizes.indices {
            sum += sizes[i]
            while decodeTimes[i] - decodeTimes[first] >= 1 { sum -= sizes[first]; first += 1 }
            best = max(best, sum)
        }
        return Double(best)
    }

    /// When the decoder's buffer of a level's VBV runs dry, or nil when it never does.
    ///
    /// The hypothetical reference decoder's buffer fills at `rate` bit/s up to `buffer` bits
    /// and each picture's bits leave it at its decode time; a stream keeps the level's promise
    /// when the buffer never runs short. The buffer starts 90% full, as x264 assumes
    /// (`vbv-init` 0.9). This is the same as: no window of length T holds more than
    /// 0.9 × buffer + rate × T bits — a peak rate over one second alone would fault streams
    /// that use the buffer as the level allows.
    func bufferRunsDry(rate: Double, buffer: Double) -> Double? {
        var fullness = 0.9 * buffer
        var last = decodeTimes.first ?? 0
        for (t, bits) in zip(decodeTimes, sizes) {
            fullness = min(buffer, fullness + rate * max(0, t - last))
            last = t
            fullness -= Double(bits)
            if fullness < 0 { return t - (decodeTimes.first ?? 0) }
        }
        return nil
    }
}

/// The order of an ISO BMFF (MP4/MOV) file's top-level boxes, read from their headers.
enum TopLevelBoxes {
    /// Box types from the start of the file until both "moov" and "mdat" have been seen (or
    /// the file ends); nil when the file cannot be read.
    static func order(path: String) -> [String]? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        var types: [String] = []
        var offset: UInt64 = 0
        while !(types.contains("moov") && types.contains("mdat")) && types.count < 64 {
            guard (try? file.seek(toOffset: offset)) != nil,
                  let head = try? file.read(upToCount: 16), head.count >= 8 else { break }
            let bytes = [UInt8](head)
            var size = bytes[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            types.append(String(decoding: bytes[4..<8], as: UTF8.self))
            if size == 1, bytes.count >= 16 { size = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
            // Size 0 runs to the end of the file; a size below the header's is damage.
            guard size >= 8 else { break }
            offset += size
        }
        return types
    }

    /// Whether the index ("moov") comes before the media data ("mdat").
    static func indexFirst(_ order: [String]) -> Bool {
        guard let moov = order.firstIndex(of: "moov") else { return false }
        return order.firstIndex(of: "mdat").map { moov < $0 } ?? true
    }
}
