import MediaProbe

/// How one photo gives way to the next.
public enum SlideshowTransition: String, Codable, Sendable, CaseIterable {
    /// The two photos blend over `transitionDuration`, centred on the cut.
    case crossfade
    /// A hard cut.
    case none
}

/// The order photos are shown in.
public enum PhotoOrder: String, Codable, Sendable, CaseIterable {
    /// As given on the command line (a folder's photos sorted by name).
    case given
    /// By file name, numbers compared as numbers (IMG_2 before IMG_10).
    case name
    /// By capture time from EXIF; photos without one keep their order, after the dated ones.
    case time
}

/// Settings for the offline photo slideshow. The picture and sound follow the tiktok plan's
/// contract (`encoding` gives its preset, CRF, audio bitrate and threads).
public struct SlideshowOptions: Sendable {
    /// Seconds each photo holds the screen (a crossfade is centred on each cut, so the whole
    /// slideshow lasts photos × photoDuration).
    public var photoDuration = 3.0
    public var transition: SlideshowTransition = .crossfade
    public var transitionDuration = 0.5
    public var order: PhotoOrder = .given
    /// A song (any audio the probe accepts) to play under the photos.
    public var music: ProbeReport?
    /// Make the slideshow exactly as long as the song (the photos share its length).
    public var fitToMusic = false
    /// Move each cut to the nearest beat of the song.
    public var beatSync = false
    /// Without music: add a silent AAC track (otherwise the output has no audio).
    public var silentAudio = false
    /// The Ken Burns pan and zoom; off, every photo stands still.
    public var motion = true
    /// Encoder settings (preset, crf, audioBitrate, threads) shared with the tiktok plan.
    public var encoding = TikTokOptions()
    public init() {}

    /// The output rate: the contract's for photos.
    public static let frameRate = Int(TikTokContract.photoOutput.framesPerSecond)
    /// Shortest time a photo may be given when the song's length is shared out (--fit-to-music).
    public static let shortestPhoto = 0.5
}

/// What a slideshow did with its photos (`ConversionResult.slideshow`, printed by `--json`).
public struct SlideshowSummary: Codable, Equatable, Sendable {
    /// The photos shown, in order.
    public var photos: [String]
    /// Photos left out, each with the reason.
    public var skipped: [SkippedPhoto]
    /// Seconds each photo was on screen (between cuts), in order.
    public var photoSeconds: [Double]
    public var music: String?
    /// Integrated loudness of the music before and after normalisation (LUFS).
    public var musicLoudness: Double?
    public var musicGainDB: Double?
    public var beatsFound: Int?
    /// Photos whose move heads for a face, and the face search's CPU time per photo (ms).
    public var photosWithFaces: Int?
    public var faceSearchMilliseconds: Double?

    public struct SkippedPhoto: Codable, Equatable, Sendable {
        public var path: String
        public var reason: String
    }
}
