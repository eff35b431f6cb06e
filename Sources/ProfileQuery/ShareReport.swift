import Foundation
import ProfileModel

/// `top` in a comparison's share mode: how each function's share of its total moved, in
/// percentage points, which is what matters when the two profiles cover different lengths of
/// time (what Pyroscope's and Parca's comparison views show).
public struct ShareReport: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public let function: String
        /// Shares of the total in percent, now and in the baseline.
        public let flatNow: Double
        public let flatBefore: Double
        public let cumNow: Double
        public let cumBefore: Double

        public var flatChange: Double { flatNow - flatBefore }
        public var cumChange: Double { cumNow - cumBefore }
    }

    public let sampleType: String
    public let functionCount: Int
    public let rows: [Row]

    /// The functions of both sides, sorted by the change of their self share (largest first,
    /// as pprof sorts by |flat|), then by name and the change of their total share; the first
    /// `limit` (0: all).
    public init(current: CostIndex, type: Int, baseline: CostIndex, baselineType: Int, limit: Int) {
        sampleType = current.sampleTypes[type].type
        let nowTotal = Double(max(current.absoluteTotals[type], 1))
        let beforeTotal = Double(max(baseline.absoluteTotals[baselineType], 1))
        var rows: [Row] = []
        var seen: Set<FunctionIdentity> = []
        for key in current.functions {
            let identity = current.identity(ofFunction: key)
            seen.insert(identity)
            let old = baseline.functionKey(identity)
            rows.append(Row(function: current.functionName(key),
                            flatNow: Double(current.flat(function: key, type: type)) / nowTotal * 100,
                            flatBefore: old.map { Double(baseline.flat(function: $0, type: baselineType)) / beforeTotal * 100 } ?? 0,
                            cumNow: Double(current.cum(function: key, type: type)) / nowTotal * 100,
                            cumBefore: old.map { Double(baseline.cum(function: $0, type: baselineType)) / beforeTotal * 100 } ?? 0))
        }
        for key in baseline.functions where !seen.contains(baseline.identity(ofFunction: key)) {
            rows.append(Row(function: baseline.functionName(key), flatNow: 0,
                            flatBefore: Double(baseline.flat(function: key, type: baselineType)) / beforeTotal * 100, cumNow: 0,
                            cumBefore: Double(baseline.cum(function: key, type: baselineType)) / beforeTotal * 100))
        }
        rows = rows.filter { $0.flatChange != 0 || $0.cumChange != 0 }
        functionCount = rows.count
        rows.sort { a, b in
            if abs(a.flatChange) != abs(b.flatChange) { return abs(a.flatChange) > abs(b.flatChange) }
            let byName = PprofOrder.compareBytes(a.function, b.function)
            if byName != 0 { return byName < 0 }
            return abs(a.cumChange) > abs(b.cumChange)
        }
        self.rows = limit > 0 ? Array(rows.prefix(limit)) : rows
    }

    public func text() -> String {
        func percent(_ value: Double) -> String { PrintfNumber.string("%.2f%%", value) }
        func points(_ value: Double) -> String { (value > 0 ? "+" : "") + PrintfNumber.string("%.2fpp", value) }
        var out = "Type: \(sampleType)\nShares of each total, now and in the baseline, and their change in percentage points\n"
        if rows.count < functionCount { out += "Showing top \(rows.count) of \(functionCount) functions whose share moved\n" }
        out += [("flat%", 8), ("before", 8), ("change", 9), ("cum%", 8), ("before", 8), ("change", 9)]
            .map { TextColumns.pad($0.0, $0.1) }.joined(separator: " ") + "  function\n"
        for row in rows {
            out += [(percent(row.flatNow), 8), (percent(row.flatBefore), 8), (points(row.flatChange), 9),
                    (percent(row.cumNow), 8), (percent(row.cumBefore), 8), (points(row.cumChange), 9)]
                .map { TextColumns.pad($0.0, $0.1) }.joined(separator: " ") + "  " + row.function + "\n"
        }
        return out
    }
}
