import Foundation
import JSONRPC
import LanguageServerProtocol

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
        DidChangeWorkspaceFoldersNotification.method: .notification(DidChangeWorkspaceFoldersNotification.self) { $0.didChangeWorkspaceFolders($1) },
        HoverRequest.method: .request(HoverRequest.self) { try $0.hover($1) },
        CodeLensRequest.method: .asyncRequest(CodeLensRequest.self) { $0.codeLens($1, reply: $2) },
        CodeLensResolveRequest.method: .request(CodeLensResolveRequest.self) { $1.lens },
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
                    body(server, try MessageParams<N>.decode(data))
                } catch {
                    server.client?.log("ignored \(N.method) with invalid params: \(JSONCoding.describe(error))", type: .warning)
                }
            }
        }

        private static func decode<R: LSPRequest>(_ type: R.Type, from data: Data, reply: RequestReply) -> R? {
            do {
                return try MessageParams<R>.decode(data)
            } catch {
                reply.reply(.failure(.invalidParams("invalid params for \(R.method): \(JSONCoding.describe(error))")))
                return nil
            }
        }
    }
}
