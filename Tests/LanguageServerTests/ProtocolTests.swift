import Foundation
import JSONRPC
import LanguageServerProtocol
import Testing
import TestSupport

/// The protocol's rules as the server applies them, message by message. (The transport's own
/// rules, framing and back-pressure, are tested in JSONRPCTests.)
@Suite struct ProtocolTests {
    func errorCode(_ body: () throws -> Void) -> Int? {
        do {
            try body()
            return nil
        } catch TestPeerError.response(let error) {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func capabilitiesAdvertiseWhatWorks() throws {
        let client = TestLSPClient()
        let result = try client.initialize(root: Fixtures.temporaryDirectory())
        let capabilities = result.capabilities
        #expect(capabilities.hoverProvider)
        #expect(capabilities.inlayHintProvider)
        #expect(capabilities.workspaceSymbolProvider)
        #expect(capabilities.textDocumentSync.change == .incremental)
        #expect(capabilities.executeCommandProvider.commands.contains("profilelens.hottest"))
        #expect(result.serverInfo.name == "profilelens")
        // Nothing is advertised that is not implemented.
        let raw = try #require(client.peer.response("1")?.json["result"] as? [String: Any])
        #expect((raw["capabilities"] as? [String: Any])?["definitionProvider"] == nil)
    }

    @Test func requestsBeforeInitializeAndAfterShutdown() throws {
        let client = TestLSPClient()
        #expect(errorCode { _ = try client.send(WorkspaceSymbolRequest(query: "")) } == ErrorCode.serverNotInitialized.rawValue)
        try client.initialize(root: Fixtures.temporaryDirectory())
        #expect(errorCode { _ = try client.send(InitializeRequest(rootUri: nil)) } == ErrorCode.invalidRequest.rawValue)
        _ = try client.send(ShutdownRequest())
        #expect(errorCode { _ = try client.send(WorkspaceSymbolRequest(query: "")) } == ErrorCode.invalidRequest.rawValue)
        client.send(ExitNotification())
        #expect(client.waitForExit() == 0)
    }

    @Test func exitWithoutShutdownIsAnError() throws {
        let client = TestLSPClient()
        try client.initialize(root: Fixtures.temporaryDirectory())
        client.send(ExitNotification())
        #expect(client.waitForExit() == 1)
    }

    @Test func endOfInputExits() throws {
        let client = TestLSPClient()
        try client.initialize(root: Fixtures.temporaryDirectory())
        _ = try client.send(ShutdownRequest())
        client.peer.closeInput()
        #expect(client.waitForExit() == 0)
    }

    @Test func badRequestsGetErrorsAndTheServerGoesOn() throws {
        let client = TestLSPClient()
        try client.initialize(root: Fixtures.temporaryDirectory())
        let peer = client.peer
        #expect(peer.response(peer.sendRequest("no/such", [String: Any]()))?.errorCode == ErrorCode.methodNotFound.rawValue)
        let badParams = peer.response(peer.sendRequest("textDocument/hover", ["textDocument": 42]))
        #expect(badParams?.errorCode == ErrorCode.invalidParams.rawValue)
        #expect((badParams?.json["error"] as? [String: Any])?["message"] as? String == "invalid params for textDocument/hover: expected Dictionary<String, Any> at params.textDocument")
        // Positions outside the document are no error, just nothing to show.
        let path = "/nonexistent/x.go"
        client.open(path, text: "a\nb\n")
        #expect(try client.hover(path, line: -5, character: -1) == nil)
        #expect(try client.hover(path, line: 1_000_000_000) == nil)
        let hints = try client.send(InlayHintRequest(textDocument: TextDocumentIdentifier(uri: TestLSPClient.uri(path)),
                                                     range: Range(start: Position(line: 9, character: 0), end: Position(line: -3, character: 0))))
        #expect(hints.isEmpty)
        #expect(errorCode { _ = try client.command("profilelens.nope") } == ErrorCode.invalidParams.rawValue)
        // A notification sent with an id is refused; an unknown notification is ignored.
        #expect(peer.response(peer.sendRequest("initialized", [String: Any]()))?.errorCode == ErrorCode.invalidRequest.rawValue)
        peer.writeMessage(["jsonrpc": "2.0", "method": "no/suchNotification", "params": [String: Any]()])
        #expect(try client.send(WorkspaceSymbolRequest(query: "")).isEmpty)
        let ignored = peer.waitForNotification(LogMessageNotification.self) { $0.message == "ignored unknown notification no/suchNotification" }
        #expect(ignored?.type == .log)
    }

    /// The transport marks a request cancelled when `$/cancelRequest` arrives before the server
    /// has run it (tested in JSONRPCTests); the server then answers RequestCancelled.
    @Test func aCancelledRequestIsNotRun() throws {
        let client = TestLSPClient()
        try client.initialize(root: Fixtures.temporaryDirectory())
        let answered = NSCondition()
        nonisolated(unsafe) var answer: Result<Data, ResponseError>?
        let reply = RequestReply(id: .number(99), method: WorkspaceSymbolRequest.method) { result in
            answered.withLock {
                answer = result
                answered.broadcast()
            }
        }
        reply.cancel()
        let message = Data(#"{"jsonrpc":"2.0","id":99,"method":"workspace/symbol","params":{"query":""}}"#.utf8)
        client.server.handle(request: WorkspaceSymbolRequest.method, message: message, reply: reply)
        let deadline = Date().addingTimeInterval(5)
        answered.withLock { while answer == nil, answered.wait(until: deadline) {} }
        #expect(throws: ResponseError.cancelled) { try answer?.get() }
    }
}
