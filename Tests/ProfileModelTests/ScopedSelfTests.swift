import Testing
import TestSupport
@testable import PprofFormat
@testable import ProfileModel

/// Each sample's value lands at its deepest frame in scope. The expectations were computed from
/// goshop's block profile by walking every sample's stack (Python and protobuf).
@Suite struct ScopedSelfTests {
    @Test func blockDelayLandsAtTheUsersLines() throws {
        let block = try ProfileFile.load(Fixtures.path("corpus/goshop/profiles/block.pb.gz")).profile
        let delay = ValueType(type: "delay", unit: "nanoseconds")
        let inWorkspace: (String) -> Bool = { $0.hasPrefix("/home/ci/work/goshop/") }
        let lines = ScopedSelf.lines([block], weights: [1], sampleType: delay, fileName: { $0 }, inScope: inWorkspace)
            .sorted { $0.value > $1.value }
        #expect(lines.prefix(2).map { "\(FilePath.lastComponent($0.file)):\($0.line)" } == ["pipeline.go:12", "main.go:36"])
        #expect(lines.prefix(2).map(\.value) == [10_731_895_764, 3_028_510_591])
        #expect(lines.first?.function == "example.com/goshop/pipeline.Run")
        // A baseline's weight subtracts: the profile against itself leaves nothing.
        #expect(ScopedSelf.lines([block, block], weights: [1, -1], sampleType: delay, fileName: { $0 }, inScope: inWorkspace).isEmpty)
        // Out of scope everywhere: nothing lands.
        #expect(ScopedSelf.lines([block], weights: [1], sampleType: delay, fileName: { $0 }, inScope: { _ in false }).isEmpty)
    }
}
