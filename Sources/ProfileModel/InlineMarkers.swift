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
        var keptOfRow: [Int32: Int32] = [:]
        for (k, identity) in kept.enumerated() {
            if let row = index.rowKey(identity) { keptOfRow[row] = Int32(k) }
        }
        let n = kept.count
        var edges = EdgeTable(rows: n)
        for (profile, frames) in zip(profiles, index.rowFrames) {
            guard let t = profile.sampleTypes.firstIndex(of: type) else { continue }
            addEdges(profile, frames, type: t, keptOfRow: keptOfRow, edges: &edges)
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

    private static func addEdges(_ profile: Profile, _ frames: CostIndex.RowFrames, type: Int, keptOfRow: [Int32: Int32],
                                 edges: inout EdgeTable) {
        let locationCount = frames.frameStart.count - 1
        // Per location, its kept rows from the outermost frame in, with whether each is inlined.
        var rowStart = [Int32](repeating: 0, count: locationCount + 1)
        var rows: [(row: Int32, inlined: Bool)] = []
        var anyInlined = false
        for l in 0 ..< locationCount {
            let first = Int(frames.frameStart[l]), end = Int(frames.frameStart[l + 1])
            for frame in (first ..< end).reversed() {
                guard let row = keptOfRow[frames.rows[frame]] else { continue }
                let inlined = frame != end - 1
                anyInlined = anyInlined || inlined
                rows.append((row, inlined))
            }
            rowStart[l + 1] = Int32(rows.count)
        }
        // Without an inlined kept frame no row can be marked: skip the walk.
        guard anyInlined else { return }
        let samples = profile.samples
        for s in 0 ..< samples.count where samples.values[s * samples.valuesPerSample + type] != 0 {
            edges.startSample()
            var parent: Int32 = -1
            for position in samples.stack(of: s).indices.reversed() {
                let location = Int(samples.locationIndices[position])
                for (row, inlined) in rows[Int(rowStart[location]) ..< Int(rowStart[location + 1])] {
                    defer { parent = row }
                    guard parent >= 0, parent != row else { continue }
                    edges.add(parent: Int(parent), child: Int(row), inlined: inlined)
                }
            }
        }
    }
}

/// The edges between a report's rows: per (parent, child) pair, whether every edge seen was
/// inline (1) or some was not (2). Dense for the usual few dozen rows; a dictionary for
/// reports of thousands, where a dense table would be millions of entries.
private struct EdgeTable {
    let rows: Int
    private var dense: [UInt8]
    private var sparse: [Int: UInt8] = [:]
    private var parentsOf: [Int: Set<Int>] = [:]
    /// Pairs already seen in the current sample: only the first counts.
    private var seenInSample: Set<Int> = []

    init(rows: Int) {
        self.rows = rows
        dense = rows <= 256 ? [UInt8](repeating: 0, count: rows * rows) : []
    }

    mutating func startSample() {
        if !seenInSample.isEmpty { seenInSample.removeAll(keepingCapacity: true) }
    }

    mutating func add(parent: Int, child: Int, inlined: Bool) {
        let edge = parent * rows + child
        guard seenInSample.insert(edge).inserted else { return }
        let old = state(parent, child)
        let new: UInt8 = !inlined ? 2 : (old == 0 ? 1 : old)
        if new == old { return }
        if dense.isEmpty { sparse[edge] = new } else { dense[edge] = new }
        parentsOf[child, default: []].insert(parent)
    }

    func state(_ parent: Int, _ child: Int) -> UInt8 {
        let edge = parent * rows + child
        return dense.isEmpty ? sparse[edge] ?? 0 : dense[edge]
    }

    func parents(of child: Int) -> Set<Int> { parentsOf[child] ?? [] }
}
