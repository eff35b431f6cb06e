import ArgumentParser

/// The `profilelens` command line: the daemon for editors, and the same numbers for people
/// and scripts in the terminal.
public struct ProfileLensCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "profilelens",
        abstract: "Profiler costs on the lines of code where they happen.",
        version: "0.1.0",
        subcommands: [TopCommand.self, ListCommand.self, LinesCommand.self])

    public init() {}
}
