import Foundation

/// An oracle file's numbers (`Tests/Fixtures/corpus/expected/*.json`, see the corpus README):
/// the sample types, the totals, and flat and cum per line (by file, then line number) and per
/// function, one `[flat, cum]` pair per sample type.
public struct ExpectedCosts {
    public let sampleTypes: [[String]]
    public let totals: [Int64]
    public let lines: [String: [String: [[Int64]]]]
    public let functions: [String: [[Int64]]]

    public struct NotAnOracleFile: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) is not an oracle file (a JSON object)" }
    }

    public init(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw NotAnOracleFile(path: path) }
        sampleTypes = json["sample_types"] as? [[String]] ?? []
        totals = (json["totals"] as? [NSNumber] ?? []).map(\.int64Value)
        func pairs(_ any: Any?) -> [[Int64]] { (any as? [[NSNumber]] ?? []).map { $0.map(\.int64Value) } }
        var lines: [String: [String: [[Int64]]]] = [:]
        for (file, byLine) in json["lines"] as? [String: [String: Any]] ?? [:] {
            lines[file] = byLine.mapValues(pairs)
        }
        self.lines = lines
        functions = (json["functions"] as? [String: Any] ?? [:]).mapValues(pairs)
    }

    /// Flat and cum of sample type `type` per line, keyed `file:line`.
    public func lineValues(type: Int) -> [String: [Int64]] {
        var result: [String: [Int64]] = [:]
        for (file, byLine) in lines {
            for (line, pairs) in byLine where type < pairs.count { result[file + ":" + line] = pairs[type] }
        }
        return result
    }
}
