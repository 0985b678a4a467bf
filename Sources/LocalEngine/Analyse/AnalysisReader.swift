import CPixel
import FFmpeg
import MediaProbe

/// A small picture for analysis: yuv420p, upright and with square pixels (display orientation),
/// at most `AnalysisReader.maxWidth` wide. Valid only inside the callback that receives it.
struct LowResPicture {
    let frame: Frame
    var width: Int { frame.width }
    var height: Int { frame.height }
}

/// Reads the video stream once more, cheaply, for the reframing analysis: the decoder takes its
/// fast shortcuts, and each picture is scaled straight to a ≤ 480 px copy in display orientation
/// (cut detection looks at every picture; the detectors at a few a second). Only the final
/// render touches full-size pictures.
final class AnalysisReader {
    static let maxWidth = 480
    private let demuxer: Demuxer
    private let decoder: Decoder
    private let video: StreamInfo
    private let timeBase: Rational
    /// The source time that is the analysis's zero (the earliest stream start, plus the trim's start).
    let origin: Double
    private let rate: Double?
    private let duration: Double?
    private var scaler: (scaler: Scaler, stored: Frame, upright: Frame?)?
    /// Display size of the source (square pixels, upright), in source pixels.
    let displayWidth: Int, displayHeight: Int

    /// - Parameter rate: pictures a second to pass on (nil: every picture).
    init(report: ProbeReport, start: Double?, duration: Double?, rate: Double?, threads: Int) throws {
        guard let video = report.primaryVideo, let display = video.displaySize else {
            throw LocalEngineError.noVideoStream(path: report.path)
        }
        self.video = video
        displayWidth = display.width
        displayHeight = display.height
        let demuxer = try stage("open input for analysis") { try Demuxer(path: report.path, analyze: !report.headerIsComplete) }
        self.demuxer = demuxer
        decoder = try stage("open video decoder for analysis") {
            try Decoder(demuxer: demuxer, stream: video.index, threads: threads, fast: true)
        }
        timeBase = demuxer.parameters(of: video.index).timeBase
        var origin = [video.startTime, report.primaryAudio?.startTime].compactMap { $0 }.min() ?? 0
        if let start, start > 0 {
            try stage("seek") { try demuxer.seek(toSeconds: start) }
            origin += start
        }
        self.origin = origin
        self.rate = rate
        self.duration = duration
    }

    /// Calls `body` with each sampled picture and its time (s from the output's zero), in order.
    /// `shouldStop` is checked between packets (cancellation).
    func run(shouldStop: () -> Bool, _ body: (LowResPicture, Double) throws -> Void) throws {
        let packet = try Packet(), frame = try Frame()
        var next = 0.0
        var latest = -Double.infinity
        func receive() throws -> Bool {
            while try stage("decode video for analysis", { try decoder.receive(into: frame) }) == .got {
                defer { frame.unref() }
                guard let ts = frame.bestEffortTimestamp else { continue }
                let t = Double(ts) * timeBase.double - origin
                // A picture earlier than one already passed (timestamps that restart in a joined
                // file) lands on output slots a later picture already filled: the render never
                // shows it, so the analysis skips it too.
                guard t >= latest else { continue }
                latest = t
                if let duration, t >= duration { return false }
                if let rate {
                    // Half a sample period of slack, so a 29.97 fps source sampled at 5 a second
                    // does not drift a picture late every few samples.
                    guard t >= next - 0.5 / rate else { continue }
                    next = max(next, t) + 1 / rate
                }
                try body(try lowRes(frame), max(0, t))
            }
            return true
        }
        while try stage("read input for analysis", { try demuxer.read(into: packet) }) {
            defer { packet.unref() }
            if shouldStop() { throw LocalEngineError.cancelled }
            guard packet.streamIndex == video.index else { continue }
            do { try decoder.send(packet) } catch let e as FFmpegError where e.isInvalidData { continue }
            if try !receive() { return }
        }
        try stage("flush analysis decoder") { try decoder.send(nil) }
        _ = try receive()
    }

    /// Scales (and turns upright) one decoded picture to the analysis size.
    private func lowRes(_ frame: Frame) throws -> LowResPicture {
        let s = try scaler ?? makeScaler(for: frame)
        scaler = s
        s.scaler.scale(frame, into: s.stored)
        guard let upright = s.upright else { return LowResPicture(frame: s.stored) }
        let turn = Int32(((video.rotation ?? 0) % 360 + 360) % 360)
        for p in 0..<3 {
            let shift = p == 0 ? 0 : 1
            let (src, ss) = s.stored.plane(p)
            let (dst, ds) = upright.plane(p)
            tk_rotate_plane(src, Int(ss), Int32(s.stored.width >> shift), Int32(s.stored.height >> shift), dst, Int(ds), turn)
        }
        return LowResPicture(frame: upright)
    }

    private func makeScaler(for frame: Frame) throws -> (scaler: Scaler, stored: Frame, upright: Frame?) {
        let rotated = (video.rotation ?? 0) % 180 != 0
        let factor = min(1, Double(Self.maxWidth) / Double(displayWidth))
        func even(_ v: Double) -> Int { max(2, Int(v.rounded()) & ~1) }
        let w = even(Double(displayWidth) * factor), h = even(Double(displayHeight) * factor)
        let storedW = rotated ? h : w, storedH = rotated ? w : h
        let scaler = try Scaler(sourceWidth: frame.width, sourceHeight: frame.height, sourceFormat: frame.pixelFormat,
                                destinationWidth: storedW, destinationHeight: storedH, destinationFormat: .yuv420p, filter: .area)
        let stored = try Frame(width: storedW, height: storedH, format: .yuv420p)
        let upright = rotated || (video.rotation ?? 0) == 180 ? try Frame(width: w, height: h, format: .yuv420p) : nil
        return (scaler, stored, upright)
    }
}
