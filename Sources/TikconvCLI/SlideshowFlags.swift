import ArgumentParser
import LocalEngine

/// The offline photo slideshow's flags (`tikconv photos/*.jpg --music song.mp3`).
struct SlideshowFlags: ParsableArguments {
    @Option(help: "Slideshow: seconds each photo is shown (default 3).")
    var photoDuration: Double?

    @Option(help: "Slideshow: crossfade (default) or none.")
    var transition: SlideshowTransition?

    @Option(help: "Slideshow: crossfade length in seconds (default 0.5).")
    var transitionDuration: Double?

    @Option(help: "Slideshow: a song to play under the photos (any audio file; trimmed, about -14 LUFS, faded out).")
    var music: String?

    @Flag(help: "Slideshow: make it as long as the song.")
    var fitToMusic = false

    @Flag(help: "Slideshow: cut on the song's beats.")
    var beatSync = false

    @Option(help: "Slideshow: photo order: given (default), name, or time (EXIF capture time).")
    var order: PhotoOrder?

    @Flag(help: "Slideshow: photos stand still (no Ken Burns pan and zoom).")
    var noMotion = false

    func validate() throws {
        if let d = photoDuration, !(d >= 0.2 && d <= 600) { throw ValidationError("--photo-duration takes seconds from 0.2 to 600, e.g. 3") }
        if let t = transitionDuration, !(t >= 0 && t <= 10) { throw ValidationError("--transition-duration takes seconds from 0 to 10, e.g. 0.5") }
    }

    /// Whether any slideshow-only flag was given.
    var isUsed: Bool {
        photoDuration != nil || transition != nil || transitionDuration != nil || music != nil || fitToMusic || beatSync
            || order != nil || noMotion
    }
}

extension SlideshowTransition: ExpressibleByArgument {}
extension PhotoOrder: ExpressibleByArgument {}
