import ArgumentParser
import ProfileModel
import ProfileQuery

/// `profilelens growth`: the leak finder over a series of profiles.
struct GrowthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth",
        abstract: "Find the lines and functions whose cost grows steadily over a series of profiles (memory leaks).",
        discussion: """
            The profiles are points in time (their time_nanos, else their files' times), such as a \
            folder of heap snapshots. A line grows steadily when its self cost rises through the \
            series (a significant Mann-Kendall trend and a positive Theil-Sen slope, overall and in \
            the second half) and ends near its highest: a buffer that filled once and stays flat, or \
            a cache that grows and is dropped, is not a leak. Without --type: in-use memory when \
            the series has it. Counts since the process started (Go's allocations) are taken per \
            interval (one fewer value than profiles), and a count that went down starts again from \
            zero (the process restarted). JSON: {"kind", "type", "unit", "profiles", "start", \
            "end", "times", "lines": [{"file", "line", "function", "values", "perHour", "z"}], \
            "functions": [...]}, with times in milliseconds since 1970, one per value.
            """)

    @OptionGroup var input: ProfileInputOptions
    @OptionGroup var workspace: WorkspaceOptions

    @Option(name: .long, help: "A sample type (inuse_space, alloc_space, ...) or a kind (inuse, alloc, goroutine, ...).")
    var type: String?

    @Option(name: .short, help: "How many lines and functions to show (0: all).")
    var n: Int = 20

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let loaded = try input.load(type: type)
        let profiles = MappedProfiles.build(loaded, mapper: workspace.mapperIfRequested(), detail: .lines, keepSeries: true)
        let (series, type, kind) = try Self.choose(type, in: profiles.profileSet)
        let report = GrowthReport(series: series, type: type, kind: kind).limited(to: n)
        if json {
            try writeJSON(report)
        } else {
            Diagnostics.output(report.text())
        }
    }

    /// The series and sample type to analyse: `--type`, else in-use memory, else the first
    /// series' default type.
    static func choose(_ name: String?, in set: ProfileSet) throws -> (Series, Int, CostKind) {
        guard let first = set.groups.indices.first(where: { (set.groups[$0].series?.points.count ?? 0) > 1 }),
              let firstSeries = set.groups[first].series else {
            throw CLIError("growth needs a series: several profiles of one kind taken at different times (a folder of snapshots)")
        }
        if let name {
            let choice: SampleTypeChoice
            do { choice = try SampleTypeChoice.choose(name, in: set, program: set.groups[first].program) } catch { throw CLIError(error.description) }
            guard let series = set.groups[choice.group].series, series.points.count > 1 else {
                throw CLIError("the \(name) profiles are not a series (one profile, or all taken at the same time)")
            }
            return (series, choice.type, set.groups[choice.group].classification[choice.type].kind)
        }
        if let (series, inuse) = set.seriesSource(of: .inuse) { return (series, inuse.primaryType, .inuse) }
        let group = set.groups[first]
        let type = group.defaultType ?? 0
        return (firstSeries, type, group.classification[type].kind)
    }
}
