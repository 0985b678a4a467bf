import CPixel
import FFmpeg
import MediaProbe
import WebP

/// Decode stage of an animated image: each frame as a whole opaque RGBA picture (disposal and
/// blending done by the decoder; transparency composited over the background colour) with its
/// delay in seconds. One play ends with nil; `rewind()` starts the next play.
protocol AnimationFrames: AnyObject {
    func next() throws -> (picture: Frame, delay: Double)?
    func rewind() throws
}

enum AnimationDecoders {
    /// The decoder for the report: libwebp for WebP, FFmpeg's demuxers (gif, apng) otherwise.
    static func open(_ report: ProbeReport, background: (r: UInt8, g: UInt8, b: UInt8)) throws -> AnimationFrames {
        guard let info = report.animation else { throw LocalEngineError.noVideoStream(path: report.path) }
        if info.decoder == "libwebp" { return try WebPFrames(path: report.path, background: background) }
        return try FFmpegAnimationFrames(report: report, fallbackDelay: info.shortestDelay, background: background)
    }
}

/// Composites a picture of 4-byte RGBA pixels over the background, in place.
func composite(_ rgba: Frame, over c: (r: UInt8, g: UInt8, b: UInt8)) {
    let (data, stride) = rgba.plane(0)
    guard let data else { return }
    tk_composite_rgba_over(data, ptrdiff_t(stride), Int32(rgba.width), Int32(rgba.height), c.r, c.g, c.b)
}

/// GIF and APNG through FFmpeg's demuxer and decoder (the decoders keep the canvas between frames,
/// so each picture is already whole). Each picture is converted to RGBA for compositing.
final class FFmpegAnimationFrames: AnimationFrames {
    private let report: ProbeReport
    private let stream: Int
    private let fallbackDelay: Double
    private let background: (r: UInt8, g: UInt8, b: UInt8)
    private var demuxer: Demuxer
    private var decoder: Decoder
    private let packet: Packet
    private let decoded: Frame
    private var toRGBA: (scaler: Scaler, frame: Frame)?
    private var draining = false

    init(report: ProbeReport, fallbackDelay: Double, background: (r: UInt8, g: UInt8, b: UInt8)) throws {
        guard let video = report.primaryVideo else { throw LocalEngineError.noVideoStream(path: report.path) }
        self.report = report
        stream = video.index
        self.fallbackDelay = fallbackDelay
        self.background = background
        (demuxer, decoder) = try Self.openDecoder(report.path, stream: video.index)
        packet = try Packet()
        decoded = try Frame()
    }

    private static func openDecoder(_ path: String, stream: Int) throws -> (Demuxer, Decoder) {
        let demuxer = try stage("open input") { try Demuxer(path: path) }
        let decoder = try stage("open video decoder") { try Decoder(demuxer: demuxer, stream: stream, threads: 1) }
        return (demuxer, decoder)
    }

    func rewind() throws {
        (demuxer, decoder) = try Self.openDecoder(report.path, stream: stream)
        draining = false
    }

    func next() throws -> (picture: Frame, delay: Double)? {
        while true {
            decoded.unref()
            if try stage("decode animation", { try decoder.receive(into: decoded) }) == .got { return try picture() }
            if draining { return nil }
            packet.unref()
            if try stage("read animation", { try demuxer.read(into: packet) }) {
                guard packet.streamIndex == stream else { continue }
                try stage("decode animation") { try decoder.send(packet) }
            } else {
                draining = true
                try stage("flush animation decoder") { try decoder.send(nil) }
            }
        }
    }

    private func picture() throws -> (picture: Frame, delay: Double) {
        let timeBase = demuxer.parameters(of: stream).timeBase.double
        let stored = Double(decoded.packetDuration) * timeBase
        let convert = try toRGBA ?? {
            let s = try stage("convert animation") {
                try Scaler(sourceWidth: decoded.width, sourceHeight: decoded.height, sourceFormat: decoded.pixelFormat,
                           destinationWidth: decoded.width, destinationHeight: decoded.height, destinationFormat: .rgba)
            }
            return (s, try stage("convert animation") { try Frame(width: decoded.width, height: decoded.height, format: .rgba) })
        }()
        toRGBA = convert
        try stage("convert animation") { try convert.frame.makeWritable() }
        convert.scaler.scale(decoded, into: convert.frame)
        composite(convert.frame, over: background)
        return (convert.frame, stored > 0 ? stored : fallbackDelay)
    }
}

/// Animated WebP through libwebp's animation decoder (whole RGBA canvases).
final class WebPFrames: AnimationFrames {
    private let webp: AnimatedWebP
    private let background: (r: UInt8, g: UInt8, b: UInt8)
    private let canvas: Frame
    private var index = 0

    init(path: String, background: (r: UInt8, g: UInt8, b: UInt8)) throws {
        let webp: AnimatedWebP
        do { webp = try AnimatedWebP(path: path) } catch let e as WebPError {
            throw LocalEngineError.photoUnreadable(path: path, reason: e.reason)
        }
        self.webp = webp
        self.background = background
        let (w, h) = (webp.width, webp.height)
        canvas = try stage("allocate animation frame") { try Frame(width: w, height: h, format: .rgba) }
    }

    func rewind() throws {
        webp.rewind()
        index = 0
    }

    func next() throws -> (picture: Frame, delay: Double)? {
        try stage("decode animation") { try canvas.makeWritable() }
        let (data, stride) = canvas.plane(0)
        guard let data else { return nil }
        let more: Bool
        do { more = try webp.decodeNext(into: data, stride: Int(stride)) } catch let e as WebPError {
            throw LocalEngineError.photoUnreadable(path: webp.path, reason: e.reason)
        }
        guard more else { return nil }
        composite(canvas, over: background)
        let delay = AnimationInfo.playedDelay(webpMilliseconds: webp.frameDurations[index])
        index += 1
        return (canvas, delay)
    }
}
