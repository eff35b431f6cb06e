import Testing
import TestSupport
@testable import PprofFormat
@testable import ProfileModel

/// Function names are held by their profile's string table (`FunctionName`), not copied into
/// strings: they must still be one key per name, whichever table or index holds it, and sort
/// and print as the strings they are.
@Suite struct FunctionNameTests {
    @Test func aTableGivesBackItsStrings() {
        let table = StringTable(["", "main.main", "é", "runtime.mallocgc"])
        #expect(table.count == 4)
        #expect((0 ..< 4).map { table[$0] } == ["", "main.main", "é", "runtime.mallocgc"])
        #expect(table.isEmpty(0) && !table.isEmpty(2))
        #expect(table == StringTable(["", "main.main", "é", "runtime.mallocgc"]))
        #expect(table != StringTable(["", "main.main", "é", "runtime.mallocgC"]))
        // The same bytes split differently are other strings.
        #expect(StringTable(["ab", "c"]) != StringTable(["a", "bc"]))
    }

    @Test func namesAreEqualByTheirBytes() {
        let table = StringTable(["", "util.Hash", "main.main", "util.Hash"])
        let first = FunctionName(table: table, index: 1)
        let repeated = FunctionName(table: table, index: 3)
        let written: FunctionName = "util.Hash"
        #expect(first == repeated && first == written)
        #expect(first.hashValue == repeated.hashValue && first.hashValue == written.hashValue)
        #expect(first != FunctionName(table: table, index: 2))
        #expect(FunctionIdentity.named(first) == .named("util.Hash"))
        #expect(Set([FunctionIdentity.named(first), .named(repeated), .named(written)]).count == 1)
        #expect(first.string == "util.Hash" && "\(first)" == "util.Hash")
        // An index holds one identity per function: a table reference and a number.
        #expect(MemoryLayout<FunctionIdentity>.stride == 16)
    }

    @Test func namesSortBytewiseAsGoDoes() {
        // Swift's `<` on strings compares by Unicode canonical order; Go (and pprof) by bytes.
        let names: [FunctionName] = ["b", "a", "Z", "é", "e\u{301}", "ab"]
        #expect(names.sorted().map(\.string) == ["Z", "a", "ab", "b", "e\u{301}", "é"])
        #expect(FunctionIdentity.compareDisplayNames(.named("x"), .unsymbolized(objectFile: "/lib/libc.so.6", startLine: 0)) > 0)
        #expect(FunctionIdentity.compareDisplayNames(.named("["), .unsymbolized(objectFile: "/lib/libc.so.6", startLine: 0)) < 0)
    }

    /// A string table that writes one name twice (pprof's writers do not, other writers may)
    /// still makes one function of it, in one profile and across a comparison's two.
    @Test func aNameWrittenTwiceIsOneFunction() throws {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 2) }
        w.message(2) { $0.packed(1, [1]); $0.packed(2, [3]) }
        w.message(2) { $0.packed(1, [2]); $0.packed(2, [4]) }
        for l in 1 ... 2 {
            w.message(4) { location in
                location.uint(1, UInt64(l))
                location.message(4) { $0.uint(1, UInt64(l)); $0.int(2, Int64(l)) }
            }
        }
        // Functions 1 and 2 name the same bytes at string indices 3 and 4.
        w.message(5) { $0.uint(1, 1); $0.int(2, 3); $0.int(4, 5) }
        w.message(5) { $0.uint(1, 2); $0.int(2, 4); $0.int(4, 5) }
        for s in ["", "samples", "count", "util.Hash", "util.Hash", "util.go"] { w.string(6, s) }
        let profile = try ProfileParser.decode(w.bytes).profile
        let baseline = try ProfileParser.decode(w.bytes).profile
        #expect(profile.strings !== baseline.strings)
        for detail in [CostIndex.Detail.lines, .functions] {
            let index = CostIndex.build([profile], detail: detail)
            #expect(index.functionCount == 1)
            let key = try #require(index.functionKey("util.Hash"))
            #expect([index.flat(function: key, type: 0), index.cum(function: key, type: 0)] == [7, 7])
            #expect(index.functionName(key) == "util.Hash")
            // A baseline decoded on its own (another table) subtracts from the same function.
            let diff = CostIndex.build([profile, baseline], weights: [1, -1], detail: detail)
            #expect(diff.functionCount == 1)
            #expect(diff.flat(function: try #require(diff.functionKey("util.Hash")), type: 0) == 0)
        }
    }
}
