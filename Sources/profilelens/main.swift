import ProfileLensCLI

ProfileLensCommand.main()
