import CloudSession
import Foundation
import OutputFiles
import Planning

/// Runs a cloud plan for the convert command; returns the output path.
func runCloud(plan: Plan, request: Request, options: CloudOptions, outputPath: String, overwrite: Bool,
              printer: CloudEventPrinter = CloudEventPrinter()) throws -> String {
    // The same rules as local outputs: a folder is never an output (saying "pass -y" would only
    // lead to a second refusal), and a file is replaced only with -y.
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: outputPath, isDirectory: &isFolder) {
        if isFolder.boolValue { throw OutputFileError.isDirectory(path: outputPath) }
        if !overwrite { throw OutputFileError.exists(path: outputPath) }
    }
    let result = try CloudRoute.run(plan: plan, request: request, options: options, outputPath: outputPath,
                                    environment: ProcessInfo.processInfo.environment, printer: printer)
    return result.outputPath ?? outputPath
}

func cloudExit(for error: Error) -> TikconvExit? {
    (error as? CloudError)?.exitCode
}
