import ProfileModel

/// Annotated source, as `go tool pprof -list` prints it: each line with its flat and cum.
public struct ListReport: Sendable, Encodable {
    public struct Line: Sendable, Encodable {
        public let line: Int
        public let flat: Int64
        public let cum: Int64
        /// The source text, when the file was found.
        public let text: String?
    }

    public struct Routine: Sendable, Encodable {
        /// The function listed, or nil for a whole-file listing.
        public let function: String?
        /// The file as the index knows it: the resolved path, or the profile's name when unmapped.
        public let file: String
        public let sourceFound: Bool
        public let flat: Int64
        public let cum: Int64
        public let lines: [Line]
    }

    public let sampleType: String
    public let unit: String
    public let total: Int64
    public let routines: [Routine]

    /// Where the listings get source text: the lines of a file as the index names it, or nil
    /// when the caller has none. The report reads no file itself.
    public typealias SourceLines = (String) -> [Substring]?

    /// Lines around every function whose name `matches`, from two lines before its first line
    /// to two after its last line with a cost. Only the function's own lines show costs: a
    /// closure's lines inside it are the closure's, as in `pprof -list`. (A line that holds
    /// frames of both shows the line's cost, which counts both.)
    public static func functions(in index: CostIndex, type: Int, source: SourceLines,
                                 matching matches: (String) -> Bool) -> ListReport {
        var routines: [Routine] = []
        var texts: [FileKey: [Substring]?] = [:]
        func text(_ file: FileKey) -> [Substring]? {
            if let known = texts[file] { return known }
            let lines = source(index.fileName(file))
            texts[file] = lines
            return lines
        }
        for key in index.functions {
            let name = index.functionName(key)
            guard !name.isEmpty, matches(name), index.cum(function: key, type: type) != 0 || index.flat(function: key, type: type) != 0,
                  let file = index.file(ofFunction: key) else { continue }
            let sampled = index.sampledLineNumbers(ofFunction: key)
            let declared = sampled.isEmpty ? nil : index.declarationLine(of: key, source: text(file))
            let positive = sampled + (declared.map { [Int64($0)] } ?? [])
            guard let low = positive.min(), let high = positive.max() else { continue }
            routines.append(routine(index, type: type, file: file, source: text(file), function: name,
                                    range: Int(max(1, low - 2)) ... Int(high + 2), ownLines: Set(sampled),
                                    flat: index.flat(function: key, type: type), cum: index.cum(function: key, type: type)))
        }
        routines.sort { ($0.file, $0.lines.first?.line ?? 0, $0.function ?? "") < ($1.file, $1.lines.first?.line ?? 0, $1.function ?? "") }
        return ListReport(sampleType: index.sampleTypes[type].type, unit: index.sampleTypes[type].unit,
                          total: index.percentTotal(type: type), routines: routines)
    }

    /// Every line of one file.
    public static func file(in index: CostIndex, type: Int, file: FileKey, source: SourceLines) -> ListReport {
        var flat: Int64 = 0
        var cum: Int64 = 0
        var last = 1
        for key in index.lineKeys(inFile: file) {
            flat &+= index.flat(line: key, type: type)
            cum = max(cum, index.cum(line: key, type: type))
            if index.lineNumber(key) < Int64(Int32.max) { last = max(last, Int(index.lineNumber(key))) }
        }
        let routine = routine(index, type: type, file: file, source: source(index.fileName(file)), function: nil,
                              range: 1 ... last, flat: flat, cum: cum, wholeFile: true)
        return ListReport(sampleType: index.sampleTypes[type].type, unit: index.sampleTypes[type].unit,
                          total: index.percentTotal(type: type), routines: [routine])
    }

