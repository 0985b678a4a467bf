/// One analysed picture: yuv420p, in display orientation (already rotated and with square
/// pixels), downscaled to at most `maxWidth` pixels wide. The planes are only read during
/// `SceneAnalyzer.add`; the analyzer keeps no pointer to them.
public struct AnalysisPicture {
    /// The widest picture the analysis accepts (its cost grows with the area).
    public static let maxWidth = 480

    public let width: Int
    public let height: Int
    /// Y, U, V: base address and bytes per row. U and V are (width+1)/2 x (height+1)/2.
    public let planes: [(base: UnsafePointer<UInt8>, stride: Int)]

    public init(width: Int, height: Int, planes: [(base: UnsafePointer<UInt8>, stride: Int)]) {
        self.width = width
        self.height = height
        self.planes = planes
    }

    var luma: GreyPicture { GreyPicture(base: planes[0].base, width: width, height: height, stride: planes[0].stride) }

    /// Throws unless this is a yuv420p picture of plausible size and the display's shape.
    func check(displayWidth: Int, displayHeight: Int) throws {
        guard planes.count == 3 else { throw ReframingError.badPicture("expected 3 planes (yuv420p), got \(planes.count)") }
        guard width >= 16, height >= 16, width <= Self.maxWidth, height <= 4 * Self.maxWidth else {
            throw ReframingError.badPicture("analysed pictures must be 16 to \(Self.maxWidth) pixels wide, got \(width)x\(height)")
        }
        let chromaWidth = (width + 1) / 2
        guard planes[0].stride >= width, planes[1].stride >= chromaWidth, planes[2].stride >= chromaWidth else {
            throw ReframingError.badPicture("a plane's stride is smaller than its width")
        }
        // Rounding in the downscale may move the shape by a pixel; more means a wrong orientation.
        let shape = Double(width) / Double(height), display = Double(displayWidth) / Double(displayHeight)
        guard abs(shape / display - 1) < 0.05 else {
            throw ReframingError.badPicture("analysed picture \(width)x\(height) does not have the display's shape \(displayWidth)x\(displayHeight) (rotation or pixel aspect not applied?)")
        }
    }
}

/// An 8-bit grey picture handed to CVision.
struct GreyPicture {
    let base: UnsafePointer<UInt8>
    let width: Int
    let height: Int
    let stride: Int
}
