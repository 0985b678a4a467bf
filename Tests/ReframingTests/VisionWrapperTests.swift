import Foundation
import TestSupport
import XCTest
@testable import Reframing

/// Each CVision wrapper against OpenCV's own result on the same fixture picture: Debian's
/// Python binding of the same OpenCV (python3-opencv, installed by scripts/setup) runs the
/// same calls with the same parameters, and the boxes must match exactly.
final class VisionWrapperTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-vision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The astronaut's face on gravel, large (left) and small (right): a 480x270 grey picture.
    private func facePicture() throws -> Planes {
        let face = try PNM(path: Fixtures.path("face.ppm")), gravel = try PNM(path: Fixtures.path("gravel.pgm"))
        var p = Planes.background(gravel, width: 480, height: 270, tint: (128, 128))
        p.paste(Planes.sprite(face), x: 60, y: 40)
        p.paste(Planes.sprite(face, factor: 2), x: 330, y: 100)
        return p
    }

    func testFaceDetectorMatchesOpenCV() throws {
        let picture = try facePicture()
        let detector = try FaceDetector()
        let frontal = try picture.withPicture { try detector.detect($0.luma, minSize: 24, profiles: .never) }
        let all = try picture.withPicture { try detector.detect($0.luma, minSize: 24, profiles: .always) }
        let reference = try python(Self.faceScript, picture: picture, arguments: [detector.directory])
        // Both faces, as the frontal cascade finds them in Python.
        XCTAssertEqual(frontal.count, 2)
        XCTAssertEqual(Set(frontal.map(Self.key)), Set(reference["frontal"]!))
        // Profile finds on the picture and its mirror come on top, minus those overlapping a frontal find.
        let profiles = Set(reference["profile"]! + reference["mirrored"]!)
        XCTAssertTrue(Set(all.map(Self.key)).isSuperset(of: Set(frontal.map(Self.key))))
        XCTAssertTrue(Set(all.map(Self.key)).subtracting(frontal.map(Self.key)).isSubset(of: profiles))
    }

    func testPeopleDetectorMatchesOpenCV() throws {
        let astronaut = try PNM(path: Fixtures.path("astronaut.pgm"))
        var picture = Planes(width: 480, height: 270)
        for i in picture.y.indices { picture.y[i] = 128 }
        var sprite = Planes(width: astronaut.width, height: astronaut.height)
        sprite.y = astronaut.pixels
        picture.paste(sprite, x: 100, y: 34)
        let found = try picture.withPicture { try PeopleDetector().detect($0.luma) }
        let reference = try python(Self.peopleScript, picture: picture, arguments: [])
        XCTAssertEqual(found.count, 1, "the astronaut is a person to OpenCV's HOG at this size")
        XCTAssertEqual(found.map(Self.key), reference["people"]!)
    }

    func testMotionDetectorMatchesOpenCV() throws {
        let gravel = try PNM(path: Fixtures.path("gravel.pgm"))
        let background = Planes.background(gravel, width: 480, height: 270, tint: (128, 128))
        let ball = Planes.ball(radius: 24)
        var before = background, after = background
        before.paste(ball, x: 100, y: 120)
        after.paste(ball, x: 130, y: 124)
        let detector = try MotionDetector()
        let first = try before.withPicture { try detector.update($0.luma) }
        XCTAssertNil(first, "the first picture has nothing to compare with")
        let moved = try XCTUnwrap(try after.withPicture { try detector.update($0.luma) })
        try write(before, to: "before.pgm")
        let reference = try python(Self.motionScript, picture: after, arguments: [folder.appendingPathComponent("before.pgm").path])
        XCTAssertEqual([Self.key(moved)], reference["motion"]!)
        // The box spans where the ball was and where it is now.
        XCTAssertLessThanOrEqual(moved.x, 100)
        XCTAssertGreaterThanOrEqual(moved.right, 130 + 46)
        detector.reset()
        XCTAssertNil(try after.withPicture { try detector.update($0.luma) }, "after reset there is no previous picture")
    }

    /// A face moved 18 pixels right and 4 up since the kept picture is found again there, as
    /// OpenCV's matchTemplate finds it in Python; a plain region and a picture with nothing
    /// kept give no shift.
    func testRegionShiftsMatchOpenCV() throws {
        let gravel = try PNM(path: Fixtures.path("gravel.pgm")), face = Planes.sprite(try PNM(path: Fixtures.path("face.ppm")))
        let background = Planes.background(gravel, width: 480, height: 270, tint: (128, 128))
        var before = background, after = background
        before.paste(face, x: 60, y: 40)
        after.paste(face, x: 78, y: 36)
        var plain = Planes(width: 40, height: 40)
        for i in plain.y.indices { plain.y[i] = 90 }
        before.paste(plain, x: 300, y: 150)
        after.paste(plain, x: 310, y: 150)
        let faceBox = Box(x: 78, y: 36, w: Double(face.width), h: Double(face.height), score: 1)
        let plainBox = Box(x: 310, y: 150, w: 40, h: 40, score: 1)
        let detector = try MotionDetector()
        XCTAssertEqual(try after.withPicture { try detector.shifts($0.luma, of: [faceBox]) }.map { $0 == nil }, [true],
                       "nothing kept yet")
        try before.withPicture { try detector.keep($0.luma) }
        let shifts = try after.withPicture { try detector.shifts($0.luma, of: [faceBox, plainBox]) }
        XCTAssertEqual(shifts.count, 2)
        XCTAssertEqual(shifts[0]?.x, 18)
        XCTAssertEqual(shifts[0]?.y, -4)
        XCTAssertNil(shifts[1], "a plain region matches anywhere: no shift")
        try write(before, to: "before.pgm")
        let reference = try python(Self.shiftScript, picture: after, arguments: [folder.appendingPathComponent("before.pgm").path,
                                                                                "78", "36", "\(face.width)", "\(face.height)"])
        XCTAssertEqual(reference["shift"]!, [[18, -4]])
        detector.reset()
        XCTAssertNil(try after.withPicture { try detector.shifts($0.luma, of: [faceBox]) }.first!, "reset forgets the kept picture")
    }

    /// Two things move: a wide low one (two far walkers side by side) and a narrower, taller one
    /// with less moving area (a walker nearer the camera). The tall one is followed, as long as
    /// its moving area is not small beside the largest.
    func testMotionFollowsTheTallestOfTheLargerMovingRegions() throws {
        let gravel = try PNM(path: Fixtures.path("gravel.pgm"))
        let background = Planes.background(gravel, width: 480, height: 270, tint: (128, 128))
        var before = background, after = background
        before.paste(Self.stripes(width: 120, height: 40), x: 40, y: 150)
        after.paste(Self.stripes(width: 120, height: 40), x: 60, y: 150)
        before.paste(Self.stripes(width: 24, height: 90), x: 330, y: 100)
        after.paste(Self.stripes(width: 24, height: 90), x: 344, y: 100)
        let detector = try MotionDetector()
        _ = try before.withPicture { try detector.update($0.luma) }
        let moved = try XCTUnwrap(try after.withPicture { try detector.update($0.luma) })
        try write(before, to: "before.pgm")
        let reference = try python(Self.motionScript, picture: after, arguments: [folder.appendingPathComponent("before.pgm").path])
        XCTAssertEqual([Self.key(moved)], reference["motion"]!)
        XCTAssertGreaterThanOrEqual(moved.x, 320, "the tall walker, not the wide pair")
        XCTAssertGreaterThanOrEqual(moved.h, 88)
        // A thin tall thing with little moving area (a swaying pole) is not followed.
        var still = background, swayed = background
        still.paste(Self.stripes(width: 120, height: 40), x: 40, y: 150)
        swayed.paste(Self.stripes(width: 120, height: 40), x: 60, y: 150)
        still.paste(Self.stripes(width: 4, height: 90), x: 330, y: 100)
        swayed.paste(Self.stripes(width: 4, height: 90), x: 334, y: 100)
        detector.reset()
        _ = try still.withPicture { try detector.update($0.luma) }
        let followed = try XCTUnwrap(try swayed.withPicture { try detector.update($0.luma) })
        XCTAssertLessThan(followed.x, 100, "the pole's region is under a third of the pair's")
    }

    /// A block of vertical stripes 3 pixels wide: moved sideways, most of its pixels change.
    private static func stripes(width: Int, height: Int) -> Planes {
        var p = Planes(width: width, height: height)
        for row in 0 ..< height { for col in 0 ..< width { p.y[row * width + col] = (col / 3) % 2 == 0 ? 20 : 230 } }
        return p
    }

    func testHistogramMatchesOpenCV() throws {
        let picture = try facePicture()
        var colourful = picture
        for i in colourful.u.indices { colourful.u[i] = UInt8(i % 200 + 20); colourful.v[i] = UInt8((i / 7) % 180 + 40) }
        let ours = try colourful.withPicture { try yuvHistogram($0) }
        try write(colourful, to: "picture.pgm")
        try writePlane(colourful.u, width: colourful.chromaWidth, height: 135, to: "u.pgm")
        try writePlane(colourful.v, width: colourful.chromaWidth, height: 135, to: "v.pgm")
        let out = try runPython(Self.histogramScript, [folder.path])
        let reference = try JSONDecoder().decode([Double].self, from: out)
        XCTAssertEqual(ours.count, reference.count)
        for (a, b) in zip(ours, reference) { XCTAssertEqual(Double(a), b, accuracy: 1e-6) }
    }

    func testLayoutMatchesNumPy() throws {
        // 470x263: neither side divides into the 16 x 9 grid, so the uneven cells are checked too.
        var picture = Planes(width: 470, height: 263)
        for i in picture.y.indices { picture.y[i] = UInt8((i * 37 + i / 470 * 11) % 251) }
        let ours = try picture.withPicture { try lumaLayout($0) }
        try write(picture, to: "layout.pgm")
        let out = try runPython(Self.layoutScript, [folder.path])
        let reference = try JSONDecoder().decode([Double].self, from: out)
        XCTAssertEqual(ours.count, 16 * 9)
        XCTAssertEqual(ours.count, reference.count)
        for (a, b) in zip(ours, reference) { XCTAssertEqual(Double(a), b, accuracy: 1e-3) }
    }

    func testBadArgumentsComeBackAsErrorsNotCrashes() throws {
        let picture = Planes(width: 480, height: 270)
        let detector = try FaceDetector()
        XCTAssertThrowsError(try picture.withPicture { try detector.detect($0.luma, minSize: 0, profiles: .never) }) { error in
            guard case let ReframingError.vision(message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("face detection"), message)
        }
        // A stride shorter than the row reaches the C boundary unchecked by Swift.
        try picture.y.withUnsafeBufferPointer { y in
            let narrow = GreyPicture(base: y.baseAddress!, width: 480, height: 270, stride: 100)
            XCTAssertThrowsError(try PeopleDetector().detect(narrow))
            XCTAssertThrowsError(try MotionDetector().update(narrow))
        }
    }

    func testMissingCascadesGiveAnActionableError() {
        XCTAssertThrowsError(try FaceDetector(directory: folder.path)) { error in
            guard case let ReframingError.cascadesMissing(why) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains(folder.path), why)
        }
        setenv("TIKCONV_CASCADES", folder.path, 1)
        defer { unsetenv("TIKCONV_CASCADES") }
        XCTAssertThrowsError(try FaceDetector()) { error in
            XCTAssertTrue(error.localizedDescription.contains("TIKCONV_CASCADES=\(folder.path)"), error.localizedDescription)
        }
        XCTAssertThrowsError(try SceneAnalyzer(displayWidth: 1920, displayHeight: 1080, faceModel: nil)) { error in
            guard case ReframingError.cascadesMissing = error else { return XCTFail("\(error)") }
        }
    }

    func testCascadesFoundThroughTheEnvironment() throws {
        let known = try FaceDetector().directory
        setenv("TIKCONV_CASCADES", known, 1)
        defer { unsetenv("TIKCONV_CASCADES") }
        XCTAssertEqual(try FaceDetector().directory, known)
    }

    // MARK: - helpers

    private static func key(_ box: Box) -> [Int] { [Int(box.x), Int(box.y), Int(box.w), Int(box.h), Int(box.score.rounded())] }

    private func write(_ picture: Planes, to name: String) throws {
        try writePlane(picture.y, width: picture.width, height: picture.height, to: name)
    }

    private func writePlane(_ plane: [UInt8], width: Int, height: Int, to name: String) throws {
        var data = Data("P5\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: plane.prefix(width * height))
        try data.write(to: folder.appendingPathComponent(name))
    }

    /// Runs `script` on the picture's luma (argv[1]) and extra arguments; returns its JSON
    /// object of box lists ([x, y, w, h, score]).
    private func python(_ script: String, picture: Planes, arguments: [String]) throws -> [String: [[Int]]] {
        try write(picture, to: "picture.pgm")
        let out = try runPython(script, [folder.appendingPathComponent("picture.pgm").path] + arguments)
        return try JSONDecoder().decode([String: [[Int]]].self, from: out)
    }

    private func runPython(_ script: String, _ arguments: [String]) throws -> Data {
        try runPythonReference(script, arguments)
    }

    private static let faceScript = """
    import sys, json, cv2
    img = cv2.equalizeHist(cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE))
    d = sys.argv[2]
    def load(name):
        import os
        for sub in ("", "/lbpcascades", "/haarcascades"):
            p = d + sub + "/" + name
            if os.path.isfile(p): return cv2.CascadeClassifier(p)
    def run(c, im, mirrored, step):
        rects, n = c.detectMultiScale2(im, scaleFactor=step, minNeighbors=3, flags=0, minSize=(24, 24))
        out = []
        for (x, y, w, h), k in zip(rects, n):
            if mirrored: x = im.shape[1] - x - w
            out.append([int(x), int(y), int(w), int(h), int(k)])
        return out
    frontal, profile = load("lbpcascade_frontalface.xml"), load("lbpcascade_profileface.xml")
    print(json.dumps({"frontal": run(frontal, img, False, 1.1), "profile": run(profile, img, False, 1.2),
                      "mirrored": run(profile, cv2.flip(img, 1), True, 1.2)}))
    """

    private static let peopleScript = """
    import sys, json, cv2
    img = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
    hog = cv2.HOGDescriptor(); hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    rects, weights = hog.detectMultiScale(img, hitThreshold=0, winStride=(8, 8), padding=(0, 0), scale=1.1, groupThreshold=2.0)
    out = sorted(([int(x), int(y), int(w), int(h), int(round(float(s)))] for (x, y, w, h), s in zip(rects, weights.ravel() if len(weights) else [])), key=lambda b: -b[4])
    print(json.dumps({"people": out}))
    """

    private static let motionScript = """
    import sys, json, cv2
    now = cv2.GaussianBlur(cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE), (5, 5), 0)
    before = cv2.GaussianBlur(cv2.imread(sys.argv[2], cv2.IMREAD_GRAYSCALE), (5, 5), 0)
    _, mask = cv2.threshold(cv2.absdiff(now, before), 25, 255, cv2.THRESH_BINARY)
    moved = cv2.countNonZero(mask) / mask.size
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    largest = max(cv2.contourArea(c) for c in contours)
    # The tallest of the regions at least a third the area of the largest (the first one found
    # when two are as tall).
    best = None
    for c in contours:
        if cv2.contourArea(c) >= largest / 3 and (best is None or cv2.boundingRect(c)[3] > best[3]):
            best = cv2.boundingRect(c)
    x, y, w, h = best
    print(json.dumps({"motion": [[x, y, w, h, int(round(moved))]]}))
    """

    private static let shiftScript = """
    import sys, json, cv2
    now = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
    kept = cv2.imread(sys.argv[2], cv2.IMREAD_GRAYSCALE)
    x, y, w, h = (int(v) for v in sys.argv[3:7])
    reach = max(w, h)
    x0, y0 = max(0, x - reach), max(0, y - reach)
    x1, y1 = min(now.shape[1], x + w + reach), min(now.shape[0], y + h + reach)
    scores = cv2.matchTemplate(kept[y0:y1, x0:x1], now[y:y + h, x:x + w], cv2.TM_CCOEFF_NORMED)
    _, best, _, (bx, by) = cv2.minMaxLoc(scores)
    plain = cv2.meanStdDev(now[y:y + h, x:x + w])[1][0][0] < 4
    print(json.dumps({"shift": [[x - (x0 + bx), y - (y0 + by)]] if best >= 0.6 and not plain else []}))
    """

    private static let layoutScript = """
    import sys, json, cv2, math
    p = cv2.imread(sys.argv[1] + "/layout.pgm", cv2.IMREAD_GRAYSCALE).astype(float)
    h, w = p.shape
    def edge(i, n, size): return math.ceil(i * size / n)
    print(json.dumps([p[edge(r, 9, h):edge(r + 1, 9, h), edge(c, 16, w):edge(c + 1, 16, w)].mean()
                      for r in range(9) for c in range(16)]))
    """

    private static let histogramScript = """
    import sys, json, cv2
    d = sys.argv[1]
    out = []
    for name, bins in (("picture.pgm", 32), ("u.pgm", 16), ("v.pgm", 16)):
        p = cv2.imread(d + "/" + name, cv2.IMREAD_GRAYSCALE)
        h = cv2.calcHist([p], [0], None, [bins], [0, 256]).ravel()
        out += [float(v) / p.size for v in h]
    print(json.dumps(out))
    """
}
