import PprofFormat

/// Flat and cumulative costs per source line and per function, for every sample type of one or
/// more profiles that share their sample types.
///
/// Everything is precomputed when the index is built: a lookup is an array read or a binary
/// search in one file's sorted line table, never a walk over samples.
///
/// Values of sample type `t` for line key `k` live at `k * typeCount + t` in `lineFlat` and
/// `lineCum`; likewise for functions.
public struct CostIndex: Sendable {
    public let sampleTypes: [ValueType]
    /// The sum of each sample type's values, signed (a delta or a diff can sum to less than zero).
    public let totals: [Int64]
    /// The sum of the absolute values: what percentages are of, as in pprof, so that a profile
    /// with negative values never shows shares above 100%.
    public let absoluteTotals: [Int64]
    /// The absolute totals of a comparison's baseline (profiles built with a negative weight);
    /// zero without one.
    public let baselineAbsoluteTotals: [Int64]
    public let sampleCount: Int

    /// What percentages of sample type `type` are of: the baseline's total in a comparison, as
    /// `pprof -diff_base` computes them, else the sum of the absolute values.
    public func percentTotal(type: Int) -> Int64 {
        if let percentTotals, type < percentTotals.count { return percentTotals[type] }
        return baselineAbsoluteTotals[type] != 0 ? baselineAbsoluteTotals[type] : absoluteTotals[type]
    }

    /// Totals for percentages that the samples alone do not give (a series' latest snapshot,
    /// or its growth over the series); see `withPercentTotals`.
    private(set) var percentTotals: [Int64]?

    /// The index with the totals percentages are of set explicitly.
    public func withPercentTotals(_ totals: [Int64]) -> CostIndex {
        var copy = self
        copy.percentTotals = totals
        return copy
    }

    /// File names as the index knows them: either as written in the profile, or the workspace
    /// path they were mapped to, depending on how the index was built.
    let fileNames: [String]
    let fileKeys: [String: FileKey]

    /// Per line key: its file and line number.
    let lineFile: [FileKey]
    let lineNumbers: [Int64]
    let lineFlat: [Int64]
    let lineCum: [Int64]
    /// Per file: its lines sorted by line number are `fileLines[fileLineStart[f] ..< fileLineStart[f + 1]]`.
    let fileLineStart: [Int]
    let fileLines: [LineKey]

    /// Per function key (one per `FunctionIdentity`): its identity (which gives the name people
    /// see), its file (nil when it has none) and start line (0 when the profile does not give one).
    let functionIdentities: [FunctionIdentity]
    /// The file keys' numbers, -1 for none: an optional key would take 8 bytes.
    let functionFile: [Int32]
    let functionStartLine: [Int64]
    let functionFlat: KeyValues
    let functionCum: KeyValues
    let functionKeys: IdentityTable
    /// Per function: the lines its frames were seen at,
    /// `functionLines[functionLineStart[f] ..< functionLineStart[f + 1]]`; empty when no
    /// function has lines (an index of functions only).
    let functionLineStart: [Int]
    let functionLines: [LineKey]
    /// Per file: its functions sorted by start line.
    let fileFunctionStart: [Int]
    let fileFunctions: [FunctionKey]
    /// pprof's `-top` rows when they are not the functions (some names are demangled).
    let rowTable: RowTable?
    /// Per profile, its locations as rows, for `InlineMarkers` (kept only by `Detail.functions`).
    let rowFrames: [RowFrames]

    /// Flat and cum per row and sample type.
    struct RowTable: Sendable {
        /// The rows' identities and the number of each (the builder's table, kept for lookups).
        let keys: IdentityTable
        let flat: KeyValues
        let cum: KeyValues

        var identities: [FunctionIdentity] { keys.identities }
    }

    public var typeCount: Int { sampleTypes.count }
    public var lineCount: Int { lineFile.count }
    public var functionCount: Int { functionIdentities.count }

    // MARK: Files

    /// Every file of the index.
    public var files: [FileKey] { (0 ..< Int32(fileNames.count)).map(FileKey.init) }

    public func fileKey(_ name: String) -> FileKey? { fileKeys[name] }

    public func fileName(_ file: FileKey) -> String { fileNames[file.index] }

    /// The lines of a file, sorted by line number.
    public func lineKeys(inFile file: FileKey) -> ArraySlice<LineKey> {
        guard file.index >= 0, file.index < fileNames.count else { return [] }
        return fileLines[fileLineStart[file.index] ..< fileLineStart[file.index + 1]]
    }

