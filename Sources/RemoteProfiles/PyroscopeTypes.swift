import ProfileModel

/// A Pyroscope profile type: `name:sample_type:sample_unit:period_type:period_unit`, as
/// `ProfileTypes` lists them (`process_cpu:cpu:nanoseconds:cpu:nanoseconds`).
public struct PyroscopeType: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    public let name: String
    public let sampleType: String
    public let sampleUnit: String
    public let periodType: String
    public let periodUnit: String

    /// From a type id; nil unless it has the five parts (some may be empty, as Python's
    /// `process_cpu:samples:count::milliseconds`).
    public init?(id: String) {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.id = id
        (name, sampleType, sampleUnit, periodType, periodUnit) = (parts[0], parts[1], parts[2], parts[3], parts[4])
    }

    public var description: String { id }

    /// The kind of the type, from its name and sample type as Pyroscope's agents write them
    /// (Go, Java async-profiler and JFR, .NET, Node, Python, Ruby, Rust, eBPF). The name is what
    /// tells Go's mutex and block profiles apart: their samples have the same types.
    public var kind: CostKind {
        let name = name.lowercased()
        let sample = sampleType.lowercased()
        if name == "mutex" || name == "lock" || sample.hasPrefix("lock_") { return .mutex }
        if name == "block" { return .block }
        if sample.hasPrefix("goroutine") { return .goroutine }
        if sample.hasPrefix("exception") { return .exception }
        if sample.contains("inuse") || sample == "live" { return .inuse }
        if sample.contains("alloc") { return .alloc }
        if name == "memory" && (sample == "space" || sample == "objects") { return .inuse }
        if name == "wall" || sample == "wall" { return .wall }
        if sample == "cpu" || sample == "itimer" { return .cpu }
        if sample == "samples" || sample == "sample" || sample == "cpu_samples" {
            return name == "process_cpu" || name == "cpu" ? .cpu : (CostKind.named(name) ?? .custom(name))
        }
        return .custom(sampleType)
    }

    /// Time and bytes are the measure that ranks; counts come second.
    public var isValueMeasure: Bool {
        let unit = sampleUnit.lowercased()
        guard kind != .goroutine else { return false }
        return unit.hasPrefix("byte") || ["nanoseconds", "microseconds", "milliseconds", "seconds"].contains(unit)
    }

    /// Which types to fetch. With no `restrictions`, one per kind: the value measure (time,
    /// bytes) when the kind has one, else its first type. A restriction is a sample type
    /// (`cpu`, `alloc_objects`: the type of each kind that has it), else a kind (`alloc`,
    /// `mutex`: one type of that kind), or a type id (exactly that type), as `top --type` picks
    /// among a file's sample types. Ordered by kind, CPU first.
    public static func select(_ available: [PyroscopeType], restrictions: [String] = []) -> [PyroscopeType] {
        var chosen: [PyroscopeType] = []
        func add(_ type: PyroscopeType) {
            if !chosen.contains(type) { chosen.append(type) }
        }
        func best(of kind: CostKind) -> PyroscopeType? {
            let candidates = available.filter { $0.kind == kind }
            return candidates.first(where: \.isValueMeasure) ?? candidates.first
        }
        if restrictions.isEmpty {
            var kinds: [CostKind] = []
            for type in available where !kinds.contains(type.kind) { kinds.append(type.kind) }
            for kind in kinds { if let type = best(of: kind) { add(type) } }
        } else {
            for restriction in restrictions {
                if restriction.contains(":") {
                    if let type = available.first(where: { $0.id == restriction }) ?? PyroscopeType(id: restriction) { add(type) }
                } else if available.contains(where: { $0.sampleType == restriction }) {
                    // A sample type, as `top --type` takes them for files: one type per kind of it.
                    var kinds: Set<CostKind> = []
                    for type in available where type.sampleType == restriction && kinds.insert(type.kind).inserted { add(type) }
                } else if let kind = CostKind.named(restriction) ?? available.first(where: { $0.kind.id == restriction })?.kind,
                          let type = best(of: kind) {
                    add(type)
                }
            }
        }
        return chosen.enumerated().sorted { a, b in
            a.element.kind != b.element.kind ? a.element.kind < b.element.kind : a.offset < b.offset
        }.map(\.element)
    }
}
