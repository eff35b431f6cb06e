import Foundation
import Testing
import TestSupport
@testable import PprofFormat
@testable import ProfileModel

/// The model's side of pprof parity (issue #9), on the fixtures of `Tests/Fixtures/parity`.
@Suite struct ParityModelTests {
    func load(_ name: String) throws -> LoadedProfile {
        try ProfileFile.load(Fixtures.path("parity/" + name))
    }

    /// A `[vdso]` leaf keeps its flat: the symbolized caller gets only cum.
    @Test func anUnsymbolizedLeafKeepsItsFlat() throws {
        let index = CostIndex.build([try load("vdso-leaf.pb").profile])
        let file = try #require(index.fileKey("/build/clockapp/a.c"))
        let line10 = try #require(index.lineKey(file: file, line: 10))
        #expect(index.flat(line: line10, type: 1) == 0)
        #expect(index.cum(line: line10, type: 1) == 70_000_000)
        let clockNow = try #require(index.functionKey("clock_now"))
        #expect(index.flat(function: clockNow, type: 1) == 0)
        let vdso = try #require(index.functionKey(.unsymbolized(objectFile: "[vdso]", startLine: 0)))
        #expect(index.functionName(vdso) == "[[vdso]]")
        #expect(index.flat(function: vdso, type: 1) == 70_000_000)
    }

    /// Negative values: percentages are of Σ|v|, and a line with cum 0 but flat ≠ 0 exists.
    @Test func negativeValuesUseAbsoluteTotals() throws {
        let index = CostIndex.build([try load("delta-negative.pb").profile])
        let space = try #require(index.sampleTypes.firstIndex { $0.type == "alloc_space" })
        #expect(index.totals[space] == -524_288)
        #expect(index.absoluteTotals[space] == 3_784_704)
        let file = try #require(index.fileKey("/build/deltaapp/cache/cache.go"))
        let put = try #require(index.lineKey(file: file, line: 12))
        #expect(index.flat(line: put, type: space) == 4096)
        #expect(index.cum(line: put, type: space) == 0)
        let rows = index.topRows(type: space).map(\.name)
        #expect(rows.prefix(2) == ["example.com/deltaapp/cache.Shrink", "example.com/deltaapp/cache.Grow"])
    }

    /// A stripped binary: every address of one mapping is one `[binary]` row; no mapping is `<unknown>`.
    @Test func strippedProfilesHaveBinaryRows() throws {
        let index = CostIndex.build([try load("stripped.pb").profile])
        let rows = index.topRows(type: index.typeCount - 1)
        #expect(Set(rows.map(\.name)) == ["[app]", "[[vdso]]", "[libc.so.6]", "<unknown>"])
        #expect(!index.functions.contains { index.identity(ofFunction: $0).isSymbolized })
    }

    /// Equal |flat|: by name in byte order (`main.Mid` before `main.alpha`), not by cum.
    @Test func tiesSortByName() throws {
        let index = CostIndex.build([try load("ties.pb").profile])
        let names = index.topRows(type: index.typeCount - 1).prefix(6).map(\.name)
        #expect(names == ["main.leafB", "main.Mid", "main.alpha", "main.beta", "main.leafZ", "main.zeta"])
        #expect(index.functionsByCost(type: index.typeCount - 1).prefix(6).map(index.functionName) == names)
    }

