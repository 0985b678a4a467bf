import FFmpeg
import Foundation
import WebP

/// Animated images: a GIF, APNG or WebP with more than one frame is a video made of timed
/// pictures. Frames and delays are read from the container (no picture is decoded, except
/// that libwebp checks a WebP animation's structure when it opens it).
enum AnimationProbe {
    /// GIF delays are in hundredths of a second. FFmpeg's gif demuxer already plays a delay under
    /// its `min_delay` (2) as its `default_delay` (10), which is what browsers do with 0 and 1.
    static let gifTimeBase = 0.01


    /// Frames of the gif/apng demuxer's picture stream, by reading its packets. nil for one frame
    /// (a still picture) or when the packets carry no timing.
    static func scan(demuxer: Demuxer, stream: Int, loops: Int?) -> AnimationInfo? {
        guard let packet = try? Packet() else { return nil }
        let timeBase = demuxer.parameters(of: stream).timeBase.double
        var delays: [Double] = []
        while (try? demuxer.read(into: packet)) == true {
            defer { packet.unref() }
            guard packet.streamIndex == stream else { continue }
            delays.append(Double(max(0, packet.duration)) * timeBase)
        }
        guard delays.count > 1 else { return nil }
        // A last frame with no stored delay (APNG's last fcTL may be absent) plays as the others' shortest.
        let known = delays.filter { $0 > 0 }
        guard let shortest = known.min() else { return nil }
        delays = delays.map { $0 > 0 ? $0 : shortest }
        return AnimationInfo(frames: delays.count, cycleSeconds: delays.reduce(0, +), shortestDelay: delays.min() ?? 0,
                             longestDelay: delays.max() ?? 0, loopCount: loops, decoder: "ffmpeg")
    }

    /// An animated WebP (VP8X animation flag), opened with libwebp: FFmpeg 5.1's WebP decoder
    /// cannot decode animation frames. One frame is a still photo for FFmpeg as before (nil).
    static func webpReport(path: String, size: Int64, limits: ProbeLimits) throws -> ProbeReport? {
        let webp: AnimatedWebP
        do { webp = try AnimatedWebP(path: path) } catch let e as WebPError {
            throw ProbeError.corrupt(path: path, container: "a WebP image", detail: e.reason)
        }
        try Prober.checkDimensions(path: path, width: webp.width, height: webp.height, limits: limits)
        guard webp.frameCount > 1 else { return nil }
        let delays = webp.frameDurations.map { AnimationInfo.playedDelay(webpMilliseconds: $0) }
        let info = AnimationInfo(frames: delays.count, cycleSeconds: delays.reduce(0, +), shortestDelay: delays.min() ?? 0,
                                 longestDelay: delays.max() ?? 0, loopCount: webp.loopCount, decoder: "libwebp")
        var stream = StreamInfo(index: 0, type: .video, codec: "webp")
        stream.isDefault = true
        stream.width = webp.width; stream.height = webp.height
        stream.sampleAspectRatio = "1:1"
        stream.pixelFormat = "rgba"; stream.bitDepth = 8
        stream.isStill = false
        stream.variableFrameRate = info.shortestDelay != info.longestDelay
        stream.averageFrameRate = Double(info.frames) / info.cycleSeconds
        var report = ProbeReport(path: path, kind: .video, container: "webp", format: "webp", sizeBytes: size,
                                 duration: info.cycleSeconds, streams: [stream])
        report.animation = info
        return report
    }

    /// Marks a gif/apng report as the animation it is: a video stream with a frame rate.
    static func apply(_ info: AnimationInfo, to streams: inout [StreamInfo]) {
        guard let i = streams.firstIndex(where: { $0.type == .video }) else { return }
        streams[i].isStill = false
        streams[i].averageFrameRate = Double(info.frames) / info.cycleSeconds
        streams[i].variableFrameRate = info.shortestDelay != info.longestDelay
    }
}

/// A file whose name says another format than its content: one line for the user.
enum NameCheck {
    /// Extensions by the family of formats they name (one container family per set).
    static let families: [Set<String>] = [
        ["mp4", "m4v", "mov", "m4a", "3gp", "qt"], ["mkv", "webm", "mka"], ["avi"], ["ts", "mts", "m2ts"], ["mpg", "mpeg"],
        ["flv"], ["ogg", "ogv", "oga", "opus"], ["mp3"], ["wav"], ["flac"], ["aac"],
        ["jpg", "jpeg"], ["png", "apng"], ["gif"], ["webp"], ["heic", "heif", "avif"],
    ]

    static func family(of format: String) -> Int? { families.firstIndex { $0.contains(format) } }

    /// nil when the extension is unknown, absent or of the content's own family.
    static func note(path: String, report: ProbeReport) -> String? {
        let ext = (path as NSString).pathExtension.lowercased()
        guard let named = family(of: ext), let real = family(of: report.format), named != real else { return nil }
        let name = (path as NSString).lastPathComponent
        return "\(name) is really \(what(report)), not .\(ext): handled by its content"
    }

    static func what(_ r: ProbeReport) -> String {
        let format = r.format == "jpg" ? "JPEG" : r.format.uppercased()
        if let a = r.animation { return "an animated \(format) image (\(a.frames) frames)" }
        switch r.kind {
        case .image: return "a\(format.first.map { "AEIOUFHLMNRSX".contains($0) } == true ? "n" : "") \(format) photo"
        case .audio: return "\(format) audio"
        case .video: return "a video (\(Prober.describe(demuxer: r.container)))"
        case .text: return "text"
        }
    }
}
