import Foundation
import Testing
import TestSupport

/// The protocol's rules and the transport's robustness, message by message.
@Suite struct ProtocolTests {
    func errorCode(_ response: [String: Any]?) -> Int? {
        (response?["error"] as? [String: Any])?["code"] as? Int
    }

    @Test func capabilitiesAdvertiseWhatWorks() throws {
        let client = TestLSPClient()
        let response = try #require(client.initialize(root: Fixtures.temporaryDirectory()))
        let capabilities = try #require((response["result"] as? [String: Any])?["capabilities"] as? [String: Any])
        #expect(capabilities["hoverProvider"] as? Bool == true)
        #expect(capabilities["inlayHintProvider"] as? Bool == true)
        #expect(capabilities["workspaceSymbolProvider"] as? Bool == true)
        #expect((capabilities["textDocumentSync"] as? [String: Any])?["change"] as? Int == 2)
        let commands = (capabilities["executeCommandProvider"] as? [String: Any])?["commands"] as? [String]
        #expect(commands?.contains("profilelens.hottest") == true)
        #expect(capabilities["definitionProvider"] == nil)
    }

    @Test func requestsBeforeInitializeAndAfterShutdown() throws {
        let client = TestLSPClient()
        #expect(errorCode(client.request("workspace/symbol", ["query": ""])) == -32002)
        client.initialize(root: Fixtures.temporaryDirectory())
        #expect(errorCode(client.request("initialize", ["capabilities": [String: Any]()])) == -32600)
        #expect(client.request("shutdown", nil)?["result"] is NSNull)
        #expect(errorCode(client.request("workspace/symbol", ["query": ""])) == -32600)
        client.notify("exit", nil)
        #expect(client.waitForExit() == 0)
    }

    @Test func exitWithoutShutdownIsAnError() {
        let client = TestLSPClient()
        client.initialize(root: Fixtures.temporaryDirectory())
        client.notify("exit", nil)
        #expect(client.waitForExit() == 1)
    }

    @Test func endOfInputExits() {
        let client = TestLSPClient()
        client.initialize(root: Fixtures.temporaryDirectory())
        _ = client.request("shutdown", nil)
        client.closeInput()
        #expect(client.waitForExit() == 0)
    }

