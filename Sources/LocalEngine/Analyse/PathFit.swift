import Planning
import Reframing

/// `--fit smart`: the window follows a reframe path. Still and panning shots crop to the
/// path's 9:16 window; split shots stack their two windows; fill shots show the whole picture
/// over its blurred copy.
struct PathFit: FitWindowSource {
    let path: ReframePath

    func split(at seconds: Double) -> SplitWindows? {
        path.splitWindows(at: seconds).map { SplitWindows(upper: $0.upper, lower: $0.lower) }
    }

    func geometry(at seconds: Double, for p: SourcePicture) -> FitGeometry {
        let (mode, rect) = path.window(at: seconds)
        guard mode != .fill, mode != .split, path.sourceWidth > 0, path.sourceHeight > 0 else {
            return FitGeometry(storedWidth: p.storedWidth, storedHeight: p.storedHeight, sampleAspect: p.sampleAspect,
                               rotation: p.rotation, mode: .blur)
        }
        // The window's centre as a fraction of the display picture: FitGeometry's crop window
        // is the full-height 9:16 window around it, which is the path's window.
        let focus = ((rect.x + rect.w / 2) / Double(path.sourceWidth), (rect.y + rect.h / 2) / Double(path.sourceHeight))
        return FitGeometry(storedWidth: p.storedWidth, storedHeight: p.storedHeight, sampleAspect: p.sampleAspect,
                           rotation: p.rotation, mode: .crop, focus: focus, panning: mode == .pan)
    }
}
