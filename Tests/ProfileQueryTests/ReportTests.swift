import Testing
import TestSupport
import PprofFormat
import ProfileModel
@testable import ProfileQuery

/// The terminal reports, against golden files (`PROFILELENS_UPDATE_GOLDEN=1` rewrites them).
@Suite struct ReportTests {
    @Test func topOfTheGoshopCPUProfile() throws {
        let cpu = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/cpu.pb.gz"))
        let report = TopReport(index: CostIndex.build([cpu.profile]), type: 1, limit: 10)
        #expect(report.rows.first?.function == "math.sin")
        #expect(Golden.compare(report.text(profileCount: 1), name: "top-goshop-cpu.txt") == nil)
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
