import PprofFormat

/// Every loaded profile, grouped so that like is summed with like and every kind is shown once.
///
/// Profiles with the same sample types and the same main kind form a group and are merged (their
/// values summed), each group into one `CostIndex`. A Go service's cpu, heap, allocs, mutex,
/// block and goroutine profiles are six groups side by side, each with its own totals.
///
/// Each kind is then taken from one group: among the groups that have values for it, the group
/// whose main kind it is (the kind of its default sample type), else the first. So Go's allocs
/// profile supplies the allocation numbers and its heap profile the in-use numbers, although
/// both carry all four memory sample types, and a heap profile alone supplies both; and a .NET
/// profile that declares a lock type it never fills does not hide a Go mutex profile.
///
/// Profiles of different programs (`ProgramIdentity`) never share a group: each program keeps
/// its own totals, and a kind has one source per program that has values for it.
public struct ProfileSet: Sendable {
    /// A profile that went into a group, without its samples.
    public struct Member: Sendable {
        public let path: String
        public let sampleTypes: [ValueType]
        public let timeNanos: Int64
        public let durationNanos: Int64
        public let modificationTime: Double
        public let sampleCount: Int
        public let uncompressedByteCount: Int
        public let warnings: [String]
        public let program: ProgramIdentity
        /// The main binary's file (mapping 0) and build id, "" when the profile gives none.
        public let mainBinaryFile: String
        public let mainBinaryBuildID: String
        public let comments: [String]
        /// Whether the profile is a comparison's baseline (subtracted from the others).
        public let isBaseline: Bool
    }

    public struct Group: Sendable {
        public let members: [Member]
        /// Each member's position in the profiles the set was built from.
        public let memberIndices: [Int]
        /// When the members were taken at different times: their series (members and points in
        /// time order). The group's index then combines them by `Series.semantics`.
        public let series: Series?
        public let index: CostIndex
        /// The kind and measure of each of the index's sample types.
        public let classification: [Classification]
        /// The kind of the group's default sample type, or of its first type with values when
        /// the default type has none.
        public let mainKind: CostKind?
        /// The index's sample type that tools show by default (pprof's choice: the declared
        /// default, else the last type, whether or not it has values).
        public let defaultType: Int?
        /// Which program the group's profiles describe (an index into `ProfileSet.programs`).
        public let program: Int

        /// Whether any sample has a non-zero value of sample type `type`.
        public func hasValues(_ type: Int) -> Bool { index.absoluteTotals[type] != 0 }
    }

    public struct Classification: Sendable, Hashable {
        public let kind: CostKind
        public let measure: Measure
    }

    /// Where a kind's numbers come from: a group, and the sample types of its value and count.
    public struct KindSource: Sendable {
        public let kind: CostKind
        public let group: Int
        /// The program of the group (an index into `ProfileSet.programs`).
        public let program: Int
        public let valueType: Int?
        public let countType: Int?

        /// The sample type that ranks lines and functions: the value when there is one.
        public var primaryType: Int { valueType ?? countType ?? 0 }
    }

    public let groups: [Group]
    /// Where each kind comes from, in display order (CPU first); a kind appears once per
    /// program that has values for it, the first program first.
    public let sources: [KindSource]
    /// The programs of the profiles, in the order their first profile was given.
    public let programs: [ProgramIdentity]

    public static let empty = ProfileSet(groups: [], sources: [], programs: [])

    /// The kinds with values, in display order, each once.
    public var kinds: [KindSource] {
        var seen: Set<CostKind> = []
        return sources.filter { seen.insert($0.kind).inserted }
    }

    /// The source of a kind: the first program's.
    public func source(of kind: CostKind) -> KindSource? {
        sources.first { $0.kind == kind }
    }

    /// Every source of a kind, one per program.
    public func sources(of kind: CostKind) -> [KindSource] {
        sources.filter { $0.kind == kind }
    }

    /// Kinds that some profile declares but no sample has a value for: listed, never shown.
    public var kindsWithoutValues: [CostKind] {
        var declared: [CostKind] = []
        for group in groups {
            for c in group.classification where !declared.contains(c.kind) { declared.append(c.kind) }
        }
        let present = Set(sources.map(\.kind))
        return declared.filter { !present.contains($0) }.sorted()
    }

    public var members: [Member] { groups.flatMap(\.members) }

