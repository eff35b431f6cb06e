import Foundation

/// Golden outputs in `Tests/Fixtures/golden`. Run the tests with `PROFILELENS_UPDATE_GOLDEN=1`
/// to rewrite them from the current output, then review the diff.
public enum Golden {
    public static var updating: Bool { !(ProcessInfo.processInfo.environment["PROFILELENS_UPDATE_GOLDEN"] ?? "").isEmpty }

    /// Returns nil when `actual` matches the golden file (or the file was just rewritten), and
    /// a description of the difference otherwise.
    public static func compare(_ actual: String, name: String) -> String? {
        let path = Fixtures.path("golden/\(name)")
        if updating {
            try? FileManager.default.createDirectory(atPath: Fixtures.path("golden"), withIntermediateDirectories: true)
            try? actual.write(toFile: path, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "missing golden file \(path); run with PROFILELENS_UPDATE_GOLDEN=1 to create it"
        }
        if expected == actual { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0 ..< max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end>"
            let al = i < a.count ? String(a[i]) : "<end>"
            if el != al { return "\(name) line \(i + 1):\n  expected: \(el)\n  actual:   \(al)" }
        }
        return "\(name) differs"
    }
}

/// Position markers in fixture text, as sourcekit-lsp's tests write them: `func 1️⃣discount`.
/// The markers are removed and their (0-based) line and UTF-16 column returned.
public struct MarkedText {
    public let text: String
    public let markers: [String: (line: Int, column: Int)]

    public static let markerSymbols = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    public init(_ marked: String) {
        var markers: [String: (Int, Int)] = [:]
        var lines: [String] = []
        for (number, rawLine) in marked.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(rawLine)
            while let symbol = Self.markerSymbols.first(where: { line.contains($0) }), let range = line.range(of: symbol) {
                markers[symbol] = (number, line[..<range.lowerBound].utf16.count)
                line.removeSubrange(range)
            }
            lines.append(line)
        }
        self.text = lines.joined(separator: "\n")
        self.markers = markers
    }
}
