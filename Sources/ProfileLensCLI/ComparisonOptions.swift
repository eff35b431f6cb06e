import ArgumentParser
import PprofFormat
import ProfileModel
import ProfileQuery
import RemoteProfiles

/// `--base`: compare against a baseline, as `go tool pprof -diff_base` does.
struct ComparisonOptions: ParsableArguments {
    @Option(name: .customLong("base"), help: ArgumentHelp("A baseline profile file, folder or pprof endpoint URL (repeatable): show current - baseline, as pprof -diff_base.", valueName: "profile"))
    var baseline: [String] = []

    @Option(name: .customLong("base-from"), help: ArgumentHelp("With --pyroscope: the baseline is the same query from this time (now-25h, RFC 3339, epoch ms).", valueName: "time"))
    var baseFrom: String?

    @Option(name: .customLong("base-until"), help: ArgumentHelp("With --pyroscope: the end of the baseline's range (default: --until shifted by as much as --base-from is from --from, else now).", valueName: "time"))
    var baseUntil: String?

    @Flag(name: .long, help: "Scale the baseline to the current profiles' total first (for profiles of different lengths).")
    var normalize = false

    @Option(name: .customLong("diff-mode"), help: ArgumentHelp("absolute (current - baseline, pprof's -diff_base) or share (the change of each share of its total, in percentage points).", valueName: "mode"))
    var diffMode: DiffMode = .absolute

    /// Whether a baseline is given (profiles, or a Pyroscope range).
    var isComparing: Bool { !baseline.isEmpty || baseFrom != nil }

    func validate() throws {
        if baseUntil != nil && baseFrom == nil { throw ValidationError("--base-until needs --base-from") }
        if normalize && !isComparing { throw ValidationError("--normalize needs a --base profile to normalize by") }
        if diffMode == .share && !isComparing { throw ValidationError("--diff-mode share needs a --base profile") }
    }

    /// The current profiles of `input` and the baseline's: files and folders, pprof endpoints,
    /// and the Pyroscope query of `input` over the `--base-from` range (restricted to `type`).
    /// Every live source of both sides is fetched at once. The baseline's arguments are checked
    /// first (a bad URL or range fails before anything is fetched); a failure of the current
    /// side is reported before the baseline's, and cancels the baseline's fetches.
    func load(_ input: ProfileInputOptions, type: String?) throws -> (current: [LoadedProfile], baseline: [LoadedProfile]) {
        guard isComparing else { return (try input.load(type: type), []) }
        let sources = try baselineSources(input, type: type)
        let (current, outcomes) = try input.load(type: type, alongside: sources)
        let paths = baseline.filter { !PprofEndpoint.isURL($0) }
        var loaded = paths.isEmpty ? [] : try ProfileInputOptions.load(paths, options: input.decodeOptions)
        for (source, profiles) in zip(sources, try LiveArguments.unwrap(outcomes, errorPrefix: "the baseline: ")) {
            if profiles.isEmpty { throw CLIError("\(source.name): the baseline has no profiles") }
            loaded += profiles
        }
        return (current, loaded)
    }

    /// The baseline's live sources: its URLs, and the Pyroscope query over the `--base-from` range.
    private func baselineSources(_ input: ProfileInputOptions, type: String?) throws -> [LiveSource] {
        var sources = try LiveArguments.endpoints(baseline)
        if let baseFrom {
            guard let query = input.pyroscope.pyroscopeQuery(types: type.map { [$0] } ?? []) else {
                throw CLIError("--base-from compares a Pyroscope query over another range: give --pyroscope URL --query SELECTOR")
            }
            let base = query.over(from: baseFrom, until: baseUntil ?? Self.shiftedUntil(query, baseFrom: baseFrom))
            do { _ = try base.validated() } catch { throw CLIError("the baseline range: \(error.description)") }
            sources.append(.pyroscope(base))
        }
        return sources
    }

    /// Share mode's other side: the baseline's index of `sampleType` and its type there, or
    /// an error when the baseline has none.
    static func baselineSide(_ baseline: MappedProfiles, matching sampleType: String) throws -> (index: CostIndex, type: Int) {
        guard let base = try? SampleTypeChoice.choose(sampleType, in: baseline.profileSet) else {
            throw CLIError("the baseline has no \(sampleType) samples to compare with")
        }
        return (baseline.profileSet.groups[base.group].index, base.type)
    }

    /// `--base-until` when only `--base-from` is given: the current range's length after it
    /// (`--from now-1h --base-from now-25h` compares with `now-25h .. now-24h`), else now.
    static func shiftedUntil(_ query: PyroscopeQuery, baseFrom: String) -> String {
        guard let from = try? TimeExpression(query.from), let until = try? TimeExpression(query.until),
              let base = try? TimeExpression(baseFrom) else { return "now" }
        let now: Int64 = 0
        let length = until.resolve(now: now) - from.resolve(now: now)
        guard from.isRelative == base.isRelative, from.isRelative == until.isRelative, length > 0 else { return "now" }
        let end = base.resolve(now: now) + length
        if base.isRelative { return TimeExpression.relativeText(milliseconds: end) }
        return String(end)
    }

    /// The current profiles with the baseline's subtracted, or alone without one.
    func build(_ current: [LoadedProfile], baseline base: [LoadedProfile], mapper: PathMapper?,
               detail: CostIndex.Detail = .lines) -> MappedProfiles {
        MappedProfiles.build(current, baseline: base, normalize: normalize, mapper: mapper, detail: detail)
    }
}

extension DiffMode: ExpressibleByArgument {}
