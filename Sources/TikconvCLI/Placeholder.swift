import ArgumentParser
public struct TikconvCommand: ParsableCommand {
    public init() {}
    public func run() throws { print("tikconv") }
}
