import Testing
import TestSupport
@testable import PprofFormat
@testable import ProfileModel

/// Stack entries are kept in 16 bits up to 65,536 locations and in 32 beyond; the numbers must
/// not depend on which. Each profile has `locations` locations, the last in `hot`, the others in
/// `main`; one sample of 5 runs `hot` called from `main`'s first location, one of 2 runs `main`.
@Suite struct StackWidthTests {
    /// `shuffled` writes the locations last first (their ids are then no indices, and the
    /// stacks go through resolution) and the first sample's ids unpacked (the decoder's
    /// general path).
    static func profile(locations: Int, shuffled: Bool = false) throws -> Profile {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 2) }
        if shuffled {
            w.message(2) { $0.uint(1, UInt64(locations)); $0.uint(1, 1); $0.packed(2, [5]) }
        } else {
            w.message(2) { $0.packed(1, [UInt64(locations), 1]); $0.packed(2, [5]) }
        }
        w.message(2) { $0.packed(1, [1]); $0.packed(2, [2]) }
        for l in shuffled ? Array((1 ... locations).reversed()) : Array(1 ... locations) {
            w.message(4) { location in
                location.uint(1, UInt64(l))
                location.message(4) { $0.uint(1, l == locations ? 2 : 1); $0.int(2, Int64(l)) }
            }
        }
        w.message(5) { $0.uint(1, 1); $0.int(2, 3); $0.int(4, 5) }
        w.message(5) { $0.uint(1, 2); $0.int(2, 4); $0.int(4, 5) }
        for s in ["", "samples", "count", "main", "hot", "main.go"] { w.string(6, s) }
        return try ProfileParser.decode(w.bytes).profile
    }

    @Test(arguments: [(65_536, true, false), (65_537, false, false), (65_536, true, true), (65_537, false, true)])
    func costsDoNotDependOnTheWidth(locations: Int, narrow: Bool, shuffled: Bool) throws {
        let profile = try Self.profile(locations: locations, shuffled: shuffled)
        if case .narrow = profile.samples.stacks { #expect(narrow) } else { #expect(!narrow) }
        // Written last first, location l is at index count - l.
        let (hot, main) = shuffled ? (UInt32(0), UInt32(locations - 1)) : (UInt32(locations - 1), UInt32(0))
        #expect(Array(profile.samples.stack(of: 0)) == [hot, main])
        for detail in [CostIndex.Detail.lines, .functions] {
            let index = CostIndex.build([profile], detail: detail)
            let hot = try #require(index.functionKey("hot"))
            let main = try #require(index.functionKey("main"))
            #expect([index.flat(function: hot, type: 0), index.cum(function: hot, type: 0)] == [5, 5])
            #expect([index.flat(function: main, type: 0), index.cum(function: main, type: 0)] == [2, 7])
            guard detail == .lines else { continue }
            let file = try #require(index.fileKey("main.go"))
            let hotLine = try #require(index.lineKey(file: file, line: Int64(locations)))
            let firstLine = try #require(index.lineKey(file: file, line: 1))
            #expect([index.flat(line: hotLine, type: 0), index.cum(line: hotLine, type: 0)] == [5, 5])
            #expect([index.flat(line: firstLine, type: 0), index.cum(line: firstLine, type: 0)] == [2, 7])
        }
    }
}
