import ArgumentParser
import Foundation
import ProfileModel
import PprofFormat
import ProfileQuery

/// `profilelens lines`: the whole per-line and per-function index as JSON, for scripts.
struct LinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lines",
        abstract: "Print every line's and function's flat and cum costs as JSON.",
        discussion: """
            Output: {"sampleTypes":[{"type":..,"unit":..}], "totals":[..], \
            "files":{"<file as in the profile>":{"<line>":{"flat":[..],"cum":[..]}}}, \
            "functions":{"<name>":{"file":..,"startLine":N,"flat":[..],"cum":[..]}}} \
            with one number per sample type. Profiles are combined as top combines them: those of \
            one kind are summed (snapshots taken over time combine as a series), and each sample \
            type comes from the profile of its kind (Go's allocs profile for alloc_*, its heap \
            profile for inuse_*), never from two. Kinds that share sample types (mutex and block) \
            cannot share a document: the first is shown, and --type picks another.
            """)

    @OptionGroup var input: ProfileInputOptions
    @OptionGroup var comparison: ComparisonOptions

    @Flag(name: .long, help: "Print JSON (the only format; accepted for clarity in scripts).")
    var json = false

    @Option(name: .long, help: "One kind (cpu, alloc, inuse, mutex, block, goroutine) or sample type: its profiles' sample types only. With --pyroscope, also the profile types to fetch.")
    var type: String?

    @Option(name: .long, help: "With profiles of several programs: the program to show (its binary's name or its language).")
    var program: String?

    func validate() throws {
        // The document holds values, which a share of a total is not: say so rather than
        // write the absolute differences under a mode that asked for something else.
        if comparison.diffMode == .share {
            throw ValidationError("lines writes each line's values (with --base, current - baseline); --diff-mode share is for top and list")
        }
    }

    func run() throws {
        var timer = PhaseTimer()
        let (loaded, base) = try comparison.load(input, type: type)
        timer.mark("load")
        // Files as the profiles name them: no workspace mapping.
        let set = comparison.build(loaded, baseline: base, mapper: nil).profileSet
        let columns = try LinesColumns.choose(type: type, program: program, in: set)
        timer.mark("index")
        try writeJSON(LinesDocument(set, columns: columns))
        timer.mark("output")
        timer.report(bytes: loaded.reduce(0) { $0 + $1.uncompressedByteCount })
    }
}

/// Which group supplies each sample type of a `lines` document.
enum LinesColumns {
    struct Column: Equatable {
        let group: Int
        let type: Int
    }

    /// With `type`, every sample type of the group it names. Without, for one program, each
    /// sample type of each group whose kind that group supplies (`ProfileSet.sources`), so that
    /// no value is counted twice: Go's heap and allocs profiles both carry all four memory types,
    /// and each supplies two. A sample type already taken from another group (mutex and block
    /// profiles both write `contentions` and `delay`), or whose kind another group supplies, is
    /// left out, and stderr says so.
    static func choose(type: String?, program: String?, in set: ProfileSet) throws -> [Column] {
        let p = try ReportChoice.chooseProgram(program, in: set)
        if let type {
            let choice: SampleTypeChoice
            do { choice = try SampleTypeChoice.choose(type, in: set, program: p) } catch { throw CLIError(error.description) }
            return set.groups[choice.group].index.sampleTypes.indices.map { Column(group: choice.group, type: $0) }
        }
        let sources = set.sources.filter { $0.program == p }
        // Groups in the order of the kinds they supply (CPU first), then those without values.
        var order: [Int] = []
        for source in sources where !order.contains(source.group) { order.append(source.group) }
        for g in set.groups.indices where set.groups[g].program == p && !order.contains(g) { order.append(g) }
        var columns: [Column] = []
        var taken: [ValueType: Int] = [:]
        // Per group: the sample types left out, and the group they were taken from.
        var leftOut: [Int: (types: [String], owner: Int)] = [:]
        for g in order {
            let group = set.groups[g]
            for (t, sampleType) in group.index.sampleTypes.enumerated() {
                let kind = group.classification[t].kind
                let supplier = sources.first { $0.kind == kind }?.group
                // A kind nobody has values for is shown from the first group that declares it.
                guard supplier == g || (supplier == nil && taken[sampleType] == nil) else {
                    // Said when the group is about that kind (a second CPU group); Go's heap
                    // profile carries the allocs profile's numbers as well, and those are no loss.
                    if let supplier, group.hasValues(t), group.mainKind == kind {
                        leftOut[g, default: ([], supplier)].types.append(sampleType.type)
                    }
                    continue
                }
                if let owner = taken[sampleType] {
                    if owner != g && group.hasValues(t) { leftOut[g, default: ([], owner)].types.append(sampleType.type) }
                    continue
                }
                taken[sampleType] = g
                columns.append(Column(group: g, type: t))
            }
        }
        for (g, left) in leftOut.sorted(by: { $0.key < $1.key }) {
            let kind = set.groups[g].mainKind?.id ?? "other"
            let shown = set.groups[left.owner].mainKind?.id ?? "another kind"
            Diagnostics.warn("\(kind)'s \(left.types.joined(separator: ", ")) left out: \(shown)'s have the same sample types (show them with --type \(kind))")
        }
        return columns
    }
}

