import Foundation
import Testing
import TestSupport
import PprofFormat
@testable import ProfileModel

/// Every corpus profile gives exactly the numbers an independent implementation computed
/// (`Tests/Fixtures/corpus/expected`, see the corpus README): totals, and flat and cum per
/// line and per function for every sample type.
@Suite struct OracleTests {
    /// The corpus, and the parity fixtures (`Tests/Fixtures/parity/NAME.expected.json`): an
    /// unsymbolized leaf, negative values, stripped binaries, ties, inlining, recursion.
    static let cases: [(String, String)] = {
        let corpus = Fixtures.corpusProfiles().map { ("corpus/" + $0.profile.replacingOccurrences(of: Fixtures.corpus + "/", with: ""), $0.expected) }
        let folder = Fixtures.path("parity")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let parity = names.filter { $0.hasSuffix(".pb") }.sorted().compactMap { name -> (String, String)? in
            let expected = folder + "/" + name.dropLast(3) + ".expected.json"
            return FileManager.default.fileExists(atPath: expected) ? ("parity/" + name, expected) : nil
        }
        return corpus + parity
    }()

    @Test(arguments: cases)
    func matchesTheOracle(profile: String, expectedPath: String) throws {
        let expected = try ExpectedCosts(expectedPath)
        let loaded = try ProfileFile.load(Fixtures.path(profile))
        let index = CostIndex.build([loaded.profile])
        #expect(index.sampleTypes.map { [$0.type, $0.unit] } == expected.sampleTypes)
        #expect(index.totals == expected.totals)
        let types = 0 ..< index.typeCount
        var compared = 0
        for (file, byLine) in expected.lines where !file.isEmpty {
            let fileKey = try #require(index.fileKey(file), "\(file) missing")
            for (line, row) in byLine {
                guard let number = Int64(line), number > 0 else { continue }
                let key = try #require(index.lineKey(file: fileKey, line: number), "\(file):\(line) missing")
                #expect(types.map { index.flat(line: key, type: $0) } == row.map { $0[0] }, "\(file):\(line) flat")
                #expect(types.map { index.cum(line: key, type: $0) } == row.map { $0[1] }, "\(file):\(line) cum")
                compared += 1
            }
        }
        // No line the oracle does not know has a cost.
        for key in index.lines where types.contains(where: { index.cum(line: key, type: $0) != 0 }) {
            let file = index.fileName(index.file(ofLine: key))
            #expect(expected.lines[file]?[String(index.lineNumber(key))] != nil, "extra line \(file):\(index.lineNumber(key))")
        }
        for (name, row) in expected.functions where !name.isEmpty {
            let key = try #require(index.functionKey(name), "function \(name) missing")
            #expect(types.map { index.flat(function: key, type: $0) } == row.map { $0[0] }, "\(name) flat")
            #expect(types.map { index.cum(function: key, type: $0) } == row.map { $0[1] }, "\(name) cum")
        }
        let comparable = expected.lines.filter { !$0.key.isEmpty }.values.reduce(0) { $0 + $1.keys.filter { (Int64($0) ?? 0) > 0 }.count }
        #expect(compared == comparable)
    }

    @Test func recursionCountsOncePerSample() {
        var p = TestProfile()
        let a = TestProfile.Frame("f", "/x.go", 5)
        let b = TestProfile.Frame("g", "/x.go", 9)
        p.samples = [([[a], [b], [a], [b], [a]], [1, 10])]
        let profile = try! ProfileParser.decode(p.encode()).profile
        let index = CostIndex.build([profile])
        let file = index.fileKey("/x.go")!
        let line5 = index.lineKey(file: file, line: 5)!
        #expect(index.cum(line: line5, type: 1) == 10)
        #expect(index.flat(line: line5, type: 1) == 10)
        #expect(index.cum(function: index.functionKey("g")!, type: 1) == 10)
        #expect(index.flat(function: index.functionKey("g")!, type: 1) == 0)
    }

    @Test func inlinedFramesShareALocation() {
        var p = TestProfile()
        let inner = TestProfile.Frame("inlined", "/x.go", 30)
        let outer = TestProfile.Frame("caller", "/x.go", 12)
        p.samples = [([[inner, outer]], [1, 7])]
        let index = CostIndex.build([try! ProfileParser.decode(p.encode()).profile])
        let file = index.fileKey("/x.go")!
        #expect(index.flat(line: index.lineKey(file: file, line: 30)!, type: 1) == 7)
        #expect(index.flat(line: index.lineKey(file: file, line: 12)!, type: 1) == 0)
        #expect(index.cum(line: index.lineKey(file: file, line: 12)!, type: 1) == 7)
    }

    @Test func deepRecursiveStacksCountOnce() throws {
        var p = TestProfile()
        let frame = TestProfile.Frame("recurse", "/r.go", 7)
        p.samples = [(Array(repeating: [frame], count: 100_000), [1, 10])]
        let index = CostIndex.build([try ProfileParser.decode(p.encode()).profile])
        let file = try #require(index.fileKey("/r.go"))
        let line = try #require(index.lineKey(file: file, line: 7))
        #expect(index.cum(line: line, type: 1) == 10)
        #expect(index.flat(line: line, type: 1) == 10)
    }

    @Test func mergingProfilesSumsValues() throws {
        let cpu = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz")).profile
        let once = CostIndex.build([cpu])
        let twice = CostIndex.build([cpu, cpu])
        #expect(twice.totals == once.totals.map { $0 * 2 })
        let name = "example.com/goshop/pricing.discount"
        #expect(twice.cum(function: twice.functionKey(name)!, type: 1) == 2 * once.cum(function: once.functionKey(name)!, type: 1))
    }

    @Test func differentSampleTypesFormAUnion() throws {
        let cpu = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz")).profile
        let mutex = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/mutex.pb.gz")).profile
        let index = CostIndex.build([cpu, mutex])
        #expect(index.sampleTypes.map(\.type) == ["samples", "cpu", "contentions", "delay"])
        #expect(index.totals[0] == CostIndex.build([cpu]).totals[0])
        #expect(index.totals[3] == CostIndex.build([mutex]).totals[1])
    }
}
