import Dispatch
import PprofFormat

/// `pprof -top`'s mark after a row whose calls were inlined.
public enum InlineMarker: String, Sendable {
    /// Every call into the row that the report shows was inlined.
    case inline
    /// Some were, some were not.
    case partialInline = "partial-inline"
}

/// Which of a report's rows pprof marks `(inline)` or `(partial-inline)`.
///
/// pprof draws an edge from each row to the next row of the report along a stack (root to leaf,
/// outer inlined frames before inner ones); the edge is inline when the callee is not the
/// outermost line of its location (it was inlined into the caller). A row whose incoming edges
/// are all inline is `(inline)`, one with both kinds `(partial-inline)`. Only rows in the report
/// make edges, so the marks depend on how many rows are kept.
public enum InlineMarkers {
    /// The marks of the rows `kept` of `index`, which was built with `Detail.functions` from
    /// `profiles`, over the samples whose value of `type` is not zero.
    public static func compute(index: CostIndex, profiles: [Profile], type: ValueType, kept: [FunctionIdentity]) -> [FunctionIdentity: InlineMarker] {
        // Per row key, its position in `kept`, or -1.
        let rowSpace = index.rowTable?.identities.count ?? index.functionCount
        var keptOfRow = [Int32](repeating: -1, count: rowSpace)
        for (k, identity) in kept.enumerated() {
            if let row = index.rowKey(identity), row >= 0, Int(row) < rowSpace { keptOfRow[Int(row)] = Int32(k) }
        }
        let n = kept.count
        let edges = EdgeTable(rows: n)
        for (profile, frames) in zip(profiles, index.rowFrames) {
            guard let t = profile.sampleTypes.firstIndex(of: type) else { continue }
            addEdges(profile, frames, type: t, keptOfRow: keptOfRow, edges: edges)
        }
        var marks: [FunctionIdentity: InlineMarker] = [:]
        for child in 0 ..< n {
            var inline = false
            var notInline = false
            for parent in edges.parents(of: child) {
                switch edges.state(parent, child) {
                case 1: inline = true
                case 2: notInline = true
                default: break
                }
            }
            if inline { marks[kept[child]] = notInline ? .partialInline : .inline }
        }
        return marks
    }

    private static func addEdges(_ profile: Profile, _ frames: CostIndex.RowFrames, type: Int, keptOfRow: [Int32],
                                 edges: EdgeTable) {
        let locationCount = frames.frameStart.count - 1
        // The position in `kept` of a frame's row, or nil when the row is not kept.
        func keptRow(_ frame: Int) -> Int32? {
            let rowKey = Int(frames.rows[frame])
            guard rowKey >= 0, rowKey < keptOfRow.count, keptOfRow[rowKey] >= 0 else { return nil }
            return keptOfRow[rowKey]
        }
        // Without a kept frame that is inlined (not its location's last, outermost, line) no row
        // can be marked: most reports. Looked for first, so that they allocate nothing.
        let anyInlined = (0 ..< locationCount).contains { l in
            let first = Int(frames.frameStart[l]), end = Int(frames.frameStart[l + 1])
            return (first ..< max(first, end - 1)).contains { keptRow($0) != nil }
        }
        guard anyInlined else { return }
        // Per location, its kept rows from the outermost frame in, each as row * 2 + 1 when
        // the frame is inlined (not its location's last, outermost, line), row * 2 otherwise.
        var rowStart = [Int32](repeating: 0, count: locationCount + 1)
        var rows: [Int32] = []
        // Which locations have kept rows, a bit each: small enough to stay in the cache while
        // every frame of every sample is looked at, where most have none.
        var hasRows = [UInt64](repeating: 0, count: (locationCount + 63) / 64)
        for l in 0 ..< locationCount {
            let first = Int(frames.frameStart[l]), end = Int(frames.frameStart[l + 1])
            for frame in (first ..< end).reversed() {
                guard let row = keptRow(frame) else { continue }
                rows.append(row * 2 + (frame != end - 1 ? 1 : 0))
            }
            rowStart[l + 1] = Int32(rows.count)
            if rowStart[l + 1] > rowStart[l] { hasRows[l >> 6] |= 1 << UInt64(l & 63) }
        }
        profile.samples.stacks.withEntries(EdgeWalk(samples: profile.samples, type: type, hasRows: hasRows, rowStart: rowStart,
                                                    rows: rows, edges: edges))
    }

    /// The walk over a profile's samples, over stack entries of either width.
    private struct EdgeWalk: StackEntriesBody {
        let samples: SampleTable
        let type: Int
        let hasRows: [UInt64]
        let rowStart: [Int32]
        let rows: [Int32]
        let edges: EdgeTable

