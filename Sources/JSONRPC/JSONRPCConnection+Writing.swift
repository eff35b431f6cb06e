import Foundation
import LanguageServerProtocol
import SystemIO

/// Writing: responses, notifications and server-to-client requests, framed and queued on
/// `writer`, with the back-pressure accounting the reader waits on.
extension JSONRPCConnection: LanguageClient {
    private struct OutgoingMessage<Params: Encodable>: Encodable {
        let jsonrpc = "2.0"
        var id: RequestID?
        let method: String
        let params: Params
    }

    public func send<N: LSPNotification>(_ notification: N) {
        guard let data = try? JSONCoding.encoder.encode(OutgoingMessage(id: nil, method: N.method, params: notification)) else { return }
        write(data, droppable: N.isDroppable)
    }

    public func send<R: LSPRequest>(_ request: R, reply: @escaping @Sendable (Result<R.Response, ResponseError>) -> Void) {
        let id = lock.withLock { () -> RequestID in
            nextOutgoingID += 1
            let id = RequestID.string("jsonrpc-\(nextOutgoingID)")
            outgoing[id] = { result in
                reply(result.flatMap { data in
                    do {
                        return .success(try JSONCoding.decoder.decode(R.Response.self, from: data))
                    } catch {
                        return .failure(.invalidParams("cannot decode the client's answer to \(R.method)"))
                    }
                })
            }
            return id
        }
        guard let data = try? JSONCoding.encoder.encode(OutgoingMessage(id: id, method: R.method, params: request)) else { return }
        write(data, droppable: false)
    }

    func finish(id: RequestID, _ result: Result<Data, ResponseError>) {
        sendResponse(id: id, result)
        lock.withLock {
            _ = pending.removeValue(forKey: id)
            lock.broadcast()
        }
    }

    func sendResponse(id: RequestID?, _ result: Result<Data, ResponseError>) {
        var message = Data(#"{"jsonrpc":"2.0","id":"#.utf8)
        if let id, let encoded = try? JSONCoding.encoder.encode(id) { message.append(encoded) } else { message.append(Data("null".utf8)) }
        switch result {
        case .success(let data):
            message.append(Data(#","result":"#.utf8))
            message.append(data)
        case .failure(let error):
            message.append(Data(#","error":"#.utf8))
            message.append((try? JSONCoding.encoder.encode(error)) ?? Data("{}".utf8))
        }
        message.append(Data("}".utf8))
        write(message, droppable: false)
    }

    private func write(_ body: Data, droppable: Bool) {
        var framed = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        framed.append(body)
        let size = framed.count
        let accepted = lock.withLock { () -> Bool in
            if outputClosed || (droppable && backlog > highWaterMark) { return false }
            backlog += size
            return true
        }
        guard accepted else { return }
        writer.async { [self, framed] in
            let ok = framed.withUnsafeBytes { FileDescriptorIO.writeAll(output, $0) }
            lock.withLock {
                backlog -= size
                if !ok { outputClosed = true }
                lock.broadcast()
            }
        }
    }

    /// Bytes queued for the client and not yet written.
    public var backlogBytes: Int { lock.withLock { backlog } }

    /// Waits until everything queued so far has been written.
    public func flush() {
        writer.sync {}
    }
}
