import Foundation
import Testing
import TestSupport
import PprofFormat
import ProfileModel
@testable import ProfileQuery

/// Comparing against a baseline (issue #11), against independent numbers: the oracle's numbers
/// of each side subtracted, and `go tool pprof -diff_base`'s `top`.
@Suite struct ComparisonTests {
    let liveshop = Fixtures.path("corpus/liveshop/profiles/")

    func load(_ name: String) throws -> LoadedProfile { try ProfileFile.load(liveshop + name) }

    /// The oracle's flat and cum of one sample type, per line and per function.
    func oracle(_ name: String, type: Int) throws -> (lines: [String: [Int64]], functions: [String: [Int64]], total: Int64) {
        let expected = try ExpectedCosts(Fixtures.path("corpus/expected/liveshop__profiles__\(name).json"))
        return (expected.lineValues(type: type), expected.functions.mapValues { $0[type] }, expected.totals[type])
    }

    @Test func everyLineIsCurrentMinusBaseline() throws {
        let (mixed, alpha) = (try load("mixed.cpu.pb.gz"), try load("alpha.cpu.pb.gz"))
        let set = MappedProfiles.build([mixed], baseline: [alpha], mapper: nil).profileSet
        #expect(set.groups.count == 1)
        let index = set.groups[0].index
        let cpu = try #require(index.sampleTypes.firstIndex { $0.type == "cpu" })
        let now = try oracle("mixed.cpu", type: cpu), before = try oracle("alpha.cpu", type: cpu)
        #expect(index.totals[cpu] == now.total - before.total)
        var compared = 0
        for key in Set(now.lines.keys).union(before.lines.keys) {
            let (file, line) = (String(key[..<key.lastIndex(of: ":")!]), Int64(key[key.index(after: key.lastIndex(of: ":")!)...])!)
            guard !file.isEmpty, line > 0 else { continue }
            let want = zip(now.lines[key] ?? [0, 0], before.lines[key] ?? [0, 0]).map { $0 - $1 }
            let lineKey = index.fileKey(file).flatMap { index.lineKey(file: $0, line: line) }
            let got: [Int64] = lineKey.map { [index.flat(line: $0, type: cpu), index.cum(line: $0, type: cpu)] } ?? [0, 0]
            #expect(got == want, "\(key)")
            compared += 1
        }
        #expect(compared > 100)
        for name in Set(now.functions.keys).union(before.functions.keys) where !name.isEmpty {
            let want = zip(now.functions[name] ?? [0, 0], before.functions[name] ?? [0, 0]).map { $0 - $1 }
            let key = index.functionKey(name)
            let got: [Int64] = key.map { [index.flat(function: $0, type: cpu), index.cum(function: $0, type: cpu)] } ?? [0, 0]
            #expect(got == want, "\(name)")
        }
        // The editor's two-sided view gives the same changes.
        let query = CostQuery(MappedProfiles.build([mixed], mapper: nil),
                              comparison: Comparison(baseline: MappedProfiles.build([alpha], mapper: nil),
                                                     current: MappedProfiles.build([mixed], mapper: nil)))
        let alphaLine = try #require(query.lineCost(file: "/home/ci/work/liveshop/hot/hot.go", line: 10)?.cost(of: .cpu)?.value)
        #expect(alphaLine.cumChange == -70_000_000)
        let betaLine = try #require(query.lineCost(file: "/home/ci/work/liveshop/hot/hot.go", line: 19)?.cost(of: .cpu)?.value)
        #expect(betaLine.isNew)
    }

    @Test func topMatchesPprofDiffBase() throws {
        let profiles = MappedProfiles.build([try load("mixed.cpu.pb.gz")], baseline: [try load("alpha.cpu.pb.gz")], mapper: nil,
                                            detail: .functions)
        let group = profiles.profileSet.groups[0]
        let (inputs, weights) = profiles.inputs(of: group)
        let choice = try SampleTypeChoice.choose(nil, in: profiles.profileSet)
        let report = TopReport.of(group, profiles: inputs, weights: weights, type: choice.type, limit: 15).report
        let expected = try String(contentsOfFile: Fixtures.path("comparison/pprof-top-diff-mixed-alpha.txt"), encoding: .utf8)
        let ours = PprofTopText.parse(report.text()), pprof = PprofTopText.parse(expected)
        #expect(ours.header == pprof.header)
        #expect(ours.rows == pprof.rows)
    }

