import ProfileModel

/// The hottest functions for one sample type, as `go tool pprof -top` lists them.
public struct TopReport: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public let function: String
        public let flat: Int64
        public let cum: Int64
        public let file: String
        public let line: Int64
    }

    public let sampleType: String
    public let unit: String
    public let total: Int64
    public let functionCount: Int
    public let rows: [Row]

    /// Functions sorted by flat, then cum, then name; at most `limit` of them.
    public init(index: CostIndex, type: Int, limit: Int) {
        sampleType = index.sampleTypes[type].type
        unit = index.sampleTypes[type].unit
        total = index.totals[type]
        let keys = index.functionsByCost(type: type)
        functionCount = keys.count
        rows = keys.prefix(max(limit, 0)).map { key in
            Row(function: index.functionName(key), flat: index.flat(function: key, type: type),
                cum: index.cum(function: key, type: type),
                file: index.file(ofFunction: key).map(index.fileName) ?? "", line: index.startLine(ofFunction: key))
        }
    }

    /// The table, with pprof's columns plus the function's file and line.
    public func text(profileCount: Int) -> String {
        var out = "Type: \(sampleType) (\(unit)); total \(ValueFormat.scaled(total, unit: unit)) in \(profileCount) profile\(profileCount == 1 ? "" : "s")\n"
        out += "Showing \(rows.count) of \(functionCount) functions\n"
        out += TextColumns.pad("flat", 10) + " " + TextColumns.pad("flat%", 6) + " " + TextColumns.pad("sum%", 6) + " " + TextColumns.pad("cum", 10) + " " + TextColumns.pad("cum%", 6) + "  function  file:line\n"
        var sum: Int64 = 0
        for row in rows {
            sum &+= row.flat
            let location = row.file.isEmpty ? "" : "  " + row.file + (row.line > 0 ? ":\(row.line)" : "")
            out += TextColumns.pad(ValueFormat.scaled(row.flat, unit: unit), 10) + " " + ValueFormat.pprofPercent(row.flat, of: total) + " "
                + ValueFormat.pprofPercent(sum, of: total) + " " + TextColumns.pad(ValueFormat.scaled(row.cum, unit: unit), 10) + " "
                + ValueFormat.pprofPercent(row.cum, of: total) + "  " + row.function + location + "\n"
        }
        return out
    }
}
