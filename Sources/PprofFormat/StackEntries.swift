/// The location indices of every sample's stack, one stack after another (`SampleTable`).
///
/// They are the largest array of a decoded profile: a stack entry per frame of every sample,
/// millions in a large profile. Nearly every profile has at most 65,536 locations, and then each
/// entry is kept in 16 bits, half the memory of 32; a profile with more keeps 32.
///
/// The walks over samples are generic over the entry type (`withEntries`). Its switch is
/// inlinable, so each walk is specialized in its own module for both widths, and reading an
/// entry stays one load either way (a generic walk would call out for every entry).
public enum StackEntries: Sendable, Equatable {
    case narrow([UInt16])
    case wide([UInt32])

    /// The narrowest storage for `indices`, given how many locations they index.
    public init(_ indices: [UInt32], locationCount: Int) {
        if locationCount <= Int(UInt16.max) + 1 {
            self = .narrow(indices.map { UInt16(truncatingIfNeeded: $0) })
        } else {
            self = .wide(indices)
        }
    }

    /// The entries of `ranges`, one range after another, in this storage's width: the stacks of
    /// a profile rebuilt from some of its samples, or parts of them, over the same locations.
    func gathering(_ ranges: [Range<Int>]) -> StackEntries {
        func gather<Entry>(_ entries: [Entry]) -> [Entry] {
            var out: [Entry] = []
            out.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
            for range in ranges { out.append(contentsOf: entries[range]) }
            return out
        }
        switch self {
        case .narrow(let entries): return .narrow(gather(entries))
        case .wide(let entries): return .wide(gather(entries))
        }
    }

    public var count: Int {
        switch self {
        case .narrow(let entries): return entries.count
        case .wide(let entries): return entries.count
        }
    }

    /// The location index at `position`.
    @inlinable
    public subscript(position: Int) -> UInt32 {
        switch self {
        case .narrow(let entries): return UInt32(entries[position])
        case .wide(let entries): return entries[position]
        }
    }

    /// Calls `body` with the entries as a buffer of their own width.
    @inlinable
    public func withEntries<Body: StackEntriesBody>(_ body: Body) -> Body.Result {
        switch self {
        case .narrow(let entries): return entries.withUnsafeBufferPointer { body.run($0) }
        case .wide(let entries): return entries.withUnsafeBufferPointer { body.run($0) }
        }
    }
}

/// What a walk over stack entries does with them, for either width: a protocol because a
/// closure cannot be generic.
public protocol StackEntriesBody {
    associatedtype Result
    func run<Entry: FixedWidthInteger & UnsignedInteger>(_ entries: UnsafeBufferPointer<Entry>) -> Result
}

/// One sample's stack: its location indices, leaf first.
public struct Stack: RandomAccessCollection, Sendable {
    @usableFromInline let entries: StackEntries
    public let startIndex: Int
    public let endIndex: Int

    @inlinable
    public subscript(position: Int) -> UInt32 { entries[position] }
}
