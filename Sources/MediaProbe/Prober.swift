import FFmpeg
import Foundation
import HEIF
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The probe layer: what an input is, judged by its content, never by its name.
///
/// Order of judgement (each step can end with a `ProbeError` naming the file):
/// 1. `stat`: missing, directory, not a regular file; `open`: unreadable; size 0: empty.
/// 2. The first 64 KiB: UTF-8 text (no NUL, ≥95% printable) is a script when named .txt/.md/.markdown/.text
///    or with no extension, and is refused under any other name. Text never reaches FFmpeg.
/// 3. Size limit for the kind the magic bytes suggest (photo / text / video), before opening.
/// 4. Photo headers (JPEG SOF, PNG IHDR, GIF, WebP VP8X) are checked for absurd dimensions and
///    the JPEG EXIF orientation is read.
/// 5. FFmpeg picks a demuxer from the content alone (`av_probe_input_format3`, no file name, so
///    `random.mp4` is not opened as MP4 because of its name). None → `.unrecognized`.
/// 6. The file is opened with that demuxer; container-declared dimensions are checked before
///    `avformat_find_stream_info` decodes anything. Open failures of a recognised format → `.corrupt`.
public enum Prober {
    /// Extensions under which text content is a script.
    public static let textExtensions: Set<String> = ["txt", "md", "markdown", "text", ""]

    /// How many bytes are read to sniff text and photo headers.
    static let headBytes = 64 * 1024

    public static func probe(path: String, limits: ProbeLimits = .default) throws -> ProbeReport {
        // 1. What is at the path.
        let size = try regularFileSize(path: path)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ProbeError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        if size == 0 { throw ProbeError.empty(path: path) }

        // 2. The head of the file.
        let head = try readBytes(fd: fd, count: min(Int(size), headBytes), path: path)
        if head.isEmpty { throw ProbeError.empty(path: path) }
        if let script = try scriptReport(head: head, fd: fd, path: path, size: size, limits: limits) { return script }

        // HEIC/HEIF (iPhone photos): FFmpeg 5.1 cannot read them; libheif can.
        if let heif = HEIFSniff.format(of: head) {
            if size > limits.photoMaxBytes { throw ProbeError.tooLarge(path: path, sizeBytes: size, limitBytes: limits.photoMaxBytes, kind: "photo") }
            return named(try heifReport(path: path, size: size, format: heif, limits: limits))
        }

        // 3 + 4. Size limit and photo header.
        let image = try checkSizeAndPhotoHeader(head: head, path: path, size: size, limits: limits)
        if image?.format == "webp", image?.animated == true,
           let animated = try AnimationProbe.webpReport(path: path, size: size, limits: limits) {
            return named(animated)
        }

        // 5 + 6. FFmpeg's choice of demuxer, by content only; open.
        do {
            let (demuxer, containerLabel) = try openDemuxer(head: head, path: path, limits: limits)
            return named(try report(demuxer: demuxer, path: path, size: size, image: image, limits: limits, containerLabel: containerLabel))
        } catch let ProbeError.corrupt(_, _, detail) where image != nil {
            // A photo's header was read, so what follows is a damaged photo, left out of a batch.
            throw ProbeError.damagedPhoto(path: path, detail: detail)
        }
    }

    /// The report with a note when the file's name says another format than its content.
    static func named(_ report: ProbeReport) -> ProbeReport {
        var r = report
        r.nameNote = NameCheck.note(path: r.path, report: r)
        return r
    }

    // MARK: - Judging the file

