import ProfileModel

/// Questions an editor or a terminal asks about loaded profiles, answered in editor terms:
/// a file and a line, a function and its location. It holds no state beyond the immutable
/// profiles, so it can be shared by any number of concurrent requests.
public struct CostQuery: Sendable {
    public let profiles: MappedProfiles
    /// A baseline to compare with: every cost then carries the baseline's (`MeasureCost.baseline`).
    public let comparison: Comparison?

    public init(_ profiles: MappedProfiles, comparison: Comparison? = nil) {
        self.profiles = profiles
        self.comparison = comparison
    }

    public var profileSet: ProfileSet { profiles.profileSet }

    /// The kinds loaded, CPU first.
    public var kinds: [CostKind] { profileSet.kinds.map(\.kind) }

    /// The kind lenses and hints show when none is chosen: CPU when it is loaded, else the kind
    /// the first profile shows by default (in-use memory for Go's heap profile), else the first.
    public var defaultKind: CostKind? {
        if let cpu = profileSet.source(of: .cpu) { return cpu.kind }
        if let main = profileSet.groups.first?.mainKind, profileSet.source(of: main) != nil { return main }
        return profileSet.kinds.first?.kind
    }

    /// The profiles now, then the baseline's in a comparison: where a file's lines, a file's
    /// functions and a function's declaration are looked for.
    private var comparedSets: [ProfileSet] {
        [profileSet] + (comparison.map { [$0.baseline.profileSet] } ?? [])
    }

    // MARK: Files

    /// The file's key in each group's index. `path` is the file as the indexes know it: the
    /// canonical path of a mapped workspace file (callers canonicalise document paths, since
    /// this layer touches no disk), or the profile's own name.
    public func fileKeys(_ path: String) -> [FileKey?] {
        profileSet.groups.map { $0.index.fileKey(path) }
    }

    /// Whether any profile has costs in the file (or had, in a comparison's baseline).
    public func hasCosts(inFile path: String) -> Bool {
        fileKeys(path).contains { $0 != nil }
            || (comparison?.baseline.profileSet.groups.contains { $0.index.fileKey(path) != nil } ?? false)
    }

    /// Why the file's numbers are not shown, when its source does not match the profiles
    /// (costs on blank and comment lines); nil when it matches.
    public func sourceMismatch(ofFile path: String) -> String? {
        profiles.sourceMismatches[path]
    }

    /// The costs of one line (1-based), or nil when no kind has a cost there (now, or in the
    /// baseline of a comparison).
    public func lineCost(file path: String, line: Int) -> LineCost? {
        guard sourceMismatch(ofFile: path) == nil else { return nil }
        return lineCost(file: path, line: line, kinds: comparedKinds)
    }

    /// `lineCost(file:line:)` over `kinds`, for a caller that has checked the file and listed
    /// the kinds once for many lines.
    private func lineCost(file path: String, line: Int, kinds: [CostKind]) -> LineCost? {
        var costs: [KindCost] = []
        for kind in kinds {
            let cost = kindCost(kind) { index in
                guard let file = index.fileKey(path), let key = index.lineKey(file: file, line: Int64(line)) else { return nil }
                return { (index.flat(line: key, type: $0), index.cum(line: key, type: $0)) }
            }
            if let cost { costs.append(cost) }
        }
        return costs.isEmpty ? nil : LineCost(line: line, costs: costs)
    }

    /// The costs of every line of a file that has one, sorted by line; `lines` limits the range.
    public func lineCosts(file path: String, lines: ClosedRange<Int>? = nil) -> [LineCost] {
        guard sourceMismatch(ofFile: path) == nil else { return [] }
        var numbers: Set<Int> = []
        for set in comparedSets {
            for source in set.sources {
                let index = set.groups[source.group].index
                guard let file = index.fileKey(path) else { continue }
                for key in index.lineKeys(inFile: file) {
                    let number = index.lineNumber(key)
                    guard number > 0, number <= Int64(Int32.max), lines?.contains(Int(number)) ?? true else { continue }
                    numbers.insert(Int(number))
                }
            }
        }
        let kinds = comparedKinds
        return numbers.sorted().compactMap { lineCost(file: path, line: $0, kinds: kinds) }
    }

    // MARK: Functions

    /// The functions of a file that have a cost, in line order. `ranking` picks the kind whose
    /// hottest line each function reports; `source` (the file's lines, as the caller has them)
    /// lets declarations be found when the profile records no start line.
    public func functions(inFile path: String, ranking: CostKind? = nil, source: [Substring]? = nil) -> [FunctionCost] {
        guard sourceMismatch(ofFile: path) == nil else { return [] }
        var names: [String] = []
        var seen: Set<String> = []
        for set in comparedSets {
            for group in set.groups {
                guard let file = group.index.fileKey(path) else { continue }
                for key in group.index.functionKeys(inFile: file) {
                    let name = group.index.functionName(key)
                    if seen.insert(name).inserted { names.append(name) }
                }
            }
        }
        return names.compactMap { function(named: $0, ranking: ranking, source: source) }
            .sorted { ($0.line ?? 0, $0.name) < ($1.line ?? 0, $1.name) }
    }

