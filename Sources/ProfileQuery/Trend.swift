import Foundation

/// Whether a series of values grows steadily: the leak finder's test.
///
/// Last - first is not enough: a ring buffer fills once and then stays flat (a big first step),
/// a cache grows and is dropped (a rise, then a fall). A leak rises through the series and is
/// still rising at its end. The test: the Mann–Kendall trend statistic (how many later points are
/// above earlier ones, against how many are below, corrected for ties) must be significant;
/// the Theil–Sen slope (the median slope between all pairs of points, robust to outliers) must
/// be positive, over the whole series and over its second half; and the last value must be near
/// the highest.
public struct Trend: Sendable, Hashable {
    /// Theil–Sen slope, in value units per hour.
    public let perHour: Double
    /// The Mann–Kendall statistic, normalised: above 2.33 is a rising trend at 1% (one-sided).
    public let z: Double
    /// Whether the series grows steadily (see the type's description).
    public let isGrowing: Bool

    /// The significance a rise must reach.
    public static let threshold = 2.33

    public init(times: [Int64], values: [Int64]) {
        let n = min(times.count, values.count)
        let t = times.prefix(n).map { Double($0) / 3.6e12 }  // hours
        let v = values.prefix(n).map(Double.init)
        perHour = Self.theilSen(t, v)
        z = Self.mannKendall(v)
        guard n >= 4, let first = v.first, let last = v.last, let high = v.max(), last > first else {
            isGrowing = false
            return
        }
        let half = n / 2
        let lateSlope = Self.theilSen(Array(t[half...]), Array(v[half...]))
        isGrowing = z >= Self.threshold && perHour > 0 && lateSlope > 0 && last >= 0.9 * high
    }

    /// The median of the pairwise slopes.
    static func theilSen(_ t: [Double], _ v: [Double]) -> Double {
        var slopes: [Double] = []
        for i in 0 ..< v.count {
            for j in i + 1 ..< v.count where t[j] != t[i] {
                slopes.append((v[j] - v[i]) / (t[j] - t[i]))
            }
        }
        guard !slopes.isEmpty else { return 0 }
        slopes.sort()
        let mid = slopes.count / 2
        return slopes.count % 2 == 1 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2
    }

    /// Mann–Kendall's S, normalised by its standard deviation with the correction for tied
    /// values, and the continuity correction.
    static func mannKendall(_ v: [Double]) -> Double {
        let n = v.count
        guard n >= 3 else { return 0 }
        var s = 0
        for i in 0 ..< n {
            for j in i + 1 ..< n where v[j] != v[i] { s += v[j] > v[i] ? 1 : -1 }
        }
        var ties: [Double: Int] = [:]
        for value in v { ties[value, default: 0] += 1 }
        var variance = Double(n * (n - 1) * (2 * n + 5))
        for count in ties.values where count > 1 { variance -= Double(count * (count - 1) * (2 * count + 5)) }
        variance /= 18
        guard variance > 0 else { return 0 }
        let corrected = s > 0 ? Double(s - 1) : s < 0 ? Double(s + 1) : 0
        return corrected / variance.squareRoot()
    }
}

/// A small bar chart of values in one line of text: `▁▂▃▅▆█`, one character per point.
public enum Sparkline {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func of(_ values: [Int64]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        let span = Double(high) - Double(low)
        return String(values.map { value in
            span == 0 ? bars[0] : bars[min(bars.count - 1, Int((Double(value) - Double(low)) / span * Double(bars.count - 1) + 0.5))]
        })
    }
}
