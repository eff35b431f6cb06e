import ProfileModel

/// Which group's sample type a terminal report shows, from `--type` or the defaults.
public struct SampleTypeChoice: Sendable {
    public let group: Int
    public let type: Int

    public enum Failure: Error, CustomStringConvertible {
        case empty
        case unknown(String, available: [String])

        public var description: String {
            switch self {
            case .empty: return "the profiles have no sample types"
            case .unknown(let name, let available):
                return "no sample type or kind named '\(name)'; available: \(available.joined(separator: ", "))"
            }
        }
    }

    /// `name` is read as `go tool pprof -sample_index` reads it: a sample type (`alloc_space`,
    /// `delay`; `inuse_space` also finds a legacy `space`) or its position (`0`, `1`, ...), else
    /// as a kind (`cpu`, `alloc`, `mutex`). Without one: for a single profile (or profiles of one
    /// kind), pprof's default, the declared default type or else the last one, even when it
    /// has no values; for several kinds, CPU time when it is loaded, else the first kind.
    /// Only the groups of `program` (the first profile's, by default) are considered.
    public static func choose(_ name: String?, in set: ProfileSet, program: Int = 0) throws(Failure) -> SampleTypeChoice {
        let groups = set.groups.indices.filter { set.groups[$0].program == program && !set.groups[$0].index.sampleTypes.isEmpty }
        guard !groups.isEmpty else { throw .empty }
        guard let name, !name.isEmpty else {
            if groups.count == 1, let type = set.groups[groups[0]].defaultType { return SampleTypeChoice(group: groups[0], type: type) }
            let sources = set.sources.filter { $0.program == program }
            if let cpu = sources.first(where: { $0.kind == .cpu }) { return SampleTypeChoice(group: cpu.group, type: cpu.primaryType) }
            if let first = sources.first { return SampleTypeChoice(group: first.group, type: first.primaryType) }
            let g = groups[0]
            return SampleTypeChoice(group: g, type: set.groups[g].defaultType ?? 0)
        }
        if let position = Int(name), position >= 0 {
            guard position < set.groups[groups[0]].index.typeCount else {
                throw .unknown(name, available: available(set, groups))
            }
            return SampleTypeChoice(group: groups[0], type: position)
        }
        // An exact sample type, preferring the group whose main kind it is; then pprof's
        // fallback for legacy heap profiles, whose types are `space` and `objects`.
        for candidate in [name] + (name.hasPrefix("inuse_") ? [String(name.dropFirst("inuse_".count))] : []) {
            var matches: [SampleTypeChoice] = []
            for g in groups {
                let group = set.groups[g]
                for (t, type) in group.index.sampleTypes.enumerated() where type.type == candidate {
                    let choice = SampleTypeChoice(group: g, type: t)
                    if group.mainKind == group.classification[t].kind { return choice }
                    matches.append(choice)
                }
            }
            if let first = matches.first { return first }
        }
        let sources = set.sources.filter { $0.program == program }
        if let kind = CostKind.named(name) ?? sources.first(where: { $0.kind.id == name })?.kind,
           let source = sources.first(where: { $0.kind == kind }) {
            return SampleTypeChoice(group: source.group, type: source.primaryType)
        }
        // A kind that is declared but has no values (a block profile of a program that blocked
        // on nothing): its report, empty, as pprof prints it, rather than an error.
        if let kind = CostKind.named(name) {
            let declaring = groups.filter { g in set.groups[g].classification.contains { $0.kind == kind } }
            if let g = declaring.first(where: { set.groups[$0].mainKind == kind }) ?? declaring.first {
                let group = set.groups[g]
                let types = group.classification.indices.filter { group.classification[$0].kind == kind }
                let value = types.first { group.classification[$0].measure == .value }
                if let type = value ?? types.first { return SampleTypeChoice(group: g, type: type) }
            }
        }
        throw .unknown(name, available: available(set, groups))
    }

    private static func available(_ set: ProfileSet, _ groups: [Int]) -> [String] {
        var names: [String] = []
        for g in groups {
            for type in set.groups[g].index.sampleTypes where !names.contains(type.type) { names.append(type.type) }
        }
        return names + set.kinds.map(\.kind.id).filter { !names.contains($0) }
    }
}
