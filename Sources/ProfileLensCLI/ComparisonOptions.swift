import ArgumentParser
import PprofFormat
import ProfileModel
import ProfileQuery

/// `--base`: compare against a baseline, as `go tool pprof -diff_base` does.
struct ComparisonOptions: ParsableArguments {
    @Option(name: .customLong("base"), help: ArgumentHelp("A baseline profile file or folder (repeatable): show current - baseline, as pprof -diff_base.", valueName: "profile"))
    var baseline: [String] = []

    @Flag(name: .long, help: "Scale the baseline to the current profiles' total first (for profiles of different lengths).")
    var normalize = false

    @Option(name: .customLong("diff-mode"), help: ArgumentHelp("absolute (current - baseline, pprof's -diff_base) or share (the change of each share of its total, in percentage points).", valueName: "mode"))
    var diffMode: DiffMode = .absolute

    func validate() throws {
        if normalize && baseline.isEmpty { throw ValidationError("--normalize needs a --base profile to normalize by") }
        if diffMode == .share && baseline.isEmpty { throw ValidationError("--diff-mode share needs a --base profile") }
    }

    /// The current profiles with the baseline's subtracted, or alone without one.
    func build(_ current: [LoadedProfile], options: DecodeOptions, mapper: PathMapper?,
               detail: CostIndex.Detail = .lines) throws -> MappedProfiles {
        let base = baseline.isEmpty ? [] : try ProfileInputOptions.load(baseline, options: options)
        return MappedProfiles.build(current, baseline: base, normalize: normalize, mapper: mapper, detail: detail)
    }
}

extension DiffMode: ExpressibleByArgument {}
