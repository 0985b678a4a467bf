import CASS

/// Owns an ASS_Library (freed with ass_library_done).
final class ASSLibrary {
    let pointer: OpaquePointer
    init() throws {
        var message = [CChar](repeating: 0, count: 768)
        guard tk_ass_load(&message, message.count) == 0 else { throw CaptionError.renderer(String(cString: message)) }
        guard let p = ass_library_init() else { throw CaptionError.renderer("libass could not start") }
        pointer = p
        // Scripts name no font files of their own; fonts come from fontconfig only.
        ass_set_extract_fonts(p, 0)
        tk_ass_quiet(p)
    }
    deinit { ass_library_done(pointer) }
}

/// Owns an ASS_Track (freed with ass_free_track). The library outlives it.
final class ASSTrack {
    let pointer: UnsafeMutablePointer<ASS_Track>
    private let library: ASSLibrary

    /// Parses a whole script (UTF-8 text).
    init(script: String, library: ASSLibrary) throws {
        var bytes = Array(script.utf8)
        let track = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                ass_read_memory(library.pointer, $0, buf.count, nil)
            }
        }
        guard let track else { throw CaptionError.renderer("libass could not read the caption script") }
        pointer = track
        self.library = library
    }
    deinit { ass_free_track(pointer) }

    var eventCount: Int { Int(pointer.pointee.n_events) }
    var playSize: (width: Int, height: Int) { (Int(pointer.pointee.PlayResX), Int(pointer.pointee.PlayResY)) }

    /// Makes every style keep at least these margins (in script pixels): text the author did not
    /// place stays inside them.
    func raiseMargins(left: Int, right: Int, vertical: Int) {
        for i in 0..<Int(pointer.pointee.n_styles) {
            pointer.pointee.styles[i].MarginL = max(pointer.pointee.styles[i].MarginL, Int32(left))
            pointer.pointee.styles[i].MarginR = max(pointer.pointee.styles[i].MarginR, Int32(right))
            pointer.pointee.styles[i].MarginV = max(pointer.pointee.styles[i].MarginV, Int32(vertical))
        }
    }

    /// Changes the script's height in its own pixels (font sizes and vertical positions are measured in it).
    func setPlayHeight(_ h: Int) { pointer.pointee.PlayResY = Int32(h) }
}

/// Owns an ASS_Renderer (freed with ass_renderer_done) for pictures of one size.
final class ASSRenderer {
    let pointer: OpaquePointer
    private let library: ASSLibrary

    init(library: ASSLibrary, width: Int, height: Int) throws {
        guard let r = ass_renderer_init(library.pointer) else { throw CaptionError.renderer("libass could not make a renderer") }
        pointer = r
        self.library = library
        ass_set_frame_size(r, Int32(width), Int32(height))
        ass_set_storage_size(r, Int32(width), Int32(height))
        // Missing glyphs (CJK, Arabic, emoji) are found by fontconfig's fallback.
        ass_set_fonts(r, nil, "sans-serif", Int32(ASS_FONTPROVIDER_AUTODETECT.rawValue), nil, 1)
    }
    deinit { ass_renderer_done(pointer) }

    /// The bitmaps at `ms` (valid until the next render) and whether they differ from the last
    /// render (libass's detect_change: 0 the same, 1 moved, 2 new).
    func render(_ track: ASSTrack, atMilliseconds ms: Int64) -> (images: UnsafeMutablePointer<ASS_Image>?, change: Int) {
        var change: Int32 = 0
        let images = ass_render_frame(pointer, track.pointer, ms, &change)
        return (images, Int(change))
    }
}
