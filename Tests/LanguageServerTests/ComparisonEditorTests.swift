import Foundation
import LanguageServerProtocol
import Testing
import TestSupport

/// What the editor shows when comparing against a baseline (issue #11), on liveshop: its CPU in
/// Alpha (the baseline) and in Alpha and Beta (now).
@Suite struct ComparisonEditorTests {
    func client(mode: String = "absolute") throws -> (TestLSPClient, String) {
        let root = Fixtures.temporaryDirectory("liveshop")
        let source = Fixtures.path("corpus/liveshop/src")
        for file in ["go.mod", "main.go", "hot/hot.go", "cache/cache.go"] {
            try FileManager.default.createDirectory(atPath: (root + "/" + file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: root + "/" + file)
        }
        let profiles = Fixtures.path("corpus/liveshop/profiles/")
        let client = TestLSPClient()
        try client.initialize(root: root, options: [
            "profiles": [.string(profiles + "mixed.cpu.pb.gz")], "baseline": [.string(profiles + "alpha.cpu.pb.gz")],
            "pathMappings": [["from": "/home/ci/work/liveshop", "to": .string(root)]], "diffMode": .string(mode),
        ])
        client.waitForLoad()
        client.open(root + "/hot/hot.go")
        return (client, root + "/hot/hot.go")
    }

    @Test func hoversLensesAndHintsShowTheChange() throws {
        let (client, hot) = try client()
        // hot.go:10 is Alpha's hot line, 19 Beta's (new: no cost in the baseline).
        let alpha = try #require(try client.hover(hot, line: 9))
        #expect(alpha.contains("-70ms") && alpha.contains("vs baseline"))
        #expect(alpha.contains("compared with alpha.cpu.pb.gz"))
        let beta = try #require(try client.hover(hot, line: 18))
        #expect(beta.contains("240ms total") && beta.contains(" · new"))
        let titles = try client.codeLenses(hot).compactMap(\.command?.title)
        #expect(titles.contains { $0.contains("new (+0.24s)") })
        let hints = try client.inlayHints(hot)
        #expect(hints.first { $0.position.line == 9 }?.label == "Δ -70ms")
        #expect(hints.first { $0.position.line == 18 }?.label == "new 240ms")
    }

    @Test func hottestByIncreaseAndTheToggle() throws {
        let (client, hot) = try client()
        let grew = try client.command("profilelens.hottest", ["scope": "workspace", "kind": "cpu", "by": "increase"])
        #expect(grew["uri"]?.stringValue?.hasSuffix("/hot/hot.go") == true)
        #expect(grew["range"]?["start"]?["line"]?.numberValue == 18)
        let fell = try client.command("profilelens.hottest", ["scope": "workspace", "kind": "cpu", "by": "decrease"])
        #expect(fell["range"]?["start"]?["line"]?.numberValue != 18)
        #expect(try client.command("profilelens.status")["comparing"] == .bool(true))
        #expect(try client.command("profilelens.toggleBaseline")["comparing"] == .bool(false))
        let plain = try #require(try client.hover(hot, line: 9))
        #expect(!plain.contains("vs baseline") && plain.contains("CPU"))
        #expect(try client.inlayHints(hot).allSatisfy { !$0.label.hasPrefix("Δ") })
        _ = try client.command("profilelens.toggleBaseline")
        #expect(try client.hover(hot, line: 9)?.contains("vs baseline") == true)
    }

    @Test func shareModeShowsPercentagePoints() throws {
        let (client, hot) = try client(mode: "share")
        let alpha = try #require(try client.hover(hot, line: 9))
        #expect(alpha.contains("pp vs baseline"))
        #expect(try client.inlayHints(hot).first { $0.position.line == 9 }?.label.hasSuffix("pp") == true)
    }
}

/// What the editor shows for a series of heap snapshots (issue #12).
@Suite struct TimelineEditorTests {
    @Test func sparklinesGrowingLensesAndWindows() throws {
        let root = LiveshopWorkspace().root
        let client = TestLSPClient()
        try client.initialize(root: root, options: ["profiles": [.string(Fixtures.path("corpus/liveshop/profiles/heaps"))],
                                                    "pathMappings": [["from": "/home/ci/work/liveshop", "to": .string(root)]]])
        client.waitForLoad()
        let cache = root + "/cache/cache.go"
        client.open(cache)
        let leak = try #require(try client.hover(cache, line: 39))
        #expect(leak.contains("5.20MB total"))          // the latest snapshot's in-use, not a sum
        #expect(leak.contains("In-use ▁") && leak.contains("· growing"))
        let titles = try client.codeLenses(cache).map { ($0.range.start.line, $0.command?.title ?? "") }
        #expect(titles.contains { $0.1.contains("In-use +") && $0.1.contains("· growing") })
        #expect(!titles.contains { $0.0 == 18 && $0.1.contains("growing") })  // Steady
        let suspect = try client.command("profilelens.hottest", ["scope": "workspace", "kind": "inuse", "by": "growth"])
        #expect(suspect["range"]?["start"]?["line"]?.numberValue == 39)
        let peak = try client.command("profilelens.selectWindow", ["at": "peak"])
        #expect(peak["window"]?.stringValue?.contains("the In-use peak") == true)
        #expect(try client.hover(cache, line: 39)?.contains("showing the In-use peak") == true)
        let first = try client.command("profilelens.selectWindow", ["at": 0])
        #expect(first["window"]?.stringValue?.hasSuffix("point 1 of 12, at the start of the series") == true, "\(first)")
        // Twelve points are 0 to 11: 12 is a mistake, said so, and the window stays.
        #expect(throws: (any Error).self) { try client.command("profilelens.selectWindow", ["at": 12]) }
        #expect(try client.hover(cache, line: 39)?.contains("point 1 of 12") == true)
        _ = try client.command("profilelens.selectWindow", ["at": "all"])
        #expect(try client.hover(cache, line: 39)?.contains("showing") == false)
        // The peak is the selected kind's: allocations, counted since the process started,
        // peak at the last snapshot, where the leak's line holds 5.20MB.
        _ = try client.command("profilelens.selectWindow", ["at": "peak"])
        #expect(try client.hover(cache, line: 39)?.contains("5.20MB total") == false)
        _ = try client.command("profilelens.selectKind", ["kind": "alloc"])
        let atAllocPeak = try #require(try client.hover(cache, line: 39))
        #expect(atAllocPeak.contains("Alloc peak") && atAllocPeak.contains("5.20MB total"), "\(atAllocPeak)")
    }
}
