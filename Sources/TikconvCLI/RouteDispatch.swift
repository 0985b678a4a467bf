import Foundation
import Planning

/// The cloud route's entry points as the convert command sees them. Replaced by the cloud
/// client when it lands.
func runCloud(plan: Plan, request: Request, outputPath: String, overwrite: Bool) throws -> String {
    throw CLIError.cloudUnavailable("the cloud route is not built into this tikconv yet; run without --cloud for offline conversion")
}

func cloudExit(for error: Error) -> TikconvExit? { nil }