    /// A build-path baseline and a `-trimpath` profile compare on the same workspace file.
    @Test func bothSidesGoThroughPathMapping() throws {
        let workspace = Fixtures.goshopWorkspace()
        let mapper = PathMapper(workspace: WorkspaceFiles(root: workspace), mappings: [PathMapping(from: "/home/ci/work/goshop", to: workspace)])
        let current = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"))
        let baseline = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))
        let set = MappedProfiles.build([current], baseline: [baseline], mapper: mapper).profileSet
        #expect(set.groups.count == 1)
        let index = set.groups[0].index
        let pricing = try #require(index.fileKey(FilePath.canonical(workspace) + "/pricing/pricing.go"))
        let line18 = try #require(index.lineKey(file: pricing, line: 18))
        #expect(index.cum(line: line18, type: 1) == 650_000_000 - 960_000_000)
    }

    /// `--normalize` scales the baseline to the current total, sample type by sample type.
    @Test func normalizeScalesTheBaselineToTheCurrentTotal() throws {
        let (mixed, alpha) = (try load("mixed.cpu.pb.gz"), try load("alpha.cpu.pb.gz"))
        let scaled = MappedProfiles.normalized([alpha], to: [mixed])
        let now = CostIndex.build([mixed.profile]), before = CostIndex.build([scaled[0].profile])
        for t in 0 ..< now.typeCount {
            // Per-sample rounding leaves at most half a unit per sample.
            #expect(abs(now.totals[t] - before.totals[t]) <= Int64(alpha.profile.samples.count))
        }
    }

    /// Share mode: each share's change of its total, in percentage points.
    @Test func sharesMoveInPercentagePoints() throws {
        let now = CostIndex.build([try load("beta.cpu.pb.gz").profile]), before = CostIndex.build([try load("alpha.cpu.pb.gz").profile])
        let report = ShareReport(current: now, type: 1, baseline: before, baselineType: 1, limit: 5)
        let beta = try #require(report.rows.first { $0.function == "example.com/liveshop/hot.Beta" })
        #expect(beta.cumBefore == 0 && beta.cumNow > 50)
        let alpha = try #require(report.rows.first { $0.function == "example.com/liveshop/hot.Alpha" })
        #expect(alpha.cumNow == 0 && alpha.cumChange < -50)
        #expect(report.text().contains("pp  example.com/liveshop/hot.Beta"))
    }

    @Test func changesReadAsPprofWritesThem() {
        let grew = MeasureCost(flat: 230_000_000, cum: 960_000_000, total: 1_070_000_000, unit: "nanoseconds", sampleType: "cpu",
                               baseline: .init(flat: 200_000_000, cum: 840_000_000, total: 1_000_000_000))
        #expect(CostText.change(grew) == "+120ms (+14%) vs baseline")
        #expect(CostText.change(grew, mode: .share) == "+5.7pp vs baseline (84.0% before)")
        let new = MeasureCost(flat: 0, cum: 240_000_000, total: 1_000, unit: "nanoseconds", sampleType: "cpu",
                              baseline: .init(flat: 0, cum: 0, total: 1_000))
        #expect(CostText.change(new) == "new")
        #expect(CostText.change(new, unit: "s") == "new (+0.24s)")
        let gone = MeasureCost(flat: 0, cum: 0, total: 1_000, unit: "nanoseconds", sampleType: "cpu",
                               baseline: .init(flat: 0, cum: 70_000_000, total: 1_000))
        #expect(CostText.change(gone) == "gone (was 70ms)")
        let cost = KindCost(kind: .cpu, value: grew, count: nil)
        #expect(CostText.summary(cost) == "CPU 230ms self · 960ms total (89.7%) · +120ms (+14%) vs baseline")
        #expect(CostText.hint(cost) == "Δ +120ms")
    }
}
