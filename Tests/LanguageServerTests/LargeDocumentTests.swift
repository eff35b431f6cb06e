import Foundation
import LanguageServerProtocol
import Testing
import TestSupport

/// A document of tens of megabytes that no profile mentions (a generated file) must cost next
/// to nothing, and never hold other requests behind its `didOpen` or `didChange`.
@Suite struct LargeDocumentTests {
    /// About 30 MB in 600,000 lines.
    static let generated: String = {
        var text = ""
        text.reserveCapacity(32 << 20)
        for i in 0 ..< 600_000 { text += "var generatedValue\(i) = \"\(String(repeating: "x", count: 24))\" // line \(i)\n" }
        return text
    }()

    @Test func aLargeDocumentDoesNotHoldOtherRequests() throws {
        let workspace = GoshopWorkspace(profiles: ["cpu"])
        let client = TestLSPClient(maxContentLength: 256 << 20)
        try client.initialize(root: workspace.root, options: workspace.options)
        client.waitForLoad()
        let pricing = workspace.path("pricing/pricing.go")
        client.open(pricing)
        #expect(try client.hover(pricing, line: 17)?.contains("230ms self · 960ms total") == true)

        let big = workspace.path("generated/tables.go")
        let text = Self.generated
        #expect(text.utf8.count > 25 << 20)
        client.open(big, text: text)
        // Edits to the big document, then to pricing.go, queue up behind the open.
        client.edit(big, version: 2, from: (0, 0), to: (0, 0), text: "// edited\n")
        client.send(DidChangeTextDocumentNotification(textDocument: VersionedTextDocumentIdentifier(uri: TestLSPClient.uri(big), version: 3),
                                                      contentChanges: [.init(range: nil, text: "// replaced\n" + text)]))
        client.edit(big, version: 4, from: (300_000, 4), to: (300_000, 9), text: "changed")
        let started = ContinuousClock.now
        let hover = try client.hover(pricing, line: 17)
        let waited = ContinuousClock.now - started
        #expect(hover?.contains("230ms self · 960ms total") == true)
        // The hover waits for the transport to read past the big messages, not for them to be
        // decoded and split.
        #expect(waited < .seconds(3), "hover took \(waited)")
        // Edits to a normal document made meanwhile still apply in order.
        client.edit(pricing, version: 2, from: (0, 0), to: (0, 0), text: "// one\n// two\n")
        #expect(try client.hover(pricing, line: 19)?.contains("230ms self · 960ms total") == true)
        #expect(try client.hover(pricing, line: 17) == nil)
        // The big document answers too, once its own messages are done: it has no costs.
        let bigDocument = TextDocumentIdentifier(uri: TestLSPClient.uri(big))
        #expect(try client.send(HoverRequest(textDocument: bigDocument, position: Position(line: 300_000, character: 4)), timeout: 120) == nil)
        #expect(try client.send(CodeLensRequest(textDocument: bigDocument), timeout: 60).isEmpty)
        client.send(DidCloseTextDocumentNotification(textDocument: TextDocumentIdentifier(uri: TestLSPClient.uri(big))))
        #expect(try client.hover(pricing, line: 19)?.contains("230ms self · 960ms total") == true)
    }
}
