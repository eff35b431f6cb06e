import ArgumentParser
import ProfileModel
import ProfileQuery

/// `profilelens top`: the hottest functions, like `go tool pprof -top`.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Print the hottest functions with flat, flat%, cum, cum% and file:line.")

    @OptionGroup var input: ProfileInputOptions
    @OptionGroup var workspace: WorkspaceOptions

    @Option(name: .long, help: "A sample type (cpu, alloc_space, delay, ...) or a kind (cpu, alloc, inuse, mutex, block, goroutine).")
    var type: String?

    @Option(name: .short, help: "How many functions to show.")
    var n: Int = 20

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        var timer = PhaseTimer()
        let loaded = try input.load(type: type)
        timer.mark("load")
        let profiles = MappedProfiles.build(loaded, mapper: workspace.mapperIfRequested())
        timer.mark("index")
        let choice = try chooseType(type, in: profiles.profileSet)
        let report = TopReport(index: profiles.profileSet.groups[choice.group].index, type: choice.type, limit: n)
        if json {
            try writeJSON(report)
        } else {
            Diagnostics.output(report.text(profileCount: profiles.profileSet.groups[choice.group].members.count))
        }
        timer.mark("output")
        timer.report(bytes: loaded.reduce(0) { $0 + $1.uncompressedByteCount })
    }
}

func chooseType(_ name: String?, in set: ProfileSet) throws -> SampleTypeChoice {
    do {
        return try SampleTypeChoice.choose(name, in: set)
    } catch {
        throw CLIError(error.description)
    }
}
