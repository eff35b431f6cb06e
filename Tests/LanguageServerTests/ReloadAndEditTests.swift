import Foundation
import LanguageServerProtocol
import ProfileModel
import Testing
import TestSupport

/// Annotations follow new profiles and buffer edits.
@Suite struct ReloadAndEditTests {
    @Test func replacingAProfileRefreshesTheEditor() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        let pricing = workspace.path("pricing/pricing.go")
        #expect(try client.hover(pricing, line: 17)?.contains("230ms self · 960ms total") == true)
        let before = client.peer.requestsReceived.count
        // Replace the cpu profile the way profilers and `cp` do: write aside, rename over.
        let incoming = workspace.profiles + "/.incoming"
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"), toPath: incoming)
        _ = rename(incoming, workspace.profiles + "/cpu.pb.gz")
        #expect(client.peer.waitForRequest(CodeLensRefreshRequest.self, after: before, timeout: 15) != nil)
        #expect(client.peer.waitForRequest(InlayHintRefreshRequest.self, after: before) != nil)
        // The trimpath build names example.com/goshop/...; go.mod maps it.
        let hover = client.waitForHover(pricing, line: 17) { $0.contains("100ms self · 650ms total") }
        #expect(hover?.contains("100ms self · 650ms total") == true)
    }

    @Test func aBrokenNewProfileKeepsTheLastGoodOne() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        FileWriter.write(workspace.profiles + "/.broken", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0])
        _ = rename(workspace.profiles + "/.broken", workspace.profiles + "/cpu.pb.gz")
        let message = try #require(client.peer.waitForNotification(ShowMessageNotification.self, timeout: 15))
        #expect(message.type == .warning)
        #expect(message.message.contains("cpu.pb.gz"))
        #expect(message.message.contains("keeping its previous version"))
        #expect(try client.hover(workspace.path("pricing/pricing.go"), line: 17)?.contains("230ms self · 960ms total") == true)
    }

    @Test func aNewProfileInTheFolderIsPickedUp() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        let inventory = workspace.path("inventory/inventory.go")
        #expect(try client.hover(inventory, line: 21) == nil)
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/allocs.pb.gz"), toPath: workspace.profiles + "/allocs.pb.gz")
        #expect(client.waitForLoad(generation: 2))
        #expect(try client.hover(inventory, line: 21)?.contains("5.92MB self · 6.67MB total") == true)
    }

    @Test func reloadCommandAnswersWhenLoaded() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        let generation = client.loadedGeneration
        let status = try client.command("profilelens.reload")
        #expect(client.loadedGeneration == generation + 1)
        #expect(status["kinds"] == ["cpu"])
        #expect(status["summary"]?.stringValue?.hasPrefix("1 profile: CPU 1.07s") == true)
    }

    @Test func editsAboveALineMoveItsAnnotation() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        let pricing = workspace.path("pricing/pricing.go")
        client.edit(pricing, version: 2, from: (0, 0), to: (0, 0), text: "// one\n// two\n")
        #expect(try client.hover(pricing, line: 19)?.contains("230ms self · 960ms total") == true)
        #expect(try client.hover(pricing, line: 17) == nil)
        #expect(try client.codeLenses(pricing).map(\.range.start.line) == [8, 16])
        // Symbols and the hottest command follow the edit too.
        let symbol = try client.send(WorkspaceSymbolRequest(query: "discount")).first
        #expect(symbol?.location.range.start.line == 19)
        #expect(try client.command("profilelens.hottest", ["scope": "workspace"])["range"]?["start"]?["line"]?.numberValue == 19)
        // Editing the hot line itself hides its numbers rather than showing wrong ones.
        client.edit(pricing, version: 3, from: (19, 2), to: (19, 4), text: "t ")
        #expect(try client.hover(pricing, line: 19)?.contains("edited after the profile was loaded") == true)
        // A jump to it still lands where its text now is, not on the old numbering's line 17.
        #expect(try client.command("profilelens.hottest", ["scope": "workspace"])["range"]?["start"]?["line"]?.numberValue == 19)
        #expect(try client.inlayHints(pricing, lines: 0 ... 50).map(\.position.line) == [11])
        // Deleting the two added lines brings everything back.
        client.edit(pricing, version: 4, from: (0, 0), to: (2, 0), text: "")
        #expect(try client.codeLenses(pricing).map(\.range.start.line) == [6, 14])
    }

    /// Typing a character on a hot line and undoing it brings the line's costs back, as does
    /// an editor that sends the undo as the whole text, or deletes and retypes a whole line.
    @Test func undoRestoresTheCosts() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        let pricing = workspace.path("pricing/pricing.go")
        let original = try String(contentsOfFile: pricing, encoding: .utf8)
        let hot = 17
        client.edit(pricing, version: 2, from: (hot, 1), to: (hot, 1), text: "x")
        #expect(try client.hover(pricing, line: hot)?.contains("edited after the profile was loaded") == true)
        client.edit(pricing, version: 3, from: (hot, 1), to: (hot, 2), text: "")
        #expect(try client.hover(pricing, line: hot)?.contains("230ms self · 960ms total") == true)
        #expect(try client.inlayHints(pricing, lines: 0 ... 50).contains { $0.position.line == hot })
        // A whole-text undo (some editors send the buffer after an undo).
        client.edit(pricing, version: 4, from: (hot, 1), to: (hot, 1), text: "y")
        #expect(try client.hover(pricing, line: hot)?.contains("edited") == true)
        client.send(DidChangeTextDocumentNotification(textDocument: VersionedTextDocumentIdentifier(uri: workspace.uri("pricing/pricing.go"), version: 5),
                                                      contentChanges: [.init(range: nil, text: original)]))
        #expect(try client.hover(pricing, line: hot)?.contains("230ms self · 960ms total") == true)
        // A line deleted and typed back, with lines inserted above meanwhile.
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        client.edit(pricing, version: 6, from: (hot, 0), to: (hot + 1, 0), text: "")
        client.edit(pricing, version: 7, from: (0, 0), to: (0, 0), text: "// note\n")
        #expect(try client.hover(pricing, line: hot + 1)?.contains("230ms self") != true)
        client.edit(pricing, version: 8, from: (hot + 1, 0), to: (hot + 1, 0), text: String(lines[hot]) + "\n")
        #expect(try client.hover(pricing, line: hot + 1)?.contains("230ms self · 960ms total") == true)
        // Typing a different line in its place does not bring the numbers back.
        client.edit(pricing, version: 9, from: (hot + 1, 0), to: (hot + 1, 0), text: "\tx := 1 // new\n")
        #expect(try client.hover(pricing, line: hot + 1)?.contains("230ms") != true)
        #expect(try client.hover(pricing, line: hot + 2)?.contains("230ms self · 960ms total") == true)
    }

    @Test func wholeTextChangesKeepUnchangedLines() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        let pricing = workspace.path("pricing/pricing.go")
        let text = try String(contentsOfFile: pricing, encoding: .utf8)
        client.send(DidChangeTextDocumentNotification(textDocument: VersionedTextDocumentIdentifier(uri: workspace.uri("pricing/pricing.go"), version: 2),
                                                      contentChanges: [.init(range: nil, text: "// added\n" + text)]))
        #expect(try client.hover(pricing, line: 18)?.contains("230ms self · 960ms total") == true)
        #expect(try client.hover(pricing, line: 17) == nil)
    }

    @Test func zeroConfigurationFindsProfilesInTheWorkspace() throws {
        let root = Fixtures.goshopWorkspace()
        try FileManager.default.createDirectory(atPath: root + "/profiles", withIntermediateDirectories: true)
        for kind in ["cpu", "mutex"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/\(kind).pb.gz"), toPath: root + "/profiles/\(kind).pb.gz")
        }
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/block.pb.gz"), toPath: root + "/block.pprof")
        FileWriter.write(root + "/profiles/notes.txt", Array("not a profile".utf8))
        let client = TestLSPClient()
        try client.initialize(root: root)
        client.waitForLoad()
        let status = try client.command("profilelens.status")
        let profiles = status["profiles"]?.arrayValue?.compactMap(\.stringValue).map { ($0 as NSString).lastPathComponent }
        #expect(profiles?.sorted() == ["block.pprof", "cpu.pb.gz", "mutex.pb.gz"])
        #expect(status["kinds"] == ["cpu", "mutex", "block"])
        // No mapping given: the suffix match finds the files.
        #expect(try client.hover(root + "/pricing/pricing.go", line: 17)?.contains("230ms self · 960ms total") == true)
    }
}