        func run<Entry: FixedWidthInteger & UnsignedInteger>(_ stacks: UnsafeBufferPointer<Entry>) {
            samples.values.withUnsafeBufferPointer { values in
            samples.locationStart.withUnsafeBufferPointer { stackStart in
            hasRows.withUnsafeBufferPointer { hasRows in
            rowStart.withUnsafeBufferPointer { rowStart in
            rows.withUnsafeBufferPointer { rows in
                let input = WalkInput(values: values, perSample: samples.valuesPerSample, type: type, stacks: stacks,
                                      stackStart: stackStart, hasRows: hasRows, rowStart: rowStart, rows: rows)
                let sampleCount = stackStart.count - 1
                guard sampleCount >= 100_000 else {
                    InlineMarkers.walk(0 ..< max(sampleCount, 0), input, edges: edges)
                    return
                }
                // A sample's edges do not depend on other samples': two threads, each with its
                // own table, taking chunks of samples in turn (see `FunctionWalk.run`), merged after.
                let second = EdgeTable(rows: edges.rows)
                let chunks = 64
                let next = ChunkCounter()
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    while let chunk = next.take(below: chunks) {
                        InlineMarkers.walk((sampleCount * chunk / chunks) ..< (sampleCount * (chunk + 1) / chunks), input,
                                           edges: part == 0 ? edges : second)
                    }
                }
                edges.merge(second)
            }}}}}
        }
    }

    /// The read-only arrays of the walk, shared by its threads while `addEdges` keeps them alive.
    private struct WalkInput<Entry: FixedWidthInteger & UnsignedInteger>: @unchecked Sendable {
        let values: UnsafeBufferPointer<Int64>
        let perSample: Int
        let type: Int
        let stacks: UnsafeBufferPointer<Entry>
        let stackStart: UnsafeBufferPointer<Int>
        let hasRows: UnsafeBufferPointer<UInt64>
        let rowStart: UnsafeBufferPointer<Int32>
        let rows: UnsafeBufferPointer<Int32>
    }

    /// Adds each sample's edges. A sample's stack is read leaf first, in memory order, noting
    /// the locations with kept rows (most have none); then those are taken root first.
    private static func walk<Entry>(_ range: Range<Int>, _ input: WalkInput<Entry>, edges: EdgeTable) {
        let (values, perSample, type, stackStart, rowStart, rows) = (input.values, input.perSample, input.type, input.stackStart,
                                                                     input.rowStart, input.rows)
        guard let stackBase = input.stacks.baseAddress, let bits = input.hasRows.baseAddress, stackStart.count > 1 else { return }
        // The locations with kept rows of one sample, leaf first: at most its stack's length.
        var capacity = 64
        var hits = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        defer { hits.deallocate() }
        for s in range where values[s * perSample + type] != 0 {
            let first = stackStart[s], end = stackStart[s + 1]
            if end - first > capacity {
                hits.deallocate()
                capacity = end - first
                hits = .allocate(capacity: capacity)
            }
            var count = 0
            for position in first ..< end {
                let location = Int(stackBase[position])
                if bits[location >> 6] & (1 << UInt64(location & 63)) != 0 {
                    hits[count] = location
                    count += 1
                }
            }
            if count == 0 { continue }
            edges.startSample()
            var parent: Int32 = -1
            while count > 0 {
                count -= 1
                let location = hits[count]
                for r in Int(rowStart[location]) ..< Int(rowStart[location + 1]) {
                    let packed = rows[r]
                    let row = packed >> 1
                    if parent >= 0, parent != row {
                        edges.add(parent: Int(parent), child: Int(row), inlined: packed & 1 != 0)
                    }
                    parent = row
                }
            }
        }
    }
}

/// The edges between a report's rows: per (parent, child) pair, whether every edge seen was
/// inline (1) or some was not (2), and the last sample that saw it (only a sample's first sight
/// of an edge counts). Dense for the usual few dozen rows; a dictionary for reports of
/// thousands, where a dense table would be millions of entries. Each thread of the walk has
/// its own (hence unchecked Sendable: one thread uses a table at a time).
private final class EdgeTable: @unchecked Sendable {
    let rows: Int
    private let isDense: Bool
    private let dense: UnsafeMutablePointer<UInt8>
    private let denseSeen: UnsafeMutablePointer<UInt32>
    private var sparse: [Int: (state: UInt8, seen: UInt32)] = [:]
    private var parentsOf: [Int: Set<Int>] = [:]
    /// The number of the current sample, from 1, across profiles.
    private var sample: UInt32 = 0

    init(rows: Int) {
        self.rows = rows
        isDense = rows <= 256
        let count = isDense ? max(rows * rows, 1) : 1
        dense = .allocate(capacity: count)
        dense.initialize(repeating: 0, count: count)
        denseSeen = .allocate(capacity: count)
        denseSeen.initialize(repeating: 0, count: count)
    }

    deinit {
        dense.deallocate()
        denseSeen.deallocate()
    }

    func startSample() {
        sample &+= 1
    }

    func add(parent: Int, child: Int, inlined: Bool) {
        let edge = parent * rows + child
        let old: UInt8
        if isDense {
            if denseSeen[edge] == sample { return }
            denseSeen[edge] = sample
            old = dense[edge]
            dense[edge] = !inlined ? 2 : (old == 0 ? 1 : old)
        } else {
            let entry = sparse[edge] ?? (0, 0)
            if entry.seen == sample { return }
            old = entry.state
            sparse[edge] = (!inlined ? 2 : (old == 0 ? 1 : old), sample)
        }
        if old == 0 { parentsOf[child, default: []].insert(parent) }
    }

    func state(_ parent: Int, _ child: Int) -> UInt8 {
        let edge = parent * rows + child
        return isDense ? dense[edge] : sparse[edge]?.state ?? 0
    }

    func parents(of child: Int) -> Set<Int> { parentsOf[child] ?? [] }

    /// Adds the edges of another table of the same rows (other samples): an edge is not inline
    /// when it was not in either, and inline when it was in one and not "not inline" in any.
    func merge(_ other: EdgeTable) {
        for (child, parents) in other.parentsOf {
            for parent in parents {
                let edge = parent * rows + child
                let theirs = other.state(parent, child)
                let old = state(parent, child)
                let new = max(old, theirs)
                if isDense { dense[edge] = new } else { sparse[edge] = (new, sparse[edge]?.seen ?? 0) }
                if old == 0 { parentsOf[child, default: []].insert(parent) }
            }
        }
    }
}