    /// The functions of a file, sorted by start line.
    public func functionKeys(inFile file: FileKey) -> ArraySlice<FunctionKey> {
        guard file.index >= 0, file.index < fileNames.count else { return [] }
        return fileFunctions[fileFunctionStart[file.index] ..< fileFunctionStart[file.index + 1]]
    }

    // MARK: Lines

    /// Every line of the index.
    public var lines: [LineKey] { (0 ..< Int32(lineFile.count)).map(LineKey.init) }

    /// The key of `line` in `file`, found by binary search in the file's line table.
    public func lineKey(file: FileKey, line: Int64) -> LineKey? {
        let keys = lineKeys(inFile: file)
        var low = keys.startIndex
        var high = keys.endIndex
        while low < high {
            let mid = (low + high) / 2
            if lineNumbers[keys[mid].index] < line { low = mid + 1 } else { high = mid }
        }
        if low < keys.endIndex, lineNumbers[keys[low].index] == line { return keys[low] }
        return nil
    }

    public func file(ofLine line: LineKey) -> FileKey { lineFile[line.index] }
    public func lineNumber(_ line: LineKey) -> Int64 { lineNumbers[line.index] }

    public func flat(line key: LineKey, type: Int) -> Int64 { lineFlat[key.index * typeCount + type] }
    public func cum(line key: LineKey, type: Int) -> Int64 { lineCum[key.index * typeCount + type] }

    // MARK: Functions

    /// Every function of the index.
    public var functions: [FunctionKey] { (0 ..< Int32(functionIdentities.count)).map(FunctionKey.init) }

    /// The function with this name (a symbolized one; see `FunctionIdentity`).
    public func functionKey(_ name: String) -> FunctionKey? { functionKey(.named(name)) }

    public func functionKey(_ identity: FunctionIdentity) -> FunctionKey? { functionKeys.key(of: identity).map(FunctionKey.init) }

    /// The name people see: the function's own, or `[binary]` / `<unknown>` for frames without one.
    public func functionName(_ function: FunctionKey) -> String { functionIdentities[function.index].displayName }
    public func identity(ofFunction function: FunctionKey) -> FunctionIdentity { functionIdentities[function.index] }
    /// The function's file, when its frames name one.
    public func file(ofFunction function: FunctionKey) -> FileKey? {
        let file = functionFile[function.index]
        return file >= 0 ? FileKey(file) : nil
    }
    /// The line the profile gives as the function's start, or 0.
    public func startLine(ofFunction function: FunctionKey) -> Int64 { functionStartLine[function.index] }

    public func flat(function key: FunctionKey, type: Int) -> Int64 { functionFlat[key.index, type] }
    public func cum(function key: FunctionKey, type: Int) -> Int64 { functionCum[key.index, type] }

    /// The lines at which the function's frames were seen.
    public func lineKeys(ofFunction key: FunctionKey) -> ArraySlice<LineKey> {
        functionLineStart.isEmpty ? [] : functionLines[functionLineStart[key.index] ..< functionLineStart[key.index + 1]]
    }

    /// The numbers of the function's sampled lines in its own file that can be line numbers
    /// of a text (positive, and within `Int32`).
    public func sampledLineNumbers(ofFunction key: FunctionKey) -> [Int64] {
        let file = FileKey(functionFile[key.index])
        return lineKeys(ofFunction: key).filter { lineFile[$0.index] == file }.map { lineNumbers[$0.index] }
            .filter { $0 > 0 && $0 <= Int64(Int32.max) }
    }
}

extension CostIndex {
    /// The functions with a cost of sample type `type`, hottest first as `pprof -top` sorts
    /// them: by |flat| (descending), name (bytewise, ascending), |cum| (descending); the first
    /// `limit` of them.
    public func functionsByCost(type: Int, limit: Int = .max) -> [FunctionKey] {
        var keys: [FunctionKey] = []
        for f in 0 ..< functionIdentities.count where functionFlat[f, type] != 0 || functionCum[f, type] != 0 {
            keys.append(FunctionKey(Int32(f)))
        }
        let identities = functionIdentities
        return PprofOrder.sorted(keys, limit: limit, flat: { flat(function: $0, type: type) }, cum: { cum(function: $0, type: type) },
                                 compareNames: { FunctionIdentity.compareDisplayNames(identities[$0.index], identities[$1.index]) },
                                 tieBreaker: { identities[$0.index].tieBreaker })
    }