/// How the server learns that profiles changed, and what it tells the client meanwhile.
@Suite struct WatchingTests {
    @Test func pollingFallbackSeesAReplacedProfile() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client(configure: { $0.useInotify = false })
        let before = client.peer.requestsReceived.count
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"), toPath: workspace.profiles + "/.next")
        _ = rename(workspace.profiles + "/.next", workspace.profiles + "/cpu.pb.gz")
        #expect(client.peer.waitForRequest(CodeLensRefreshRequest.self, after: before, timeout: 15) != nil)
        let hover = client.waitForHover(workspace.path("pricing/pricing.go"), line: 17) { $0.contains("100ms self · 650ms total") }
        #expect(hover?.contains("100ms self · 650ms total") == true)
    }

    @Test func theClientIsAskedToWatchAndItsEventsReload() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client()
        let registration = try #require(client.peer.waitForRequest(RegisterCapabilityRequest.self))
        #expect(registration.registrations.first?.method == DidChangeWatchedFilesNotification.method)
        let patterns = registration.registrations.first?.registerOptions?["watchers"]?.arrayValue?.compactMap { $0["globPattern"]?.stringValue }
        #expect(patterns?.contains(workspace.profiles + "/*") == true)
        let before = client.peer.requestsReceived.count
        client.send(DidChangeWatchedFilesNotification(changes: [.init(uri: TestLSPClient.uri(workspace.profiles + "/cpu.pb.gz"), type: .changed)]))
        #expect(client.peer.waitForRequest(CodeLensRefreshRequest.self, after: before) != nil)
    }

    @Test func longLoadsReportProgress() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client(configure: { $0.progressDelay = 0 })
        #expect(client.peer.waitForNotification(ProgressNotification.self) { $0.value.kind == .end } != nil)
        #expect(client.peer.requestsReceived.contains { $0.method == CreateWorkDoneProgressRequest.method })
    }

    @Test func staleSourcesAreFlagged() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let path = workspace.path("pricing/pricing.go")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3600)], ofItemAtPath: path)
        let client = try workspace.client()
        #expect(try client.hover(path, line: 17)?.contains("pricing.go was modified") == true)
        let untouched = try #require(try client.hover(workspace.path("main.go"), line: 30))
        #expect(!untouched.contains("was modified"))
    }
}

