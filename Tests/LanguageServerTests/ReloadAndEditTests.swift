import Foundation
import Testing
import TestSupport

/// Annotations follow new profiles and buffer edits.
@Suite struct ReloadAndEditTests {
    @Test func replacingAProfileRefreshesTheEditor() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = workspace.client()
        #expect(client.hover(workspace.path("pricing/pricing.go"), line: 17)?.contains("230ms self · 960ms total") == true)
        let before = client.serverRequests.count
        // Replace the cpu profile the way profilers and `cp` do: write aside, rename over.
        let incoming = workspace.profiles + "/.incoming"
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"), toPath: incoming)
        _ = rename(incoming, workspace.profiles + "/cpu.pb.gz")
        #expect(client.waitForServerRequest("workspace/codeLens/refresh", after: before, timeout: 15) != nil)
        #expect(client.waitForServerRequest("workspace/inlayHint/refresh", after: before) != nil)
        // The trimpath build names example.com/goshop/...; go.mod maps it.
        #expect(client.hover(workspace.path("pricing/pricing.go"), line: 17)?.contains("100ms self · 650ms total") == true)
    }

    @Test func aBrokenNewProfileKeepsTheLastGoodOne() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = workspace.client()
        let before = client.serverRequests.count
        FileWriter.write(workspace.profiles + "/.broken", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0])
        _ = rename(workspace.profiles + "/.broken", workspace.profiles + "/cpu.pb.gz")
        let message = try #require(client.waitForNotification("window/showMessage", timeout: 15))
        #expect(((message["params"] as? [String: Any])?["message"] as? String)?.contains("keeping its previous version") == true)
        #expect(client.hover(workspace.path("pricing/pricing.go"), line: 17)?.contains("230ms self · 960ms total") == true)
        _ = client.waitForServerRequest("workspace/codeLens/refresh", after: before)
    }

    @Test func aNewProfileInTheFolderIsPickedUp() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = workspace.client()
        #expect(client.hover(workspace.path("inventory/inventory.go"), line: 21) == nil)
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/allocs.pb.gz"), toPath: workspace.profiles + "/allocs.pb.gz")
        #expect(client.waitForLoad(count: 2))
        #expect(client.hover(workspace.path("inventory/inventory.go"), line: 21)?.contains("5.92MB self · 6.67MB total") == true)
    }

    @Test func reloadCommandAnswersWhenLoaded() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = workspace.client()
        let status = try #require(client.result("workspace/executeCommand", ["command": "profilelens.reload"]) as? [String: Any])
        #expect(status["kinds"] as? [String] == ["cpu"])
        #expect((status["summary"] as? String)?.hasPrefix("1 profile: CPU 1.07s") == true)
    }

    @Test func editsAboveALineMoveItsAnnotation() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = workspace.client()
        let uri = workspace.uri("pricing/pricing.go")
        client.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 2],
                                                 "contentChanges": [["range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]],
                                                                     "text": "// one\n// two\n"]]])
        #expect(client.hover(workspace.path("pricing/pricing.go"), line: 19)?.contains("230ms self · 960ms total") == true)
        #expect(client.hover(workspace.path("pricing/pricing.go"), line: 17) == nil)
        let lenses = client.result("textDocument/codeLens", ["textDocument": ["uri": uri]]) as? [[String: Any]]
        #expect(lenses?.compactMap { (($0["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int } == [8, 16])
        // Editing the hot line itself hides its numbers rather than showing wrong ones.
        client.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 3],
                                                 "contentChanges": [["range": ["start": ["line": 19, "character": 2], "end": ["line": 19, "character": 4]],
                                                                     "text": "t "]]])
        let hover = client.hover(workspace.path("pricing/pricing.go"), line: 19)
        #expect(hover?.contains("edited after the profile was loaded") == true)
        let hints = client.result("textDocument/inlayHint", ["textDocument": ["uri": uri], "range": ["start": ["line": 0, "character": 0], "end": ["line": 50, "character": 0]]]) as? [[String: Any]]
        #expect(hints?.compactMap { ($0["position"] as? [String: Any])?["line"] as? Int } == [11])
        // Deleting the two added lines brings everything back.
        client.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": 4],
                                                 "contentChanges": [["range": ["start": ["line": 0, "character": 0], "end": ["line": 2, "character": 0]], "text": ""]]])
        let lensesAfter = client.result("textDocument/codeLens", ["textDocument": ["uri": uri]]) as? [[String: Any]]
        #expect(lensesAfter?.compactMap { (($0["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int } == [6, 14])
    }

    @Test func wholeTextChangesKeepUnchangedLines() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = workspace.client()
        let path = workspace.path("pricing/pricing.go")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        client.notify("textDocument/didChange", ["textDocument": ["uri": workspace.uri("pricing/pricing.go"), "version": 2],
                                                 "contentChanges": [["text": "// added\n" + text]]])
        #expect(client.hover(path, line: 18)?.contains("230ms self · 960ms total") == true)
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
        client.initialize(root: root)
        client.waitForLoad()
        let status = try #require(client.result("workspace/executeCommand", ["command": "profilelens.status"]) as? [String: Any])
        #expect((status["profiles"] as? [String])?.map { ($0 as NSString).lastPathComponent }.sorted() == ["block.pprof", "cpu.pb.gz", "mutex.pb.gz"])
        #expect(status["kinds"] as? [String] == ["cpu", "mutex", "block"])
        // No mapping given: the suffix match finds the files.
        #expect(client.hover(root + "/pricing/pricing.go", line: 17)?.contains("230ms self · 960ms total") == true)
    }
}

