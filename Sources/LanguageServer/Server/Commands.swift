import Foundation
import JSONRPC
import LanguageServerProtocol
import ProfileModel
import ProfileQuery

/// The commands of `workspace/executeCommand`.
public enum ServerCommand: String, CaseIterable, Sendable {
    /// Open the hottest function: `[{"scope": "workspace" | "<document uri>", "kind": "cpu"}]`.
    case hottest = "profilelens.hottest"
    /// Load the profiles again now.
    case reload = "profilelens.reload"
    /// Show another kind in lenses and hints: `[{"kind": "alloc"}]`, or none to cycle.
    case selectKind = "profilelens.selectKind"
    /// Open a line (what a code lens click runs): `[{"uri": ..., "line": N}]`.
    case openLine = "profilelens.openLine"
    /// What is loaded, from where, and what did not map.
    case status = "profilelens.status"
}

extension ProfileLensServer {
    func executeCommand(_ request: ExecuteCommandRequest, reply: RequestReply) {
        guard let command = ServerCommand(rawValue: request.command) else {
            reply.reply(.failure(.invalidParams("unknown command \(request.command); known: \(ServerCommand.allCases.map(\.rawValue).joined(separator: ", "))")))
            return
        }
        let argument = request.arguments?.first
        switch command {
        case .hottest:
            // Right after start the profiles may still be loading: answer once they are.
            if snapshot.generation == 0 && isLoading {
                afterFirstLoad.append { [weak self] in reply.reply(self?.hottest(argument) ?? .null) }
            } else {
                reply.reply(hottest(argument))
            }
        case .reload:
            reloadWaiters.append(reply)
            live.monitor?.refreshNow()
            pendingReload?.cancel()
            startReload(reason: "reload command")
        case .selectKind:
            reply.reply(selectKind(argument))
        case .openLine:
            guard let uri = argument?["uri"]?.stringValue, let line = argument?["line"]?.numberValue, line >= 0, line < 1e9 else {
                reply.reply(.failure(.invalidParams("profilelens.openLine takes {\"uri\": ..., \"line\": N}")))
                return
            }
            let location = Location(uri: DocumentURI(uri), range: .line(Int(line)))
            show(location)
            reply.reply(location)
        case .status:
            reply.reply(statusValue())
        }
    }

    /// The hottest function of the workspace or of one document, by self cost of the kind,
    /// opened with its hottest line selected.
    private func hottest(_ argument: JSONValue?) -> JSONValue {
        let scope = argument?["scope"]?.stringValue ?? argument?.stringValue ?? "workspace"
        let kindName = argument?["kind"]?.stringValue
        guard let kind = kindName.flatMap(loadedKind(named:)) ?? selectedKind else {
            client?.send(ShowMessageNotification(type: .warning, message: "ProfileLens: no profile is loaded"))
            return .null
        }
        let documentPath = scope == "workspace" ? nil : DocumentPath.canonicalPath(DocumentURI(scope))
        let root = snapshot.workspaceRoot
        let found = snapshot.query.hottestFunctions(kind: kind, limit: 1) { function in
            guard let file = function.file else { return false }
            if let documentPath { return file == documentPath }
            guard let root else { return false }
            return FilePath.hasPathPrefix(file, root)
        }.first
        guard let function = found, let file = function.file, let line = function.hottestLine ?? function.line else {
            client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: no \(kind.title) cost in \(documentPath ?? "the workspace")"))
            return .null
        }
        let uri = documentPath != nil && scope.hasPrefix("file://") ? DocumentURI(scope) : DocumentPath.uri(file)
        let current = currentLine(line, documents[uri]) ?? line - 1
        let location = Location(uri: uri, range: .line(current, length: documents[uri]?.utf16Length(ofLine: current) ?? 0))
        show(location, what: "hottest \(kind.title) function \(function.name)")
        return JSONCoding.value(location)
    }

    /// Opens a location in the client when it can; the command's result carries it either way.
    /// Clients without `window/showDocument` (Helix, Kakoune, Neovim before 0.8) get a message
    /// naming the place, so the command is never silent.
    private func show(_ location: Location, what: String = "line") {
        if capabilities.showDocument {
            client?.send(ShowDocumentRequest(uri: location.uri, takeFocus: true, selection: location.range))
            return
        }
        var path = DocumentPath.path(location.uri) ?? location.uri.string
        if let root = snapshot.workspaceRoot, let relative = FilePath.strip(root, from: path), !relative.isEmpty { path = relative }
        client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: \(what) at \(path):\(location.range.start.line + 1)"))
    }

    private func selectKind(_ argument: JSONValue?) -> JSONValue {
        let kinds = snapshot.query.kinds
        let name = argument?["kind"]?.stringValue ?? argument?.stringValue
        if let name, let kind = loadedKind(named: name) {
            selectedKindOverride = kind
        } else if !kinds.isEmpty {
            // Cycle to the next loaded kind.
            let current = selectedKind.flatMap { kinds.firstIndex(of: $0) } ?? -1
            selectedKindOverride = kinds[(current + 1) % kinds.count]
        }
        refreshClient()
        client?.log("showing \(selectedKind?.title ?? "nothing")")
        return .object(["kind": .string(selectedKind?.id ?? ""), "kinds": .array(kinds.map { .string($0.id) })])
    }

    func statusValue() -> JSONValue {
        let query = snapshot.query
        let members = query.profileSet.members
        return .object([
            "profiles": .array(members.map { .string($0.path) }),
            "kinds": .array(query.kinds.map { .string($0.id) }),
            "selectedKind": .string(selectedKind?.id ?? ""),
            "summary": .string(snapshot.summary),
            "unmapped": .array(query.profiles.unmapped.prefix(100).map { .string($0) }),
            "failures": .array(snapshot.failures.map { .string($0.error.description) }),
            "workspaceRoot": .string(snapshot.workspaceRoot ?? ""),
            "sources": liveStatusValue(),
        ])
    }
}

/// A line of a document, as the argument of `profilelens.openLine` (what a code lens click runs).
struct LineTarget: Codable, Hashable, Sendable {
    var uri: DocumentURI
    /// 0-based.
    var line: Int

    var json: JSONValue { .object(["uri": .string(uri.string), "line": .number(Double(line))]) }
}
