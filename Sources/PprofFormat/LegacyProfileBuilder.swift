/// A mapping read from a legacy profile's memory map.
struct LegacyMapping: Equatable {
    var start: UInt64
    var limit: UInt64
    var offset: UInt64 = 0
    var file: String = ""
    var buildID: String = ""
}

/// What a legacy parser builds: google/pprof's pointer-based `Profile`, as arrays of indices,
/// with the renumbering steps pprof applies (`remapLocationIDs`, `remapFunctionIDs`, and in
/// `LegacyMemoryMap.swift` `massageMappings` and `remapMappingIDs`). `profile()` turns it into a
/// `Profile` whose every index is valid.
struct LegacyProfileBuilder {
    var sampleTypes: [ValueType]
    var periodType: ValueType?
    var period: Int64 = 0
    var durationNanos: Int64 = 0
    /// How many values each sample has (Java profiles can have values before their types).
    let valuesPerSample: Int

    // Locations, in pprof's `p.Location` order; each has at most one line (Java's).
    var locationAddress: [UInt64] = []
    /// Index into `mappings`, or -1.
    var locationMapping: [Int] = []
    /// Index into the functions, or -1 for a location without a line.
    var locationFunction: [Int] = []
    var locationLine: [Int64] = []
    /// The location of each address a sample named, as the parsers' `locs` maps keep them.
    private(set) var locationByAddress: [UInt64: Int] = [:]

    var functionName: [String] = []
    var functionFile: [String] = []

    var mappings: [LegacyMapping] = []

    var stacks: [[Int]] = []
    var values: [Int64] = []
    /// The `bytes` numeric label of heap samples.
    var bytesLabel: [Int64?] = []

    init(sampleTypes: [ValueType], periodType: ValueType?, period: Int64, valuesPerSample: Int? = nil) {
        self.sampleTypes = sampleTypes
        self.periodType = periodType
        self.period = period
        self.valuesPerSample = valuesPerSample ?? sampleTypes.count
    }

    var sampleCount: Int { stacks.count }

    /// The location for `address`, made on first use.
    mutating func location(at address: UInt64) -> Int {
        if let index = locationByAddress[address] { return index }
        let index = locationAddress.count
        locationAddress.append(address)
        locationMapping.append(-1)
        locationFunction.append(-1)
        locationLine.append(0)
        locationByAddress[address] = index
        return index
    }

    mutating func addSample(_ stack: [Int], values sampleValues: [Int64], bytes: Int64? = nil) {
        stacks.append(stack)
        values.append(contentsOf: sampleValues)
        bytesLabel.append(bytes)
    }

    /// pprof's `remapLocationIDs`: the locations samples use, in the order samples first use them.
    mutating func remapLocations() {
        var newIndex = [Int](repeating: -1, count: locationAddress.count)
        var order: [Int] = []
        for s in stacks.indices {
            for (k, old) in stacks[s].enumerated() {
                if newIndex[old] < 0 {
                    newIndex[old] = order.count
                    order.append(old)
                }
                stacks[s][k] = newIndex[old]
            }
        }
        locationAddress = order.map { locationAddress[$0] }
        locationMapping = order.map { locationMapping[$0] }
        locationFunction = order.map { locationFunction[$0] }
        locationLine = order.map { locationLine[$0] }
        locationByAddress = locationByAddress.compactMapValues { newIndex[$0] >= 0 ? newIndex[$0] : nil }
    }

    /// pprof's `remapFunctionIDs`: the functions locations use, in the order locations first use them.
    mutating func remapFunctions() {
        var newIndex = [Int](repeating: -1, count: functionName.count)
        var order: [Int] = []
        for (l, old) in locationFunction.enumerated() where old >= 0 {
            if newIndex[old] < 0 {
                newIndex[old] = order.count
                order.append(old)
            }
            locationFunction[l] = newIndex[old]
        }
        functionName = order.map { functionName[$0] }
        functionFile = order.map { functionFile[$0] }
    }

