import PprofFormat

/// What a cost measures, across languages: the kinds an editor shows side by side.
///
/// A kind has up to two measures: a value (time or bytes) and a count (samples, objects,
/// contentions, goroutines). The well-known kinds are listed as constants; a sample type that
/// none of them claims becomes a kind of its own, named after the type, so nothing is hidden.
public struct CostKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A short stable name: "cpu", "alloc", "mutex", ... or the sample type's own name.
    public let id: String
    /// How editors title it: "CPU", "Alloc", "Mutex", ...
    public let title: String
    /// Display order: CPU first, then wall, memory, contention, goroutines, the rest.
    let rank: Int

    public static let cpu = CostKind(id: "cpu", title: "CPU", rank: 0)
    public static let wall = CostKind(id: "wall", title: "Wall", rank: 1)
    public static let alloc = CostKind(id: "alloc", title: "Alloc", rank: 2)
    public static let inuse = CostKind(id: "inuse", title: "In-use", rank: 3)
    public static let mutex = CostKind(id: "mutex", title: "Mutex", rank: 4)
    public static let block = CostKind(id: "block", title: "Block", rank: 5)
    public static let goroutine = CostKind(id: "goroutine", title: "Goroutines", rank: 6)
    public static let exception = CostKind(id: "exception", title: "Exceptions", rank: 7)

    public static let wellKnown: [CostKind] = [.cpu, .wall, .alloc, .inuse, .mutex, .block, .goroutine, .exception]

    /// A kind for a sample type that no well-known kind claims.
    public static func custom(_ name: String) -> CostKind {
        CostKind(id: name, title: name, rank: 100)
    }

    /// The kind named `id` ("cpu", "lock", "heap", ...), accepting common aliases.
    public static func named(_ id: String) -> CostKind? {
        switch id.lowercased() {
        case "cpu", "samples": return .cpu
        case "wall", "walltime": return .wall
        case "alloc", "allocs", "allocation", "allocations", "memory": return .alloc
        case "inuse", "in-use", "heap", "live": return .inuse
        case "mutex", "lock", "locks", "contention": return .mutex
        case "block", "blocking": return .block
        case "goroutine", "goroutines": return .goroutine
        case "exception", "exceptions": return .exception
        default: return nil
        }
    }

    public static func < (a: CostKind, b: CostKind) -> Bool { (a.rank, a.id) < (b.rank, b.id) }

    public var description: String { id }
}

/// Which of a kind's two measures a sample type carries.
public enum Measure: String, Sendable, Hashable {
    /// Time or bytes: CPU time, delay, allocated space.
    case value
    /// A count: samples, objects, contentions, goroutines.
    case count
}

/// Recognises the kind and measure of each sample type of a profile.
public enum KindRecognizer {
    /// The kind and measure of every sample type of `profile`, in order.
    public static func classify(_ profile: Profile) -> [(kind: CostKind, measure: Measure)] {
        if !profile.kindHint.isEmpty {
            // The source named the kind (a live endpoint's path, a Pyroscope type id).
            let kind = CostKind.named(profile.kindHint) ?? .custom(profile.kindHint)
            return profile.sampleTypes.map { (kind, measure(of: $0, kind: kind)) }
        }
        let contentionKind: CostKind = isMutexProfile(profile) ? .mutex : .block
        // "samples" counts belong to whatever the profile samples: CPU or wall time.
        var samplingKind: CostKind = .cpu
        for type in profile.sampleTypes + [profile.periodType].compactMap({ $0 }) {
            let name = type.type.lowercased()
            if name.hasPrefix("wall") { samplingKind = .wall; break }
            if name.hasPrefix("cpu") { samplingKind = .cpu; break }
        }
        return profile.sampleTypes.map { classify($0, contention: contentionKind, sampling: samplingKind) }
    }

    /// Time and bytes are values; everything else (and anything a goroutine profile counts) is a count.
    static func measure(of type: ValueType, kind: CostKind) -> Measure {
        let unit = type.unit.lowercased()
        return kind != .goroutine && (isTime(unit) || unit.hasPrefix("byte")) ? .value : .count
    }

    static func classify(_ type: ValueType, contention: CostKind, sampling: CostKind) -> (kind: CostKind, measure: Measure) {
        let name = type.type.lowercased()
        let unit = type.unit.lowercased()
        let measure: Measure = isTime(unit) || unit.hasPrefix("byte") ? .value : .count
        // Byte searches: `String.contains(_:)` takes _StringProcessing's generic searcher, which
        // every command would page in for these two words.
        if name.utf8.containsSequence(Array("inuse".utf8)) { return (.inuse, measure) }
        if name.utf8.containsSequence(Array("alloc".utf8)) { return (.alloc, measure) }
        if name.hasPrefix("lock") || name.hasPrefix("mutex") { return (.mutex, measure) }
        if name.hasPrefix("goroutine") { return (.goroutine, .count) }
        if name.hasPrefix("exception") { return (.exception, .count) }
        if name.hasPrefix("wall") { return (.wall, measure) }
        if name.hasPrefix("cpu") || name == "itimer" { return (.cpu, measure) }
        if name == "samples" || name == "sample" { return (sampling, .count) }
        if name == "contentions" || name == "delay" || name.hasPrefix("block") { return (contention, measure) }
        return (.custom(type.type), measure)
    }

    static func isTime(_ unit: String) -> Bool {
        ["nanoseconds", "nanosecond", "ns", "microseconds", "microsecond", "us", "milliseconds", "millisecond", "ms",
         "seconds", "second", "s"].contains(unit)
    }

    /// Go writes mutex and block profiles with the same sample types (contentions, delay), so
    /// the content tells them apart: a mutex profile charges the delay to the unlocking frame
    /// (`sync.(*Mutex).Unlock`), a block profile to the blocking one (channel operations,
    /// `Lock`, `Wait`, `select`). Java and others name a "mutex" or "lock" period type.
    static func isMutexProfile(_ profile: Profile) -> Bool {
        if let period = profile.periodType?.type.lowercased(), period == "mutex" || period.hasPrefix("lock") {
            return true
        }
        let names = profile.sampleTypes.map { $0.type.lowercased() }
        guard names.contains("contentions") || names.contains("delay") else { return false }
        var unlockSamples = 0
        var otherSamples = 0
        let samples = profile.samples
        let locations = profile.locations
        for s in 0 ..< samples.count {
            // The leaf frame: the first line of the first location that has lines.
            for position in samples.locationStart[s] ..< samples.locationStart[s + 1] {
                let lines = locations.lines(of: Int(samples.stacks[position]))
                guard let first = lines.first else { continue }
                let function = Int(locations.lineFunction[first])
                let name = function >= 0 ? profile.strings[Int(profile.functions.name[function])] : ""
                if name.hasSuffix("Unlock") || name.hasSuffix("RUnlock") || name.hasSuffix("unlockSlow") || name == "runtime.unlock" {
                    unlockSamples += 1
                } else {
                    otherSamples += 1
                }
                break
            }
        }
        return unlockSamples > 0 && unlockSamples >= otherSamples
    }
}
