import Testing
import TestSupport
@testable import PprofFormat
@testable import ProfileModel

/// An index of functions keeps one value per function while every profile's values are its
/// first value times the same ratios (a CPU profile's count and nanoseconds), and one per type
/// as soon as one is not: the numbers must not depend on which.
@Suite struct ProportionalValuesTests {
    /// Two samples, `hot` called from `main` and `main` alone, with these values (two types).
    static func profile(_ first: [Int64], _ second: [Int64]) throws -> Profile {
        var w = ProtoWriter()
        w.message(1) { $0.int(1, 1); $0.int(2, 2) }
        w.message(1) { $0.int(1, 3); $0.int(2, 4) }
        w.message(2) { $0.packed(1, [2, 1]); $0.packed(2, first.map { UInt64(bitPattern: $0) }) }
        w.message(2) { $0.packed(1, [1]); $0.packed(2, second.map { UInt64(bitPattern: $0) }) }
        for l in 1 ... 2 {
            w.message(4) { location in
                location.uint(1, UInt64(l))
                location.message(4) { $0.uint(1, UInt64(l)); $0.int(2, Int64(l)) }
            }
        }
        w.message(5) { $0.uint(1, 1); $0.int(2, 5); $0.int(4, 7) }
        w.message(5) { $0.uint(1, 2); $0.int(2, 6); $0.int(4, 7) }
        for s in ["", "samples", "count", "cpu", "nanoseconds", "main", "hot", "main.go"] { w.string(6, s) }
        return try ProfileParser.decode(w.bytes).profile
    }

    /// (flat, cum) of `main` and `hot` for both types, from an index of functions.
    static func costs(_ profiles: [Profile], weights: [Int64]) throws -> [[Int64]] {
        let index = CostIndex.build(profiles, weights: weights, detail: .functions)
        let main = try #require(index.functionKey("main"))
        let hot = try #require(index.functionKey("hot"))
        return [main, hot].flatMap { key in
            (0 ..< 2).map { [index.flat(function: key, type: $0), index.cum(function: key, type: $0)] }
        }
    }

    @Test func oneValuePerFunctionWhileProportional() throws {
        let cpu = try Self.profile([3, 30], [2, 20])
        let index = CostIndex.build([cpu], detail: .functions)
        #expect(index.functionFlat.ratios == [1, 10])
        #expect(try Self.costs([cpu], weights: [1]) == [[2, 5], [20, 50], [3, 3], [30, 30]])
        // A baseline with the same ratios keeps the layout; the differences are exact.
        let base = try Self.profile([1, 10], [4, 40])
        #expect(CostIndex.build([cpu, base], weights: [1, -1], detail: .functions).functionFlat.ratios == [1, 10])
        #expect(try Self.costs([cpu, base], weights: [1, -1]) == [[-2, 0], [-20, 0], [2, 2], [20, 20]])
    }

    @Test(arguments: [
        ([Int64(1), 20], [Int64(4), 80]),   // proportional, other ratios (another sampling period)
        ([Int64(1), 7], [Int64(4), 80]),    // not proportional
    ])
    func anotherProfileWidensTheValues(first: [Int64], second: [Int64]) throws {
        let cpu = try Self.profile([3, 30], [2, 20])
        let other = try Self.profile(first, second)
        let index = CostIndex.build([cpu, other], weights: [1, 1], detail: .functions)
        #expect(index.functionFlat.ratios == nil)
        let expected: [[Int64]] = [
            [2 + second[0], 5 + first[0] + second[0]], [20 + second[1], 50 + first[1] + second[1]],
            [3 + first[0], 3 + first[0]], [30 + first[1], 30 + first[1]],
        ]
        #expect(try Self.costs([cpu, other], weights: [1, 1]) == expected)
        // In either order.
        let reversed = try Self.costs([other, cpu], weights: [1, 1])
        #expect(reversed == expected)
        // And as the index of lines counts them.
        let lines = CostIndex.build([cpu, other], weights: [1, 1], detail: .lines)
        let hot = try #require(lines.functionKey("hot"))
        #expect([lines.flat(function: hot, type: 1), lines.cum(function: hot, type: 1)] == [30 + first[1], 30 + first[1]])
    }
}
