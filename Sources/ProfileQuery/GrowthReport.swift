import Foundation
import ProfileModel

/// The leak finder: the lines and functions of a series whose cost grows steadily (`Trend`),
/// most suspicious first.
public struct GrowthReport: Sendable, Encodable {
    public struct Entry: Sendable, Encodable {
        /// The file as the index knows it, and the 1-based line; nil for a function's entry.
        public let file: String?
        public let line: Int?
        public let function: String
        /// The self (flat) value at each of `times`: a point's, or for a count since the process
        /// started, what each interval between two points added.
        public let values: [Int64]
        public let perHour: Double
        public let z: Double
    }

    public let kind: String
    public let type: String
    public let unit: String
    /// How many profiles the series has.
    public let profiles: Int
    /// When the series starts and ends, milliseconds since 1970.
    public let start: Int64
    public let end: Int64
    /// The time of each value, milliseconds since 1970: the points' times, or for a count since
    /// the process started, the end of each interval (one fewer).
    public let times: [Int64]
    public private(set) var lines: [Entry]
    public private(set) var functions: [Entry]

    /// The report for sample type `type` of a series (its points' indexes, in time order).
    public init(series: Series, type: Int, kind: CostKind) {
        let points = series.points
        self.kind = kind.id
        self.type = points.last?.sampleTypes[type].type ?? ""
        unit = points.last?.sampleTypes[type].unit ?? ""
        profiles = series.times.count
        start = (series.times.first ?? 0) / 1_000_000
        end = (series.times.last ?? 0) / 1_000_000
        let trendTimes = series.intervals(series.times, type: type).times
        times = trendTimes.map { $0 / 1_000_000 }
        func values(_ raw: [Int64]) -> [Int64] { series.intervals(raw, type: type).values }

        // Every line of any point, and the function it belongs to.
        var lineValues: [String: [Int64: [Int64]]] = [:]
        var lineFunction: [String: [Int64: String]] = [:]
        var functionValues: [String: [Int64]] = [:]
        for (p, index) in points.enumerated() {
            for file in index.files {
                let name = index.fileName(file)
                for line in index.lineKeys(inFile: file) where index.lineNumber(line) > 0 && index.lineNumber(line) <= Int64(Int32.max) {
                    lineValues[name, default: [:]][index.lineNumber(line), default: Array(repeating: 0, count: points.count)][p] =
                        index.flat(line: line, type: type)
                }
            }
            for function in index.functions where index.identity(ofFunction: function).isSymbolized {
                let name = index.functionName(function)
                functionValues[name, default: Array(repeating: 0, count: points.count)][p] = index.flat(function: function, type: type)
                for line in index.lineKeys(ofFunction: function) where lineFunction[index.fileName(index.file(ofLine: line))]?[index.lineNumber(line)] == nil {
                    lineFunction[index.fileName(index.file(ofLine: line)), default: [:]][index.lineNumber(line)] = name
                }
            }
        }
        var lines: [Entry] = []
        for (file, byLine) in lineValues {
            for (line, raw) in byLine {
                let series = values(raw)
                let trend = Trend(times: trendTimes, values: series)
                guard trend.isGrowing else { continue }
                lines.append(Entry(file: file, line: Int(line), function: lineFunction[file]?[line] ?? "", values: series,
                                   perHour: trend.perHour, z: trend.z))
            }
        }
        var functions: [Entry] = []
        for (name, raw) in functionValues {
            let series = values(raw)
            let trend = Trend(times: trendTimes, values: series)
            guard trend.isGrowing else { continue }
            functions.append(Entry(file: nil, line: nil, function: name, values: series, perHour: trend.perHour, z: trend.z))
        }
        self.lines = lines.sorted(by: Self.moreSuspicious)
        self.functions = functions.sorted(by: Self.moreSuspicious)
    }

    /// The report with at most `limit` lines and functions (0: all).
    public func limited(to limit: Int) -> GrowthReport {
        guard limit > 0 else { return self }
        var copy = self
        copy.lines = Array(lines.prefix(limit))
        copy.functions = Array(functions.prefix(limit))
        return copy
    }

    /// The steadier rise first (Mann–Kendall), then the larger growth, then by place.
    static func moreSuspicious(_ a: Entry, _ b: Entry) -> Bool {
        if abs(a.z - b.z) > 1e-9 { return a.z > b.z }
        let ga = (a.values.last ?? 0) - (a.values.first ?? 0), gb = (b.values.last ?? 0) - (b.values.first ?? 0)
        if ga != gb { return ga > gb }
        return (a.file ?? "", a.line ?? 0, a.function) < (b.file ?? "", b.line ?? 0, b.function)
    }

    /// The table: one row per growing line, with its sparkline, first and last value and rate;
    /// then the growing functions.
    public func text() -> String {
        let span = spanSeconds
        var out = "\(type) over \(profiles) profiles, \(ValueFormat.label(Int64(span * 1e9), from: "nanoseconds", to: "auto")): "
            + "\(lines.count) line\(lines.count == 1 ? "" : "s") and \(functions.count) function\(functions.count == 1 ? "" : "s") grow steadily\n"
        func row(_ entry: Entry, place: String) -> String {
            let first = ValueFormat.scaled(entry.values.first ?? 0, unit: unit)
            let last = ValueFormat.scaled(entry.values.last ?? 0, unit: unit)
            return place + "  " + Sparkline.of(entry.values) + "  " + first + " → " + last + "  " + rate(entry.perHour) + "  " + entry.function + "\n"
        }
        for entry in lines { out += row(entry, place: "\(entry.file ?? ""):\(entry.line ?? 0)") }
        if !functions.isEmpty { out += "functions:\n" }
        for entry in functions { out += row(entry, place: "") }
        return out
    }

    /// From the series' first profile to its last.
    var spanSeconds: Double { Double(end - start) / 1000 }

    /// A rate in the unit of the series' span: per second, minute or hour.
    func rate(_ perHour: Double) -> String {
        let span = spanSeconds
        let (factor, suffix) = span < 120 ? (1.0 / 3600, "/s") : span < 7200 ? (1.0 / 60, "/min") : (1.0, "/h")
        let value = perHour * factor
        let text = ValueFormat.scaled(Int64(clamping: Int64(exactly: value.rounded()) ?? (value > 0 ? .max : .min)), unit: unit)
        return (value > 0 ? "+" : "") + text + suffix
    }
}
