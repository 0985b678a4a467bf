import TikconvCLI

TikconvCommand.runMain()
