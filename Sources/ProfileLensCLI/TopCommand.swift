import ArgumentParser
import PprofFormat
import ProfileModel
import ProfileQuery

/// `profilelens top`: the hottest functions, like `go tool pprof -top`.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Print the hottest functions with flat, flat%, cum, cum% and each one's file (file:line when the profile records where it starts).")

    @OptionGroup var input: ProfileInputOptions
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var comparison: ComparisonOptions

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
        let (loaded, base) = try comparison.load(input, type: type)
        timer.mark("load")
        if comparison.diffMode == .share {
            try runShare(loaded, baseProfiles: base)
            return
        }
        let profiles = comparison.build(loaded, baseline: base, mapper: workspace.mapperIfRequested(), detail: .functions)
        timer.mark("index")
        let choice = try ReportChoice.make(type: type, program: program, in: profiles.profileSet)
        let group = profiles.profileSet.groups[choice.group]
        let (groupProfiles, weights) = profiles.inputs(of: group)
        let (report, warnings) = TopReport.of(group, profiles: groupProfiles, weights: weights, type: choice.type, limit: n)
        for warning in warnings { Diagnostics.warn(warning) }
        if json {
            try writeJSON(report)
        } else {
            Diagnostics.output(report.text())
        }
        timer.mark("output")
        timer.report(bytes: loaded.reduce(0) { $0 + $1.uncompressedByteCount })
    }

    /// `--diff-mode share`: how each function's share of its total moved.
    private func runShare(_ loaded: [LoadedProfile], baseProfiles: [LoadedProfile]) throws {
        let mapper = workspace.mapperIfRequested()
        let current = MappedProfiles.build(loaded, mapper: mapper, detail: .functions)
        let baseline = MappedProfiles.build(baseProfiles, mapper: mapper, detail: .functions)
        let choice = try ReportChoice.make(type: type, program: program, in: current.profileSet)
        let index = current.profileSet.groups[choice.group].index
        let base = try ComparisonOptions.baselineSide(baseline, matching: index.sampleTypes[choice.type].type)
        let report = ShareReport(current: index, type: choice.type, baseline: base.index, baselineType: base.type, limit: n)
        if json { try writeJSON(report) } else { Diagnostics.output(report.text()) }
    }
}
