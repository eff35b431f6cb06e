import Foundation
import LanguageServerProtocol
import Testing
import TestSupport

/// What the editor shows, on the goshop workspace, through the real transport.
@Suite struct AnnotationTests {
    /// The data-driven check: for one marked fixture file, the hover at every marker (at the
    /// marker's line and column) and the file with its lenses and hints drawn in, against
    /// `Tests/Fixtures/golden/annotations-<name>.txt` (`PROFILELENS_UPDATE_GOLDEN=1` rewrites it).
    func check(_ file: String, in workspace: GoshopWorkspace, client: TestLSPClient,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        var transcript = ""
        for (marker, position) in (workspace.markers[file] ?? [:]).sorted(by: { $0.value.line < $1.value.line }) {
            let text = try client.hover(workspace.path(file), line: position.line, character: position.column) ?? "(no hover)"
            transcript += "== hover at \(marker) line \(position.line + 1) column \(position.column + 1)\n\(text)\n"
        }
        let lenses = try client.codeLenses(workspace.path(file))
        let hints = try client.inlayHints(workspace.path(file))
        transcript += "== lenses and hints\n" + AnnotatedSource.render(workspace.texts[file] ?? "", lenses: lenses, hints: hints) + "\n"
        let name = "annotations-" + file.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".go", with: "") + ".txt"
        let difference = Golden.compare(transcript, name: name)
        #expect(difference == nil, "\(difference ?? "")", sourceLocation: sourceLocation)
    }

    @Test(arguments: GoshopWorkspace.markedFiles)
    func annotationsOfEveryMarkedFile(file: String) throws {
        let workspace = GoshopWorkspace()
        let client = try workspace.client()
        try check(file, in: workspace, client: client)
        #expect(client.shutdownAndExit() == 0)
    }

    /// The numbers the goldens hold, pinned independently of them: pprof -list's for line 18.
    @Test func theHottestLineShowsPprofsNumbers() throws {
        let workspace = GoshopWorkspace()
        let client = try workspace.client()
        let marker = try #require(workspace.markers["pricing/pricing.go"]?["4️⃣"])
        let text = try #require(try client.hover(workspace.path("pricing/pricing.go"), line: marker.line, character: marker.column))
        #expect(text.hasPrefix("**CPU** 230ms self · 960ms total (89.7%)"))
        #expect(text.contains("_from cpu.pb.gz_"))
    }

    /// Two builds of one program loaded together are two programs: a line only the second
    /// one's profile has shows its numbers, and the hover names that profile, not the first's.
    @Test func aHoverNamesTheProfileItsNumbersCameFrom() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let trimmed = workspace.profiles + "/trim-cpu.pb.gz"
        try FileManager.default.copyItem(atPath: Fixtures.path("corpus/goshop/profiles/trimpath/cpu.pb.gz"), toPath: trimmed)
        let client = try workspace.client(options: ["profiles": [.string(workspace.profiles + "/cpu.pb.gz"), .string(trimmed)]])
        let pricing = workspace.path("pricing/pricing.go")
        let discount = try #require(try client.hover(pricing, line: 17))
        #expect(discount.contains("230ms self · 960ms total") && discount.contains("_from cpu.pb.gz"), "\(discount)")
        // Checksum's loop (lines 28 to 30): only the trimpath build's profile has samples there.
        let checksum = try #require((27 ... 29).lazy.compactMap { try? client.hover(pricing, line: $0) }.first)
        #expect(checksum.contains("_from trim-cpu.pb.gz"), "\(checksum)")
    }

    @Test func plainTextHoverForClientsWithoutMarkdown() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client(capabilities: [:])
        let hover = try #require(try client.send(HoverRequest(textDocument: TextDocumentIdentifier(uri: workspace.uri("pricing/pricing.go")),
                                                              position: Position(line: 17, character: 4))))
        #expect(hover.contents.kind == .plaintext)
        #expect(hover.contents.value.hasPrefix("CPU 230ms self · 960ms total (89.7%)"))
    }

    @Test func codeLensesSitOnDeclarationsAndJumpToTheHottestLine() throws {
        let workspace = GoshopWorkspace()
        let client = try workspace.client()
        let lenses = try client.codeLenses(workspace.path("pricing/pricing.go"))
        let summary = lenses.map { lens in
            "\(lens.range.start.line):\(lens.command?.title ?? ""):\(lens.command?.arguments?.first?["line"]?.numberValue ?? -1)"
        }
        #expect(summary == ["6:CPU 960ms (89.7%):9.0", "14:CPU 960ms (89.7%):17.0"])
        // Lenses are sent resolved; resolving one gives it back unchanged.
        #expect(try client.send(CodeLensResolveRequest(lens: lenses[0])) == lenses[0])
        let inventory = try client.codeLenses(workspace.path("inventory/inventory.go"))
        #expect(inventory.first?.command?.title == "Alloc 6.67MB (20.6%) · inuse 256.19kB · lock 3.54ms · block 4.12ms")
        // Running the lens's command opens the line.
        let before = client.peer.requestsReceived.count
        let command = try #require(lenses[1].command)
        _ = try client.send(ExecuteCommandRequest(command: command.command, arguments: command.arguments))
        let show = try #require(client.peer.waitForRequest(ShowDocumentRequest.self, after: before))
        #expect(show.selection?.start.line == 17)
    }

    @Test func inlayHintsOnHotLinesAboveTheThreshold() throws {
        let workspace = GoshopWorkspace()
        let client = try workspace.client()
        let hints = try client.inlayHints(workspace.path("pricing/pricing.go"), lines: 0 ... 40)
        #expect(hints.map { "\($0.position.line):\($0.position.character) \($0.label)" } == ["9:43 . │ 960ms", "17:69 230ms │ 960ms"])
        // A threshold above the share hides them.
        client.send(DidChangeConfigurationNotification(settings: ["profilelens": ["hintThreshold": 95]]))
        #expect(try client.inlayHints(workspace.path("pricing/pricing.go"), lines: 0 ... 40).isEmpty)
    }

    @Test func workspaceSymbolsHottestFirst() throws {
        let workspace = GoshopWorkspace()
        let client = try workspace.client()
        let symbols = try client.send(WorkspaceSymbolRequest(query: ""))
        let local = symbols.filter { $0.location.uri.string.hasPrefix("file://" + workspace.root) }
        #expect(local.first?.name == "example.com/goshop/pricing.discount")
        #expect(local.first?.kind == .function)
        #expect(local.first?.containerName == "CPU 230ms self · 960ms total (89.7%)")
        let filtered = try client.send(WorkspaceSymbolRequest(query: "quote"))
        #expect(filtered.map(\.name) == ["example.com/goshop/pricing.Quote"])
    }

    @Test func hottestCommandOpensTheHottestFunction() throws {
        let workspace = GoshopWorkspace()
        let client = try workspace.client()
        let before = client.peer.requestsReceived.count
        let location = try client.command("profilelens.hottest", ["scope": "workspace"])
        #expect(location["uri"]?.stringValue == workspace.uri("pricing/pricing.go").string)
        #expect(location["range"]?["start"]?["line"]?.numberValue == 17)
        #expect(client.peer.waitForRequest(ShowDocumentRequest.self, after: before) != nil)
        // Per document, and per kind.
        // Allocations count at the user's line that led to them: Render's WriteString (20.3MB,
        // strings.Builder growing) before Add's Sprintf line (7MB, 5.92MB of it its own).
        let inventory = try client.command("profilelens.hottest", ["scope": .string(workspace.uri("inventory/inventory.go").string), "kind": "alloc"])
        #expect(inventory["range"]?["start"]?["line"]?.numberValue == 34)
        // A block profile's delay is all in the runtime (chanrecv, semacquire): the hottest line
        // is the user's line that waits longest, pipeline.go:12's send (10.73s), not the
        // workspace function with the most self delay (inventory.go, 4.12ms).
        let block = try client.command("profilelens.hottest", ["scope": "workspace", "kind": "block"])
        #expect(block["uri"]?.stringValue == workspace.uri("pipeline/pipeline.go").string, "\(block)")
        #expect(block["range"]?["start"]?["line"]?.numberValue == 11)
    }

    @Test func hottestWithoutShowDocumentSaysWhere() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client(capabilities: [:])
        _ = try client.command("profilelens.hottest", ["scope": "workspace"])
        let message = try #require(client.peer.waitForNotification(ShowMessageNotification.self))
        #expect(message.message == "ProfileLens: hottest CPU function example.com/goshop/pricing.discount at pricing/pricing.go:18")
        #expect(!client.peer.requestsReceived.contains { $0.method == ShowDocumentRequest.method })
    }

    @Test func selectKindSwitchesLensesAndRefreshes() throws {
        let workspace = GoshopWorkspace()
        let client = try workspace.client()
        let before = client.peer.requestsReceived.count
        let result = try client.command("profilelens.selectKind", ["kind": "alloc"])
        #expect(result["kind"]?.stringValue == "alloc")
        #expect(client.peer.waitForRequest(CodeLensRefreshRequest.self, after: before) != nil)
        let lenses = try client.codeLenses(workspace.path("inventory/inventory.go"))
        #expect(lenses.first?.command?.title.hasPrefix("Alloc 6.67MB (20.6%)") == true)
        // No argument cycles to the next kind.
        #expect(try client.command("profilelens.selectKind")["kind"]?.stringValue == "inuse")
        // A sample type names its kind, as the error for an unknown name says.
        #expect(try client.command("profilelens.selectKind", ["kind": "alloc_objects"])["kind"]?.stringValue == "alloc")
        #expect(try client.command("profilelens.selectKind", ["kind": "delay"])["kind"]?.stringValue == "mutex")
        #expect(try client.command("profilelens.selectKind", ["kind": "inuse_space"])["kind"]?.stringValue == "inuse")
    }

    @Test func diagnosticsWhenEnabled() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = try workspace.client(options: ["diagnostics": true])
        let published = try #require(client.peer.waitForNotification(PublishDiagnosticsNotification.self) {
            $0.uri == workspace.uri("pricing/pricing.go") && !$0.diagnostics.isEmpty
        })
        #expect(published.diagnostics.map(\.message) == ["CPU 960ms total (89.7%)", "CPU 230ms self · 960ms total (89.7%)"])
        #expect(published.diagnostics.map(\.range.start.line) == [9, 17])
        #expect(published.diagnostics.allSatisfy { $0.severity == .information })
    }
}

/// Commands sent before the first load has finished wait for it.
@Suite struct StartupTests {
    @Test func hottestRightAfterStartWaitsForTheProfiles() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient()
        try client.initialize(root: workspace.root, options: workspace.options)
        let location = try client.command("profilelens.hottest", ["scope": "workspace"])
        #expect(location["uri"]?.stringValue == workspace.uri("pricing/pricing.go").string)
    }
}
