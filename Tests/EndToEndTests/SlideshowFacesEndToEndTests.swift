import Foundation
import XCTest

/// The slideshow's move towards faces through the built binary: a photo with the
/// astronaut's face (Tests/Fixtures/reframe) off-centre on gravel, composed by the ffmpeg CLI;
/// the face is found in the decoded output by template matching (OpenCV's normalised
/// cross-correlation in Debian's python3-opencv, at quarter resolution over a range of scales), independently of
/// tikconv's detector.
final class SlideshowFacesEndToEndTests: EndToEndTestCase {
    static let fixtures = repoRoot.appendingPathComponent("Tests/Fixtures/reframe").path

    /// For each frame: the best match's score, its scale relative to the photo shown whole
    /// (1 = the size the template has in the photo times `screenScale`), and its centre.
    struct Match: Decodable { var score: Double, zoom: Double, x: Double, y: Double }

    static let matcher = """
    import cv2, json, sys
    import numpy as np
    template, screen = cv2.imread(sys.argv[1]), float(sys.argv[2])
    found = []
    for path in sys.argv[3:]:
        frame = cv2.resize(cv2.imread(path), None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
        best = None
        for zoom in np.arange(0.90, 1.45, 0.02):
            s = 0.25 * screen * zoom
            t = cv2.resize(template, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            _, score, _, loc = cv2.minMaxLoc(cv2.matchTemplate(frame, t, cv2.TM_CCOEFF_NORMED))
            if best is None or score > best["score"]:
                best = {"score": float(score), "zoom": float(zoom), "x": 4 * (loc[0] + t.shape[1] / 2), "y": 4 * (loc[1] + t.shape[0] / 2)}
        found.append(best)
    print(json.dumps(found))
    """

    /// A 1600x1200 photo with the face near its top left: the last frame of its segment shows
    /// the face larger (the face move's zoom, 1.25) and nearer the frame's centre than the first.
    func testSlideshowMovesTowardsAFaceOffCentre() throws {
        guard (try? run(["/usr/bin/python3", "-c", "import cv2"]))?.status == 0 else {
            XCTFail("python3-opencv is missing (scripts/setup installs it)")
            return
        }
        let face = Self.fixtures + "/face.ppm", gravel = Self.fixtures + "/gravel.pgm"
        // The face as it sits in the photo (scaled 2x), also kept as the matching template.
        try ffmpeg(["-i", face, "-vf", "scale=256:384:flags=bicubic", "-update", "1", "sprite.png"])
        try ffmpeg(["-i", gravel, "-i", "sprite.png", "-filter_complex",
                    "[0]scale=1600:1200:flags=bicubic,format=rgb24[bg];[bg][1]overlay=160:120",
                    "-frames:v", "1", "-q:v", "2", "-update", "1", "photo.jpg"])
        let r = try tikconv([dir + "/photo.jpg", "--photo-duration", "2", "--transition", "none", "-o", outDir + "/show.mp4",
                             "--preset", "ultrafast", "--progress", "none"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("moves towards faces in 1 of 1 photos"), r.stderr)
        try ffmpeg(["-i", outDir + "/show.mp4", "-vf", "select='eq(n\\,0)+eq(n\\,59)'", "-vsync", "0", "frame%d.png"])
        // The photo fills the 1080-wide screen at first: 1080/1600 of its size.
        let m = try matches(["frame1.png", "frame2.png"], screenScale: 1080.0 / 1600)
        guard m.count == 2 else { return XCTFail("expected two frames, got \(m)") }
        let (first, last) = (m[0], m[1])
        XCTAssertGreaterThan(first.score, 0.85, "the whole face is in the first frame: \(first)")
        XCTAssertGreaterThan(last.score, 0.85, "the whole face is in the last frame: \(last)")
        XCTAssertGreaterThan(last.zoom / first.zoom, 1.15, "the face is larger at the end: \(first) → \(last)")
        func offCentre(_ m: Match) -> Double { hypot(m.x - 540, m.y - 960) }
        XCTAssertLessThan(offCentre(last), offCentre(first) - 30, "the face comes towards the centre: \(first) → \(last)")
    }

    func matches(_ frames: [String], screenScale: Double) throws -> [Match] {
        let script = dir + "/match.py"
        try Self.matcher.write(toFile: script, atomically: true, encoding: .utf8)
        let r = try run(["/usr/bin/python3", script, dir + "/sprite.png", String(screenScale)] + frames.map { dir + "/" + $0 })
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONDecoder().decode([Match].self, from: Data(r.stdout.utf8))
    }

    /// Runs a helper program; its output is read from files (a chatty tool cannot stall).
    func run(_ command: [String]) throws -> Result {
        try tikconv(Array(command.dropFirst()), executable: command[0], timeout: 120)
    }
}