/// What the editor shows where numbers would mislead (issue #9).
@Suite struct MisleadingNumbersTests {
    /// A file edited after the profile (costs on a comment, a blank line, a brace) shows why it
    /// has no numbers instead of showing them on the wrong lines.
    @Test func aSourceThatDoesNotMatchShowsWhyNotNumbers() throws {
        let root = Fixtures.temporaryDirectory("shop")
        for file in ["main.go", "cart/cart.go", "cart/tax.go"] {
            try FileManager.default.createDirectory(atPath: (root + "/" + file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Fixtures.path("parity/src/shop/" + file), toPath: root + "/" + file)
        }
        let client = TestLSPClient()
        try client.initialize(root: root, options: ["profiles": [.string(Fixtures.path("parity/go-version-mismatch.pb"))],
                                                    "pathMappings": [["from": "/home/runner/work/shop/shop", "to": .string(root)]]])
        client.waitForLoad()
        let tax = try #require(try client.hover(root + "/cart/tax.go", line: 5))
        #expect(tax.contains("the source does not match the profile"))
        #expect(!tax.contains("ms"))
        #expect(try client.codeLenses(root + "/cart/tax.go").isEmpty)
        #expect(try client.hover(root + "/cart/cart.go", line: 10)?.contains("CPU") == true)
        let status = try client.command("profilelens.status")
        #expect(status["sourceMismatches"]?[root + "/cart/tax.go"] != nil)
        // The Go 1.20.3 runtime of the profile is not this machine's Go: never mapped.
        let notes = status["unmappedNotes"]?["/opt/hostedtoolcache/go/1.20.3/x64/src/runtime/malloc.go"]?.stringValue
        if PathMapper.localGoRoot() != nil, let local = PathMapper.localGoVersion(), !local.isCompatible(with: GoVersion("1.20.3")!) {
            #expect(notes?.contains("built with Go 1.20.3") == true)
        }
    }

    /// A kind declared but never filled (.NET lock_time) never hides another profile's costs.
    @Test func aKindWithoutValuesDoesNotHideAnother() throws {
        let client = TestLSPClient()
        try client.initialize(root: Fixtures.temporaryDirectory(), options: ["profiles": [
            .string(Fixtures.path("parity/zero-valued-type.dotnet.pb")), .string(Fixtures.path("parity/zero-valued-type.go-mutex.pb")),
        ]])
        client.waitForLoad()
        let status = try client.command("profilelens.status")
        #expect(status["kinds"]?.arrayValue?.contains("mutex") == true)
        #expect(status["programs"]?.arrayValue?.count == 2)
    }
}
