/// A decoded pprof profile, kept as flat arrays indexed by integer ids.
///
/// There is no object per sample or per location: a 400,000-sample profile is a handful of
/// arrays. Every id in the file has been resolved to an index into these arrays and every string
/// index validated, once, when the profile was decoded (`ProfileDecoder.finish`), so code that
/// reads a `Profile` never needs to check them again.
public struct Profile: Sendable {
    /// What each sample value measures, in the order of `SampleTable.values`.
    public internal(set) var sampleTypes: [ValueType] = []
    /// The sample type that tools show by default; empty when the profile does not say.
    public internal(set) var defaultSampleType: String = ""
    public internal(set) var periodType: ValueType?
    public internal(set) var period: Int64 = 0
    public internal(set) var timeNanos: Int64 = 0
    public internal(set) var durationNanos: Int64 = 0
    public internal(set) var comments: [String] = []
    public internal(set) var dropFrames: String = ""
    public internal(set) var keepFrames: String = ""
    public internal(set) var docURL: String = ""
    /// The string table; entry 0 is the empty string.
    public internal(set) var strings = StringTable.empty
    public internal(set) var samples = SampleTable()
    public internal(set) var locations = LocationTable()
    public internal(set) var functions = FunctionTable()
    public internal(set) var mappings: [Mapping] = []
    /// What the profile's source says its samples measure, when the source knows better than
    /// the samples: Go's `/debug/pprof/mutex` and `/debug/pprof/block` write the same sample
    /// types, and a Pyroscope type id names its kind (`mutex:delay:...`, `block:delay:...`).
    /// A kind name (`mutex`, `block`, `cpu`, `alloc`, ...) that every sample type of the
    /// profile belongs to; empty for files, whose kinds come from their sample types.
    public var kindHint: String = ""

    /// Sets when the profile was taken and over how long, for a source that knows better than
    /// the file (a Pyroscope range merged into one profile is a window of that range).
    public mutating func stamp(timeNanos: Int64, durationNanos: Int64) {
        self.timeNanos = timeNanos
        self.durationNanos = durationNanos
    }

    public init() {}

    /// The index of the sample type tools show when none is asked for: the declared default
    /// when it names one of the sample types, otherwise the last one, as `go tool pprof` does.
    public var defaultSampleTypeIndex: Int? {
        if sampleTypes.isEmpty { return nil }
        if !defaultSampleType.isEmpty, let i = sampleTypes.lastIndex(where: { $0.type == defaultSampleType }) {
            return i
        }
        return sampleTypes.count - 1
    }
}

/// A sample type or period type: what is measured, and in which unit.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
    public var type: String
    public var unit: String

    public init(type: String, unit: String) {
        self.type = type
        self.unit = unit
    }

    public var description: String { "\(type)/\(unit)" }
}

/// All samples of a profile.
///
/// Sample `i`'s stack is `stacks[locationStart[i] ..< locationStart[i + 1]]`, leaf first; its
/// values are `values[i * valuesPerSample ..< (i + 1) * valuesPerSample]`, one per sample type;
/// its labels are `labels[labelStart[i] ..< labelStart[i + 1]]`, and `labelStart` is empty when
/// no sample has labels (most profiles: it would cost 8 bytes a sample).
public struct SampleTable: Sendable {
    public internal(set) var valuesPerSample: Int = 0
    public internal(set) var locationStart: [Int] = [0]
    public internal(set) var stacks = StackEntries.narrow([])
    public internal(set) var values: [Int64] = []
    public internal(set) var labelStart: [Int] = []
    public internal(set) var labels: [Label] = []

    public var count: Int { locationStart.count - 1 }

    public func stack(of sample: Int) -> Stack {
        Stack(entries: stacks, startIndex: locationStart[sample], endIndex: locationStart[sample + 1])
    }

    public func values(of sample: Int) -> ArraySlice<Int64> {
        values[sample * valuesPerSample ..< (sample + 1) * valuesPerSample]
    }

    public func labels(of sample: Int) -> ArraySlice<Label> {
        labelStart.isEmpty ? [] : labels[labelStart[sample] ..< labelStart[sample + 1]]
    }
}

/// A sample label. `key`, `str` and `numUnit` index the string table.
public struct Label: Hashable, Sendable {
    public var key: UInt32
    public var str: UInt32
    public var num: Int64
    public var numUnit: UInt32
}

/// All locations of a profile. Location `i`'s lines (innermost inlined frame first) are
/// `lineFunction/lineNumber[lineStart[i] ..< lineStart[i + 1]]`.
///
/// What no cost depends on once ids are resolved is not kept: the locations' ids, `is_folded`
/// and the lines' columns (pprof's reports ignore columns too).
public struct LocationTable: Sendable {
    /// Index into `Profile.mappings`, or -1 for none.
    public internal(set) var mapping: [Int32] = []
    public internal(set) var address: [UInt64] = []
    /// In 32 bits: the decoder refuses a profile of 2^31 lines or more.
    public internal(set) var lineStart: [Int32] = [0]
    /// Index into `FunctionTable`, or -1 when the line names no function (or a missing one).
    public internal(set) var lineFunction: [Int32] = []
    public internal(set) var lineNumber: [Int64] = []

    public var count: Int { mapping.count }

    public func lines(of location: Int) -> Range<Int> {
        Int(lineStart[location]) ..< Int(lineStart[location + 1])
    }
}

/// All functions of a profile. `name`, `systemName(_:)` and `filename` index the string table.
/// Their ids, resolved, are not kept.
public struct FunctionTable: Sendable {
    public internal(set) var name: [UInt32] = []
    public internal(set) var filename: [UInt32] = []
    public internal(set) var startLine: [Int64] = []
    /// The system names; empty when every one is its function's name, as in most profiles (Go's
    /// and Java's write one string for both).
    private var systemNames: [UInt32] = []

    public var count: Int { name.count }

    /// The string index of function `f`'s system name.
    public func systemName(_ f: Int) -> UInt32 { systemNames.isEmpty ? name[f] : systemNames[f] }

    /// Sets the system names, after the names.
    mutating func setSystemNames(_ names: [UInt32]) {
        systemNames = names == name ? [] : names
    }

    /// Whether both tables give every function the same system name.
    public func sameSystemNames(as other: FunctionTable) -> Bool {
        count == other.count && (0 ..< count).allSatisfy { systemName($0) == other.systemName($0) }
    }
}

/// A binary mapped into the profiled process.
public struct Mapping: Hashable, Sendable {
    public var id: UInt64
    public var memoryStart: UInt64
    public var memoryLimit: UInt64
    public var fileOffset: UInt64
    public var filename: String
    public var buildID: String
    public var hasFunctions: Bool
    public var hasFilenames: Bool
    public var hasLineNumbers: Bool
    public var hasInlineFrames: Bool
}
