import Foundation
import JSONRPC
import LanguageServerProtocol
import SystemIO
import Testing
import TestSupport

/// A handler that knows nothing of ProfileLens, to show that the transport needs nothing else:
/// `echo` answers its params, `drop` never answers, `twice` answers twice, `hold` waits until
/// released; notifications are recorded.
final class EchoHandler: MessageHandler, @unchecked Sendable {
    let queue = DispatchQueue(label: "echo")
    private let condition = NSCondition()
    private var notifications: [String] = []
    private var closed = false

    struct Params: Codable { var text: String? }

    func handle(notification method: String, message: Data) {
        condition.withLock {
            notifications.append(method)
            condition.broadcast()
        }
    }

    func handle(request method: String, message: Data, reply: RequestReply) {
        queue.async {
            if reply.isCancelled {
                reply.reply(.failure(.cancelled))
                return
            }
            switch method {
            case "echo":
                let params = try? MessageParams<Params>.decode(message)
                reply.reply(params?.text ?? "")
            case "drop":
                break
            case "twice":
                reply.reply("first")
                #expect(reply.reply(.success(Data("\"second\"".utf8))) == false)
            default:
                reply.reply(.failure(.methodNotFound(method)))
            }
        }
    }

    func connectionClosed() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    func waitUntilClosed(timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !closed { if !condition.wait(until: deadline) { return closed } }
        return true
    }

    var received: [String] { condition.withLock { notifications } }
}

/// A request whose params and answer are plain strings, for typed round trips.
struct EchoRequest: LSPRequest {
    static let method = "echo"
    typealias Response = String
    var text: String
}

@Suite struct TransportTests {
    func started(maxContentLength: Int = 1 << 20, configure: (JSONRPCConnection) -> Void = { _ in }) -> (EchoHandler, JSONRPCTestPeer) {
        let handler = EchoHandler()
        return (handler, JSONRPCTestPeer(handler: handler, maxContentLength: maxContentLength, configure: configure))
    }

    @Test func typedRequestsRoundTrip() throws {
        let (_, peer) = started()
        #expect(try peer.send(EchoRequest(text: "héllo")) == "héllo")
    }

    @Test func everyRequestGetsExactlyOneAnswer() throws {
        let (_, peer) = started()
        // A handler that drops a request: the client still gets an answer, an internal error.
        let dropped = peer.sendRequest("drop", [String: Any]())
        #expect(peer.response(dropped)?.errorCode == ErrorCode.internalError.rawValue)
        // A handler that answers twice: the second answer is refused, the client sees one.
        let twice = peer.sendRequest("twice", [String: Any]())
        #expect(try peer.response(twice)?.result(as: String.self) == "first")
        #expect(try peer.send(EchoRequest(text: "after")) == "after")
        #expect(peer.responseCount(twice) == 1)
    }

    @Test func badMessagesGetErrorAnswersAndTheStreamGoesOn() throws {
        let (handler, peer) = started()
        peer.writeRaw(Array("Content-Length: 9\r\n\r\n{not json".utf8))
        #expect(peer.nullIDResponse(0)?.errorCode == ErrorCode.parseError.rawValue)
        peer.writeRaw(Array("Content-Length: 7\r\n\r\n[1,2,3]".utf8))
        #expect(peer.nullIDResponse(1)?.errorCode == ErrorCode.invalidRequest.rawValue)
        peer.writeRaw(Array("Content-Length: 0\r\n\r\n".utf8))
        #expect(peer.nullIDResponse(2)?.errorCode == ErrorCode.parseError.rawValue)
        peer.writeMessage(["jsonrpc": "2.0", "id": 5])
        #expect(peer.response("5")?.errorCode == ErrorCode.invalidRequest.rawValue)
        peer.writeMessage(["jsonrpc": "2.0", "method": "note"])
        #expect(try peer.send(EchoRequest(text: "still here")) == "still here")
        #expect(handler.received == ["note"])
    }

