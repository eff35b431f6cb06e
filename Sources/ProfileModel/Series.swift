import PprofFormat

/// How a sample type's values add up over profiles of one program taken at different times.
public enum SeriesSemantics: String, Sendable {
    /// A level at the moment of the profile (in-use memory, goroutines): the latest is shown,
    /// never a sum.
    case gauge
    /// A count since the process started (Go heap profiles' allocations; Go mutex and block
    /// profiles without a duration): over a series, last - first, as `pprof -base` computes it;
    /// across a restart of the process, what each run added (see `Series.restarts`).
    case cumulative
    /// A count over the profile's own window (CPU, wall, delta profiles, Pyroscope ranges): the
    /// series adds up.
    case window

    /// The semantics of a sample type of kind `kind` in a profile of `durationNanos`.
    public static func of(kind: CostKind, durationNanos: Int64) -> SeriesSemantics {
        switch kind {
        case .inuse, .goroutine: return .gauge
        case .alloc, .mutex, .block: return durationNanos == 0 ? .cumulative : .window
        default: return .window
        }
    }

    /// What point `point` of `count` (in time order) weighs in the series' numbers: every
    /// window once, a gauge's latest point alone. A cumulative count adds what each interval
    /// added: point i minus point i - 1, or all of point i when the process restarted there
    /// (`restarts[i]`); summed, each point weighs 1 as an interval's end and -1 as the next
    /// interval's start, which leaves last minus first without a restart. A lone point is itself.
    public func weight(ofPoint point: Int, count: Int, restarts: [Bool]) -> Int64 {
        switch self {
        case .window: return 1
        case .gauge: return point == count - 1 ? 1 : 0
        case .cumulative:
            guard count > 1 else { return 1 }
            let next = point + 1
            return (point > 0 ? 1 : 0) - (next < count && !(next < restarts.count && restarts[next]) ? 1 : 0)
        }
    }
}

/// Profiles of one group taken at different times: their times and each one's own numbers.
public struct Series: Sendable {
    /// Nanoseconds since 1970 (the profile's `time_nanos`, else its file's time), ascending.
    public let times: [Int64]
    /// Each point's own index: the profile of that moment alone, in time order.
    public let points: [CostIndex]
    /// Per sample type of the group's index: how the points combine into the group's numbers.
    public let semantics: [SeriesSemantics]
    /// Per point: whether the process restarted before it (see `restarts(_:semantics:)`).
    public let restarts: [Bool]

    /// Whether sample type `type` counts since the process started (`SeriesSemantics.cumulative`).
    public func isCumulative(_ type: Int) -> Bool {
        type >= 0 && type < semantics.count && semantics[type] == .cumulative
    }

    /// What point `point` weighs in the numbers of sample type `type` (`SeriesSemantics.weight`).
    public func weight(ofPoint point: Int, type: Int) -> Int64 {
        guard type >= 0, type < semantics.count else { return 1 }
        return semantics[type].weight(ofPoint: point, count: times.count, restarts: restarts)
    }

    /// Per point (profiles in time order), whether the process restarted before it: some count
    /// since the process started is lower than at the point before, which no running process
    /// does. A service that was restarted between two fetches counts again from zero.
    public static func restarts(_ profiles: [Profile], semantics: [SeriesSemantics]) -> [Bool] {
        let cumulative = semantics.indices.filter { semantics[$0] == .cumulative }
        guard !cumulative.isEmpty else { return [Bool](repeating: false, count: profiles.count) }
        let totals = profiles.map { SampleWalk.totals($0.samples, weight: 1).totals }
        return profiles.indices.map { p in
            p > 0 && cumulative.contains { t in t < totals[p].count && t < totals[p - 1].count && totals[p][t] < totals[p - 1][t] }
        }
    }

    /// Values of sample type `type` at each point as a trend reads them, with their times: for
    /// a count since the process started, what each interval added, at the interval's end (one
    /// fewer than the points; all of a point's count after a restart); else the values.
    public func intervals(_ values: [Int64], type: Int) -> (times: [Int64], values: [Int64]) {
        guard isCumulative(type), values.count == times.count else {
            return (times, values)
        }
        let ends = values.indices.dropFirst()
        return (ends.map { times[$0] }, ends.map { $0 < restarts.count && restarts[$0] ? values[$0] : values[$0] &- values[$0 - 1] })
    }