    /// Groups and indexes `profiles`. `fileIdentity` names each source file as the indexes
    /// should know it (see `CostIndex.build`).
    /// With `weights`, each profile's values are multiplied by its weight: -1 marks a baseline,
    /// which joins the group of the current profiles of its kind (the same program, whatever
    /// its binary was called) so that the group's index is current - baseline.
    /// Profiles of one group taken at different times form a series (see `Series`); with
    /// `keepSeries`, each point's own index is kept too (for trends and windows).
    public static func build(_ profiles: [LoadedProfile], weights: [Int64]? = nil, detail: CostIndex.Detail = .lines,
                             keepSeries: Bool = false, fileIdentity: (String) -> String = { $0 }) -> ProfileSet {
        struct GroupKey: Hashable {
            var types: [ValueType]
            var classification: [Classification]
            var declaredKind: CostKind?
            var program: Int
        }
        var programs: [ProgramIdentity] = []
        var keys: [GroupKey] = []
        var buckets: [GroupKey: [Int]] = [:]
        var programOfProfile: [ProgramIdentity] = []
        for (i, loaded) in profiles.enumerated() {
            let classes = KindRecognizer.classify(loaded.profile).map { Classification(kind: $0.kind, measure: $0.measure) }
            let declared = loaded.profile.defaultSampleTypeIndex.map { classes[$0].kind }
            let identity = ProgramIdentity.of(loaded.profile)
            programOfProfile.append(identity)
            let isBaseline = (weights?[i] ?? 1) < 0
            let program: Int
            if isBaseline, let current = programs.firstIndex(where: { $0.language == identity.language }) {
                program = current
            } else if let known = programs.firstIndex(where: { $0.matches(identity) }) {
                program = known
                // A program first seen without its binary (or its language) takes them when
                // they appear.
                let seen = programs[known]
                let language = seen.language == ProgramIdentity.unknownLanguage ? identity.language : seen.language
                programs[known] = ProgramIdentity(language: language, binary: seen.binary ?? identity.binary)
            } else {
                program = programs.count
                programs.append(identity)
            }
            let key = GroupKey(types: loaded.profile.sampleTypes, classification: classes, declaredKind: declared, program: program)
            if buckets[key] == nil { keys.append(key) }
            buckets[key, default: []].append(i)
        }

        var groups: [Group] = []
        for key in keys {
            var indices = buckets[key] ?? []
            var index: CostIndex
            var series: Series?
            let times = indices.map { seriesTime(profiles[$0]) }
            if weights == nil, indices.count > 1, Set(times).count > 1 {
                indices = zip(indices, times).sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
                let semantics = key.classification.indices.map { t in
                    SeriesSemantics.of(kind: key.classification[t].kind,
                                       durationNanos: indices.allSatisfy { profiles[$0].profile.durationNanos == 0 } ? 0 : 1)
                }
                let ordered = indices.map { profiles[$0].profile }
                let restarts = Series.restarts(ordered, semantics: semantics)
                index = seriesIndex(ordered, semantics: semantics, restarts: restarts, detail: detail, fileIdentity: fileIdentity)
                let points = keepSeries ? ordered.map { CostIndex.build([$0], detail: detail, fileIdentity: fileIdentity) } : []
                series = Series(times: indices.map { seriesTime(profiles[$0]) }, points: points, semantics: semantics, restarts: restarts)
            } else {
                index = CostIndex.build(indices.map { profiles[$0].profile }, weights: weights.map { w in indices.map { w[$0] } },
                                        detail: detail, fileIdentity: fileIdentity)
            }
            let members = indices.map { i in
                let p = profiles[i]
                return Member(path: p.path, sampleTypes: p.profile.sampleTypes, timeNanos: p.profile.timeNanos,
                              durationNanos: p.profile.durationNanos, modificationTime: p.modificationTime,
                              sampleCount: p.profile.samples.count, uncompressedByteCount: p.uncompressedByteCount,
                              warnings: p.warnings, program: programOfProfile[i],
                              mainBinaryFile: p.profile.mappings.first?.filename ?? "",
                              mainBinaryBuildID: p.profile.mappings.first?.buildID ?? "", comments: p.profile.comments,
                              isBaseline: (weights?[i] ?? 1) < 0)
            }
            let defaultType = indices.first.flatMap { profiles[$0].profile.defaultSampleTypeIndex }
            // The main kind is the default type's, unless that type has no values.
            let mainType = defaultType.flatMap { index.absoluteTotals[$0] != 0 ? $0 : nil }
                ?? index.absoluteTotals.firstIndex { $0 != 0 }
            groups.append(Group(members: members, memberIndices: indices, series: series, index: index, classification: key.classification,
                                mainKind: mainType.map { key.classification[$0].kind }, defaultType: defaultType,
                                program: key.program))
        }
        return ProfileSet(groups: groups, sources: kindSources(groups, programCount: programs.count), programs: programs)
    }

    static func kindSources(_ groups: [Group], programCount: Int) -> [KindSource] {
        var kinds: [CostKind] = []
        for group in groups {
            for (t, c) in group.classification.enumerated() where group.hasValues(t) && !kinds.contains(c.kind) {
                kinds.append(c.kind)
            }
        }
        var sources: [KindSource] = []
        for kind in kinds.sorted() {
            for program in 0 ..< programCount {
                // The groups of this program that have values for the kind.
                let candidates = groups.indices.filter { g in
                    groups[g].program == program && groups[g].classification.indices.contains {
                        groups[g].classification[$0].kind == kind && groups[g].hasValues($0)
                    }
                }
                guard let g = candidates.first(where: { groups[$0].mainKind == kind }) ?? candidates.first else { continue }
                let group = groups[g]
                func pick(_ measure: Measure) -> Int? {
                    let matching = group.classification.indices.filter {
                        group.classification[$0].kind == kind && group.classification[$0].measure == measure && group.hasValues($0)
                    }
                    if let d = group.defaultType, matching.contains(d) { return d }
                    return matching.first
                }
                sources.append(KindSource(kind: kind, group: g, program: program, valueType: pick(.value), countType: pick(.count)))
            }
        }
        return sources
    }
}