/// The `lines --json` contract.
struct LinesDocument: Encodable {
    struct SampleType: Encodable {
        let type: String
        let unit: String
    }

    struct Costs: Encodable {
        var flat: [Int64]
        var cum: [Int64]
    }

    struct Function: Encodable {
        let file: String
        let startLine: Int64
        var flat: [Int64]
        var cum: [Int64]
    }

    let sampleTypes: [SampleType]
    let totals: [Int64]
    let files: [String: [String: Costs]]
    let functions: [String: Function]

    /// The document of `columns`, each a sample type of one group of `set`.
    init(_ set: ProfileSet, columns: [LinesColumns.Column]) {
        sampleTypes = columns.map { column in
            let type = set.groups[column.group].index.sampleTypes[column.type]
            return SampleType(type: type.type, unit: type.unit)
        }
        totals = columns.map { set.groups[$0.group].index.totals[$0.type] }
        let zeros = [Int64](repeating: 0, count: columns.count)
        var files: [String: [String: Costs]] = [:]
        var functions: [String: Function] = [:]
        var groups: [Int] = []
        for column in columns where !groups.contains(column.group) { groups.append(column.group) }
        for g in groups {
            let index = set.groups[g].index
            // This group's columns: their places in the document and their types in the index.
            let mine = columns.enumerated().filter { $0.element.group == g }.map { (place: $0.offset, type: $0.element.type) }
            for key in index.lines {
                // Lines without a cost add nothing; the contract lets us leave them out. A line
                // whose cum is 0 but flat is not (negative values) has a cost.
                guard mine.contains(where: { index.flat(line: key, type: $0.type) != 0 || index.cum(line: key, type: $0.type) != 0 }) else { continue }
                let file = index.fileName(index.file(ofLine: key))
                let line = String(index.lineNumber(key))
                var costs = files[file]?[line] ?? Costs(flat: zeros, cum: zeros)
                for (place, type) in mine {
                    costs.flat[place] = index.flat(line: key, type: type)
                    costs.cum[place] = index.cum(line: key, type: type)
                }
                files[file, default: [:]][line] = costs
            }
            // Frames without a function name (`[libc.so.6]`, `<unknown>`) are rows of `top`, not
            // functions: two binaries of one name would collide here. Within one group a later
            // function of a name replaces an earlier one whole.
            var named: Set<String> = []
            for key in index.functions where index.identity(ofFunction: key).isSymbolized {
                let name = index.functionName(key)
                let fresh = Function(file: index.file(ofFunction: key).map(index.fileName) ?? "",
                                     startLine: index.startLine(ofFunction: key), flat: functions[name]?.flat ?? zeros,
                                     cum: functions[name]?.cum ?? zeros)
                var function = named.insert(name).inserted ? (functions[name] ?? fresh) : fresh
                for (place, type) in mine {
                    function.flat[place] = index.flat(function: key, type: type)
                    function.cum[place] = index.cum(function: key, type: type)
                }
                functions[name] = function
            }
        }
        self.files = files
        self.functions = functions
    }
}
