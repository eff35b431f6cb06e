import Foundation

/// Every message the server handles, registered in one table: adding a request is one new
/// message file and one line here.
extension ProfileLensServer {
    static let handlers: [String: Handler] = [
        InitializeRequest.method: .request(InitializeRequest.self) { try $0.initialize($1) },
        InitializedNotification.method: .notification(InitializedNotification.self) { $0.initialized($1) },
        ShutdownRequest.method: .request(ShutdownRequest.self) { try $0.shutdown($1) },
        ExitNotification.method: .notification(ExitNotification.self) { $0.exit($1) },
        DidOpenTextDocumentNotification.method: .notification(DidOpenTextDocumentNotification.self) { $0.didOpen($1) },
        DidChangeTextDocumentNotification.method: .notification(DidChangeTextDocumentNotification.self) { $0.didChange($1) },
        DidCloseTextDocumentNotification.method: .notification(DidCloseTextDocumentNotification.self) { $0.didClose($1) },
        DidSaveTextDocumentNotification.method: .notification(DidSaveTextDocumentNotification.self) { $0.didSave($1) },
        DidChangeConfigurationNotification.method: .notification(DidChangeConfigurationNotification.self) { $0.didChangeConfiguration($1) },
        DidChangeWatchedFilesNotification.method: .notification(DidChangeWatchedFilesNotification.self) { $0.didChangeWatchedFiles($1) },
        HoverRequest.method: .request(HoverRequest.self) { try $0.hover($1) },
        CodeLensRequest.method: .asyncRequest(CodeLensRequest.self) { $0.codeLens($1, reply: $2) },
        CodeLensResolveRequest.method: .request(CodeLensResolveRequest.self) { CodeLens(range: $1.range, command: $1.command, data: $1.data) },
        InlayHintRequest.method: .asyncRequest(InlayHintRequest.self) { $0.inlayHints($1, reply: $2) },
        WorkspaceSymbolRequest.method: .request(WorkspaceSymbolRequest.self) { try $0.workspaceSymbols($1) },
        ExecuteCommandRequest.method: .asyncRequest(ExecuteCommandRequest.self) { $0.executeCommand($1, reply: $2) },
    ]

    /// How one method is decoded and run.
    struct Handler: Sendable {
        let isRequest: Bool
        let run: @Sendable (ProfileLensServer, Data, RequestReply?) -> Void

        /// A request answered synchronously with its `Response`.
        static func request<R: LSPRequest>(_ type: R.Type, _ body: @escaping @Sendable (ProfileLensServer, R) throws -> R.Response) -> Handler {
            Handler(isRequest: true) { server, data, reply in
                guard let reply else { return }
                guard let request = decode(R.self, from: data, reply: reply) else { return }
                do {
                    reply.reply(try body(server, request))
                } catch let error as ResponseError {
                    reply.reply(.failure(error))
                } catch {
                    reply.reply(.failure(.internalError("\(R.method) failed: \(error)")))
                }
            }
        }

        /// A request whose handler answers through `reply` when it is ready.
        static func asyncRequest<R: LSPRequest>(_ type: R.Type, _ body: @escaping @Sendable (ProfileLensServer, R, RequestReply) -> Void) -> Handler {
            Handler(isRequest: true) { server, data, reply in
                guard let reply, let request = decode(R.self, from: data, reply: reply) else { return }
                body(server, request, reply)
            }
        }

        static func notification<N: LSPNotification>(_ type: N.Type, _ body: @escaping @Sendable (ProfileLensServer, N) -> Void) -> Handler {
            Handler(isRequest: false) { server, data, _ in
                do {
                    body(server, try JSONCoding.decoder.decode(Params<N>.self, from: data).value)
                } catch {
                    server.client?.log("ignored \(N.method) with invalid params: \(describe(error))", type: 2)
                }
            }
        }

        private static func decode<R: LSPRequest>(_ type: R.Type, from data: Data, reply: RequestReply) -> R? {
            do {
                return try JSONCoding.decoder.decode(Params<R>.self, from: data).value
            } catch {
                reply.reply(.failure(.invalidParams("invalid params for \(R.method): \(describe(error))")))
                return nil
            }
        }
    }

    /// The `params` of a message body. Absent or null params decode as `{}`, which the
    /// parameter-less messages accept.
    struct Params<T: Decodable>: Decodable {
        let value: T

        enum CodingKeys: String, CodingKey { case params }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if container.contains(.params), try !container.decodeNil(forKey: .params) {
                value = try container.decode(T.self, forKey: .params)
            } else {
                value = try JSONCoding.decoder.decode(T.self, from: Data("{}".utf8))
            }
        }
    }
}

/// A short description of a decoding error: which field, and what was wrong.
func describe(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? "" : " at " + keys.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
    case .valueNotFound(let type, let context): return "missing \(type)\(path(context))"
    case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)'\(path(context))"
    case .dataCorrupted(let context): return "invalid data\(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
}
