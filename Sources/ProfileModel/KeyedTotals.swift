/// Flat and cum values per key, with the keys' identities: the function table and the row
/// table of the builder.
struct KeyedTotals {
    var keys = IdentityTable()
    var flat: [Int64] = []
    var cum: [Int64] = []

    var count: Int { keys.count }
    var identities: [FunctionIdentity] { keys.identities }

    mutating func reserve(_ count: Int, typeCount: Int) {
        keys.reserve(count)
        flat.reserveCapacity(count * typeCount)
        cum.reserveCapacity(count * typeCount)
    }

    mutating func key(_ identity: FunctionIdentity, typeCount: Int) -> (key: Int32, isNew: Bool) {
        let (key, isNew) = keys.insert(identity)
        if isNew {
            flat.append(contentsOf: repeatElement(0, count: typeCount))
            cum.append(contentsOf: repeatElement(0, count: typeCount))
        }
        return (key, isNew)
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
    /// -1 for an empty slot; a power of two, at most half full.
    private var slots: [Int32] = []

    var count: Int { identities.count }

    mutating func reserve(_ count: Int) {
        identities.reserveCapacity(count)
        hashes.reserveCapacity(count)
        if count * 2 > slots.count { rehash(capacity: Self.capacity(for: count)) }
    }

    private static func capacity(for count: Int) -> Int {
        var capacity = 16
        while capacity < count * 2 { capacity *= 2 }
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
        if (identities.count + 1) * 2 > slots.count { rehash(capacity: Self.capacity(for: identities.count + 1)) }
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