    /// One row of `pprof -top`: a function as pprof names it, with its costs of one sample type.
    public struct TopRow: Sendable {
        public let identity: FunctionIdentity
        public let name: String
        public let flat: Int64
        public let cum: Int64
        /// The index's function of the same identity, for its file and line; nil for a row
        /// pprof renamed.
        public let function: FunctionKey?
    }

    /// Whether the index holds each location's rows (`Detail.functions`), for `InlineMarkers`.
    public var hasRowFrames: Bool { !rowFrames.isEmpty || sampleCount == 0 }

    /// The key of a row: its function's key, or its key in the row table.
    func rowKey(_ identity: FunctionIdentity) -> Int32? {
        if let table = rowTable { return table.keys.key(of: identity) }
        return functionKeys.key(of: identity)
    }

    /// How many rows have a cost of sample type `type`.
    public func rowCount(type: Int) -> Int {
        if let table = rowTable {
            return table.identities.indices.filter { table.flat[$0, type] != 0 || table.cum[$0, type] != 0 }.count
        }
        var count = 0
        for f in 0 ..< functionIdentities.count where functionFlat[f, type] != 0 || functionCum[f, type] != 0 {
            count += 1
        }
        return count
    }

    /// The rows with a cost of sample type `type`, in `pprof -top`'s order, the first `limit`
    /// of them. The rows are the functions, except where pprof shows a demangled name for one.
    public func topRows(type: Int, limit: Int = .max) -> [TopRow] {
        // Order the keys, then make rows (and their names) of the ones kept only.
        guard let table = rowTable else {
            return functionsByCost(type: type, limit: limit).map { key in
                let identity = functionIdentities[key.index]
                return TopRow(identity: identity, name: identity.displayName, flat: flat(function: key, type: type),
                              cum: cum(function: key, type: type), function: key)
            }
        }
        let identities = table.identities
        let rows = identities.indices.filter { table.flat[$0, type] != 0 || table.cum[$0, type] != 0 }
        let kept = PprofOrder.sorted(rows, limit: limit, flat: { table.flat[$0, type] }, cum: { table.cum[$0, type] },
                                     compareNames: { FunctionIdentity.compareDisplayNames(identities[$0], identities[$1]) },
                                     tieBreaker: { identities[$0].tieBreaker })
        return kept.map { r in
            let identity = identities[r]
            return TopRow(identity: identity, name: identity.displayName, flat: table.flat[r, type],
                          cum: table.cum[r, type], function: functionKey(identity))
        }
    }
}

/// The order of `pprof -top` (graph.go's `FlatNameOrder`).
public enum PprofOrder {
    /// By |flat| descending, then name in bytewise (Go string) order, then |cum| descending, then
    /// the tie-breaker. Only the first `limit` items are returned, and only ties that reach into
    /// them are ordered by name: a profile's forty thousand functions of flat 0 are one tie.
    public static func sorted<T>(_ items: [T], limit: Int = .max, flat: (T) -> Int64, cum: (T) -> Int64,
                                 compareNames: (T, T) -> Int, tieBreaker: (T) -> String) -> [T] {
        var order = items.indices.map { (index: $0, flat: flat(items[$0]).magnitude) }
        order.sort { $0.flat > $1.flat }
        var start = 0
        while start < order.count && start < limit {
            var end = start + 1
            while end < order.count && order[end].flat == order[start].flat { end += 1 }
            if end - start > 1 {
                order[start ..< end].sort { a, b in
                    let x = items[a.index], y = items[b.index]
                    let byName = compareNames(x, y)
                    if byName != 0 { return byName < 0 }
                    let cx = cum(x).magnitude, cy = cum(y).magnitude
                    if cx != cy { return cx > cy }
                    return compareBytes(tieBreaker(x), tieBreaker(y)) < 0
                }
            }
            start = end
        }
        return order.prefix(limit).map { items[$0.index] }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` by their UTF-8 bytes, as Go compares
    /// strings (Swift's `<` compares by Unicode canonical order).
    public static func compareBytes(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in compareBytes(x, y) } }
    }

    /// The same order on bytes.
    public static func compareBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(x.count, y.count)
        for i in 0 ..< n where x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}
