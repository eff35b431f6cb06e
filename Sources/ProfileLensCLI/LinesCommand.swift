import ArgumentParser
import Foundation
import ProfileModel
import PprofFormat

/// `profilelens lines`: the whole per-line and per-function index as JSON, for scripts.
struct LinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lines",
        abstract: "Print every line's and function's flat and cum costs as JSON.",
        discussion: """
            Output: {"sampleTypes":[{"type":..,"unit":..}], "totals":[..], \
            "files":{"<file as in the profile>":{"<line>":{"flat":[..],"cum":[..]}}}, \
            "functions":{"<name>":{"file":..,"startLine":N,"flat":[..],"cum":[..]}}} \
            with one number per sample type. Several profiles are summed, sample type by sample type.
            """)

    @OptionGroup var input: ProfileInputOptions
    @OptionGroup var comparison: ComparisonOptions

    @Flag(name: .long, help: "Print JSON (the only format; accepted for clarity in scripts).")
    var json = false

    @Option(name: .long, help: "With --pyroscope: the profile types to fetch (a kind, a sample type or a Pyroscope type id).")
    var type: String?

    func run() throws {
        var timer = PhaseTimer()
        let (loaded, base) = try comparison.load(input, type: type)
        timer.mark("load")
        // One index of every profile, the baseline's values subtracted: current - baseline.
        let (profiles, weights) = MappedProfiles.differenceInputs(loaded, baseline: base, normalize: comparison.normalize)
        let index = CostIndex.build(profiles.map(\.profile), weights: weights)
        timer.mark("index")
        try writeJSON(LinesDocument(index))
        timer.mark("output")
        timer.report(bytes: loaded.reduce(0) { $0 + $1.uncompressedByteCount })
    }
}

/// The `lines --json` contract.
struct LinesDocument: Encodable {
    struct SampleType: Encodable {
        let type: String
        let unit: String
    }

    struct Costs: Encodable {
        let flat: [Int64]
        let cum: [Int64]
    }

    struct Function: Encodable {
        let file: String
        let startLine: Int64
        let flat: [Int64]
        let cum: [Int64]
    }

    let sampleTypes: [SampleType]
    let totals: [Int64]
    let files: [String: [String: Costs]]
    let functions: [String: Function]

    init(_ index: CostIndex) {
        let types = 0 ..< index.typeCount
        sampleTypes = index.sampleTypes.map { SampleType(type: $0.type, unit: $0.unit) }
        totals = index.totals
        var files: [String: [String: Costs]] = [:]
        for key in index.lines {
            let cum = types.map { index.cum(line: key, type: $0) }
            let flat = types.map { index.flat(line: key, type: $0) }
            // Lines without a cost add nothing; the contract lets us leave them out. A line whose
            // cum is 0 but flat is not (negative values) has a cost.
            if cum.allSatisfy({ $0 == 0 }) && flat.allSatisfy({ $0 == 0 }) { continue }
            let file = index.fileName(index.file(ofLine: key))
            files[file, default: [:]][String(index.lineNumber(key))] =
                Costs(flat: flat, cum: cum)
        }
        self.files = files
        var functions: [String: Function] = [:]
        // Frames without a function name (`[libc.so.6]`, `<unknown>`) are rows of `top`, not
        // functions: two binaries of one name would collide here.
        for key in index.functions where index.identity(ofFunction: key).isSymbolized {
            functions[index.functionName(key)] = Function(
                file: index.file(ofFunction: key).map(index.fileName) ?? "",
                startLine: index.startLine(ofFunction: key),
                flat: types.map { index.flat(function: key, type: $0) },
                cum: types.map { index.cum(function: key, type: $0) })
        }
        self.functions = functions
    }
}
