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

    @Option(name: .long, help: "With profiles of several programs: the program to show (its binary's name or its language).")
    var program: String?

    func run() throws {
        var timer = PhaseTimer()
        let loaded = try input.load()
        timer.mark("load")
        let profiles = MappedProfiles.build(loaded, mapper: workspace.mapperIfRequested(), detail: .functions)
        timer.mark("index")
        let choice = try ReportChoice.make(type: type, program: program, in: profiles.profileSet)
        let group = profiles.profileSet.groups[choice.group]
        let members = Set(group.members.map(\.path))
        let (report, warnings) = TopReport.of(group, profiles: loaded.filter { members.contains($0.path) }.map(\.profile),
                                              type: choice.type, limit: n)
        for warning in warnings { Diagnostics.warn(warning) }
        if json {
            try writeJSON(report)
        } else {
            Diagnostics.output(report.text())
        }
        timer.mark("output")
        timer.report(bytes: loaded.reduce(0) { $0 + $1.uncompressedByteCount })
    }
}
