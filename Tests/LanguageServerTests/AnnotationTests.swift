import Foundation
import Testing
import TestSupport

/// What the editor shows, on the goshop workspace, through the real transport.
@Suite struct AnnotationTests {
    /// Hovers at every marker of the fixture sources, against a golden file
    /// (`PROFILELENS_UPDATE_GOLDEN=1` rewrites it).
    @Test func hoverAtEveryMarker() throws {
        let workspace = GoshopWorkspace()
        let client = workspace.client()
        var transcript = ""
        for file in GoshopWorkspace.markedFiles {
            for (marker, position) in (workspace.markers[file] ?? [:]).sorted(by: { $0.value.line < $1.value.line }) {
                let text = client.hover(workspace.path(file), line: position.line) ?? "(no hover)"
                transcript += "== \(file) \(marker) line \(position.line + 1)\n\(text)\n"
            }
        }
        #expect(Golden.compare(transcript, name: "hover-goshop.txt") == nil)
        #expect(transcript.contains("**CPU** 230ms self · 960ms total (89.7%)"))
        #expect(client.shutdownAndExit() == 0)
    }

    @Test func plainTextHoverForClientsWithoutMarkdown() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient()
        client.initialize(root: workspace.root, options: workspace.options, capabilities: [:])
        client.waitForLoad()
        let result = client.result("textDocument/hover", ["textDocument": ["uri": workspace.uri("pricing/pricing.go")], "position": ["line": 17, "character": 0]]) as? [String: Any]
        let contents = try #require(result?["contents"] as? [String: Any])
        #expect(contents["kind"] as? String == "plaintext")
        #expect((contents["value"] as? String)?.hasPrefix("CPU 230ms self · 960ms total (89.7%)") == true)
    }

    @Test func codeLensesSitOnDeclarationsAndJumpToTheHottestLine() throws {
        let workspace = GoshopWorkspace()
        let client = workspace.client()
        let lenses = try #require(client.result("textDocument/codeLens", ["textDocument": ["uri": workspace.uri("pricing/pricing.go")]]) as? [[String: Any]])
        let summary = lenses.map { lens -> String in
            let line = ((lens["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int ?? -1
            let command = lens["command"] as? [String: Any]
            let target = ((command?["arguments"] as? [[String: Any]])?.first?["line"] as? Int) ?? -1
            return "\(line):\(command?["title"] as? String ?? ""):\(target)"
        }
        #expect(summary == ["6:CPU 960ms (89.7%):9", "14:CPU 960ms (89.7%):17"])
        let inventory = try #require(client.result("textDocument/codeLens", ["textDocument": ["uri": workspace.uri("inventory/inventory.go")]]) as? [[String: Any]])
        #expect((inventory.first?["command"] as? [String: Any])?["title"] as? String == "Alloc 6.67MB (20.6%) · inuse 256.19kB · lock 3.54ms · block 4.12ms")
        // Running the lens's command opens the line.
        let before = client.serverRequests.count
        let command = try #require(lenses[1]["command"] as? [String: Any])
        _ = client.result("workspace/executeCommand", ["command": command["command"]!, "arguments": command["arguments"]!])
        let show = try #require(client.waitForServerRequest("window/showDocument", after: before))
        #expect(((((show["params"] as? [String: Any])?["selection"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int) == 17)
    }

    @Test func inlayHintsOnHotLinesAboveTheThreshold() throws {
        let workspace = GoshopWorkspace()
        let client = workspace.client()
        let range: [String: Any] = ["start": ["line": 0, "character": 0], "end": ["line": 40, "character": 0]]
        let hints = try #require(client.result("textDocument/inlayHint", ["textDocument": ["uri": workspace.uri("pricing/pricing.go")], "range": range]) as? [[String: Any]])
        let summary = hints.map { hint -> String in
            let position = hint["position"] as? [String: Any]
            return "\(position?["line"] as? Int ?? -1):\(position?["character"] as? Int ?? -1) \(hint["label"] as? String ?? "")"
        }
        #expect(summary == ["9:43 . │ 960ms", "17:69 230ms │ 960ms"])
        // A threshold above the share hides them.
        client.notify("workspace/didChangeConfiguration", ["settings": ["profilelens": ["hintThreshold": 95]]])
        let none = client.result("textDocument/inlayHint", ["textDocument": ["uri": workspace.uri("pricing/pricing.go")], "range": range]) as? [Any]
        #expect(none?.isEmpty == true)
    }

    @Test func workspaceSymbolsHottestFirst() throws {
        let workspace = GoshopWorkspace()
        let client = workspace.client()
        let symbols = try #require(client.result("workspace/symbol", ["query": ""]) as? [[String: Any]])
        let local = symbols.filter { (($0["location"] as? [String: Any])?["uri"] as? String)?.hasPrefix("file://" + workspace.root) ?? false }
        #expect(local.first?["name"] as? String == "example.com/goshop/pricing.discount")
        #expect(local.first?["containerName"] as? String == "CPU 230ms self · 960ms total (89.7%)")
        let filtered = try #require(client.result("workspace/symbol", ["query": "quote"]) as? [[String: Any]])
        #expect(filtered.map { $0["name"] as? String } == ["example.com/goshop/pricing.Quote"])
    }

    @Test func hottestCommandOpensTheHottestFunction() throws {
        let workspace = GoshopWorkspace()
        let client = workspace.client()
        let before = client.serverRequests.count
        let location = try #require(client.result("workspace/executeCommand", ["command": "profilelens.hottest", "arguments": [["scope": "workspace"]]]) as? [String: Any])
        #expect(location["uri"] as? String == workspace.uri("pricing/pricing.go"))
        #expect(((location["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int == 17)
        #expect(client.waitForServerRequest("window/showDocument", after: before) != nil)
        // Per document, and per kind.
        let inventory = try #require(client.result("workspace/executeCommand", ["command": "profilelens.hottest", "arguments": [["scope": workspace.uri("inventory/inventory.go"), "kind": "alloc"]]]) as? [String: Any])
        #expect(((inventory["range"] as? [String: Any])?["start"] as? [String: Any])?["line"] as? Int == 21)
    }

    @Test func hottestWithoutShowDocumentSaysWhere() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient()
        client.initialize(root: workspace.root, options: workspace.options, capabilities: [:])
        client.waitForLoad()
        _ = client.result("workspace/executeCommand", ["command": "profilelens.hottest", "arguments": [["scope": "workspace"]]])
        let message = try #require(client.waitForNotification("window/showMessage"))
        #expect((message["params"] as? [String: Any])?["message"] as? String == "ProfileLens: hottest CPU function example.com/goshop/pricing.discount at pricing/pricing.go:18")
        #expect(!client.serverRequests.contains { $0["method"] as? String == "window/showDocument" })
    }

    @Test func selectKindSwitchesLensesAndRefreshes() throws {
        let workspace = GoshopWorkspace()
        let client = workspace.client()
        let before = client.serverRequests.count
        let result = try #require(client.result("workspace/executeCommand", ["command": "profilelens.selectKind", "arguments": [["kind": "alloc"]]]) as? [String: Any])
        #expect(result["kind"] as? String == "alloc")
        #expect(client.waitForServerRequest("workspace/codeLens/refresh", after: before) != nil)
        let lenses = try #require(client.result("textDocument/codeLens", ["textDocument": ["uri": workspace.uri("inventory/inventory.go")]]) as? [[String: Any]])
        #expect(((lenses.first?["command"] as? [String: Any])?["title"] as? String)?.hasPrefix("Alloc 6.67MB (20.6%)") == true)
        // No argument cycles to the next kind.
        let next = client.result("workspace/executeCommand", ["command": "profilelens.selectKind"]) as? [String: Any]
        #expect(next?["kind"] as? String == "inuse")
    }

    @Test func diagnosticsWhenEnabled() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient()
        var options = workspace.options
        options["diagnostics"] = true
        client.initialize(root: workspace.root, options: options)
        client.waitForLoad()
        client.open(workspace.path("pricing/pricing.go"))
        let published = try #require(client.waitForNotification("textDocument/publishDiagnostics") { message in
            !((message["params"] as? [String: Any])?["diagnostics"] as? [Any] ?? []).isEmpty
        })
        let diagnostics = try #require((published["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { $0["message"] as? String } == ["CPU 960ms total (89.7%)", "CPU 230ms self · 960ms total (89.7%)"])
        #expect(diagnostics.allSatisfy { $0["severity"] as? Int == 3 })
    }
}

/// Commands sent before the first load has finished wait for it.
@Suite struct StartupTests {
    @Test func hottestRightAfterStartWaitsForTheProfiles() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient()
        client.initialize(root: workspace.root, options: workspace.options)
        let location = client.result("workspace/executeCommand", ["command": "profilelens.hottest", "arguments": [["scope": "workspace"]]]) as? [String: Any]
        #expect(location?["uri"] as? String == workspace.uri("pricing/pricing.go"))
    }
}