    /// pprof's `cleanupDuplicateLocations`: a leaf recorded twice (from the signal context and by
    /// unwinding, the second adjusted by -1) keeps only its first copy.
    mutating func cleanupDuplicateLocations() {
        for s in stacks.indices where stacks[s].count > 1 {
            if locationAddress[stacks[s][0]] == locationAddress[stacks[s][1]] &+ 1 {
                stacks[s].remove(at: 1)
            }
        }
    }

    /// pprof's `addLegacyFrameInfo`: which frames `RemoveUninteresting` drops, by profile type.
    func frameInfo() -> (drop: String, keep: String) {
        let types = sampleTypes.map(\.type)
        let heapz: [[String]] = [["allocations", "size"], ["objects", "space"], ["inuse_objects", "inuse_space"],
                                 ["alloc_objects", "alloc_space"], ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"]]
        if heapz.contains(types) { return (LegacyFrames.allocations, LegacyFrames.allocationsKept) }
        if types == ["contentions", "delay"] { return (LegacyFrames.locks, "") }
        return (LegacyFrames.cpuProfiler, "")
    }

    /// The finished profile, with pprof's ids (1, 2, 3, ... in table order) and the frames to drop.
    func profile() throws(LegacyFailure) -> Profile {
        // pprof's CheckValid: values without types cannot be read.
        if sampleTypes.count != valuesPerSample && !stacks.isEmpty {
            throw .malformed(sampleTypes.isEmpty ? "missing sample type information" :
                "samples have \(valuesPerSample) values but the profile declares \(sampleTypes.count) sample types")
        }
        guard locationAddress.count < Int(Int32.max), functionName.count < Int(Int32.max), mappings.count < Int(Int32.max),
              values.count < Int(Int32.max) else {
            throw .malformed("more than 2^31 locations, functions, mappings or values")
        }
        var strings = StringTableBuilder()
        var profile = Profile()
        profile.sampleTypes = sampleTypes
        profile.periodType = periodType
        profile.period = period
        profile.durationNanos = durationNanos
        (profile.dropFrames, profile.keepFrames) = frameInfo()
        profile.mappings = mappings.enumerated().map { i, m in
            Mapping(id: UInt64(i + 1), memoryStart: m.start, memoryLimit: m.limit, fileOffset: m.offset,
                    filename: m.file, buildID: m.buildID, hasFunctions: false, hasFilenames: false,
                    hasLineNumbers: false, hasInlineFrames: false)
        }

        var functions = FunctionTable()
        functions.name = functionName.map { strings.index($0) }
        functions.filename = functionFile.map { strings.index($0) }
        functions.startLine = [Int64](repeating: 0, count: functionName.count)
        profile.functions = functions

        var locations = LocationTable()
        locations.mapping = locationMapping.map { Int32($0) }
        locations.address = locationAddress
        for (l, f) in locationFunction.enumerated() {
            if f >= 0 {
                locations.lineFunction.append(Int32(f))
                locations.lineNumber.append(locationLine[l])
            }
            locations.lineStart.append(Int32(locations.lineFunction.count))
        }
        profile.locations = locations

        var samples = SampleTable()
        samples.valuesPerSample = sampleTypes.count
        samples.values = values
        let bytesKey = bytesLabel.contains { $0 != nil } ? strings.index("bytes") : 0
        var entries: [UInt32] = []
        samples.labelStart = [0]
        for (s, stack) in stacks.enumerated() {
            entries.append(contentsOf: stack.map { UInt32($0) })
            samples.locationStart.append(entries.count)
            if let bytes = bytesLabel[s] {
                samples.labels.append(Label(key: bytesKey, str: 0, num: bytes, numUnit: 0))
            }
            samples.labelStart.append(samples.labels.count)
        }
        if samples.labels.isEmpty { samples.labelStart = [] }
        samples.stacks = StackEntries(entries, locationCount: locations.count)
        profile.samples = samples
        profile.strings = StringTable(strings.table)
        return profile
    }
}

/// Strings and their index in the table, entry 0 being "".
struct StringTableBuilder {
    private(set) var table: [String] = [""]
    private var index: [String: UInt32] = ["": 0]

    mutating func index(_ s: String) -> UInt32 {
        if let i = index[s] { return i }
        let i = UInt32(table.count)
        table.append(s)
        index[s] = i
        return i
    }
}
