import MediaProbe
import Planning

/// ProbeReports built in code: the planner never needs media.
enum Fx {
    static func videoStream(codec: String = "h264", w: Int = 1920, h: Int = 1080, rotation: Int = 0, fps: Double = 30,
                            hdr: HDRKind? = nil, fieldOrder: String? = nil, pixelFormat: String = "yuv420p",
                            sar: String = "1:1", vfr: Bool = false, index: Int = 0) -> StreamInfo {
        var s = StreamInfo(index: index, type: .video, codec: codec)
        s.width = w; s.height = h; s.rotation = rotation; s.averageFrameRate = fps; s.realFrameRate = fps
        s.hdr = hdr; s.fieldOrder = fieldOrder; s.pixelFormat = pixelFormat; s.sampleAspectRatio = sar
        s.variableFrameRate = vfr; s.isDefault = true; s.isStill = false
        return s
    }

    static func audioStream(codec: String = "aac", rate: Int = 48000, channels: Int = 2, index: Int = 1) -> StreamInfo {
        var s = StreamInfo(index: index, type: .audio, codec: codec)
        s.sampleRate = rate; s.channels = channels; s.isDefault = true
        return s
    }

    static func stream(_ type: StreamType, _ codec: String, index: Int) -> StreamInfo {
        StreamInfo(index: index, type: type, codec: codec)
    }

    static func video(codec: String = "h264", w: Int = 1920, h: Int = 1080, rotation: Int = 0, fps: Double = 30,
                      audio: String? = "aac", format: String = "mp4", path: String? = nil, duration: Double = 60,
                      hdr: HDRKind? = nil, fieldOrder: String? = nil, pixelFormat: String = "yuv420p",
                      extra: [StreamInfo] = []) -> ProbeReport {
        var streams = [videoStream(codec: codec, w: w, h: h, rotation: rotation, fps: fps, hdr: hdr,
                                   fieldOrder: fieldOrder, pixelFormat: pixelFormat)]
        if let audio { streams.append(audioStream(codec: audio)) }
        streams += extra
        let container = ["mp4": "mov,mp4,m4a,3gp,3g2,mj2", "mov": "mov,mp4,m4a,3gp,3g2,mj2", "avi": "avi",
                         "mkv": "matroska,webm", "webm": "matroska,webm"][format] ?? format
        return ProbeReport(path: path ?? "/in/clip.\(format)", kind: .video, container: container, format: format,
                           sizeBytes: 10_000_000, duration: duration, streams: streams)
    }

    static func avi() -> ProbeReport {
        video(codec: "mpeg4", w: 640, h: 480, fps: 25, audio: "mp3", format: "avi", path: "/in/old.avi")
    }

    static func photo(_ name: String = "a.jpg", w: Int = 4032, h: Int = 3024) -> ProbeReport {
        var s = StreamInfo(index: 0, type: .video, codec: name.hasSuffix(".png") ? "png" : "mjpeg")
        s.width = w; s.height = h; s.isStill = true
        return ProbeReport(path: "/in/\(name)", kind: .image, container: "image2", format: "jpg", sizeBytes: 3_000_000, streams: [s])
    }

    static func script(words: Int = 120) -> ProbeReport {
        ProbeReport(path: "/in/script.txt", kind: .text, container: "text", format: "txt", sizeBytes: 800,
                    text: TextInfo(characters: words * 6, lines: 10, words: words))
    }

    static func audioOnly(codec: String = "mp3") -> ProbeReport {
        ProbeReport(path: "/in/song.mp3", kind: .audio, container: "mp3", format: "mp3", sizeBytes: 4_000_000,
                    duration: 180, streams: [audioStream(codec: codec, rate: 44100, index: 0)])
    }

    static func flags(local: Bool = false, cloud: Bool = false, to: LocalPlan? = nil, fit: FitMode? = nil,
                      start: Double? = nil, duration: Double? = nil) -> PlanFlags {
        var f = PlanFlags()
        f.forceLocal = local; f.forceCloud = cloud; f.target = to; f.fit = fit; f.start = start; f.duration = duration
        return f
    }
}
