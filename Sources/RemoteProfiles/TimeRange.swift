import Foundation

/// A point in time as Grafana writes it: `now`, `now-1h`, `now-30m`, `now-1h30m`, an RFC 3339
/// time (`2026-08-21T10:00:00Z`), or a Unix timestamp (13 digits: milliseconds; 10, 16 and 19
/// digits: seconds, microseconds and nanoseconds, as Pyroscope's `profilecli` reads them).
/// Relative times are resolved at each fetch, so a refreshed range slides with the clock.
public struct TimeExpression: Sendable, Hashable, CustomStringConvertible {
    enum Value: Hashable {
        /// Milliseconds relative to the moment of resolution.
        case relative(Int64)
        /// Milliseconds since the epoch.
        case absolute(Int64)
    }

    let value: Value
    public let description: String

    public static let now = TimeExpression(value: .relative(0), description: "now")

    init(value: Value, description: String) {
        self.value = value
        self.description = description
    }

    /// Parses `text`; the error says what is accepted.
    public init(_ text: String) throws(TimeExpressionError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        description = trimmed
        let lower = trimmed.lowercased()
        if lower == "now" {
            value = .relative(0)
        } else if lower.hasPrefix("now-") || lower.hasPrefix("now+") {
            guard let milliseconds = Self.duration(lower.dropFirst(4)) else { throw TimeExpressionError(text: text) }
            value = .relative(lower.hasPrefix("now-") ? -milliseconds : milliseconds)
        } else if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCIIDigit), let number = Int64(trimmed) {
            switch trimmed.count {
            case ...10: value = .absolute(number * 1000)
            case 11 ... 13: value = .absolute(number)
            case 14 ... 16: value = .absolute(number / 1000)
            default: value = .absolute(number / 1_000_000)
            }
        } else if let date = Self.rfc3339(trimmed) {
            value = .absolute(Int64((date.timeIntervalSince1970 * 1000).rounded()))
        } else {
            throw TimeExpressionError(text: text)
        }
    }

    /// Milliseconds since the epoch, with `now` at `nowMilliseconds`.
    public func resolve(now nowMilliseconds: Int64) -> Int64 {
        switch value {
        case .relative(let offset): return nowMilliseconds + offset
        case .absolute(let time): return time
        }
    }

    var isNow: Bool { value == .relative(0) }

    /// Whether the time is relative to now (`now-1h`) rather than a fixed moment.
    public var isRelative: Bool {
        if case .relative = value { return true }
        return false
    }

    /// `now-24h`, `now-90m`, `now-1500ms` or `now`: a relative time of `milliseconds` from now.
    public static func relativeText(milliseconds: Int64) -> String {
        guard milliseconds != 0 else { return "now" }
        let sign = milliseconds < 0 ? "-" : "+"
        let size = milliseconds.magnitude
        for (unit, scale) in [("h", UInt64(3_600_000)), ("m", 60_000), ("s", 1000)] where size % scale == 0 {
            return "now\(sign)\(size / scale)\(unit)"
        }
        return "now\(sign)\(size)ms"
    }

    /// The duration of a relative time before now (`now-1h` → `1h`), or nil.
    var agoText: String? {
        guard case .relative(let offset) = value, offset < 0 else { return nil }
        return String(description.dropFirst(4))
    }

    /// Prometheus-style durations: `90s`, `30m`, `1h30m`, `2d`, `1w`, `1y`, `500ms`.
    static func duration(_ text: Substring) -> Int64? {
        var total: Int64 = 0
        var rest = text[...]
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, digits.count <= 12, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix(while: { $0.isLetter })
            rest = rest.dropFirst(unit.count)
            let scale: Int64
            switch unit {
            case "ms": scale = 1
            case "s": scale = 1000
            case "m": scale = 60_000
            case "h": scale = 3_600_000
            case "d": scale = 86_400_000
            case "w": scale = 604_800_000
            case "y": scale = 31_536_000_000
            default: return nil
            }
            let (product, overflow) = number.multipliedReportingOverflow(by: scale)
            // Terms are bounded, and so is their sum: a setting of thousands of terms must not trap.
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !overflow, !sumOverflow, sum < Int64(1) << 50 else { return nil }
            total = sum
        }
        return total
    }

    static func rfc3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

public struct TimeExpressionError: Error, CustomStringConvertible, Sendable {
    public let text: String
    /// Why a range of valid times is no range; nil for a time that cannot be read.
    public var rangeProblem: String?

    public init(text: String, rangeProblem: String? = nil) {
        self.text = text
        self.rangeProblem = rangeProblem
    }

    public var description: String {
        if let rangeProblem { return "invalid range \(text): \(rangeProblem)" }
        return "invalid time '\(text)': use now, now-1h (s, m, h, d, w), an RFC 3339 time like 2026-08-21T10:00:00Z, or epoch milliseconds"
    }
}

/// The time range of a query, resolved anew at each fetch.
public struct TimeRange: Sendable, Hashable, CustomStringConvertible {
    public let from: TimeExpression
    public let until: TimeExpression

    public init(from: TimeExpression, until: TimeExpression) {
        self.from = from
        self.until = until
    }

    /// Start and end in milliseconds since the epoch; an error when the range is empty.
    public func resolve(now: Date = Date()) throws(TimeExpressionError) -> (start: Int64, end: Int64) {
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded())
        let start = from.resolve(now: nowMilliseconds)
        let end = until.resolve(now: nowMilliseconds)
        guard end > start else { throw TimeExpressionError(text: "\(from) to \(until)", rangeProblem: "the end is not after the start") }
        return (start, end)
    }

    /// `last 1h`, or `now-2h to now-1h`, or the times as given.
    public var description: String {
        if until.isNow, let ago = from.agoText { return "last \(ago)" }
        return "\(from) to \(until)"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
