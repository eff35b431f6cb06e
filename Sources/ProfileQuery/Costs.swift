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

    public var isZero: Bool { flat == 0 && cum == 0 }
}

/// What one kind costs at one place: its value measure (time, bytes) and count measure.
public struct KindCost: Sendable {
    public let kind: CostKind
    public let value: MeasureCost?
    public let count: MeasureCost?

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