    /// The size of the regular file at `path`; anything else at the path is refused.
    static func regularFileSize(path: String) throws -> Int64 {
        var st = stat()
        if stat(path, &st) != 0 {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw ProbeError.notFound(path: path) }
            throw ProbeError.unreadable(path: path, reason: String(cString: strerror(e)))
        }
        let mode = st.st_mode & S_IFMT
        if mode == S_IFDIR { throw ProbeError.isDirectory(path: path) }
        guard mode == S_IFREG else { throw ProbeError.notRegularFile(path: path) }
        return Int64(st.st_size)
    }

    /// The report for a script when the head is text; nil when it is not text. Text under a
    /// media name, or a script that is not UTF-8, is refused here so it never reaches FFmpeg.
    static func scriptReport(head: [UInt8], fd: Int32, path: String, size: Int64, limits: ProbeLimits) throws -> ProbeReport? {
        let ext = (path as NSString).pathExtension.lowercased()
        let partial = Int64(head.count) < size
        if TextSniff.looksLikeText(head, partial: partial) {
            guard textExtensions.contains(ext) else { throw ProbeError.textNotMedia(path: path) }
            if size > limits.textMaxBytes {
                throw ProbeError.tooLarge(path: path, sizeBytes: size, limitBytes: limits.textMaxBytes, kind: "text")
            }
            let all = partial ? head + (try readBytes(fd: fd, count: Int(size) - head.count, path: path)) : head
            guard let s = String(validating: all, as: UTF8.self), !all.contains(0) else { throw ProbeError.textNotUTF8(path: path) }
            return ProbeReport(path: path, kind: .text, container: "text", format: ext == "md" || ext == "markdown" ? "md" : "txt",
                               sizeBytes: size, text: TextSniff.info(s))
        }
        if textExtensions.contains(ext), ext != "", !head.contains(0), !TextSniff.isValidUTF8(head), ImageHeader.parse(head) == nil {
            // A .txt/.md with no NUL bytes that is not UTF-8: most likely a Latin-1/GBK script.
            if head.filter({ $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) }).count * 20 < head.count {
                throw ProbeError.textNotUTF8(path: path)
            }
        }
        return nil
    }

    /// Refuses a file over the limit for the kind its magic bytes suggest, or a photo whose
    /// header claims absurd dimensions, before FFmpeg allocates anything for it.
    static func checkSizeAndPhotoHeader(head: [UInt8], path: String, size: Int64, limits: ProbeLimits) throws -> ImageHeader? {
        let image = ImageHeader.parse(head)
        let (limit, kindName) = image != nil ? (limits.photoMaxBytes, "photo") : (limits.videoMaxBytes, "video")
        if size > limit { throw ProbeError.tooLarge(path: path, sizeBytes: size, limitBytes: limit, kind: kindName) }
        if let image, let w = image.width, let h = image.height {
            try checkDimensions(path: path, width: w, height: h, limits: limits)
        }
        return image
    }

    /// Opens the file with the demuxer its content matches; returns it with the container's
    /// name for messages.
    static func openDemuxer(head: [UInt8], path: String, limits: ProbeLimits) throws -> (Demuxer, String) {
        guard let (format, score) = InputFormat.detect(head: head) else { throw ProbeError.unrecognized(path: path) }
        let demuxerName = format.name
        let containerLabel = describe(demuxer: demuxerName)
        do {
            let demuxer = try Demuxer(path: path, format: format) { headers in
                for h in headers where h.type == .video {
                    try checkDimensions(path: path, width: h.width, height: h.height, limits: limits)
                }
            }
            return (demuxer, containerLabel)
        } catch let error as ProbeError {
            throw error
        } catch let error as FFmpegError {
            // A weak content match (e.g. random bytes that happen to look like MP3 sync words)
            // that then fails to open is garbage, not a damaged file of that format.
            if score <= InputFormat.weakScore { throw ProbeError.unrecognized(path: path) }
            if error.isOutOfMemory { throw ProbeError.corrupt(path: path, container: containerLabel, detail: "out of memory while reading it") }
            throw ProbeError.corrupt(path: path, container: containerLabel, detail: detail(for: error, demuxer: demuxerName))
        }
    }

    // MARK: - Building the report

    static func report(demuxer: Demuxer, path: String, size: Int64, image: ImageHeader?, limits: ProbeLimits,
                       containerLabel: String) throws -> ProbeReport {
        let demuxerName = demuxer.formatName
        let isImageDemuxer = imageDemuxers.contains(demuxerName) || demuxerName.hasSuffix("_pipe")
        var streams = try streamInfos(demuxer: demuxer, imageDemuxer: isImageDemuxer, path: path, limits: limits)
        // A GIF or APNG with more than one frame is a video made of timed pictures.
        var animation: AnimationInfo?
        let animationScanned = demuxerName == "gif" || demuxerName == "apng"
        if animationScanned, let v = streams.first(where: { $0.type == .video }) {
            animation = AnimationProbe.scan(demuxer: demuxer, stream: v.index, loops: image?.loopCount)
            if let animation { AnimationProbe.apply(animation, to: &streams) }
        }
        let kind = animation != nil ? .video : try inputKind(demuxer: demuxer, streams: streams, imageDemuxer: isImageDemuxer,
                                                             path: path, containerLabel: containerLabel)
        if kind == .image, size > limits.photoMaxBytes {
            throw ProbeError.tooLarge(path: path, sizeBytes: size, limitBytes: limits.photoMaxBytes, kind: "photo")
        }
        let main = mainStream(of: kind, in: streams)
        if let main { try checkDecodable(main, demuxer: demuxer, path: path, containerLabel: containerLabel) }

        let format = try shortFormat(demuxer: demuxer, streams: streams, kind: kind, image: image, path: path)
        if kind == .image, let main {
            // The GIF/APNG frame count has read the probe's demuxer to its end: decode from a fresh one.
            let fresh = animationScanned ? try Demuxer(path: path) : demuxer
            try checkPhotoIntegrity(path: path, format: format, demuxer: fresh, stream: main.index)
        }

        var duration = kind == .image ? nil : demuxer.duration
        if let animation {
            duration = animation.cycleSeconds
        } else if kind == .video, let v = main {
            duration = try videoTiming(demuxer: demuxer, main: v, streams: &streams, containerDuration: duration,
                                       path: path, limits: limits, containerLabel: containerLabel)
        }
        if kind == .image { applyExifOrientation(image?.exifOrientation, to: &streams) }

        var report = ProbeReport(path: path, kind: kind, container: demuxerName, format: format, sizeBytes: size,
                                 duration: duration, streams: streams, text: nil,
                                 exifOrientation: kind == .image ? image?.exifOrientation : nil)
        report.captureTime = kind == .image ? image?.captureTime : nil
        report.animation = animation
        if kind == .audio {
            let tags = ["title", "artist"].reduce(into: [String: String]()) { t, key in
                if let v = demuxer.metadata(key)?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty { t[key] = v }
            }
            report.tags = tags.isEmpty ? nil : tags
        }
        if MadeByTikconv.isMark(demuxer.metadata(MadeByTikconv.metadataKey)) { report.madeByTikconv = true }
        return report
    }

    /// Every stream's description, with dimensions checked and one default per type.
    static func streamInfos(demuxer: Demuxer, imageDemuxer: Bool, path: String, limits: ProbeLimits) throws -> [StreamInfo] {
        var streams: [StreamInfo] = []
        for i in 0..<demuxer.streamCount {
            streams.append(streamInfo(demuxer.parameters(of: i), imageDemuxer: imageDemuxer))
        }
        // Dimensions again: find_stream_info may have learnt them from the bitstream.
        for s in streams where s.type == .video {
            try checkDimensions(path: path, width: s.width ?? 0, height: s.height ?? 0, limits: limits)
        }
        // Default stream per type: the flagged one, else the first.
        for type in [StreamType.video, .audio, .subtitle] where !streams.contains(where: { $0.type == type && $0.isDefault }) {
            if let first = streams.firstIndex(where: { $0.type == type }) { streams[first].isDefault = true }
        }
        return streams
    }

    /// An image demuxer means a photo (an animation was recognised before); otherwise moving
    /// video wins over audio, and audio over still pictures (cover art).
    static func inputKind(demuxer: Demuxer, streams: [StreamInfo], imageDemuxer: Bool,
                          path: String, containerLabel: String) throws -> InputKind {
        if imageDemuxer { return .image }
        if streams.contains(where: { $0.type == .video && $0.isStill != true }) { return .video }
        if streams.contains(where: { $0.type == .audio }) { return .audio }
        if streams.contains(where: { $0.type == .video && $0.isStill == true }) { return .image }
        throw ProbeError.corrupt(path: path, container: containerLabel, detail: "no video or audio stream")
    }

    /// The stream the engine will decode for this kind of input.
    static func mainStream(of kind: InputKind, in streams: [StreamInfo]) -> StreamInfo? {
        switch kind {
        case .video:
            let video = streams.filter { $0.type == .video && $0.isStill != true }
            return video.first { $0.isDefault } ?? video.first
        case .image:
            return streams.first { $0.type == .video }
        default:
            let audio = streams.filter { $0.type == .audio }
            return audio.first { $0.isDefault } ?? audio.first
        }
    }

    /// The stream the engine will decode must have a decoder and real parameters.
    static func checkDecodable(_ main: StreamInfo, demuxer: Demuxer, path: String, containerLabel: String) throws {
        if !demuxer.parameters(of: main.index).hasDecoder {
            throw ProbeError.unsupportedCodec(path: path, codec: main.codec)
        }
        if main.type == .video, (main.width ?? 0) <= 0 || (main.height ?? 0) <= 0 || main.pixelFormat == nil {
            throw ProbeError.corrupt(path: path, container: containerLabel, detail: "its \(main.codec) video stream has no decodable picture")
        }
        if main.type == .audio, (main.sampleRate ?? 0) <= 0 || (main.channels ?? 0) <= 0 {
            throw ProbeError.corrupt(path: path, container: containerLabel, detail: "its \(main.codec) audio stream has no decodable sound")
        }
    }

    /// Refuses a photo that does not decode cleanly, so a slideshow never shows a concealed block.
    static func checkPhotoIntegrity(path: String, format: String, demuxer: Demuxer, stream: Int) throws {
        if format == "jpg" {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ProbeError.unreadable(path: path, reason: "it could not be read to the end")
            }
            if let damage = PhotoIntegrity.jpegDamage([UInt8](data)) { throw ProbeError.damagedPhoto(path: path, detail: damage) }
        }
        if let damage = PhotoIntegrity.decodeDamage(demuxer: demuxer, stream: stream) {
            throw ProbeError.damagedPhoto(path: path, detail: damage)
        }
    }

    /// Marks the main video stream's frame-rate variability and returns the duration (the
    /// container's, else the stream's); refuses a video with no timing at all or with
    /// implausible timing.
    static func videoTiming(demuxer: Demuxer, main v: StreamInfo, streams: inout [StreamInfo], containerDuration: Double?,
                            path: String, limits: ProbeLimits, containerLabel: String) throws -> Double? {
        var duration = containerDuration
        let scan = scanTimestamps(demuxer: demuxer, streamIndex: v.index)
        if let i = streams.firstIndex(where: { $0.index == v.index }) {
            streams[i].variableFrameRate = scan.variable ?? frameRatesDisagree(streams[i])
        }
        if duration == nil {
            let st = demuxer.parameters(of: v.index)
            if let d = st.duration { duration = Double(d) * st.timeBase.double }
        }
        if duration == nil && scan.videoPackets == 0 {
            throw ProbeError.corrupt(path: path, container: containerLabel, detail: "no duration and no readable video")
        }
        if let d = duration, d > limits.maxDurationSeconds {
            throw ProbeError.implausibleTiming(path: path, detail: String(format: "it claims to last %.1f hours, over the %.0f-hour limit",
                                                                          d / 3600, limits.maxDurationSeconds / 3600))
        }
        if let f = v.averageFrameRate, f > limits.maxFrameRate {
            throw ProbeError.implausibleTiming(path: path, detail: String(format: "%.0f frames per second, over %.0f", f, limits.maxFrameRate))
        }
        return duration
    }

    /// Photos: the EXIF orientation is how the picture is shown, so it is the picture
    /// stream's rotation (clockwise turn to upright); displaySize is then the upright size.
    static func applyExifOrientation(_ orientation: Int?, to streams: inout [StreamInfo]) {
        if let o = orientation, let turn = Self.exifClockwiseTurn[o],
           let i = streams.firstIndex(where: { $0.type == .video }), (streams[i].rotation ?? 0) == 0 {
            streams[i].rotation = turn
        }
    }

    /// EXIF Orientation → degrees clockwise to turn the stored picture upright (the mirrored
    /// orientations 2, 4, 5, 7 also flip; the turn is what changes the shape).
    static let exifClockwiseTurn: [Int: Int] = [3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270]

    static let imageDemuxers: Set<String> = ["image2", "gif", "apng", "image2pipe"]

    static func streamInfo(_ st: StreamParameters, imageDemuxer: Bool) -> StreamInfo {
        var s = StreamInfo(index: st.index, type: StreamType(rawValue: st.type.rawValue) ?? .data, codec: st.codecName)
        if let start = st.startTime { s.startTime = Double(start) * st.timeBase.double }
        s.profile = st.profileName
        s.isDefault = st.isDefault
        s.bitRate = st.bitRate
        if let lang = st.language, !lang.isEmpty, lang != "und" { s.language = lang }
        switch st.type {
        case .video:
            s.width = st.width; s.height = st.height
            let sar = st.sampleAspectRatio
            s.sampleAspectRatio = sar.isValid ? "\(sar.num):\(sar.den)" : "1:1"
            s.rotation = st.rotation
            let still = imageDemuxer || st.isAttachedPicture
            s.isStill = still
            if !still {
                s.averageFrameRate = st.averageFrameRate.isValid ? st.averageFrameRate.double : nil
                s.realFrameRate = st.realFrameRate.isValid ? st.realFrameRate.double : nil
            }
            s.variableFrameRate = still ? nil : false
            if let pix = st.pixelFormat, pix != .none {
                s.pixelFormat = pix.name
                s.bitDepth = pix.bitDepth
            }
            s.colorPrimaries = st.colorPrimariesName
            s.colorTransfer = st.colorTransferName
            s.colorSpace = st.colorSpaceName
            if st.isPQ { s.hdr = .pq } else if st.isHLG { s.hdr = .hlg }
            s.fieldOrder = st.fieldOrder
        case .audio:
            s.sampleRate = st.sampleRate > 0 ? st.sampleRate : nil
            s.channels = st.channels > 0 ? st.channels : nil
            s.channelLayout = st.channelLayoutName
        default:
            break
        }
        return s
    }

    // MARK: - Frame-rate variability

    struct TimestampScan { var variable: Bool?; var videoPackets: Int }

    /// Reads up to 150 packets of the video stream (at most 3000 packets in all) and looks at
    /// the gaps between presentation timestamps. The timestamps are sorted first (B-frames
    /// arrive out of order), and the 16 highest are dropped because frames presented before
    /// them may not have been read yet. Variable when the gaps differ by more than 2 ticks and
    /// more than 10% of the median gap (so Matroska's 1 ms rounding of 33/34 ms stays constant).
    static func scanTimestamps(demuxer: Demuxer, streamIndex: Int) -> TimestampScan {
        guard let packet = try? Packet() else { return TimestampScan(variable: nil, videoPackets: 0) }
        var stamps: [Int64] = []
        var reads = 0
        while reads < 3000, stamps.count < 150 {
            reads += 1
            guard (try? demuxer.read(into: packet)) == true else { break }
            defer { packet.unref() }
            guard packet.streamIndex == streamIndex else { continue }
            if let t = packet.pts ?? packet.dts { stamps.append(t) }
        }
        let count = stamps.count
        stamps.sort()
        if stamps.count > 40 { stamps.removeLast(16) } else if stamps.count > 8 { stamps.removeLast(4) }
        var gaps: [Int64] = []
        for i in 1..<max(1, stamps.count) where stamps[i] > stamps[i - 1] { gaps.append(stamps[i] - stamps[i - 1]) }
        guard gaps.count >= 4 else { return TimestampScan(variable: nil, videoPackets: count) }
        let sorted = gaps.sorted()
        let median = Double(sorted[sorted.count / 2])
        let spread = Double(sorted.last! - sorted.first!)
        return TimestampScan(variable: spread > 2 && spread > 0.1 * median, videoPackets: count)
    }

    /// Fallback when too few timestamps were readable: the average rate differs from the base rate.
    static func frameRatesDisagree(_ s: StreamInfo) -> Bool {
        guard let a = s.averageFrameRate, let r = s.realFrameRate, a > 0, r > 0 else { return false }
        return abs(a - r) / r > 0.01
    }

    // MARK: - Formats

    /// A reader-friendly name for messages ("an MP4/MOV file").
    static func describe(demuxer: String) -> String {
        switch demuxer {
        case "mov,mp4,m4a,3gp,3g2,mj2": return "an MP4/MOV file"
        case "matroska,webm": return "a Matroska/WebM file"
        case "avi": return "an AVI file"
        case "jpeg_pipe", "image2": return "a JPEG image"
        case "png_pipe": return "a PNG image"
        case "webp_pipe": return "a WebP image"
        case "gif": return "a GIF image"
        case "apng": return "an APNG image"
        default: return "a \(demuxer) file"
        }
    }

    /// Maps demuxer + codecs to the short accepted-format name; refuses the rest with 4001.
    static func shortFormat(demuxer: Demuxer, streams: [StreamInfo], kind: InputKind, image: ImageHeader?, path: String) throws -> String {
        let name = demuxer.formatName
        switch name {
        case "mov,mp4,m4a,3gp,3g2,mj2":
            let brand = demuxer.metadata("major_brand") ?? ""
            if brand.hasPrefix("qt") { return "mov" }
            if brand.hasPrefix("3g") { return "3gp" }
            if brand.hasPrefix("M4A") || brand.hasPrefix("M4B") || kind == .audio { return "m4a" }
            return "mp4"
        case "matroska,webm":
            let webmCodecs: Set<String> = ["vp8", "vp9", "av1", "vorbis", "opus", "webvtt"]
            return streams.allSatisfy { webmCodecs.contains($0.codec) } ? "webm" : "mkv"
        case "avi": return "avi"
        case "mp3": return "mp3"
        case "wav", "w64": return "wav"
        case "aac": return "aac"
        case "mpeg": return "mpeg"
        case "mpegts": return "ts"
        case "ogg": return "ogg"
        case "flv": return "flv"
        case "flac": return "flac"
        case "gif": return "gif"
        case "jpeg_pipe", "jpegls_pipe": return "jpg"
        case "png_pipe", "apng": return "png"
        case "webp_pipe": return "webp"
        case "image2", "image2pipe":
            switch streams.first?.codec {
            case "mjpeg": return "jpg"
            case "png": return "png"
            case "webp": return "webp"
            case "gif": return "gif"
            default: break
            }
        default: break
        }
        if let image { return image.format }
        throw ProbeError.unsupportedFormat(path: path, format: name)
    }

    // MARK: - Helpers

    static func checkDimensions(path: String, width: Int, height: Int, limits: ProbeLimits) throws {
        guard width > 0, height > 0 else { return }
        if width > limits.maxDimension || height > limits.maxDimension || width * height > limits.maxPixels {
            throw ProbeError.dimensionsTooLarge(path: path, width: width, height: height,
                                                maxDimension: limits.maxDimension, maxPixels: limits.maxPixels)
        }
    }

    static func detail(for error: FFmpegError, demuxer: String) -> String {
        if demuxer.hasPrefix("mov,") && error.isInvalidData { return "no moov index: the file was cut off" }
        if case let .call(_, _, message) = error { return message }
        return error.localizedDescription
    }

    static func readBytes(fd: Int32, count: Int, path: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, count - got) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ProbeError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            got += n
        }
        out.removeLast(count - got)
        return out
    }
}
