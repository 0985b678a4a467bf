import Foundation
import TestSupport
import XCTest
@testable import Reframing

/// The YuNet wrapper against an independent decoding of the same network's outputs in Python
/// (Debian's python3-opencv runs the model through cv2.dnn, numpy decodes it): on the same
/// photograph the faces, scores and landmarks must agree. The model is the one scripts/setup
/// installs; the tests fail when it is missing.
final class YuNetTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tikconv-yunet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func modelPath() throws -> String {
        try XCTUnwrap(FaceModel.locate().path, "the YuNet model is not installed: run scripts/setup")
    }

    /// The astronaut photograph at full size (left) and half size (right) on mid grey, 480x270
    /// packed BGR: what the model sees in an analysed picture.
    private func canvas() throws -> (bgr: [UInt8], width: Int, height: Int) {
        let face = try PNM(path: Fixtures.path("face.ppm"))
        let width = 480, height = 270
        var bgr = [UInt8](repeating: 120, count: width * height * 3)
        func paste(_ factor: Int, x: Int, y: Int) {
            for row in 0 ..< face.height / factor {
                for col in 0 ..< face.width / factor {
                    let s = ((row * factor) * face.width + col * factor) * 3
                    let d = ((y + row) * width + x + col) * 3
                    bgr[d] = face.pixels[s + 2]; bgr[d + 1] = face.pixels[s + 1]; bgr[d + 2] = face.pixels[s]
                }
            }
        }
        paste(1, x: 40, y: 40)
        paste(2, x: 330, y: 120)
        return (bgr, width, height)
    }

    func testDecodingMatchesPythonReference() throws {
        let (bgr, width, height) = try canvas()
        let detector = try YuNetDetector(path: try modelPath())
        let ours = try bgr.withUnsafeBufferPointer {
            try detector.detect(bgr: $0.baseAddress!, width: width, height: height, stride: width * 3, minScore: 0.5)
        }
        var ppm = Data("P6\n\(width) \(height)\n255\n".utf8)
        for i in stride(from: 0, to: bgr.count, by: 3) { ppm.append(contentsOf: [bgr[i + 2], bgr[i + 1], bgr[i]]) }
        let image = folder.appendingPathComponent("canvas.ppm")
        try ppm.write(to: image)
        let reference = try JSONDecoder().decode([[Double]].self, from: try runPython(Self.referenceScript, [image.path, try modelPath()]))
        XCTAssertEqual(ours.count, reference.count, "ours \(ours.map(\.box)) vs reference \(reference)")
        XCTAssertGreaterThanOrEqual(ours.count, 2, "both astronaut faces")
        for (face, ref) in zip(ours, reference) {
            let values = [face.box.x, face.box.y, face.box.w, face.box.h, face.box.score] + face.landmarks.flatMap { [$0.x, $0.y] }
            for (a, b) in zip(values, ref) { XCTAssertEqual(a, b, accuracy: 0.02) }
        }
        // The large face is where the photograph's head is (measured by eye: x 18-113, y 10-107).
        let big = try XCTUnwrap(ours.max { $0.box.w < $1.box.w })
        let head = Box(x: 40 + Fixtures.headInFace.x, y: 40 + Fixtures.headInFace.y, w: Fixtures.headInFace.w, h: Fixtures.headInFace.h, score: 0)
        XCTAssertGreaterThan(big.box.iou(head), 0.4, "\(big.box)")
        // Eyes above the nose, the nose above the mouth corners.
        XCTAssertLessThan(big.landmarks[0].y, big.landmarks[2].y)
        XCTAssertLessThan(big.landmarks[2].y, big.landmarks[3].y)
    }

    func testYUVPicturesFindTheSameFaces() throws {
        let face = try PNM(path: Fixtures.path("face.ppm"))
        var picture = Planes(width: 480, height: 270)
        for i in picture.y.indices { picture.y[i] = 120 }
        picture.paste(Planes.sprite(face), x: 40, y: 40)
        let detector = try YuNetDetector(path: try modelPath())
        let found = try picture.withPicture { try detector.detect($0, minScore: 0.5) }
        XCTAssertEqual(found.count, 1)
        let head = Box(x: 40 + Fixtures.headInFace.x, y: 40 + Fixtures.headInFace.y, w: Fixtures.headInFace.w, h: Fixtures.headInFace.h, score: 0)
        XCTAssertGreaterThan(try XCTUnwrap(found.first).box.iou(head), 0.4)
    }

    func testSharpnessMatchesOpenCV() throws {
        let gravel = try PNM(path: Fixtures.path("gravel.pgm"))
        // Inside the picture the Laplacian reads the pixels around the region, as over the whole picture.
        let region = Box(x: 20, y: 30, w: 100, h: 80, score: 0)
        let ours = gravel.pixels.withUnsafeBufferPointer {
            sharpness(GreyPicture(base: $0.baseAddress!, width: gravel.width, height: gravel.height, stride: gravel.width), in: region)
        }
        let out = try runPython("""
        import sys, cv2
        g = cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE)
        print(float(cv2.Laplacian(g, cv2.CV_32F)[30:110, 20:120].var()))
        """, [Fixtures.path("gravel.pgm")])
        let reference = try XCTUnwrap(Double(String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(ours, reference, accuracy: reference * 1e-4)
        XCTAssertGreaterThan(ours, 0)
    }

    func testMissingOrDamagedModelIsAnErrorNotACrash() throws {
        XCTAssertThrowsError(try YuNetDetector(path: folder.appendingPathComponent("none.onnx").path)) { error in
            guard case let ReframingError.faceModel(why) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains("none.onnx"), why)
        }
        let damaged = folder.appendingPathComponent("damaged.onnx")
        try Data("not a network".utf8).write(to: damaged)
        XCTAssertThrowsError(try YuNetDetector(path: damaged.path))
    }

    func testModelSearchOrder() {
        let env = ["TIKCONV_MODEL_DIR": "/opt/models", "HOME": "/home/u"]
        XCTAssertEqual(FaceModel.searchFolders(environment: env, executable: "/usr/bin/tikconv"), ["/opt/models"])
        let folders = FaceModel.searchFolders(environment: ["HOME": "/home/u"], executable: "/nonexistent/prefix/bin/tikconv")
        XCTAssertEqual(folders, ["/nonexistent/prefix/bin", "/nonexistent/prefix/share/tikconv", "/home/u/.local/share/tikconv",
                                 "/usr/local/share/tikconv", "/usr/share/tikconv"])
    }

    private func runPython(_ script: String, _ arguments: [String]) throws -> Data {
        try runPythonReference(script, arguments)
    }

    /// YuNet through cv2.dnn with the outputs decoded in numpy: [x, y, w, h, score, 10 landmark
    /// coordinates] per face, best first.
    private static let referenceScript = """
    import sys, json, cv2, numpy as np
    img = cv2.imread(sys.argv[1])
    h, w = img.shape[:2]
    pw, ph = (w + 31) // 32 * 32, (h + 31) // 32 * 32
    padded = cv2.copyMakeBorder(img, 0, ph - h, 0, pw - w, cv2.BORDER_CONSTANT, value=0)
    net = cv2.dnn.readNetFromONNX(sys.argv[2])
    net.setInput(cv2.dnn.blobFromImage(padded))
    names = [f"{k}_{s}" for k in ("cls", "obj", "bbox", "kps") for s in (8, 16, 32)]
    outs = dict(zip(names, net.forward(names)))
    faces = []
    for s in (8, 16, 32):
        cols, rows = pw // s, ph // s
        cls = outs[f"cls_{s}"].reshape(-1); obj = outs[f"obj_{s}"].reshape(-1)
        bbox = outs[f"bbox_{s}"].reshape(-1, 4); kps = outs[f"kps_{s}"].reshape(-1, 10)
        score = np.sqrt(np.clip(cls, 0, 1) * np.clip(obj, 0, 1))
        for i in np.nonzero(score >= 0.5)[0]:
            r, c = divmod(int(i), cols)
            cx, cy = (c + bbox[i, 0]) * s, (r + bbox[i, 1]) * s
            bw, bh = np.exp(bbox[i, 2]) * s, np.exp(bbox[i, 3]) * s
            lm = [float((c + kps[i, 2 * k]) * s) if j == 0 else float((r + kps[i, 2 * k + 1]) * s) for k in range(5) for j in (0, 1)]
            faces.append([float(cx - bw / 2), float(cy - bh / 2), float(bw), float(bh), float(score[i])] + lm)
    keep = cv2.dnn.NMSBoxes([f[:4] for f in faces], [f[4] for f in faces], 0.5, 0.3) if faces else []
    kept = sorted((faces[int(i)] for i in np.array(keep).reshape(-1)), key=lambda f: -f[4])
    print(json.dumps(kept))
    """
}
