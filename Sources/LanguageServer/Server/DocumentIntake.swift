import Foundation
import JSONRPC
import LanguageServerProtocol
import ProfileModel
import Synchronization

/// Takes large document notifications off the server's queue, keeping each document's messages
/// in order.
///
/// Decoding a `didOpen` or whole-text `didChange` of tens of megabytes and splitting its text
/// into lines takes a while; done on the server's queue it would hold every request behind it.
/// Such a notification is decoded and split on a queue of its own, and its place in the order of
/// its document's messages is held on the server's queue: the messages that name the same
/// document and arrive meanwhile (edits, hovers) wait for it, in order; every other message is
/// answered at once.
final class DocumentIntake: @unchecked Sendable {
    /// Messages at least this large are prepared off the server's queue.
    static let largeMessage = 1 << 20

    let queue = DispatchQueue(label: "profilelens.documents")
    private let slots = Mutex<Int>(0)

    enum Waiting {
        case message(method: String, body: Data, reply: RequestReply?)
        /// A large notification being prepared, and what installs it once it is.
        case prepared(slot: Int, install: (() -> Void)?)
    }

    /// Per document with a large notification in preparation, its messages in arrival order.
    /// Only on the server's queue.
    var waiting: [DocumentURI: [Waiting]] = [:]

    static let methods: Set<String> = [DidOpenTextDocumentNotification.method, DidChangeTextDocumentNotification.method]

    func nextSlot() -> Int {
        slots.withLock { slot in
            slot += 1
            return slot
        }
    }

    /// The document a large notification names, found without decoding it: the first `"uri"`
    /// key (inside a JSON string a quote is escaped, so these bytes are a key), its value
    /// decoded as the JSON string it is. Nil when it cannot be found.
    static func quickURI(_ body: Data) -> DocumentURI? {
        guard let found = body.range(of: Data("\"uri\"".utf8)) else { return nil }
        var i = found.upperBound
        func skipSpace() { while i < body.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(body[i]) { i += 1 } }
        skipSpace()
        guard i < body.endIndex, body[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        skipSpace()
        guard i < body.endIndex, body[i] == UInt8(ascii: "\"") else { return nil }
        let start = i
        i += 1
        while i < body.endIndex, body[i] != UInt8(ascii: "\"") {
            i += body[i] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard i < body.endIndex else { return nil }
        return (try? JSONDecoder().decode(String.self, from: body[start ... i])).map(DocumentURI.init)
    }

    /// The document a (small) message names in `params.textDocument.uri`, if any.
    static func documentURI(of body: Data) -> DocumentURI? {
        struct Message: Decodable {
            struct Params: Decodable {
                struct Document: Decodable { var uri: DocumentURI }
                var textDocument: Document?
            }
            var params: Params?
        }
        return (try? JSONCoding.decoder.decode(Message.self, from: body))?.params?.textDocument?.uri
    }
}

extension ProfileLensServer {
    /// On the transport's thread: takes a large document notification off the server's queue,
    /// holding its place in its document's order. Returns false when it is not one.
    func takeLargeDocumentNotification(_ method: String, _ body: Data) -> Bool {
        guard body.count >= DocumentIntake.largeMessage, DocumentIntake.methods.contains(method),
              let uri = DocumentIntake.quickURI(body) else { return false }
        let slot = documentIntake.nextSlot()
        queue.async { [self] in documentIntake.waiting[uri, default: []].append(.prepared(slot: slot, install: nil)) }
        documentIntake.queue.async { [self] in
            let install = Handoff(value: prepareDocumentNotification(method, body))
            queue.async { [self] in
                guard var items = documentIntake.waiting[uri],
                      let index = items.firstIndex(where: { if case .prepared(slot, _) = $0 { return true } else { return false } }) else { return }
                items[index] = .prepared(slot: slot, install: install.value)
                documentIntake.waiting[uri] = items
                drainWaitingMessages(of: uri)
            }
        }
        return true
    }

    /// On `queue`: whether the message names a document whose earlier large notification is
    /// still being prepared; if so it waits its turn.
    func waitsForDocument(_ method: String, _ body: Data, _ reply: RequestReply?) -> Bool {
        guard !documentIntake.waiting.isEmpty, let uri = DocumentIntake.documentURI(of: body),
              documentIntake.waiting[uri] != nil else { return false }
        documentIntake.waiting[uri]?.append(.message(method: method, body: body, reply: reply))
        return true
    }

    /// Handles a document's waiting messages from the front, up to one still being prepared.
    private func drainWaitingMessages(of uri: DocumentURI) {
        while let items = documentIntake.waiting[uri], let first = items.first {
            switch first {
            case .prepared(_, nil):
                return
            case .prepared(_, let install?):
                documentIntake.waiting[uri] = items.count > 1 ? Array(items.dropFirst()) : nil
                // As `handle` would: documents are taken only while running.
                if state == .running { install() }
            case .message(let method, let body, let reply):
                documentIntake.waiting[uri] = items.count > 1 ? Array(items.dropFirst()) : nil
                handleInOrder(method: method, body: body, reply: reply)
            }
        }
    }

    /// Decodes a large document notification and does its text work here, off the server's
    /// queue; returns what applies it on the server's queue.
    private func prepareDocumentNotification(_ method: String, _ body: Data) -> () -> Void {
        switch method {
        case DidOpenTextDocumentNotification.method:
            guard let open = try? MessageParams<DidOpenTextDocumentNotification>.decode(body) else { break }
            let item = open.textDocument
            let document = Document(uri: item.uri, path: DocumentPath.path(item.uri).map(FilePath.canonical),
                                    version: item.version, text: item.text)
            return { [self] in
                documents[item.uri] = document
                publishDiagnostics(for: item.uri)
            }
        case DidChangeTextDocumentNotification.method:
            guard let change = try? MessageParams<DidChangeTextDocumentNotification>.decode(body) else { break }
            // Whole-text changes are split here; ranged ones are edits, applied in place.
            let texts = change.contentChanges.map { $0.range == nil ? DocumentText($0.text) : nil }
            return { [self] in
                guard let document = documents[change.textDocument.uri] else { return }
                for (c, text) in zip(change.contentChanges, texts) {
                    if let text { document.apply(replacingAllWith: text) } else { document.apply(c) }
                }
                if let version = change.textDocument.version { document.version = version }
                publishDiagnostics(for: document.uri)
            }
        default:
            break
        }
        // Invalid params: the usual path reports them.
        return { [self] in handleInOrder(method: method, body: body, reply: nil) }
    }
}

/// A value handed from one queue to another that no other code holds meanwhile.
private struct Handoff<T>: @unchecked Sendable {
    let value: T
}
