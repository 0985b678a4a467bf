/// A frame rate as people write it: 30, 25, 29.97, 23.976, 59.94, 12.5 (never "30" for 29.97).
public enum FrameRateText {
    public static func format(_ fps: Double) -> String {
        if abs(fps - fps.rounded()) < 0.0005 { return String(Int(fps.rounded())) }
        var s = String(format: "%.3f", fps)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
