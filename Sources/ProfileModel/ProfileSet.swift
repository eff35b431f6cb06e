import PprofFormat

/// Every loaded profile, grouped so that like is summed with like and every kind is shown once.
///
/// Profiles with the same sample types and the same main kind form a group and are merged (their
/// values summed), each group into one `CostIndex`. A Go service's cpu, heap, allocs, mutex,
/// block and goroutine profiles are six groups side by side, each with its own totals.
///
/// Each kind is then taken from one group: the group whose main kind it is (the kind of its
/// default sample type), else the first that carries it. So Go's allocs profile supplies the
/// allocation numbers and its heap profile the in-use numbers, although both carry all four
/// memory sample types, and a heap profile alone supplies both.
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
    }

    public struct Group: Sendable {
        public let members: [Member]
        public let index: CostIndex
        /// The kind and measure of each of the index's sample types.
        public let classification: [Classification]
        /// The kind of the group's default sample type.
        public let mainKind: CostKind?
        /// The index's sample type that tools show by default.
        public let defaultType: Int?
    }

    public struct Classification: Sendable, Hashable {
        public let kind: CostKind
        public let measure: Measure
    }

    /// Where a kind's numbers come from: a group, and the sample types of its value and count.
    public struct KindSource: Sendable {
        public let kind: CostKind
        public let group: Int
        public let valueType: Int?
        public let countType: Int?

        /// The sample type that ranks lines and functions: the value when there is one.
        public var primaryType: Int { valueType ?? countType ?? 0 }
    }

    public let groups: [Group]
    /// The kinds available, in display order (CPU first).
    public let kinds: [KindSource]

    public static let empty = ProfileSet(groups: [], kinds: [])

    public func source(of kind: CostKind) -> KindSource? {
        kinds.first { $0.kind == kind }
    }

    public var members: [Member] { groups.flatMap(\.members) }

    /// Groups and indexes `profiles`. `fileIdentity` names each source file as the indexes
    /// should know it (see `CostIndex.build`).
    public static func build(_ profiles: [LoadedProfile], fileIdentity: (String) -> String = { $0 }) -> ProfileSet {
        struct GroupKey: Hashable {
            var types: [ValueType]
            var classification: [Classification]
            var mainKind: CostKind?
        }
        var keys: [GroupKey] = []
        var buckets: [GroupKey: [Int]] = [:]
        var classifications: [[Classification]] = []
        for (i, loaded) in profiles.enumerated() {
            let classes = KindRecognizer.classify(loaded.profile).map { Classification(kind: $0.kind, measure: $0.measure) }
            classifications.append(classes)
            let main = loaded.profile.defaultSampleTypeIndex.map { classes[$0].kind }
            let key = GroupKey(types: loaded.profile.sampleTypes, classification: classes, mainKind: main)
            if buckets[key] == nil { keys.append(key) }
            buckets[key, default: []].append(i)
        }

        var groups: [Group] = []
        for key in keys {
            let indices = buckets[key] ?? []
            let index = CostIndex.build(indices.map { profiles[$0].profile }, fileIdentity: fileIdentity)
            let members = indices.map { i in
                let p = profiles[i]
                return Member(path: p.path, sampleTypes: p.profile.sampleTypes, timeNanos: p.profile.timeNanos,
                              durationNanos: p.profile.durationNanos, modificationTime: p.modificationTime,
                              sampleCount: p.profile.samples.count, uncompressedByteCount: p.uncompressedByteCount,
                              warnings: p.warnings)
            }
            let defaultType = indices.first.flatMap { profiles[$0].profile.defaultSampleTypeIndex }
            groups.append(Group(members: members, index: index, classification: key.classification,
                                mainKind: key.mainKind, defaultType: defaultType))
        }
        return ProfileSet(groups: groups, kinds: kindSources(groups))
    }

    static func kindSources(_ groups: [Group]) -> [KindSource] {
        var kinds: [CostKind] = []
        for group in groups {
            for c in group.classification where !kinds.contains(c.kind) { kinds.append(c.kind) }
        }
        var sources: [KindSource] = []
        for kind in kinds.sorted() {
            let candidates = groups.indices.filter { g in groups[g].classification.contains { $0.kind == kind } }
            guard let g = candidates.first(where: { groups[$0].mainKind == kind }) ?? candidates.first else { continue }
            let group = groups[g]
            func pick(_ measure: Measure) -> Int? {
                let matching = group.classification.indices.filter {
                    group.classification[$0].kind == kind && group.classification[$0].measure == measure
                }
                if let d = group.defaultType, matching.contains(d) { return d }
                return matching.first
            }
            sources.append(KindSource(kind: kind, group: g, valueType: pick(.value), countType: pick(.count)))
        }
        return sources
    }
}