    @Test(arguments: [
        "Content-Length: -5\r\n\r\n",
        "Content-Length: 0x10\r\n\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "Content-Type: application/vscode-jsonrpc\r\n\r\n{\"jsonrpc\":\"2.0\"}",
        "Content-Length: 99999999999999\r\n\r\n",
        "garbage without any header at all\r\n\r\n",
    ])
    func badHeadersAreSkippedAndReported(header: String) throws {
        let (_, peer) = started()
        peer.writeRaw(Array(header.utf8))
        #expect(try peer.send(EchoRequest(text: "next")) == "next", "after \(header.debugDescription)")
        let log = peer.waitForNotification(LogMessageNotification.self) { $0.message.hasPrefix("JSON-RPC framing:") }
        #expect(log?.type == .error, "after \(header.debugDescription)")
    }

    @Test func framingAcrossReadsAndSeveralMessagesPerRead() throws {
        let (_, peer) = started()
        func framed(_ id: Int) -> [UInt8] {
            let body = Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"echo","params":{"text":"\#(id)"}}"#.utf8)
            return Array("X-Unknown: yes\r\nContent-Length: \(body.count)\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n".utf8) + body
        }
        for byte in framed(101) { peer.writeRaw([byte]) }
        #expect(try peer.response("101")?.result(as: String.self) == "101")
        peer.writeRaw(framed(102) + framed(103) + framed(104))
        for id in ["102", "103", "104"] { #expect(try peer.response(id)?.result(as: String.self) == id) }
    }

    @Test func oversizedMessagesAreRefusedWithoutBeingRead() throws {
        let (_, peer) = started(maxContentLength: 1024)
        let body = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"\(String(repeating: "a", count: 4000))\"}"
        peer.writeRaw(Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        #expect(try peer.send(EchoRequest(text: "next")) == "next")
        let log = peer.waitForNotification(LogMessageNotification.self) { $0.message.contains("over the limit") }
        #expect(log != nil)
    }

    @Test func cancellingAWaitingRequestAnswersRequestCancelled() throws {
        let (handler, peer) = started()
        // Hold the handler's queue so the request is still waiting when the cancellation arrives.
        handler.queue.suspend()
        let id = peer.sendRequest(EchoRequest(text: "late"))
        peer.send(CancelRequestNotification(id: .number(Int(id)!)))
        // The cancellation is handled ahead of the handler: once a later notification has
        // reached the handler, the cancellation has been seen.
        peer.writeMessage(["jsonrpc": "2.0", "method": "marker"])
        #expect(peer.wait(5) { _ in handler.received.contains("marker") ? true : nil } == true)
        handler.queue.resume()
        #expect(peer.response(id)?.errorCode == ErrorCode.requestCancelled.rawValue)
        // Cancelling finished and unknown requests changes nothing.
        let done = peer.sendRequest(EchoRequest(text: "done"))
        #expect(try peer.response(done)?.result(as: String.self) == "done")
        peer.send(CancelRequestNotification(id: .number(Int(done)!)))
        peer.send(CancelRequestNotification(id: .number(999_999)))
        peer.send(CancelRequestNotification(id: .string("no such id")))
        #expect(try peer.send(EchoRequest(text: "ok")) == "ok")
        #expect(!handler.received.contains(CancelRequestNotification.method))
    }

    @Test func aClientThatStopsReadingDoesNotGrowOurMemory() throws {
        let (_, peer) = started { $0.highWaterMark = 64 * 1024 }
        peer.reading = false
        let answer = String(repeating: "x", count: 4000)
        // Large answers, many requests: the pipe fills, then the backlog, then we stop reading.
        let writer = Thread {
            for _ in 0 ..< 2000 { peer.sendRequest(EchoRequest(text: answer)) }
        }
        writer.start()
        Thread.sleep(forTimeInterval: 1.0)
        let backlog = peer.connection.backlogBytes
        Thread.sleep(forTimeInterval: 0.5)
        // Bounded by the mark plus the answers to requests already taken in, and not growing.
        #expect(backlog > 0)
        #expect(backlog <= 64 * 1024 + 32 * 4100, "backlog \(backlog)")
        #expect(peer.connection.backlogBytes == backlog)
        peer.reading = true
        #expect(peer.response("2000", timeout: 30) != nil)
    }

    @Test func theEndOfInputClosesTheConnection() {
        let (handler, peer) = started()
        peer.closeInput()
        #expect(handler.waitUntilClosed())
    }

    @Test func requestsToTheClientGetTheirAnswers() throws {
        let (_, peer) = started()
        let done = NSCondition()
        nonisolated(unsafe) var answer: Result<ShowDocumentResult, ResponseError>?
        peer.connection.send(ShowDocumentRequest(uri: DocumentURI("file:///x.go"), takeFocus: true, selection: nil)) { result in
            done.withLock {
                answer = result
                done.broadcast()
            }
        }
        let request = try #require(peer.waitForRequest(ShowDocumentRequest.self))
        #expect(request.uri.string == "file:///x.go")
        let deadline = Date().addingTimeInterval(5)
        done.withLock { while answer == nil, done.wait(until: deadline) {} }
        #expect(try answer?.get().success == true)
    }
}