/// How the server learns that profiles changed, and what it tells the client meanwhile.
@Suite struct WatchingTests {
    @Test func pollingFallbackSeesAReplacedProfile() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient(configure: { $0.useInotify = false })
        client.initialize(root: workspace.root, options: workspace.options)
        client.waitForLoad()
        let before = client.serverRequests.count
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"), toPath: workspace.profiles + "/.next")
        _ = rename(workspace.profiles + "/.next", workspace.profiles + "/cpu.pb.gz")
        #expect(client.waitForServerRequest("workspace/codeLens/refresh", after: before, timeout: 15) != nil)
        #expect(client.hover(workspace.path("pricing/pricing.go"), line: 17)?.contains("100ms self · 650ms total") == true)
    }

    @Test func theClientIsAskedToWatchAndItsEventsReload() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = workspace.client()
        let registration = try #require(client.waitForServerRequest("client/registerCapability"))
        let text = String(describing: registration["params"] ?? "")
        #expect(text.contains("workspace/didChangeWatchedFiles"))
        #expect(text.contains(workspace.profiles))
        let before = client.serverRequests.count
        client.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": "file://" + workspace.profiles + "/cpu.pb.gz", "type": 2]]])
        #expect(client.waitForServerRequest("workspace/codeLens/refresh", after: before) != nil)
    }

    @Test func longLoadsReportProgress() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient(configure: { $0.progressDelay = 0 })
        client.initialize(root: workspace.root, options: workspace.options)
        client.waitForLoad()
        let end = client.waitForNotification("$/progress") { (($0["params"] as? [String: Any])?["value"] as? [String: Any])?["kind"] as? String == "end" }
        #expect(end != nil)
        #expect(client.serverRequests.contains { $0["method"] as? String == "window/workDoneProgress/create" })
    }

    @Test func staleSourcesAreFlagged() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let path = workspace.path("pricing/pricing.go")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3600)], ofItemAtPath: path)
        let client = workspace.client()
        #expect(client.hover(path, line: 17)?.contains("pricing.go was modified") == true)
        let untouched = try #require(client.hover(workspace.path("main.go"), line: 30))
        #expect(!untouched.contains("was modified"))
    }
}