    /// pprof's demangle step: a name equal to its system name loses parameters and templates.
    @Test func pprofNamesFunctionsAfterItsDemangleStep() {
        #expect(PprofFunctionName.of(name: "std::vector<int, std::allocator<int> >::push_back(int const&)",
                                     systemName: "std::vector<int, std::allocator<int> >::push_back(int const&)") == "std::vector::push_back")
        #expect(PprofFunctionName.of(name: "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop",
                                     systemName: "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop") == "::drop")
        #expect(PprofFunctionName.of(name: "foo::baz()", systemName: "_ZN3foo3bazEv") == "foo::baz()")
        #expect(PprofFunctionName.of(name: "java.util.HashMap.<init>", systemName: "java.util.HashMap.<init>") == "java.util.HashMap.<init>")
        #expect(PprofFunctionName.of(name: "main.(*Tree[...]).Insert", systemName: "main.(*Tree[...]).Insert") == "main.(*Tree[...]).Insert")
        #expect(PprofFunctionName.of(name: "<module>", systemName: "<module>") == "")
        #expect(PprofFunctionName.of(name: "", systemName: "plain_sys") == "plain_sys")
    }

    /// A .NET profile's all-zero lock type does not hide a Go mutex profile's costs.
    @Test func aKindComesFromTheProfilesWithValuesForIt() throws {
        let set = ProfileSet.build([try load("zero-valued-type.dotnet.pb"), try load("zero-valued-type.go-mutex.pb")])
        let mutex = try #require(set.source(of: .mutex))
        let group = set.groups[mutex.group]
        #expect(group.members.map { ($0.path as NSString).lastPathComponent } == ["zero-valued-type.go-mutex.pb"])
        #expect(group.index.absoluteTotals[try #require(mutex.valueType)] == 3_760_000)
        #expect(set.source(of: .cpu).map { set.groups[$0.group].members[0].path.hasSuffix("dotnet.pb") } == true)
    }

    /// Two runs of one Go program add up; a Python program beside them keeps its own total.
    @Test func programsKeepTheirOwnTotals() throws {
        let set = ProfileSet.build([try load("two-programs.go.pb"), try load("two-programs.go-run2.pb"), try load("two-programs.python.pb")])
        #expect(set.programs.map(\.description) == ["checkout (Go)", "python3.11 (Python)"])
        let cpu = set.sources(of: .cpu)
        #expect(cpu.count == 2)
        let totals = cpu.map { set.groups[$0.group].index.absoluteTotals[$0.primaryType] }
        #expect(totals == [2_550_000_000, 2_000_000_000])
    }

    /// The Go release an installation path names, and the local check against it.
    @Test func goReleases() {
        #expect(GoVersion.named(inPath: "/opt/hostedtoolcache/go/1.20.3/x64/src/runtime/malloc.go")?.description == "1.20.3")
        #expect(GoVersion.named(inPath: "/usr/lib/go-1.19/src/runtime/malloc.go")?.description == "1.19")
        #expect(GoVersion.named(inPath: "runtime/malloc.go") == nil)
        #expect(GoVersion("1.19")!.isCompatible(with: GoVersion("1.19.8")!))
        #expect(!GoVersion("1.20.3")!.isCompatible(with: GoVersion("1.19.8")!))
    }

    /// Costs on blank, comment and brace lines mean the file is not the profile's source.
    @Test func sourcesThatDoNotMatchAreFound() throws {
        let root = Fixtures.path("parity/src/shop")
        let mapper = PathMapper(workspace: WorkspaceFiles(root: root), mappings: [PathMapping(from: "/home/runner/work/shop/shop", to: "")],
                                goRoot: nil, goModuleCache: nil, goVersion: nil)
        let mapped = MappedProfiles.build([try load("go-version-mismatch.pb")], mapper: mapper)
        let canonicalRoot = FilePath.canonical(root)
        #expect(mapped.sourceMismatches.keys.sorted() == [canonicalRoot + "/cart/tax.go"])
        #expect(mapped.sourceMismatches[canonicalRoot + "/cart/tax.go"]?.contains("3 of its 3 costed lines") == true)
        #expect(mapped.resolutions["/home/runner/work/shop/shop/cart/cart.go"]?.isMapped == true)
        let lines = SourceText.lines(of: "package x\n\n// a comment\nfunc f() {\n\tx := 1\n}\n")
        #expect(SourceMatch.mismatch(costedLines: [5], lines: lines, fileName: "x.go") == nil)
        #expect(SourceMatch.mismatch(costedLines: [2, 3, 5], lines: lines, fileName: "x.go") != nil)
        #expect(SourceMatch.mismatch(costedLines: [5, 99, 100], lines: lines, fileName: "x.go") != nil)
        // A deferred call charged to a function's closing brace is Go's way, not a mismatch.
        #expect(SourceMatch.mismatch(costedLines: [5, 6], lines: lines, fileName: "x.go") == nil)
    }

    /// `drop_frames` cut samples at the allocator, for `top` only.
    @Test func dropFramesPruneForTop() throws {
        let profile = try load("drop-frames.pb").profile
        let pruned = try #require(profile.prunedForTop().profile)
        let rows = CostIndex.build([pruned]).topRows(type: 0)
        #expect(rows.first?.name == "std::string::append")
        #expect(!rows.contains { $0.name == "tcmalloc::Alloc" })
        #expect(Profile.simplifiedName(".operator new(unsigned long)") == "operator new")
        #expect(Profile.simplifiedName("(anonymous namespace)::f(int)") == "(anonymous namespace)::f")
        #expect(Profile.simplifiedName("S::operator()(int)") == "S::operator()")
    }
}
