import TikconvCLI
TikconvCommand.main()