    /// One function's costs across kinds, or nil when no kind has a cost for it.
    public func function(named name: String, ranking: CostKind? = nil, source: [Substring]? = nil) -> FunctionCost? {
        var costs: [KindCost] = []
        var file: String?
        var line: Int?
        for kind in comparedKinds {
            let cost = kindCost(kind) { index in
                guard let key = index.functionKey(name) else { return nil }
                return { (index.flat(function: key, type: $0), index.cum(function: key, type: $0)) }
            }
            guard let cost else { continue }
            costs.append(cost)
        }
        guard !costs.isEmpty else { return nil }
        // The file and declaration from the profiles now, else from the baseline's.
        for set in comparedSets where file == nil {
            for group in set.groups {
                guard let key = group.index.functionKey(name), let functionFile = group.index.file(ofFunction: key) else { continue }
                file = group.index.fileName(functionFile)
                line = group.index.declarationLine(of: key, source: source)
                break
            }
        }
        let rankingKind = ranking ?? costs[0].kind
        return FunctionCost(name: name, file: file, line: line, hottestLine: hottestLine(of: name, kind: rankingKind),
                            costs: costs)
    }

    /// Functions ranked by self cost of `kind` as `pprof -top` sorts them (by |flat|, then name,
    /// then |cum|); with several programs, by share of each program's total. `matching`
    /// filters names (case-insensitive substring); `limit` caps the result.
    public func hottestFunctions(kind: CostKind, matching filter: String = "", limit: Int = .max,
                                 where include: (FunctionCost) -> Bool = { _ in true }) -> [FunctionCost] {
        guard limit > 0 else { return [] }
        let needle = filter.lowercased()
        var candidates: [(name: String, flatShare: Double, cumShare: Double)] = []
        for source in profileSet.sources(of: kind) {
            let index = profileSet.groups[source.group].index
            let type = source.primaryType
            let total = Double(max(index.percentTotal(type: type), 1))
            for key in index.functionsByCost(type: type) where index.identity(ofFunction: key).isSymbolized {
                let name = index.functionName(key)
                if !needle.isEmpty && !name.lowercased().contains(needle) { continue }
                candidates.append((name, Double(index.flat(function: key, type: type).magnitude) / total,
                                   Double(index.cum(function: key, type: type).magnitude) / total))
            }
        }
        if profileSet.sources(of: kind).count > 1 {
            candidates.sort { a, b in
                if a.flatShare != b.flatShare { return a.flatShare > b.flatShare }
                if !a.name.utf8.elementsEqual(b.name.utf8) { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
                return a.cumShare > b.cumShare
            }
        }
        var result: [FunctionCost] = []
        var seen: Set<String> = []
        for candidate in candidates where seen.insert(candidate.name).inserted {
            guard let cost = function(named: candidate.name, ranking: kind), include(cost) else { continue }
            result.append(cost)
            if result.count >= limit { break }
        }
        return result
    }

    /// The line of the files `include` accepts where most of `kind`'s cost lands, each sample
    /// counted at its deepest frame in those files (`ScopedSelf`): a wait in the runtime counts
    /// at the user's line that led to it. With several programs, the largest share of its
    /// program's total wins; ties go to the earlier file and line. Nil when no sample reaches
    /// those files, or when the samples are not at hand (a window of a series keeps none).
    public func hottestScopedLine(kind: CostKind, include: (String) -> Bool) -> ScopedSelf.Line? {
        var best: (line: ScopedSelf.Line, share: Double)?
        for source in profileSet.sources(of: kind) {
            let group = profileSet.groups[source.group]
            guard group.memberIndices.allSatisfy({ $0 < profiles.inputs.count && $0 < profiles.weights.count }) else { return nil }
            var (inputs, weights) = profiles.inputs(of: group)
            let type = source.primaryType
            // A series (its members in time order) combines as its index does.
            if let series = group.series, type < series.semantics.count {
                let weighted = inputs.indices.map { i in (inputs[i], weights[i] &* series.weight(ofPoint: i, type: type)) }
                    .filter { $0.1 != 0 }
                (inputs, weights) = (weighted.map(\.0), weighted.map(\.1))
            }
            let total = Double(max(group.index.percentTotal(type: type), 1))
            let lines = ScopedSelf.lines(inputs, weights: weights, sampleType: group.index.sampleTypes[type],
                                         fileName: { profiles.resolutions[$0]?.path ?? $0 }, inScope: include)
            for line in lines {
                let share = Double(line.value.magnitude) / total
                if let b = best, !(share != b.share ? share > b.share : (line.file, line.line) < (b.line.file, b.line.line)) { continue }
                best = (line, share)
            }
        }
        return best?.line
    }

    /// The line of `name` with the highest self cost of `kind` (ties: higher total), in the
    /// function's own file.
    public func hottestLine(of name: String, kind: CostKind) -> Int? {
        for source in profileSet.sources(of: kind) {
            let index = profileSet.groups[source.group].index
            guard let key = index.functionKey(name) else { continue }
            let type = source.primaryType
            let file = index.file(ofFunction: key)
            var best: (flat: UInt64, cum: UInt64, line: Int64)?
            for line in index.lineKeys(ofFunction: key) where index.file(ofLine: line) == file {
                let number = index.lineNumber(line)
                guard number > 0 else { continue }
                let candidate = (flat: index.flat(line: line, type: type).magnitude, cum: index.cum(line: line, type: type).magnitude, line: number)
                if let b = best, (b.flat, b.cum, -b.line) >= (candidate.flat, candidate.cum, -candidate.line) { continue }
                best = candidate
            }
            if let best { return Int(best.line) }
        }
        return nil
    }
}
