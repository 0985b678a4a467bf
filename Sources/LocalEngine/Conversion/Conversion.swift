import OutputFiles

/// One product — tiktok, mp4, slideshow — as the engine runs it: a thin composition of the
/// stages (decode, analyse, picture, audio, encode) that makes one output. The CLI holds any
/// of them as a `Conversion`.
public protocol Conversion {
    /// Makes the output under its temporary name and renames it when complete; errors name it.
    func run() throws -> ConversionResult
    /// Where the output is written until it is complete.
    var temporaryPath: String { get }
}

/// What every conversion shares, held once: the output file (a temporary name beside the
/// target, renamed at the end), the cancellation flag and the progress callback.
public final class ConversionTarget {
    let output: OutputFile
    let cancel: CancellationFlag?
    let progress: ((ConversionProgress) -> Void)?

    init(outputPath: String, overwrite: Bool, inputPaths: [String], cancel: CancellationFlag?,
         progress: ((ConversionProgress) -> Void)?) throws {
        output = try OutputFile(finalPath: outputPath, overwrite: overwrite, inputPaths: inputPaths)
        self.cancel = cancel
        self.progress = progress
    }

    var temporaryPath: String { output.temporaryPath }
    var finalPath: String { output.finalPath }

    /// Runs a conversion's body: its errors name the output and the stage.
    func run(stage: String, _ body: () throws -> ConversionResult) throws -> ConversionResult {
        try runConversion(writing: output, stage: stage, body)
    }

    /// Stops when the user asked to (the temporary file is removed by `OutputFile`).
    func checkCancelled() throws {
        if cancel?.isCancelled == true { throw LocalEngineError.cancelled }
    }

    /// The complete output takes its final name, unless the user cancelled first.
    func commit() throws {
        try checkCancelled()
        try output.commit()
    }
}
