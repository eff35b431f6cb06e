/// Maps the ids a profile gives its locations, functions and mappings to array indices.
///
/// Ids are usually dense (1, 2, 3, ...), so a plain array indexed by id is fastest; but a file
/// may use any 64-bit id, and a hostile one may use 2^63, so when the ids are sparse the table
/// falls back to a dictionary instead of allocating an array as large as the biggest id.
struct IDTable {
    private var dense: [Int32] = []
    private var sparse: [UInt64: Int32] = [:]
    private var isDense = true
    /// How many entries reused an id that an earlier entry had; the later entry wins, as it
    /// does when a map is built from the entries in order.
    private(set) var duplicates = 0
    /// How many entries use the id 0, which profile.proto reserves; they are kept.
    private(set) var zeroIDs = 0

    init(ids: [UInt64]) {
        var maxID: UInt64 = 0
        for id in ids where id > maxID { maxID = id }
        // Dense when the array would be at most a few times larger than the number of entries.
        let denseLimit = UInt64(ids.count) &* 4 &+ 1024
        isDense = maxID < denseLimit
        if isDense {
            dense = [Int32](repeating: -1, count: Int(maxID) + 1)
            for (index, id) in ids.enumerated() {
                if dense[Int(id)] >= 0 { duplicates += 1 }
                dense[Int(id)] = Int32(truncatingIfNeeded: index)
                if id == 0 { zeroIDs += 1 }
            }
        } else {
            sparse.reserveCapacity(ids.count)
            for (index, id) in ids.enumerated() {
                if sparse.updateValue(Int32(truncatingIfNeeded: index), forKey: id) != nil { duplicates += 1 }
                if id == 0 { zeroIDs += 1 }
            }
        }
    }

    /// Calls `body` with the dense table (the index of each id, -1 for none) when the ids are
    /// dense; nil when they are not.
    func withDenseTable<R>(_ body: (UnsafeBufferPointer<Int32>) -> R) -> R? {
        guard isDense else { return nil }
        return dense.withUnsafeBufferPointer(body)
    }

    /// The index of the entry with this id, or -1 when there is none.
    @inline(__always)
    func index(of id: UInt64) -> Int32 {
        if isDense {
            return id < UInt64(dense.count) ? dense[Int(id)] : -1
        }
        return sparse[id] ?? -1
    }
}
