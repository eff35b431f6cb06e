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

    /// `name` may be a sample type (`alloc_space`, `delay`) or a kind (`cpu`, `alloc`, `mutex`).
    /// Without one: CPU time when a CPU profile is loaded; else the default sample type of the
    /// only group (the declared default, or the last type, as pprof chooses); else the first kind.
    public static func choose(_ name: String?, in set: ProfileSet) throws(Failure) -> SampleTypeChoice {
        guard !set.groups.isEmpty, set.groups.contains(where: { !$0.index.sampleTypes.isEmpty }) else { throw .empty }
        guard let name, !name.isEmpty else {
            if let cpu = set.source(of: .cpu) { return SampleTypeChoice(group: cpu.group, type: cpu.primaryType) }
            if set.groups.count == 1, let type = set.groups[0].defaultType { return SampleTypeChoice(group: 0, type: type) }
            if let first = set.kinds.first { return SampleTypeChoice(group: first.group, type: first.primaryType) }
            throw .empty
        }
        // An exact sample type, preferring the group whose main kind it is.
        var matches: [SampleTypeChoice] = []
        for (g, group) in set.groups.enumerated() {
            for (t, type) in group.index.sampleTypes.enumerated() where type.type == name {
                let choice = SampleTypeChoice(group: g, type: t)
                if group.mainKind == group.classification[t].kind { return choice }
                matches.append(choice)
            }
        }
        if let first = matches.first { return first }
        if let kind = CostKind.named(name) ?? set.kinds.first(where: { $0.kind.id == name })?.kind, let source = set.source(of: kind) {
            return SampleTypeChoice(group: source.group, type: source.primaryType)
        }
        var available: [String] = []
        for group in set.groups {
            for type in group.index.sampleTypes where !available.contains(type.type) { available.append(type.type) }
        }
        available += set.kinds.map(\.kind.id).filter { !available.contains($0) }
        throw .unknown(name, available: available)
    }
}
