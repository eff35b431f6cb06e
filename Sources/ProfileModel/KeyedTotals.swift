/// Flat and cum values per key, with the keys' identities: the function table and the row
/// table of the builder.
struct KeyedTotals {
    var keys = IdentityTable()
    /// Per key, `columns` values each (see `layout`).
    var flat: [Int64] = []
    var cum: [Int64] = []
    private(set) var layout = Layout.undecided

    /// How the values are kept.
    enum Layout: Equatable {
        /// Nothing counted yet: one zero per key.
        case undecided
        /// Every value counted so far is its key's first column times the type's ratio (a CPU
        /// profile's count and nanoseconds, whose walk counts one value): one value per key,
        /// half the memory of two. The ratios are by the index's sample types (0 for a type
        /// the profiles lack).
        case proportional([Int64])
        /// One value per key and sample type.
        case full
    }

    var count: Int { keys.count }
    var identities: [FunctionIdentity] { keys.identities }

    private func columns(_ typeCount: Int) -> Int { layout == .full ? typeCount : 1 }

    mutating func reserve(_ count: Int, typeCount: Int) {
        keys.reserve(count)
        flat.reserveCapacity(count * columns(typeCount))
        cum.reserveCapacity(count * columns(typeCount))
    }

    mutating func key(_ identity: FunctionIdentity, typeCount: Int) -> (key: Int32, isNew: Bool) {
        let (key, isNew) = keys.insert(identity)
        if isNew {
            flat.append(contentsOf: repeatElement(0, count: columns(typeCount)))
            cum.append(contentsOf: repeatElement(0, count: columns(typeCount)))
        }
        return (key, isNew)
    }

    /// Adds a walk's counts of every key: in one column while every walk's values are
    /// proportional with the same ratios, else in one per type.
    mutating func add(_ counts: KeyCounts, typeCount: Int, typeMap: [Int]) {
        if let ratios = counts.ratios {
            var mapped = [Int64](repeating: 0, count: typeCount)
            for t in ratios.indices { mapped[typeMap[t]] = ratios[t] }
            if layout == .undecided { layout = .proportional(mapped) }
            if layout == .proportional(mapped) {
                counts.foldFirstColumn(into: &flat, &cum)
                return
            }
        }
        makeFull(typeCount: typeCount)
        counts.fold(into: &flat, &cum, typeCount: typeCount, typeMap: typeMap)
    }

    /// One value per key and type from now on: before counts that are not proportional.
    mutating func makeFull(typeCount: Int) {
        switch layout {
        case .full:
            return
        case .undecided:
            flat = [Int64](repeating: 0, count: count * typeCount)
            cum = flat
        case .proportional(let ratios):
            flat = Self.expanded(flat, ratios)
            cum = Self.expanded(cum, ratios)
        }
        layout = .full
    }

    private static func expanded(_ column: [Int64], _ ratios: [Int64]) -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(column.count * ratios.count)
        for value in column {
            for ratio in ratios { out.append(value &* ratio) }
        }
        return out
    }

    /// The values, for the index.
    func values(typeCount: Int) -> (flat: KeyValues, cum: KeyValues) {
        let ratios: [Int64]?
        switch layout {
        case .full: ratios = nil
        case .proportional(let r): ratios = r
        case .undecided: ratios = [Int64](repeating: 1, count: typeCount)
        }
        return (KeyValues(values: flat, ratios: ratios, typeCount: typeCount), KeyValues(values: cum, ratios: ratios, typeCount: typeCount))
    }
}

/// Per key and sample type, a value of the index: one per key and type, or one per key times
/// the type's ratio (`KeyedTotals.Layout.proportional`).
struct KeyValues: Sendable {
    let values: [Int64]
    let ratios: [Int64]?
    let typeCount: Int

    @inline(__always)
    subscript(key: Int, type: Int) -> Int64 {
        guard let ratios else { return values[key * typeCount + type] }
        return values[key] &* ratios[type]
    }
}

/// Function identities numbered in order of arrival, and the number of each: an open-addressing
/// table of numbers (4 bytes a slot) rather than a dictionary of identities, probed once per
/// insertion and never rebuilt into another type. Hashes come from the standard library's
/// hasher, seeded per process, so a hostile profile cannot choose names that collide.
struct IdentityTable: Sendable {
    private(set) var identities: [FunctionIdentity] = []
    /// Per number: the low bits of its identity's hash, compared before the identities.
    private var hashes: [UInt32] = []
    /// -1 for an empty slot; a power of two, at most three quarters full (the hash check keeps
    /// the longer probes cheap, and the table is a tenth of an index of functions at half).
    private var slots: [Int32] = []

    var count: Int { identities.count }

    mutating func reserve(_ count: Int) {
        identities.reserveCapacity(count)
        hashes.reserveCapacity(count)
        if count * 4 > slots.count * 3 { rehash(capacity: Self.capacity(for: count)) }
    }

    private static func capacity(for count: Int) -> Int {
        var capacity = 16
        while capacity * 3 < count * 4 { capacity *= 2 }
        return capacity
    }

    /// The number of `identity`, or nil when it has none.
    func key(of identity: FunctionIdentity) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let hash = identity.hashValue
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let key = slots[slot]
            if key < 0 { return nil }
            if hashes[Int(key)] == UInt32(truncatingIfNeeded: hash), identities[Int(key)] == identity { return key }
            slot = (slot + 1) & mask
        }
    }

    /// The number of `identity`, given the next one when it is new.
    mutating func insert(_ identity: FunctionIdentity) -> (key: Int32, isNew: Bool) {
        if (identities.count + 1) * 4 > slots.count * 3 { rehash(capacity: Self.capacity(for: identities.count + 1)) }
        let hash = identity.hashValue
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let key = slots[slot]
            if key < 0 { break }
            if hashes[Int(key)] == UInt32(truncatingIfNeeded: hash), identities[Int(key)] == identity { return (key, false) }
            slot = (slot + 1) & mask
        }
        let key = Int32(identities.count)
        slots[slot] = key
        identities.append(identity)
        hashes.append(UInt32(truncatingIfNeeded: hash))
        return (key, true)
    }

    private mutating func rehash(capacity: Int) {
        guard capacity > slots.count else { return }
        slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for key in identities.indices {
            // The low 32 bits of the hash are kept, enough to place the key in any table of up
            // to 2^32 slots.
            var slot = Int(hashes[key]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(key)
        }
    }
}
