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
        let profiles = MappedProfiles.build(loaded, mapper: workspace.mapperIfRequested())
        timer.mark("index")
        let choice = try ReportChoice.make(type: type, program: program, in: profiles.profileSet)
        let group = profiles.profileSet.groups[choice.group]
        let sampleType = group.index.sampleTypes[choice.type]
        let members = Set(group.members.map(\.path))
        let groupProfiles = loaded.filter { members.contains($0.path) }.map(\.profile)
        let report = TopReport(index: group.index, type: choice.type, limit: n, header: TopReport.Header(group)) { kept in
            InlineMarkers.compute(profiles: groupProfiles, type: sampleType, kept: kept)
        }
        if json {
            try writeJSON(report)
        } else {
            Diagnostics.output(report.text())
        }
        timer.mark("output")
        timer.report(bytes: loaded.reduce(0) { $0 + $1.uncompressedByteCount })
    }
}
