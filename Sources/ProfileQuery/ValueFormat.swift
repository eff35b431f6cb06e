import Foundation

/// Formats sample values the way `go tool pprof` does, so that the numbers in the editor and in
/// the terminal read exactly like the ones people already know from `pprof -list`.
public enum ValueFormat {
    private struct Unit {
        let name: String
        let factor: Double
    }

    private struct UnitFamily {
        let aliases: [String: Double]
        let units: [Unit]
    }

    private static let byteAliases: [String: Double] = ["b": 1, "byte": 1, "kb": 1024, "kbyte": 1024, "kilobyte": 1024, "mb": 1048576.0, "mbyte": 1048576.0,
                  "megabyte": 1048576.0, "gb": 1073741824.0, "gbyte": 1073741824.0, "gigabyte": 1073741824.0, "tb": 1099511627776.0,
                  "tbyte": 1099511627776.0, "terabyte": 1099511627776.0, "pb": 1125899906842624.0, "pbyte": 1125899906842624.0, "petabyte": 1125899906842624.0]

    private static let bytes = UnitFamily(
        aliases: byteAliases,
        units: [Unit(name: "B", factor: 1), Unit(name: "kB", factor: 1024), Unit(name: "MB", factor: 1048576.0),
                Unit(name: "GB", factor: 1073741824.0), Unit(name: "TB", factor: 1099511627776.0), Unit(name: "PB", factor: 1125899906842624.0)])

    private static let timeAliases: [String: Double] = ["ns": 1, "nanosecond": 1, "μs": 1e3, "us": 1e3, "microsecond": 1e3, "ms": 1e6, "millisecond": 1e6,
                  "s": 1e9, "sec": 1e9, "second": 1e9, "hour": 3600e9, "hr": 3600e9]

    private static let time = UnitFamily(
        aliases: timeAliases,
        units: [Unit(name: "ns", factor: 1), Unit(name: "us", factor: 1e3), Unit(name: "ms", factor: 1e6),
                Unit(name: "s", factor: 1e9), Unit(name: "hrs", factor: 3600e9)])

    /// `value` in `unit`, scaled to the largest unit that keeps it at least 1, with two decimals
    /// and a trailing ".00" removed: `230ms`, `1.27s`, `5.92MB`, `219.11us`. Counts and unknown
    /// units print as plain numbers, as pprof prints them.
    public static func scaled(_ value: Int64, unit: String) -> String {
        if value == 0 { return "0" }
        let (number, suffix) = scale(value, unit: unit)
        var text = String(format: "%.2f", number)
        if text.hasSuffix(".00") { text.removeLast(3) }
        if text == "0" || text == "-0" { return "0" }
        return text + suffix
    }

    static func scale(_ value: Int64, unit: String) -> (Double, String) {
        var lowered = unit.lowercased()
        if lowered.count > 2, lowered.hasSuffix("s") { lowered.removeLast() }
        for family in [bytes, time] {
            guard let factor = family.aliases[lowered] else { continue }
            let base = Double(value) * factor
            let magnitude = abs(base)
            var chosen = family.units[0]
            for candidate in family.units where magnitude / candidate.factor >= 1 {
                chosen = candidate
            }
            return (base / chosen.factor, chosen.name)
        }
        return (Double(value), "")
    }

    /// A share of a total for people: `89.7%`, `0.4%`, `<0.1%`, `100%`.
    public static func percent(_ value: Int64, of total: Int64) -> String {
        guard total != 0 else { return "0%" }
        let ratio = Double(value) / Double(total) * 100
        if abs(ratio) >= 99.95 && abs(ratio) <= 100.05 { return "100%" }
        if ratio != 0 && abs(ratio) < 0.1 { return "<0.1%" }
        return String(format: "%.1f%%", ratio)
    }

    /// A share of a total in `pprof -top`'s columns: `64.49%`, `  100%`, ` 0.93%`.
    public static func pprofPercent(_ value: Int64, of total: Int64) -> String {
        let ratio = total == 0 ? 0 : abs(Double(value) / Double(total)) * 100
        if ratio >= 99.95 && ratio <= 100.05 { return "  100%" }
        if ratio >= 1 { return String(format: "%5.2f%%", ratio) }
        return String(format: "%5.2g%%", ratio)
    }

    /// A count with thousands separators: `12,004`.
    public static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }
}
