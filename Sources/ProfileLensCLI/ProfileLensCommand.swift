import ArgumentParser

/// The `profilelens` command line: the daemon for editors, and the same numbers for people
/// and scripts in the terminal.
public struct ProfileLensCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "profilelens",
        abstract: "Profiler costs on the lines of code where they happen.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, TopCommand.self, ListCommand.self, LinesCommand.self, GrowthCommand.self])

    public init() {}

    /// The message printed for an error that ends a command.
    static func message(for error: Error) -> String {
        if let error = error as? CLIError { return error.description }
        return fullMessage(for: error)
    }
}