    /// `ownLines`, when given, are the only lines whose costs are shown.
    private static func routine(_ index: CostIndex, type: Int, file: FileKey, source: [Substring]?, function: String?,
                                range: ClosedRange<Int>, ownLines: Set<Int64>? = nil, flat: Int64, cum: Int64,
                                wholeFile: Bool = false) -> Routine {
        var costs: [Int: (Int64, Int64)] = [:]
        for key in index.lineKeys(inFile: file) {
            let number = index.lineNumber(key)
            guard number >= Int64(range.lowerBound), number <= Int64(range.upperBound), ownLines?.contains(number) ?? true else { continue }
            costs[Int(number)] = (index.flat(line: key, type: type), index.cum(line: key, type: type))
        }
        var lines: [Line] = []
        if let source {
            let upper = wholeFile ? max(source.count, range.upperBound) : min(range.upperBound, max(source.count, costs.keys.max() ?? 0))
            if range.lowerBound <= upper {
                for number in range.lowerBound ... upper {
                    let cost = costs[number] ?? (0, 0)
                    lines.append(Line(line: number, flat: cost.0, cum: cost.1, text: number <= source.count ? String(source[number - 1]) : nil))
                }
            }
        } else {
            for number in costs.keys.sorted() {
                let cost = costs[number] ?? (0, 0)
                lines.append(Line(line: number, flat: cost.0, cum: cost.1, text: nil))
            }
        }
        return Routine(function: function, file: index.fileName(file), sourceFound: source != nil, flat: flat, cum: cum, lines: lines)
    }

    public func text() -> String {
        var out = "Total: \(ValueFormat.scaled(total, unit: unit))\n"
        for routine in routines {
            out += "ROUTINE ======================== \(routine.function ?? routine.file) in \(routine.file)\n"
            if !routine.sourceFound { out += "(source not found; showing the lines that have costs)\n" }
            out += column(routine.flat) + " " + column(routine.cum) + " (flat, cum) "
                + ValueFormat.pprofPercent(routine.cum, of: total) + " of Total\n"
            for line in routine.lines {
                out += column(line.flat) + " " + column(line.cum) + " " + TextColumns.pad(String(line.line), 6) + ":"
                    + (line.text.map { " " + $0 } ?? "") + "\n"
            }
        }
        return out
    }

    /// The listing in a comparison's share mode: each line's change of its share of the total
    /// against `baseline` (the same listing of the baseline), in percentage points.
    public func shareText(baseline: ListReport) -> String {
        func share(_ value: Int64, _ total: Int64) -> Double { total == 0 ? 0 : Double(value) / Double(total.magnitude) * 100 }
        func points(_ value: Double) -> String {
            abs(value) < 0.005 ? "." : (value > 0 ? "+" : "") + PrintfNumber.string("%.2fpp", value)
        }
        var out = "Change of each line's share of the total, in percentage points (now \(ValueFormat.scaled(total, unit: unit)), "
            + "baseline \(ValueFormat.scaled(baseline.total, unit: unit)))\n"
        for routine in routines {
            let before = baseline.routines.first { $0.function == routine.function && $0.file == routine.file }
            let beforeLines = Dictionary((before?.lines ?? []).map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
            out += "ROUTINE ======================== \(routine.function ?? routine.file) in \(routine.file)\n"
            out += TextColumns.pad(points(share(routine.flat, total) - share(before?.flat ?? 0, baseline.total)), 10) + " "
                + TextColumns.pad(points(share(routine.cum, total) - share(before?.cum ?? 0, baseline.total)), 10) + " (flat, cum)\n"
            for line in routine.lines {
                let old = beforeLines[line.line]
                out += TextColumns.pad(points(share(line.flat, total) - share(old?.flat ?? 0, baseline.total)), 10) + " "
                    + TextColumns.pad(points(share(line.cum, total) - share(old?.cum ?? 0, baseline.total)), 10) + " "
                    + TextColumns.pad(String(line.line), 6) + ":" + (line.text.map { " " + $0 } ?? "") + "\n"
            }
        }
        return out
    }

    private func column(_ value: Int64) -> String {
        TextColumns.pad(value == 0 ? "." : ValueFormat.scaled(value, unit: unit), 10)
    }
}
