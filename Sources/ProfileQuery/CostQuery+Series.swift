import ProfileModel

/// A place's values over a series of profiles: what a hover's sparkline and a lens's trend show.
public struct SeriesValues: Sendable {
    public let kind: CostKind
    public let unit: String
    /// Nanoseconds since 1970, ascending.
    public let times: [Int64]
    /// The total (cum) at each point.
    public let totals: [Int64]
    /// How much the total grew over the series: last - first; for a count since the process
    /// started, what every interval added, restarts included.
    public let growth: Int64
    /// For a count since the process started, what each interval added to the total (one
    /// fewer than the points; all of a point's count after a restart); nil for other values.
    public let totalIntervals: [Int64]?
    /// The self (flat) value at each point; for a count since the process started, what each
    /// interval between two points added, one fewer (what the leak finder tests).
    public let selfValues: [Int64]
    public let trend: Trend

    /// The series' span in nanoseconds.
    public var span: Int64 { (times.last ?? 0) &- (times.first ?? 0) }
}

extension CostQuery {
    /// The series of `kind`'s source, when the kind comes from profiles taken at different times.
    public func seriesSource(_ kind: CostKind) -> (series: Series, source: ProfileSet.KindSource)? {
        profileSet.seriesSource(of: kind)
    }

    /// The kinds whose numbers come from a series.
    public var seriesKinds: [CostKind] { kinds.filter { seriesSource($0) != nil } }

    /// A line's values at every point of `kind`'s series (nil when the kind is not a series).
    public func lineSeries(file path: String, line: Int, kind: CostKind) -> SeriesValues? {
        values(kind) { index in
            guard let file = index.fileKey(path), let key = index.lineKey(file: file, line: Int64(line)) else { return nil }
            return { (index.flat(line: key, type: $0), index.cum(line: key, type: $0)) }
        }
    }

    /// A function's values at every point of `kind`'s series.
    public func functionSeries(named name: String, kind: CostKind) -> SeriesValues? {
        values(kind) { index in
            guard let key = index.functionKey(name) else { return nil }
            return { (index.flat(function: key, type: $0), index.cum(function: key, type: $0)) }
        }
    }

    private func values(_ kind: CostKind, locate: (CostIndex) -> ((Int) -> (flat: Int64, cum: Int64))?) -> SeriesValues? {
        guard let (series, source) = seriesSource(kind) else { return nil }
        let type = source.primaryType
        var flat: [Int64] = []
        var cum: [Int64] = []
        var found = false
        for point in series.points {
            let values = locate(point)?(type)
            found = found || values != nil
            flat.append(values?.flat ?? 0)
            cum.append(values?.cum ?? 0)
        }
        guard found else { return nil }
        let selfValues = series.intervals(flat, type: type)
        let totalIntervals = series.isCumulative(type) ? series.intervals(cum, type: type).values : nil
        let growth = totalIntervals.map { $0.reduce(0, &+) } ?? (cum.last ?? 0) &- (cum.first ?? 0)
        return SeriesValues(kind: kind, unit: series.points[0].sampleTypes[type].unit, times: series.times, totals: cum,
                            growth: growth, totalIntervals: totalIntervals, selfValues: selfValues.values,
                            trend: Trend(times: selfValues.times, values: selfValues.values))
    }

    /// The leak finder's report for `kind` (nil when the kind is not a series).
    public func growth(kind: CostKind) -> GrowthReport? {
        seriesSource(kind).map { GrowthReport(series: $0.series, type: $0.source.primaryType, kind: kind) }
    }
}

