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
        /// The unit of a value below the smallest unit's 1 (pprof's default unit).
        let defaultUnit: String
    }

    private static let byteAliases: [String: Double] = ["b": 1, "byte": 1, "kb": 1024, "kbyte": 1024, "kilobyte": 1024, "mb": 1048576.0, "mbyte": 1048576.0,
                  "megabyte": 1048576.0, "gb": 1073741824.0, "gbyte": 1073741824.0, "gigabyte": 1073741824.0, "tb": 1099511627776.0,
                  "tbyte": 1099511627776.0, "terabyte": 1099511627776.0, "pb": 1125899906842624.0, "pbyte": 1125899906842624.0, "petabyte": 1125899906842624.0]

    private static let bytes = UnitFamily(
        aliases: byteAliases,
        units: [Unit(name: "B", factor: 1), Unit(name: "kB", factor: 1024), Unit(name: "MB", factor: 1048576.0),
                Unit(name: "GB", factor: 1073741824.0), Unit(name: "TB", factor: 1099511627776.0), Unit(name: "PB", factor: 1125899906842624.0)],
        defaultUnit: "B")

    private static let timeAliases: [String: Double] = ["ns": 1, "nanosecond": 1, "μs": 1e3, "us": 1e3, "microsecond": 1e3, "ms": 1e6, "millisecond": 1e6,
                  "s": 1e9, "sec": 1e9, "second": 1e9, "hour": 3600e9, "hr": 3600e9]

    private static let time = UnitFamily(
        aliases: timeAliases,
        units: [Unit(name: "ns", factor: 1), Unit(name: "us", factor: 1e3), Unit(name: "ms", factor: 1e6),
                Unit(name: "s", factor: 1e9), Unit(name: "hrs", factor: 3600e9)],
        defaultUnit: "s")

    /// `value` in `unit`, scaled to the largest unit that keeps it at least 1, with two decimals
    /// and a trailing ".00" removed: `230ms`, `1.27s`, `5.92MB`, `219.11us`. Counts and unknown
    /// units print as plain numbers, as `pprof -list` prints them.
    public static func scaled(_ value: Int64, unit: String) -> String {
        label(value, from: unit, to: "auto")
    }

    /// `value` in `unit`, written in the unit `target` (pprof's `ScaledLabel`): a unit name of
    /// the same family (`ms`, `kB`), or `minimum`/`auto` for the largest unit that keeps the
    /// value at least 1. A value that rounds to zero prints `0`; a unit pprof does not know is
    /// written after the number (`12objects`), except counts.
    public static func label(_ value: Int64, from unit: String, to target: String) -> String {
        let (number, suffix) = scale(value, from: unit, to: target)
        var text = PrintfNumber.string("%.2f", number)
        if text.hasSuffix(".00") { text.removeLast(3) }
        if text == "0" || text == "-0" { return "0" }
        return text + suffix
    }

    /// The one unit a `pprof -top` report writes every value in (pprof's `selectOutputUnit`):
    /// the unit of the smallest value shown (`minimum`, ignoring zeros), moved up one step when
    /// the total is more than 100 times larger and would print in another unit.
    public static func reportUnit(smallest: Int64, total: Int64, unit: String) -> String {
        var minValue = smallest.magnitude
        let maxValue = total.magnitude
        if minValue == 0 { minValue = maxValue }
        let minUnit = scale(clamped(minValue), from: unit, to: "minimum").1
        let maxUnit = scale(clamped(maxValue), from: unit, to: "minimum").1
        var chosen = minUnit
        if minUnit != maxUnit, minValue.multipliedReportingOverflow(by: 100).partialValue < maxValue {
            chosen = scale(clamped(minValue &* 100), from: unit, to: "minimum").1
        }
        return chosen.isEmpty ? unit : chosen
    }

    private static func clamped(_ value: UInt64) -> Int64 { value > UInt64(Int64.max) ? .max : Int64(value) }

    /// pprof's `Scale`: the value and the unit name it is written in.
    static func scale(_ value: Int64, from unit: String, to target: String) -> (Double, String) {
        if value < 0 {
            let (number, name) = scale(value == .min ? .max : -value, from: unit, to: target)
            return (-number, name)
        }
        guard let (family, factor) = family(of: unit) else {
            // Unknown units: counts print bare, anything else keeps its own name.
            return (Double(value), ["count", "sample", "unit", "minimum", "auto"].contains(target) ? "" : target)
        }
        let base = Double(value) * factor
        if target == "minimum" || target == "auto" {
            var chosen = family.units.first { $0.name == family.defaultUnit } ?? family.units[0]
            for candidate in family.units where base / candidate.factor >= 1 { chosen = candidate }
            return (base / chosen.factor, chosen.name)
        }
        if let targetFactor = family.aliases[sniff(target)], let named = family.units.first(where: { $0.factor == targetFactor }) {
            return (base / named.factor, named.name)
        }
        let fallback = family.units.first { $0.name == family.defaultUnit } ?? family.units[0]
        return (base / fallback.factor, fallback.name)
    }

    /// pprof's unit recognition: lowercased, one trailing `s` removed from names longer than
    /// two bytes (`seconds`, `bytes`, `hrs`).
    private static func sniff(_ unit: String) -> String {
        var lowered = unit.lowercased()
        if lowered.utf8.count > 2, lowered.hasSuffix("s") { lowered.removeLast() }
        return lowered
    }

    /// Whether pprof reads `unit` as a time unit (`nanoseconds`, `ms`, `hours`, ...).
    public static func isTimeUnit(_ unit: String) -> Bool {
        time.aliases[sniff(unit)] != nil
    }

    private static func family(of unit: String) -> (UnitFamily, Double)? {
        let key = sniff(unit)
        for family in [bytes, time] {
            if let factor = family.aliases[key] { return (family, factor) }
        }
        return nil
    }

    /// A share of a total for people: `89.7%`, `0.4%`, `<0.1%`, `100%`.
    public static func percent(_ value: Int64, of total: Int64) -> String {
        guard total != 0 else { return "0%" }
        let ratio = Double(value) / Double(total) * 100
        if abs(ratio) >= 99.95 && abs(ratio) <= 100.05 { return "100%" }
        if ratio != 0 && abs(ratio) < 0.1 { return "<0.1%" }
        return PrintfNumber.string("%.1f%%", ratio)
    }

    /// A share of a total in `pprof -top`'s columns: `64.49%`, `  100%`, ` 0.93%`.
    public static func pprofPercent(_ value: Int64, of total: Int64) -> String {
        let ratio = total == 0 ? 0 : abs(Double(value) / Double(total)) * 100
        if ratio >= 99.95 && ratio <= 100.05 { return "  100%" }
        if ratio >= 1 { return PrintfNumber.string("%5.2f%%", ratio) }
        return PrintfNumber.string("%5.2g%%", ratio)
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
