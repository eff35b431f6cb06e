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
    /// Switch the comparison with the baseline off and on, without loading anything.
    case toggleBaseline = "profilelens.toggleBaseline"
    /// Show one moment of a series: `[{"at": "peak" | "latest" | "all" | N}]`.
    case selectWindow = "profilelens.selectWindow"
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
                afterFirstLoad.append { [weak self] in reply.reply(self?.hottest(argument) ?? .success(.null)) }
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
        case .selectWindow:
            let at = argument?["at"] ?? argument
            let window: SeriesWindow
            switch at {
            case .string("all")?, nil: window = .all
            case .string("peak")?: window = .peak
            case .string("latest")?: window = .latest
            case .number(let n)? where n >= 0 && n < 1e6 && n.rounded() == n: window = .point(Int(n))
            default:
                reply.reply(.failure(.invalidParams("profilelens.selectWindow takes {\"at\": \"peak\" | \"latest\" | \"all\" | N}")))
                return
            }
            // A point past the longest series is a mistake, not the last point.
            let longest = seriesQuery.profileSet.groups.compactMap { $0.series?.points.count }.max() ?? 0
            if case .point(let n) = window, n >= longest {
                let points = longest == 0 ? "no series is loaded" : "the series has points 0 to \(longest - 1)"
                reply.reply(.failure(.invalidParams("profilelens.selectWindow: there is no point \(n): \(points)")))
                return
            }
            self.window = window
            viewChanged()
            let note = windowNote() ?? "showing the whole series"
            client?.log("ProfileLens: " + note)
            reply.reply(JSONValue.object(["window": .string(note)]))
        case .toggleBaseline:
            comparisonEnabled.toggle()
            viewChanged()
            let state = snapshot.query.comparison == nil ? "no baseline is configured" : comparisonEnabled ? "comparing with the baseline" : "baseline off"
            client?.log("ProfileLens: \(state)")
            reply.reply(JSONValue.object(["comparing": .bool(comparisonEnabled && snapshot.query.comparison != nil)]))
        }
    }

    /// The hottest line of the workspace or of one document: where most of the kind's cost
    /// lands, each sample counted at its deepest frame there (`CostQuery.hottestScopedLine`: a
    /// goroutine blocked in `runtime.chanrecv1` counts at the user's receive), opened and
    /// selected; with `"by": "increase"` (or `"decrease"`) in a comparison, the line whose self
    /// cost grew (fell) most.
    private func hottest(_ argument: JSONValue?) -> Result<JSONValue, ResponseError> {
        let scope = argument?["scope"]?.stringValue ?? argument?.stringValue ?? "workspace"
        if let by = argument?["by"], by.stringValue.map({ ["increase", "decrease", "growth", "self"].contains($0) }) != true {
            return .failure(.invalidParams("profilelens.hottest: \"by\" takes \"self\", \"increase\", \"decrease\" or \"growth\", not \(by.shortDescription)"))
        }
        let kind: CostKind
        if let name = argument?["kind"] {
            switch resolveKind(name, command: "profilelens.hottest") {
            case .success(let found): kind = found
            case .failure(let error): return .failure(error)
            }
        } else if let selected = selectedKind {
            kind = selected
        } else {
            client?.send(ShowMessageNotification(type: .warning, message: "ProfileLens: no profile is loaded"))
            return .success(.null)
        }
        let documentPath = scope == "workspace" ? nil : DocumentPath.canonicalPath(DocumentURI(scope))
        if let by = argument?["by"]?.stringValue, by == "increase" || by == "decrease" {
            return .success(mostChanged(kind: kind, increase: by == "increase", documentPath: documentPath, scope: scope))
        }
        if argument?["by"]?.stringValue == "growth" {
            return .success(mostGrowing(kind: kind, documentPath: documentPath, scope: scope))
        }
        if let scoped = query.hottestScopedLine(kind: kind, include: { inScope($0, documentPath: documentPath) }) {
            return .success(open(file: scoped.file, line: Int(scoped.line), documentPath: documentPath, scope: scope,
                                 what: "hottest \(kind.title) function \(scoped.function)"))
        }
        // Without samples at hand (a window of a series): the function with the most self cost.
        let found = query.hottestFunctions(kind: kind, limit: 1) { function in
            function.file.map { inScope($0, documentPath: documentPath) } ?? false
        }.first
        guard let function = found, let file = function.file, let line = function.hottestLine ?? function.line else {
            client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: no \(kind.title) cost in \(documentPath ?? "the workspace")"))
            return .success(.null)
        }
        return .success(open(file: file, line: line, documentPath: documentPath, scope: scope,
                             what: "hottest \(kind.title) function \(function.name)"))
    }

    /// A command's `kind` argument as a loaded kind, or an error that names what is loaded.
    func resolveKind(_ name: JSONValue, command: String) -> Result<CostKind, ResponseError> {
        let loaded = query.kinds.map(\.id).joined(separator: ", ")
        guard let text = name.stringValue else {
            return .failure(.invalidParams("\(command): \"kind\" takes a kind's name (loaded: \(loaded)), not \(name.shortDescription)"))
        }
        if let kind = loadedKind(named: text) { return .success(kind) }
        if CostKind.named(text) != nil {
            return .failure(.invalidParams("\(command): no \(text) profile is loaded (loaded: \(loaded.isEmpty ? "none" : loaded))"))
        }
        return .failure(.invalidParams("\(command): \"\(text)\" is not a kind; use one of \(CostKind.wellKnown.map(\.id).joined(separator: ", ")) "
                                       + "or a sample type of the profiles (loaded: \(loaded.isEmpty ? "none" : loaded))"))
    }

    /// Whether a profile's file is one the command looks at: the document, or any file under the
    /// workspace root (files that did not map to the workspace are not openable).
    private func inScope(_ file: String, documentPath: String?) -> Bool {
        if let documentPath { return file == documentPath }
        return snapshot.workspaceRoots.contains { FilePath.hasPathPrefix(file, $0) }
    }

    /// Opens the profile's `line` of `file` where it is now in the editor's buffer (edits move
    /// lines) and returns the location as the command's result.
    private func open(file: String, line: Int, documentPath: String?, scope: String, what: String) -> JSONValue {
        let uri = documentPath != nil && scope.hasPrefix("file://") ? DocumentURI(scope) : DocumentPath.uri(file)
        let current = placeOf(line, documents[uri])
        let location = Location(uri: uri, range: .line(current, length: documents[uri]?.utf16Length(ofLine: current) ?? 0))
        show(location, what: what)
        return JSONCoding.value(location)
    }

    /// The line whose self cost of `kind` changed most against the baseline, opened.
    private func mostChanged(kind: CostKind, increase: Bool, documentPath: String?, scope: String) -> JSONValue {
        guard query.comparison != nil else {
            client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: no baseline to compare with (set \"baseline\" or serve --base)"))
            return .null
        }
        let found = query.mostChangedLine(kind: kind, increase: increase) { inScope($0, documentPath: documentPath) }
        guard let (file, line) = found else {
            client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: no \(kind.title) cost \(increase ? "grew" : "fell") in \(documentPath ?? "the workspace")"))
            return .null
        }
        return open(file: file, line: line, documentPath: documentPath, scope: scope, what: "the line whose \(kind.title) \(increase ? "grew" : "fell") most")
    }

    /// The line the leak finder suspects most, opened.
    private func mostGrowing(kind: CostKind, documentPath: String?, scope: String) -> JSONValue {
        guard let report = seriesQuery.growth(kind: kind) else {
            client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: the \(kind.title) profiles are not a series (profiles taken at different times)"))
            return .null
        }
        let suspect = report.lines.first { entry in
            entry.file.map { inScope($0, documentPath: documentPath) } ?? false
        }
        guard let suspect, let file = suspect.file, let line = suspect.line else {
            client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: no line's \(kind.title) grows steadily in \(documentPath ?? "the workspace")"))
            return .null
        }
        return open(file: file, line: line, documentPath: documentPath, scope: scope, what: "the line whose \(kind.title) grows most steadily")
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
        if let relative = snapshot.workspaceRoots.lazy.compactMap({ FilePath.strip($0, from: path) }).first, !relative.isEmpty {
            path = relative
        }
        client?.send(ShowMessageNotification(type: .info, message: "ProfileLens: \(what) at \(path):\(location.range.start.line + 1)"))
    }

    private func selectKind(_ argument: JSONValue?) -> Result<JSONValue, ResponseError> {
        let kinds = query.kinds
        if let name = argument?["kind"] ?? (argument?.stringValue != nil ? argument : nil) {
            switch resolveKind(name, command: "profilelens.selectKind") {
            case .success(let kind): selectedKindOverride = kind
            case .failure(let error): return .failure(error)
            }
        } else if !kinds.isEmpty {
            // Cycle to the next loaded kind.
            let current = selectedKind.flatMap { kinds.firstIndex(of: $0) } ?? -1
            selectedKindOverride = kinds[(current + 1) % kinds.count]
        }
        // The peak window is the selected kind's: what depends on the view is recomputed.
        viewChanged()
        client?.log("showing \(selectedKind?.title ?? "nothing")")
        return .success(.object(["kind": .string(selectedKind?.id ?? ""), "kinds": .array(kinds.map { .string($0.id) })]))
    }

    func statusValue() -> JSONValue {
        let query = query
        let members = query.profileSet.members
        return .object([
            "profiles": .array(members.map { .string($0.path) }),
            "kinds": .array(query.kinds.map { .string($0.id) }),
            "selectedKind": .string(selectedKind?.id ?? ""),
            "summary": .string(snapshot.summary),
            "unmapped": .array(query.profiles.unmapped.prefix(100).map { .string($0) }),
            // Why files did not map where the reason matters: another Go release, a bad --map.
            "unmappedNotes": .object(Dictionary(query.profiles.resolutions.compactMap { name, resolution in
                resolution.note.flatMap { note in note.hasPrefix("built with Go") ? (name, JSONValue.string(note)) : nil }
            }.prefix(100), uniquingKeysWith: { first, _ in first })),
            "sourceMismatches": .object(query.profiles.sourceMismatches.mapValues { .string($0) }),
            "kindsWithoutValues": .array(query.profileSet.kindsWithoutValues.map { .string($0.id) }),
            "programs": .array(query.profileSet.programs.map { .string($0.description) }),
            "baseline": .array(snapshot.baselineFiles.map { .string($0) }),
            "comparing": .bool(comparisonEnabled && snapshot.query.comparison != nil),
            "failures": .array(snapshot.failures.map { .string($0.error.description) }),
            "workspaceRoot": .string(snapshot.workspaceRoot ?? ""),
            "workspaceFolders": .array(snapshot.workspaceRoots.map { .string($0) }),
            // Files looked at and left out quietly (not profiles, or a nearer folder's duplicates).
            "skipped": .array(snapshot.skipped.prefix(200).map { .object(["path": .string($0.path), "reason": .string($0.reason)]) }),
            "discovered": .bool(snapshot.discovery != nil),
            "searched": .array((snapshot.discovery?.searched ?? []).map { .string($0) }),
            "notSearched": .array((snapshot.discovery?.tooBroad ?? []).map { .string($0) }),
            "workspaceWalk": .array(snapshot.walkNotes.map { .string($0) }),
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
