import ProfileModel

/// One measure of one kind at one place: its flat (self) and cum (total) values, and the
/// kind's total for percentages.
public struct MeasureCost: Sendable, Hashable {
    public let flat: Int64
    public let cum: Int64
    public let total: Int64
    /// The sample type's unit ("nanoseconds", "bytes", "count", ...).
    public let unit: String
    /// The sample type's name ("cpu", "alloc_space", "contentions", ...).
    public let sampleType: String
    /// In a comparison, the same measure in the baseline.
    public let baseline: Baseline?

    /// A measure's values in a comparison's baseline, and the baseline's total.
    public struct Baseline: Sendable, Hashable {
        public let flat: Int64
        public let cum: Int64
        public let total: Int64

        public init(flat: Int64, cum: Int64, total: Int64) {
            self.flat = flat
            self.cum = cum
            self.total = total
        }

        public var isZero: Bool { flat == 0 && cum == 0 }
    }

    public init(flat: Int64, cum: Int64, total: Int64, unit: String, sampleType: String, baseline: Baseline? = nil) {
        self.flat = flat
        self.cum = cum
        self.total = total
        self.unit = unit
        self.sampleType = sampleType
        self.baseline = baseline
    }

    /// Nothing now, and nothing in the baseline either.
    public var isZero: Bool { flat == 0 && cum == 0 && (baseline?.isZero ?? true) }

    /// How the total (cum) moved against the baseline: current - baseline.
    public var cumChange: Int64? { baseline.map { cum &- $0.cum } }

    /// Costs only now (the baseline had none), or only in the baseline.
    public var isNew: Bool { baseline.map { $0.isZero && !(flat == 0 && cum == 0) } ?? false }
    public var isGone: Bool { baseline.map { !$0.isZero && flat == 0 && cum == 0 } ?? false }

    /// The change of the total's share of its kind's total, in percentage points.
    public var shareChange: Double? {
        guard let baseline else { return nil }
        let now = total == 0 ? 0 : Double(cum) / Double(total) * 100
        let before = baseline.total == 0 ? 0 : Double(baseline.cum) / Double(baseline.total) * 100
        return now - before
    }
}

/// What one kind costs at one place: its value measure (time, bytes) and count measure.
public struct KindCost: Sendable {
    public let kind: CostKind
    public let value: MeasureCost?
    public let count: MeasureCost?
    /// The group of the profile set the current numbers come from (with several programs, the
    /// first whose profiles have the place); nil when only a comparison's baseline has them.
    public let group: Int?

    public init(kind: CostKind, value: MeasureCost?, count: MeasureCost?, group: Int? = nil) {
        self.kind = kind
        self.value = value
        self.count = count
        self.group = group
    }

    /// The measure that ranks: the value when there is one.
    public var primary: MeasureCost? { value ?? count }

    public var isZero: Bool { (value?.isZero ?? true) && (count?.isZero ?? true) }
}

/// The costs of one source line, every loaded kind that has one.
public struct LineCost: Sendable {
    /// 1-based line number.
    public let line: Int
    public let costs: [KindCost]

    public func cost(of kind: CostKind) -> KindCost? { costs.first { $0.kind == kind } }
}

/// The costs of one function.
public struct FunctionCost: Sendable {
    public let name: String
    /// The file as the index knows it: a resolved absolute path, or the profile's own name.
    public let file: String?
    /// The line of the declaration (1-based), or the first line seen when the profile gives none.
    public let line: Int?
    /// The function's line with the highest self cost of the ranking kind.
    public let hottestLine: Int?
    public let costs: [KindCost]

    public func cost(of kind: CostKind) -> KindCost? { costs.first { $0.kind == kind } }
}