    /// The point at which sample type `type`'s total peaked (the spike).
    public func peak(type: Int) -> Int {
        points.indices.max { points[$0].absoluteTotals[type] < points[$1].absoluteTotals[type] } ?? 0
    }

    /// The point `window` shows: nil for `.all`, for an empty series, and for `.peak` without a
    /// sample type to peak by (a group other than the selected kind's keeps its whole series).
    public func point(for window: SeriesWindow, peakType: Int?) -> Int? {
        guard !points.isEmpty else { return nil }
        switch window {
        case .all: return nil
        case .latest: return points.count - 1
        case .point(let n): return min(max(n, 0), points.count - 1)
        case .peak: return peakType.map(peak(type:))
        }
    }
}

extension ProfileSet {
    /// The time of a profile for ordering a series: its own, else its file's.
    static func seriesTime(_ loaded: LoadedProfile) -> Int64 {
        if loaded.profile.timeNanos != 0 { return loaded.profile.timeNanos }
        let nanoseconds = loaded.modificationTime * 1e9
        return nanoseconds.isFinite && abs(nanoseconds) < 9e18 ? Int64(nanoseconds) : 0
    }

    /// The index of a group of profiles taken at different times (`profiles` in time order):
    /// window counts summed, gauges from the latest profile, cumulative counts as what each
    /// interval added (last - first without a restart).
    static func seriesIndex(_ profiles: [Profile], semantics: [SeriesSemantics], restarts: [Bool], detail: CostIndex.Detail,
                            fileIdentity: (String) -> String) -> CostIndex {
        guard semantics.contains(where: { $0 != .window }) else {
            return CostIndex.build(profiles, detail: detail, fileIdentity: fileIdentity)
        }
        let last = profiles.count - 1
        var weighted: [Profile] = []
        for (i, profile) in profiles.enumerated() {
            let ratios = semantics.map { Double($0.weight(ofPoint: i, count: profiles.count, restarts: restarts)) }
            if ratios.allSatisfy({ $0 == 0 }) { continue }
            weighted.append(profile.scalingValues(by: ratios))
        }
        let index = CostIndex.build(weighted, detail: detail, fileIdentity: fileIdentity)
        // Percentages of a gauge are of the latest profile's total, of a cumulative count of
        // its growth (over every run); the samples of the weighted profiles add up to neither.
        let latest = SampleWalk.totals(profiles[last].samples, weight: 1).absoluteTotals
        let totals = semantics.indices.map { t -> Int64 in
            switch semantics[t] {
            case .window: return index.absoluteTotals[t]
            case .gauge: return t < latest.count ? latest[t] : 0
            case .cumulative: return index.totals[t].magnitude > UInt64(Int64.max) ? .max : abs(index.totals[t])
            }
        }
        return index.withPercentTotals(totals)
    }
}

/// Which moment of its series a profile set shows.
public enum SeriesWindow: Equatable, Sendable {
    /// The whole series, combined by `Series.semantics`.
    case all
    /// The latest point.
    case latest
    /// The point where the kind's total peaked (the spike).
    case peak
    /// The point at this position (0 is the first), clamped to the series.
    case point(Int)
}

extension ProfileSet {
    /// The first source of `kind` whose group is a series (profiles taken at two or more
    /// times), with that series.
    public func seriesSource(of kind: CostKind) -> (series: Series, source: KindSource)? {
        for source in sources(of: kind) {
            if let series = groups[source.group].series, series.points.count > 1 { return (series, source) }
        }
        return nil
    }

    /// The set as one moment of its series: each series group's index replaced by one point's
    /// (`.peak`: the group of `kind`, at the point where its total peaked).
    public func window(_ window: SeriesWindow, kind: CostKind?) -> ProfileSet {
        guard window != .all else { return self }
        let peakSource = kind.flatMap(source(of:))
        let windowed = groups.enumerated().map { g, group -> Group in
            let peakType = g == peakSource?.group ? peakSource?.primaryType : nil
            guard let series = group.series, let point = series.point(for: window, peakType: peakType) else { return group }
            return Group(members: group.members, memberIndices: group.memberIndices, series: series, index: series.points[point],
                         classification: group.classification, mainKind: group.mainKind, defaultType: group.defaultType,
                         program: group.program)
        }
        return ProfileSet(groups: windowed, sources: Self.kindSources(windowed, programCount: programs.count), programs: programs)
    }
}
