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
    /// The marks of the rows `kept`, over the samples of `profiles` whose value of `type` is
    /// not zero.
    public static func compute(profiles: [Profile], type: ValueType, kept: [FunctionIdentity]) -> [FunctionIdentity: InlineMarker] {
        let keptIndex = Dictionary(kept.enumerated().map { ($0.element, Int32($0.offset)) }, uniquingKeysWith: { first, _ in first })
        let n = kept.count
        var edges = EdgeTable(rows: n)
        for profile in profiles {
            guard let t = profile.sampleTypes.firstIndex(of: type) else { continue }
            addEdges(profile, type: t, keptIndex: keptIndex, n: n, edges: &edges)
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

    private static func addEdges(_ profile: Profile, type: Int, keptIndex: [FunctionIdentity: Int32], n: Int, edges: inout EdgeTable) {
        let locations = profile.locations
        let naming = FrameNaming(profile)
        // The kept row of each function, worked out once per function (and per binary and
        // start line for frames without a name); -1 when the row is not kept.
        var rowOfFunction = [Int32?](repeating: nil, count: profile.functions.count)
        var rowOfUnsymbolized: [FrameNaming.Unsymbolized: Int32] = [:]
        func keptRow(function f: Int, location l: Int) -> Int32 {
            if f >= 0, naming.isRenamed(f) || !naming.names[f].isEmpty {
                if let known = rowOfFunction[f] { return known }
                let row = naming.isRenamed(f) ? (keptIndex[naming.rowIdentity(function: f, location: l)] ?? -1)
                    : (keptIndex[.named(naming.names[f])] ?? -1)
                // A renamed function whose pprof name is empty depends on its location's binary.
                if !(naming.isRenamed(f) && naming.rowIdentity(function: f, location: l).isSymbolized == false) { rowOfFunction[f] = row }
                return row
            }
            let frame = FrameNaming.Unsymbolized(mapping: locations.mapping[l], startLine: f >= 0 ? profile.functions.startLine[f] : 0)
            if let known = rowOfUnsymbolized[frame] { return known }
            let row = keptIndex[naming.identity(frame)] ?? -1
            rowOfUnsymbolized[frame] = row
            return row
        }
        // Per location, its kept rows from the outermost line in, with whether each is inlined.
        var rowStart = [Int](repeating: 0, count: locations.count + 1)
        var rows: [(row: Int32, inlined: Bool)] = []
        var anyInlined = false
        for l in 0 ..< locations.count {
            let lines = locations.lines(of: l)
            if lines.isEmpty {
                let row = keptRow(function: -1, location: l)
                if row >= 0 { rows.append((row, false)) }
            } else {
                for e in lines.reversed() {
                    let row = keptRow(function: Int(locations.lineFunction[e]), location: l)
                    guard row >= 0 else { continue }
                    let inlined = e != lines.upperBound - 1
                    anyInlined = anyInlined || inlined
                    rows.append((row, inlined))
                }
            }
            rowStart[l + 1] = rows.count
        }
        // Without an inlined kept frame no row can be marked: skip the walk.
        guard anyInlined else { return }
        let samples = profile.samples
        for s in 0 ..< samples.count where samples.values[s * samples.valuesPerSample + type] != 0 {
            edges.startSample()
            var parent: Int32 = -1
            for position in samples.stack(of: s).indices.reversed() {
                let location = Int(samples.locationIndices[position])
                for (row, inlined) in rows[rowStart[location] ..< rowStart[location + 1]] {
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
