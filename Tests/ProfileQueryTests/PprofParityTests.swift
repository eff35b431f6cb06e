import Foundation
import Testing
import TestSupport
import PprofFormat
import ProfileModel
@testable import ProfileQuery

/// `top` against what `go tool pprof -top` printed for each fixture of `Tests/Fixtures/parity`
/// (`NAME.pprof-top.txt`: `-nodecount=15`; `-n3`: `-nodecount=3`; `-TYPE`: `-sample_index=TYPE`).
/// The header lines must be pprof's (but `Time:`, which depends on the time zone), and every
/// row the same name, values, percentages and inline mark; ProfileLens's `file:line` column
/// after the name is its own.
@Suite struct PprofParityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let golden: String
        let profile: String
        let limit: Int
        let type: String?

        var testDescription: String { golden }
    }

    static var cases: [Case] {
        let folder = Fixtures.path("parity")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var cases: [Case] = []
        for golden in names.sorted() where golden.contains(".pprof-top") && golden.hasSuffix(".txt") {
            // Addresses granularity and pprof's merging of several files are not `top`'s.
            if golden.contains("-addresses") || golden.contains(".merged-") { continue }
            let stem = String(golden[..<golden.range(of: ".pprof-top")!.lowerBound])
            let variant = golden.dropFirst(stem.count + ".pprof-top".count).dropLast(".txt".count)
            guard let profile = names.first(where: { $0.hasPrefix(stem + ".") && !$0.contains(".pprof-") && !$0.hasSuffix(".json") }) else { continue }
            let option = variant.hasPrefix("-") ? String(variant.dropFirst()) : ""
            cases.append(Case(golden: golden, profile: profile, limit: option == "n3" ? 3 : 15,
                              type: option.isEmpty || option == "n3" ? nil : option))
        }
        return cases
    }

    /// Fixtures of formats or rules not read yet; each must fail until it is done.
    static let pending: Set<String> = []

    @Test(arguments: cases)
    func topPrintsWhatPprofPrints(_ test: Case) throws {
        let expected = try String(contentsOfFile: Fixtures.path("parity/" + test.golden), encoding: .utf8)
        if Self.pending.contains(test.profile) {
            withKnownIssue { try check(test, expected: expected) }
        } else {
            try check(test, expected: expected)
        }
    }

    func check(_ test: Case, expected: String) throws {
        let loaded = try ProfileFile.load(Fixtures.path("parity/" + test.profile))
        let set = MappedProfiles.build([loaded], mapper: nil).profileSet
        let choice = try SampleTypeChoice.choose(test.type, in: set)
        let (report, warnings) = TopReport.of(set.groups[choice.group], profiles: [loaded.profile], type: choice.type, limit: test.limit)
        #expect(warnings.isEmpty)
        let ours = PprofTopText.parse(report.text())
        let pprof = PprofTopText.parse(expected)
        #expect(ours.header == pprof.header, "\(test.golden): header")
        #expect(ours.rows == pprof.rows, "\(test.golden): rows")
    }
}
