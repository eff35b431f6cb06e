import ProfileModel

/// How a comparison shows changes: `current - baseline` in the measure's unit (pprof's
/// `-diff_base`), or the change of each share of its total, in percentage points (what
/// Pyroscope's and Parca's comparison views show for profiles of different lengths).
public enum DiffMode: String, Sendable, CaseIterable {
    case absolute
    case share
}

/// The baseline side of a `CostQuery`: the same questions asked of the baseline's profiles,
/// mapped through the same path mapping, so that a line's change is its current cost minus the
/// baseline's (exactly `pprof -diff_base`'s numbers, since flat and cum are sums over samples).
public struct Comparison: Sendable {
    public let baseline: MappedProfiles
    public let mode: DiffMode
    /// Per kind: the unit `pprof -top -diff_base` writes functions' changes in (one unit for the
    /// whole report), so that a lens reads like `top`'s row.
    public let functionUnits: [CostKind: String]

    public init(baseline: MappedProfiles, current: MappedProfiles, mode: DiffMode = .absolute) {
        self.baseline = baseline
        self.mode = mode
        var units: [CostKind: String] = [:]
        for source in current.profileSet.kinds {
            guard let base = baseline.profileSet.source(of: source.kind) else { continue }
            let now = current.profileSet.groups[source.group].index
            let before = baseline.profileSet.groups[base.group].index
            let type = source.primaryType, baseType = base.primaryType
            var smallest: UInt64 = 0
            func consider(_ flat: Int64, _ cum: Int64) {
                let value = flat != 0 ? flat.magnitude : cum.magnitude
                if value != 0 && (smallest == 0 || value < smallest) { smallest = value }
            }
            for key in now.functions {
                let old = before.functionKey(now.identity(ofFunction: key))
                consider(now.flat(function: key, type: type) &- (old.map { before.flat(function: $0, type: baseType) } ?? 0),
                         now.cum(function: key, type: type) &- (old.map { before.cum(function: $0, type: baseType) } ?? 0))
            }
            for key in before.functions where now.functionKey(before.identity(ofFunction: key)) == nil {
                consider(before.flat(function: key, type: baseType), before.cum(function: key, type: baseType))
            }
            units[source.kind] = ValueFormat.reportUnit(smallest: Int64(clamping: smallest), total: before.absoluteTotals[baseType],
                                                        unit: now.sampleTypes[type].unit)
        }
        functionUnits = units
    }
}

/// One side of a comparison for one kind at one place (a line, a function): the index and
/// source the kind comes from, and the place's values, nil when the place has no cost there.
struct Side {
    let index: CostIndex
    let source: ProfileSet.KindSource
    let values: ((Int) -> (flat: Int64, cum: Int64))?

    func measure(_ type: Int?, baseline: MeasureCost.Baseline?) -> MeasureCost? {
        guard let type else { return nil }
        let (flat, cum) = values?(type) ?? (0, 0)
        return MeasureCost(flat: flat, cum: cum, total: index.percentTotal(type: type), unit: index.sampleTypes[type].unit,
                           sampleType: index.sampleTypes[type].type, baseline: baseline)
    }

    func baseline(_ type: Int?) -> MeasureCost.Baseline? {
        guard let type else { return nil }
        let (flat, cum) = values?(type) ?? (0, 0)
        return MeasureCost.Baseline(flat: flat, cum: cum, total: index.absoluteTotals[type])
    }
}

extension CostQuery {
    /// The side of `set` for `kind` at a place: the first source of the kind whose index has
    /// the place (`locate` gives its values there), else the kind's first source, without values.
    func side(_ set: ProfileSet, _ kind: CostKind,
              locate: (CostIndex) -> ((Int) -> (flat: Int64, cum: Int64))?) -> Side? {
        let sources = set.sources(of: kind)
        for source in sources {
            let index = set.groups[source.group].index
            if let values = locate(index) { return Side(index: index, source: source, values: values) }
        }
        return sources.first.map { Side(index: set.groups[$0.group].index, source: $0, values: nil) }
    }

    /// One kind's costs from the current side and, in a comparison, the baseline's; nil when
    /// neither has the place.
    func kindCost(_ kind: CostKind, locate: (CostIndex) -> ((Int) -> (flat: Int64, cum: Int64))?) -> KindCost? {
        let now = side(profileSet, kind, locate: locate)
        let before = comparison.flatMap { side($0.baseline.profileSet, kind, locate: locate) }
        guard now?.values != nil || before?.values != nil else { return nil }
        let hasBaseline = comparison != nil
        func measure(_ nowType: Int?, _ beforeType: Int?) -> MeasureCost? {
            let baseline = hasBaseline ? (before?.baseline(beforeType) ?? MeasureCost.Baseline(flat: 0, cum: 0, total: 0)) : nil
            if let now, let nowType { return now.measure(nowType, baseline: baseline) }
            // Only in the baseline: nothing now, the kind's unit from the baseline.
            guard let before, let beforeType else { return nil }
            return MeasureCost(flat: 0, cum: 0, total: 0, unit: before.index.sampleTypes[beforeType].unit,
                               sampleType: before.index.sampleTypes[beforeType].type, baseline: baseline)
        }
        let cost = KindCost(kind: kind, value: measure(now?.source.valueType, before?.source.valueType),
                            count: measure(now?.source.countType, before?.source.countType),
                            group: now?.values != nil ? now?.source.group : nil)
        return cost.isZero ? nil : cost
    }

    /// The kinds of both sides, in display order.
    var comparedKinds: [CostKind] {
        var kinds = profileSet.kinds.map(\.kind)
        for source in comparison?.baseline.profileSet.kinds ?? [] where !kinds.contains(source.kind) { kinds.append(source.kind) }
        return kinds.sorted()
    }

    /// The line whose self cost of `kind` grew most (`increase`) or fell most, among the files
    /// `include` accepts: its file as the indexes know it, and its 1-based number.
    public func mostChangedLine(kind: CostKind, increase: Bool, include: (String) -> Bool) -> (file: String, line: Int)? {
        guard let comparison else { return nil }
        var change: [String: [Int64: Int64]] = [:]
        func add(_ set: ProfileSet, sign: Int64) {
            for source in set.sources(of: kind) {
                let index = set.groups[source.group].index
                let type = source.primaryType
                for file in index.files where include(index.fileName(file)) {
                    for line in index.lineKeys(inFile: file) where index.lineNumber(line) > 0 {
                        change[index.fileName(file), default: [:]][index.lineNumber(line), default: 0] &+= sign &* index.flat(line: line, type: type)
                    }
                }
            }
        }
        add(profileSet, sign: 1)
        add(comparison.baseline.profileSet, sign: -1)
        var best: (file: String, line: Int64, delta: Int64)?
        for (file, lines) in change {
            for (line, delta) in lines where delta != 0 && (increase ? delta > 0 : delta < 0) {
                let better = best.map { increase ? delta > $0.delta : delta < $0.delta } ?? true
                let tie = best.map { delta == $0.delta && (file, line) < ($0.file, $0.line) } ?? false
                if better || tie { best = (file, line, delta) }
            }
        }
        return best.flatMap { $0.line <= Int64(Int32.max) ? ($0.file, Int($0.line)) : nil }
    }
}
