import Testing
import TestSupport
import PprofFormat
import ProfileModel
@testable import ProfileQuery

/// Questions about the goshop profiles, asked the way the editor asks them.
@Suite struct CostQueryTests {
    let workspace = Fixtures.goshopWorkspace()
    let query: CostQuery

    init() throws {
        let files = ["cpu", "allocs", "heap", "mutex", "block", "goroutine"].map { Fixtures.path("corpus/goshop/profiles/\($0).pb.gz") }
        let loaded = try files.map { try ProfileFile.load($0) }
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace), mappings: [PathMapping(from: "/home/ci/work/goshop", to: "")])
        query = CostQuery(MappedProfiles.build(loaded, mapper: mapper))
    }

    var pricing: String { workspace + "/pricing/pricing.go" }
    var source: [Substring] { (SourceText.lines(ofFile: pricing) ?? []).map { Substring($0) } }

    @Test func hottestLineCarriesPprofsNumbers() throws {
        let line = try #require(query.lineCost(file: pricing, line: 18))
        let cpu = try #require(line.cost(of: .cpu))
        #expect(cpu.value?.flat == 230_000_000)
        #expect(cpu.value?.cum == 960_000_000)
        #expect(CostText.summary(cpu) == "CPU 230ms self · 960ms total (89.7%)")
        #expect(CostText.hint(cpu) == "230ms │ 960ms")
    }

    @Test func everyKindOnItsLines() throws {
        let inventory = workspace + "/inventory/inventory.go"
        let alloc = try #require(query.lineCost(file: inventory, line: 22)?.cost(of: .alloc))
        #expect(CostText.summary(alloc) == "Alloc 5.92MB self · 6.67MB total (20.6%) · 151,351 objects")
        let mutex = try #require(query.lineCost(file: inventory, line: 27)?.cost(of: .mutex))
        #expect(CostText.summary(mutex).hasPrefix("Mutex delay 3.54ms total (94.2%)"))
        let block = try #require(query.lineCost(file: workspace + "/pipeline/pipeline.go", line: 12)?.cost(of: .block))
        #expect(CostText.summary(block).hasPrefix("Block delay 10.73s total (76.2%)"))
    }

    @Test func functionsOfAFileSitOnTheirDeclarations() {
        let functions = query.functions(inFile: pricing, ranking: .cpu, source: source)
        #expect(functions.map(\.name) == ["example.com/goshop/pricing.Quote", "example.com/goshop/pricing.discount"])
        #expect(functions.map(\.line) == [7, 15])
        #expect(functions.map(\.hottestLine) == [10, 18])
        #expect(CostText.lens(functions[1], first: .cpu) == "CPU 960ms (89.7%)")
    }

    @Test func hottestFunctionsSortLikePprofTop() {
        let hot = query.hottestFunctions(kind: .cpu, limit: 3)
        #expect(hot.map(\.name) == ["math.sin", "example.com/goshop/pricing.discount", "math.IsInf"])
        let inWorkspace = query.hottestFunctions(kind: .cpu, limit: 1) { $0.file?.hasPrefix(workspace) ?? false }
        #expect(inWorkspace.first?.name == "example.com/goshop/pricing.discount")
        #expect(query.hottestFunctions(kind: .cpu, matching: "QUOTE").map(\.name) == ["example.com/goshop/pricing.Quote"])
    }

    @Test func lineRangesAndMisses() {
        #expect(query.lineCosts(file: pricing).map(\.line) == [10, 18])
        #expect(query.lineCosts(file: pricing, lines: 11 ... 17).isEmpty)
        #expect(query.lineCost(file: pricing, line: 3) == nil)
        #expect(query.lineCost(file: "/no/such/file.go", line: 1) == nil)
        #expect(query.kinds == [.cpu, .alloc, .inuse, .mutex, .block, .goroutine])
        #expect(query.defaultKind == .cpu)
    }

    @Test func hoverText() throws {
        let line = try #require(query.lineCost(file: pricing, line: 18))
        let text = CostText.hover(line: line, function: nil, sources: ["cpu.pb.gz"], staleNote: nil, markdown: true)
        #expect(text == "**CPU** 230ms self · 960ms total (89.7%)\n\n_from cpu.pb.gz_")
        let plain = CostText.hover(line: line, function: nil, sources: [], staleNote: "pricing.go changed after the profile was taken", markdown: false)
        #expect(plain == "CPU 230ms self · 960ms total (89.7%)\n\n⚠ pricing.go changed after the profile was taken")
    }
}