    @Test func badMessagesGetErrorsAndTheServerGoesOn() throws {
        let client = TestLSPClient()
        client.initialize(root: Fixtures.temporaryDirectory())
        client.writeRaw(Array("Content-Length: 9\r\n\r\n{not json".utf8))
        #expect(errorCode(client.nullIDResponse(after: 0)) == -32700)
        client.writeRaw(Array("Content-Length: 7\r\n\r\n[1,2,3]".utf8))
        #expect(errorCode(client.nullIDResponse(after: 1)) == -32600)
        client.writeRaw(Array("Content-Length: 0\r\n\r\n".utf8))
        #expect(errorCode(client.nullIDResponse(after: 2)) == -32700)
        #expect(errorCode(client.request("no/such", [String: Any]())) == -32601)
        #expect(errorCode(client.request("textDocument/hover", ["textDocument": 42])) == -32602)
        // Positions outside the document are no error, just nothing to show.
        let uri = "file:///nonexistent/x.go"
        client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "go", "version": 1, "text": "a\nb\n"]])
        #expect(client.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": -5, "character": -1]])?["result"] is NSNull)
        #expect(client.request("textDocument/hover", ["textDocument": ["uri": uri], "position": ["line": 1_000_000_000, "character": 0]])?["result"] is NSNull)
        #expect(client.request("textDocument/inlayHint", ["textDocument": ["uri": uri], "range": ["start": ["line": 9, "character": 0], "end": ["line": -3, "character": 0]]])?["result"] is [Any])
        #expect(errorCode(client.request("workspace/executeCommand", ["command": "profilelens.nope"])) == -32602)
        // A notification sent with an id is refused; an unknown notification is ignored.
        #expect(errorCode(client.request("initialized", [String: Any]())) == -32600)
        client.notify("no/suchNotification", [String: Any]())
        #expect(client.request("workspace/symbol", ["query": ""])?["result"] is [Any])
    }

    @Test(arguments: [
        "Content-Length: -5\r\n\r\n",
        "Content-Length: 0x10\r\n\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "Content-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\"}",
        "Content-Length: 99999999999999\r\n\r\n",
        "garbage without any header at all\r\n\r\n",
    ])
    func badHeadersAreSkipped(header: String) throws {
        let client = TestLSPClient()
        client.initialize(root: Fixtures.temporaryDirectory())
        client.writeRaw(Array(header.utf8))
        #expect(client.request("workspace/symbol", ["query": ""])?["result"] is [Any], "after \(header.debugDescription)")
    }

    @Test func framingAcrossReadsAndSeveralMessagesPerRead() throws {
        let client = TestLSPClient()
        client.initialize(root: Fixtures.temporaryDirectory())
        func framed(_ id: Int) -> [UInt8] {
            let body = Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"workspace/symbol","params":{"query":""}}"#.utf8)
            return Array("X-Unknown: yes\r\nContent-Length: \(body.count)\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n".utf8) + body
        }
        let split = framed(101)
        for byte in split { client.writeRaw([byte]) }
        #expect(client.response("101")?["result"] is [Any])
        client.writeRaw(framed(102) + framed(103) + framed(104))
        for id in ["102", "103", "104"] { #expect(client.response(id)?["result"] is [Any]) }
    }

    @Test func oversizedMessagesAreRefusedWithoutBeingRead() throws {
        let client = TestLSPClient(maxContentLength: 1024)
        client.initialize(root: Fixtures.temporaryDirectory())
        let body = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"\(String(repeating: "a", count: 4000))\"}"
        client.writeRaw(Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        #expect(client.request("workspace/symbol", ["query": ""])?["result"] is [Any])
    }

    @Test func cancellingAWaitingRequestAnswersRequestCancelled() throws {
        let client = TestLSPClient()
        client.initialize(root: Fixtures.temporaryDirectory())
        // Hold the server's queue so the request is still waiting when the cancellation arrives.
        client.server.queue.suspend()
        let id = client.sendRequest("workspace/symbol", ["query": ""])
        client.notify("$/cancelRequest", ["id": Int(id)!])
        Thread.sleep(forTimeInterval: 0.2)
        client.server.queue.resume()
        #expect(errorCode(client.response(id)) == -32800)
        // Cancelling finished and unknown requests changes nothing.
        let done = client.sendRequest("workspace/symbol", ["query": ""])
        #expect(client.response(done)?["result"] is [Any])
        client.notify("$/cancelRequest", ["id": Int(done)!])
        client.notify("$/cancelRequest", ["id": 999_999])
        client.notify("$/cancelRequest", ["id": "no such id"])
        #expect(client.request("workspace/symbol", ["query": ""])?["result"] is [Any])
    }

    @Test func aClientThatStopsReadingDoesNotGrowOurMemory() throws {
        let client = TestLSPClient()
        client.connection.highWaterMark = 64 * 1024
        client.initialize(root: Fixtures.temporaryDirectory())
        client.reading = false
        // Large answers, many requests; the pipe fills, then the backlog, then we stop reading.
        let writer = Thread {
            for _ in 0 ..< 2000 { client.sendRequest("workspace/executeCommand", ["command": "profilelens.status"]) }
        }
        writer.start()
        Thread.sleep(forTimeInterval: 1.0)
        let backlog = client.connection.backlogBytes
        Thread.sleep(forTimeInterval: 0.5)
        // Bounded by the mark plus the answers to requests already taken in, and not growing.
        #expect(backlog <= 64 * 1024 + 64 * 1024, "backlog \(backlog)")
        #expect(client.connection.backlogBytes == backlog)
        client.reading = true
        #expect(client.response("2001", timeout: 30) != nil)
    }
}
