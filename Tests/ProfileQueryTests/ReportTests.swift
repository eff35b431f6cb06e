import Testing
import TestSupport
import PprofFormat
import ProfileModel
@testable import ProfileQuery

/// The terminal reports, against golden files (`PROFILELENS_UPDATE_GOLDEN=1` rewrites them).
@Suite struct ReportTests {
    @Test func topOfTheGoshopCPUProfile() throws {
        let cpu = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))
        let set = MappedProfiles.build([cpu], mapper: nil).profileSet
        let report = TopReport.of(set.groups[0], profiles: [cpu.profile], type: 1, limit: 15).report
        #expect(report.rows.first?.function == "math.sin")
        // One unit for the whole report, as pprof chooses it: seconds, with 10ms as 0.01s.
        #expect(report.outputUnit == "s")
        #expect(report.rows.first { $0.function == "math.Sin" }?.inline == "inline")
        let text = report.text().split(separator: "\n").filter { !$0.hasPrefix("Time:") }.joined(separator: "\n")
        #expect(Golden.compare(text, name: "top-goshop-cpu.txt") == nil)
    }

    @Test func listOfDiscount() throws {
        let workspace = Fixtures.goshopWorkspace()
        let cpu = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))
        let mapped = MappedProfiles.build([cpu], mapper: PathMapper(workspace: WorkspaceFiles(root: workspace)))
        let report = ListReport.functions(in: mapped.profileSet.groups[0].index, type: 1, source: SourceText.lines(ofFile:)) { $0.hasSuffix("pricing.discount") }
        let text = report.text().replacingOccurrences(of: workspace, with: "$WS")
        #expect(Golden.compare(text, name: "list-goshop-discount.txt") == nil)
        #expect(report.routines.first?.lines.first { $0.line == 18 }?.flat == 230_000_000)
    }
}
