import CloudSession
import Foundation
import OutputFiles
import Planning

/// Runs a cloud plan for the convert command; returns the output path.
func runCloud(plan: Plan, request: Request, options: CloudOptions, outputPath: String, overwrite: Bool,
              printer: CloudEventPrinter = CloudEventPrinter()) throws -> String {
    let result = try CloudRoute.run(plan: plan, request: request, options: options, outputPath: outputPath,
                                    environment: ProcessInfo.processInfo.environment, printer: printer)
    return result.outputPath ?? outputPath
}

func cloudExit(for error: Error) -> TikconvExit? {
    (error as? CloudError)?.exitCode
}
