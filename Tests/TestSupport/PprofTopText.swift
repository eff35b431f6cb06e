import Foundation

/// `go tool pprof -top`'s text, in the parts tests compare: the lines above the table (without
/// `Time:`, which depends on the time zone), and each row's columns with the name cut at the
/// first run of two spaces (where ProfileLens's `file:line` starts).
public enum PprofTopText {
    /// The lines above the table (without `Time:`), and each row's columns with the name cut at
    /// the first run of two spaces (where ProfileLens's `file:line` starts).
    public static func parse(_ text: String) -> (header: [String], rows: [[String]]) {
        var header: [String] = []
        var rows: [[String]] = []
        var inTable = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("      flat  flat%") {
                inTable = true
                continue
            }
            if !inTable {
                if !line.hasPrefix("Time:") { header.append(String(line)) }
                continue
            }
            let columns = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true).map(String.init)
            guard columns.count == 6 else {
                rows.append([String(line)])
                continue
            }
            let name = columns[5].components(separatedBy: "  ").first ?? columns[5]
            rows.append(Array(columns[0 ..< 5]) + [name])
        }
        return (header, rows)
    }
}
