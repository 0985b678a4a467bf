// reframe-bench: CPU cost of the smart-reframing analysis per stage, on ground-truth-style
// clips made from the test fixtures (a face photograph and a texture, Tests/Fixtures/reframe).
// Usage: reframe-bench [seconds] [fixtures folder]. Prints a Markdown table.
//    or: reframe-bench --raw FILE WxH FPS DISPLAYWxDISPLAYH — analyses raw yuv420p frames (e.g.
//        `ffmpeg -i clip -vf scale=480:-2 -f rawvideo -pix_fmt yuv420p FILE`) and prints the
//        path as JSON and the costs, to look at real footage without the engine.
import Foundation
import Reframing

if CommandLine.arguments.count == 6, CommandLine.arguments[1] == "--raw" {
    try analyseRaw(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}

func analyseRaw(_ args: [String]) throws {
    let size = args[1].split(separator: "x").compactMap { Int($0) }, display = args[3].split(separator: "x").compactMap { Int($0) }
    guard size.count == 2, display.count == 2, let fps = Double(args[2]) else { throw CocoaError(.formatting) }
    let (w, h) = (size[0], size[1]), (cw, ch) = ((size[0] + 1) / 2, (size[1] + 1) / 2)
    let frameBytes = w * h + 2 * cw * ch
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: args[0]))
    let analyzer = try SceneAnalyzer(displayWidth: display[0], displayHeight: display[1])
    var index = 0
    while let data = try handle.read(upToCount: frameBytes), data.count == frameBytes {
        let bytes = [UInt8](data)
        try bytes.withUnsafeBufferPointer { p in
            let base = p.baseAddress!
            let picture = AnalysisPicture(width: w, height: h, planes: [(base, w), (base + w * h, cw), (base + w * h + cw * ch, cw)])
            try analyzer.add(picture, at: Double(index) / fps)
        }
        index += 1
    }
    let path = try analyzer.finish(duration: Double(index) / fps)
    print(String(decoding: try path.jsonData(), as: UTF8.self))
    let c = analyzer.costs
    FileHandle.standardError.write(Data("\(index) frames; \(c.detections) detector runs; CPU ms: histogram \(Int(c.histogramMs)), faces \(Int(c.facesMs)) (\(c.faceRuns) runs, \(c.regionFaceRuns) in a region), people \(Int(c.peopleMs)) (\(c.peopleRuns) runs), motion \(Int(c.motionMs)), paths \(Int(c.pathMs)) (\(c.shots) shots); \(Int(c.totalMs / (Double(index) / fps))) ms per source second\n".utf8))
}

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 30 : 30
let folder = CommandLine.arguments.count > 2 ? CommandLine.arguments[2]
    : URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Tests/Fixtures/reframe").standardized.path

/// A binary PGM/PPM read as grey (the green channel of a PPM is close enough for a bench).
func readGrey(_ name: String) throws -> (w: Int, h: Int, pixels: [UInt8]) {
    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    let header = String(decoding: data.prefix(20), as: UTF8.self).split(whereSeparator: \.isWhitespace).prefix(4).map(String.init)
    let (w, h) = (Int(header[1])!, Int(header[2])!)
    let start = data.count - w * h * (header[0] == "P6" ? 3 : 1)
    let step = header[0] == "P6" ? 3 : 1
    return (w, h, (0 ..< w * h).map { data[start + $0 * step + (step == 3 ? 1 : 0)] })
}

let width = 480, height = 270
let texture = try readGrey("gravel.pgm"), face = try readGrey("face.ppm")
var background = [UInt8](repeating: 0, count: width * height)
for y in 0 ..< height { for x in 0 ..< width { background[y * width + x] = texture.pixels[(y % texture.h) * texture.w + x % texture.w] } }
let chroma = [UInt8](repeating: 128, count: (width / 2) * (height / 2))

/// Kinds of clip: what drives which detectors run.
enum Scene: String, CaseIterable { case walkingFace = "face walking across", movingObject = "moving object, no face", static_ = "static texture" }

func picture(_ scene: Scene, _ t: Double) -> [UInt8] {
    var y = background
    let cycle = t.truncatingRemainder(dividingBy: 10) / 10 // crosses the frame every 10 s
    switch scene {
    case .walkingFace:
        let x0 = Int(cycle * Double(width - face.w))
        for row in 0 ..< face.h where row + 40 < height { for col in 0 ..< face.w { y[(row + 40) * width + x0 + col] = face.pixels[row * face.w + col] } }
    case .movingObject:
        let x0 = Int(cycle * Double(width - 48))
        for row in 0 ..< 48 { for col in 0 ..< 48 where (row - 24) * (row - 24) + (col - 24) * (col - 24) < 576 {
            y[(row + 110) * width + x0 + col] = ((row / 6 + col / 6) % 2 == 0) ? 235 : 40
        } }
    case .static_: break
    }
    return y
}

func run(_ scene: Scene, rate: Double) throws -> AnalysisCosts {
    let analyzer = try SceneAnalyzer(displayWidth: 1920, displayHeight: 1080)
    for i in 0 ..< Int(seconds * rate) {
        let luma = picture(scene, Double(i) / rate)
        try luma.withUnsafeBufferPointer { yp in
            try chroma.withUnsafeBufferPointer { cp in
                let p = AnalysisPicture(width: width, height: height, planes: [(yp.baseAddress!, width), (cp.baseAddress!, width / 2), (cp.baseAddress!, width / 2)])
                try analyzer.add(p, at: Double(i) / rate)
            }
        }
    }
    _ = try analyzer.finish(duration: seconds)
    return analyzer.costs
}

func ms(_ total: Double, _ n: Int) -> String { n == 0 ? "–" : String(format: "%.2f", total / Double(n)) }

print("Analysis CPU per picture at \(width)x\(height), \(Int(seconds)) s clips, one thread (ms of thread CPU time)\n")
print("| clip | fed | pictures | detector runs | histogram ms/picture | faces ms/run (runs) | people ms/run (runs) | motion ms/run | path solve ms/shot | total ms per source second |")
print("|---|---|---|---|---|---|---|---|---|---|")
for scene in Scene.allCases {
    for rate in [5.0, 30.0] {
        let c = try run(scene, rate: rate)
        print("| \(scene.rawValue) | \(Int(rate))/s | \(c.pictures) | \(c.detections) | \(ms(c.histogramMs, c.pictures)) | \(ms(c.facesMs, c.faceRuns)) (\(c.faceRuns)) | \(ms(c.peopleMs, c.peopleRuns)) (\(c.peopleRuns)) | \(ms(c.motionMs, c.detections)) | \(ms(c.pathMs, c.shots)) | \(String(format: "%.0f", c.totalMs / seconds)) |")
    }
}
