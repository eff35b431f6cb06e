import PprofFormat

/// A profile set whose file names have been resolved to files on this machine.
///
/// The indexes inside know each source file by its resolved absolute path when it was found
/// (so editors can look a document up by its path), and by the name the profile gives it
/// otherwise. Unmapped files stay in the indexes; they are listed, not dropped.
public struct MappedProfiles: Sendable {
    public let profileSet: ProfileSet
    /// How each file name of the profiles resolved, by the name as the profile writes it.
    public let resolutions: [String: PathResolution]
    public let mapper: PathMapper?
    /// The profiles the set was built from (a normalized baseline as scaled), and their weights
    /// (-1 for a baseline): what `top` needs to prune frames and mark inlining.
    public let inputs: [LoadedProfile]
    public let weights: [Int64]
    /// Mapped files whose text does not fit the profiles' line numbers (see `SourceMatch`), by
    /// their path here, with the reason; their numbers are not shown.
    public let sourceMismatches: [String: String]

    public static let empty = MappedProfiles(profileSet: .empty, resolutions: [:], mapper: nil)

    public init(profileSet: ProfileSet, resolutions: [String: PathResolution], mapper: PathMapper?,
                sourceMismatches: [String: String] = [:], inputs: [LoadedProfile] = [], weights: [Int64] = []) {
        self.profileSet = profileSet
        self.inputs = inputs
        self.weights = weights
        self.resolutions = resolutions
        self.mapper = mapper
        self.sourceMismatches = sourceMismatches
    }

    /// Resolves file names with `mapper` (none: keep the profiles' names) and builds the set.
    public static func build(_ profiles: [LoadedProfile], mapper: PathMapper?, detail: CostIndex.Detail = .lines,
                             keepSeries: Bool = false) -> MappedProfiles {
        mapped(profiles, weights: nil, mapper: mapper, detail: detail, keepSeries: keepSeries)
    }

    /// The set of `profiles` (each weighted, all 1 when nil), every file name resolved once.
    private static func mapped(_ profiles: [LoadedProfile], weights: [Int64]?, mapper: PathMapper?, detail: CostIndex.Detail,
                               keepSeries: Bool) -> MappedProfiles {
        var resolutions: [String: PathResolution] = [:]
        let set = ProfileSet.build(profiles, weights: weights, detail: detail, keepSeries: keepSeries) { name in
            guard let mapper else { return name }
            if let known = resolutions[name] { return known.path ?? name }
            let resolution = mapper.resolve(name)
            resolutions[name] = resolution
            return resolution.path ?? name
        }
        let mapped = Set(resolutions.values.compactMap(\.path))
        return MappedProfiles(profileSet: set, resolutions: resolutions, mapper: mapper,
                              sourceMismatches: checkSources(set, files: mapped), inputs: profiles,
                              weights: weights ?? [Int64](repeating: 1, count: profiles.count))
    }

    /// The profiles of a group and their weights, in the order of the group's index.
    public func inputs(of group: ProfileSet.Group) -> (profiles: [Profile], weights: [Int64]) {
        (group.memberIndices.map { inputs[$0].profile }, group.memberIndices.map { weights[$0] })
    }

    /// Reads every mapped file that has costs and checks its text against the costed lines.
    static func checkSources(_ set: ProfileSet, files: Set<String>) -> [String: String] {
        var costed: [String: Set<Int64>] = [:]
        for group in set.groups {
            let index = group.index
            for file in index.files where files.contains(index.fileName(file)) {
                for line in index.lineKeys(inFile: file) where (0 ..< index.typeCount).contains(where: {
                    index.flat(line: line, type: $0) != 0 || index.cum(line: line, type: $0) != 0
                }) {
                    costed[index.fileName(file), default: []].insert(index.lineNumber(line))
                }
            }
        }
        var mismatches: [String: String] = [:]
        for (path, lines) in costed {
            guard let text = SourceText.lines(ofFile: path) else { continue }
            if let reason = SourceMatch.mismatch(costedLines: lines.sorted(), lines: text, fileName: path) {
                mismatches[path] = reason
            }
        }
        return mismatches
    }

    /// A comparison: the indexes hold `current` - `baseline`, as `pprof -diff_base` computes it,
    /// with both sides' file names resolved alike (a baseline built in one folder and a current
    /// profile built with `-trimpath` compare line by line). With `normalize`, the baseline is
    /// first scaled to the current profiles' total, sample type by sample type.
    public static func build(_ current: [LoadedProfile], baseline: [LoadedProfile], normalize: Bool = false,
                             mapper: PathMapper?, detail: CostIndex.Detail = .lines) -> MappedProfiles {
        guard !baseline.isEmpty else { return build(current, mapper: mapper, detail: detail) }
        let (profiles, weights) = differenceInputs(current, baseline: baseline, normalize: normalize)
        return mapped(profiles, weights: weights, mapper: mapper, detail: detail, keepSeries: false)
    }

    /// The profiles and weights whose weighted sum is `current` - `baseline` (the baseline
    /// normalized first when asked): +1 for each current profile, -1 for each baseline one.
    public static func differenceInputs(_ current: [LoadedProfile], baseline: [LoadedProfile],
                                        normalize: Bool) -> (profiles: [LoadedProfile], weights: [Int64]) {
        let base = normalize && !baseline.isEmpty ? normalized(baseline, to: current) : baseline
        return (current + base, [Int64](repeating: 1, count: current.count) + [Int64](repeating: -1, count: base.count))
    }

    /// The baseline profiles scaled so that each sample type sums to the current profiles' sum.
    public static func normalized(_ baseline: [LoadedProfile], to current: [LoadedProfile]) -> [LoadedProfile] {
        func sums(_ profiles: [LoadedProfile]) -> [ValueType: Int64] {
            var result: [ValueType: Int64] = [:]
            for loaded in profiles {
                let totals = SampleWalk.totals(loaded.profile.samples, weight: 1).totals
                for (t, type) in loaded.profile.sampleTypes.enumerated() where t < totals.count {
                    result[type, default: 0] &+= totals[t]
                }
            }
            return result
        }
        let currentSums = sums(current)
        let baseSums = sums(baseline)
        return baseline.map { loaded in
            var scaled = loaded
            let ratios = loaded.profile.sampleTypes.map { type -> Double in
                guard let base = baseSums[type], base != 0, let now = currentSums[type] else { return 1 }
                return Double(now) / Double(base)
            }
            scaled.profile = loaded.profile.scalingValues(by: ratios)
            return scaled
        }
    }

    /// Profile file names that resolved to no file here, sorted. Empty names are left out.
    public var unmapped: [String] {
        resolutions.filter { !$0.value.isMapped && !$0.key.isEmpty }.keys.sorted()
    }

    /// Profile file names whose suffix matched several workspace files equally well.
    public var ambiguous: [(name: String, resolution: PathResolution)] {
        resolutions.filter { !$0.value.alternatives.isEmpty }.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
}
