import Foundation
import JSONRPC
import LanguageServerProtocol
import ProfileModel
import ProfileQuery

/// Hover, code lenses, inlay hints, workspace symbols and diagnostics: the query layer's
/// answers turned into protocol types. Line numbers from the profile are 1-based and refer to
/// the text as it was opened; the protocol's are 0-based and refer to the current buffer.
extension ProfileLensServer {
    func hover(_ request: HoverRequest) throws(ResponseError) -> Hover? {
        let document = documents[request.textDocument.uri]
        guard let path = document?.path ?? DocumentPath.canonicalPath(request.textDocument.uri) else { return nil }
        let line = request.position.line
        let query = query
        guard line >= 0, line < (document?.lineCount ?? Int(Int32.max)), query.hasCosts(inFile: path) else { return nil }
        let markdown = capabilities.hoverMarkdown
        let range = Range.line(line, length: document?.utf16Length(ofLine: line) ?? 0)
        // A hover that only says why there are no numbers, in italics.
        func note(_ text: String) -> Hover {
            Hover(contents: MarkupContent(kind: markdown ? .markdown : .plaintext, value: markdown ? "_\(text)_" : text), range: range)
        }
        if let mismatch = query.sourceMismatch(ofFile: path) { return note("ProfileLens: " + mismatch + ".") }
        guard let original = document.map({ $0.originalLine(ofCurrent: line) }) ?? line else {
            return note("This line was edited after the profile was loaded; its costs are hidden.")
        }
        let lineCost = query.lineCost(file: path, line: original + 1)
        let function = functions(path: path, document: document).first { $0.line == original + 1 }
        // Trends over a series, and which moment of it the numbers are.
        let series = seriesQuery
        var trends = series.seriesKinds.compactMap { kind in
            series.lineSeries(file: path, line: original + 1, kind: kind).map(CostText.trend)
        }
        guard lineCost != nil || function != nil || !trends.isEmpty else { return nil }
        var sources = snapshot.sourceNames(of: (lineCost?.costs ?? []) + (function?.costs ?? []), liveName: liveSourceName)
        if window != .all, let note = windowNote() { trends.append(note) }
        if let comparison = query.comparison {
            let baselineNames = snapshot.names(ofProfiles: comparison.baseline.profileSet.members.map(\.path), liveName: liveSourceName)
            sources.append("compared with " + baselineNames.joined(separator: ", "))
        }
        var text = CostText.hover(line: lineCost, function: function, sources: sources, staleNote: staleNote(path),
                                  markdown: markdown, mode: query.comparison?.mode ?? .absolute)
        if !trends.isEmpty { text += "\n\n" + trends.joined(separator: markdown ? "  \n" : "\n") }
        return Hover(contents: MarkupContent(kind: markdown ? .markdown : .plaintext, value: text), range: range)
    }

    /// Answers from the document's cached encoded lenses when nothing they depend on changed.
    func codeLens(_ request: CodeLensRequest, reply: RequestReply) {
        do {
            reply.reply(.success(try encodedLenses(request.textDocument.uri)))
        } catch {
            reply.reply(.failure(.internalError("cannot encode code lenses: \(error)")))
        }
    }

    func encodedLenses(_ uri: DocumentURI) throws -> Data {
        let document = documents[uri]
        let key = "\(viewGeneration)/\(selectedKind?.id ?? "")/\(document?.editCount ?? -1)"
        if let cached = document?.cachedLenses, cached.key == key { return cached.data }
        let data = try JSONCoding.encoder.encode(codeLenses(CodeLensRequest(textDocument: TextDocumentIdentifier(uri: uri)), document: document))
        document?.cachedLenses = (key, data)
        return data
    }

    func codeLenses(_ request: CodeLensRequest, document: Document?) -> [CodeLens] {
        guard let path = document?.path ?? DocumentPath.canonicalPath(request.textDocument.uri) else { return [] }
        let kind = selectedKind
        let comparison = query.comparison
        let series = seriesQuery
        let seriesKinds = series.seriesKinds
        var lenses: [CodeLens] = []
        for function in functions(path: path, document: document) {
            guard let declaration = function.line, let line = currentLine(declaration, document) else { continue }
            let target = function.hottestLine.flatMap { currentLine($0, document) } ?? line
            var title = CostText.lens(function, first: kind, mode: comparison?.mode ?? .absolute) { comparison?.functionUnits[$0] }
            for seriesKind in seriesKinds {
                if let values = series.functionSeries(named: function.name, kind: seriesKind), let growing = CostText.growing(values) {
                    title += " · " + growing
                }
            }
            let command = Command(title: title, command: ServerCommand.openLine.rawValue,
                                  arguments: [LineTarget(uri: request.textDocument.uri, line: target).json])
            lenses.append(CodeLens(range: .line(line, length: document?.utf16Length(ofLine: line) ?? 0), command: command, data: nil))
        }
        return lenses
    }

    /// Hints for the requested range, from the document's cached hints; the last answer is
    /// kept encoded, since editors ask again for the same visible range after every refresh.
    func inlayHints(_ request: InlayHintRequest, reply: RequestReply) {
        let document = documents[request.textDocument.uri]
        let rangeKey = "\(request.range.start.line)-\(request.range.end.line)"
        let key = hintKey(document)
        if let cached = document?.cachedHintAnswer, cached.key == key + "/" + rangeKey {
            reply.reply(.success(cached.data))
            return
        }
        let all = cachedInlayHints(request.textDocument.uri, document: document)
        let lines = request.range.start.line ... max(request.range.start.line, request.range.end.line)
        do {
            let data = try JSONCoding.encoder.encode(all.filter { lines.contains($0.position.line) })
            document?.cachedHintAnswer = (key + "/" + rangeKey, data)
            reply.reply(.success(data))
        } catch {
            reply.reply(.failure(.internalError("cannot encode inlay hints: \(error)")))
        }
    }

    private func hintKey(_ document: Document?) -> String {
        "\(viewGeneration)/\(selectedKind?.id ?? "")/\(document?.editCount ?? -1)/\(configuration.hintThreshold)"
    }

    /// The document's hints, computed once per snapshot, kind, threshold and edit.
    func cachedInlayHints(_ uri: DocumentURI, document: Document?) -> [InlayHint] {
        let key = hintKey(document)
        if let cached = document?.cachedHints, cached.key == key { return cached.hints }
        let hints = allInlayHints(uri, document: document)
        document?.cachedHints = (key, hints)
        return hints
    }

    /// Self │ total at the end of every line whose total reaches the threshold, in line order.
    func allInlayHints(_ uri: DocumentURI, document: Document?) -> [InlayHint] {
        guard let path = document?.path ?? DocumentPath.canonicalPath(uri), let kind = selectedKind else { return [] }
        var hints: [InlayHint] = []
        let mode = query.comparison?.mode ?? .absolute
        for cost in lineCosts(path: path, document: document) {
            guard let kindCost = cost.cost(of: kind), let measure = kindCost.primary, Self.share(measure) >= configuration.hintThreshold,
                  let line = currentLine(cost.line, document), let label = CostText.hint(kindCost, mode: mode) else { continue }
            hints.append(InlayHint(position: Position(line: line, character: document?.utf16Length(ofLine: line) ?? 0),
                                   label: label, paddingLeft: true))
        }
        return hints.sorted { $0.position.line < $1.position.line }
    }

    func workspaceSymbols(_ request: WorkspaceSymbolRequest) throws(ResponseError) -> [SymbolInformation] {
        guard let kind = selectedKind else { return [] }
        let query = query
        let functions = query.hottestFunctions(kind: kind, matching: request.query, limit: 200) { function in
            function.file.map { $0.hasPrefix("/") && FilePath.isRegularFile($0) } ?? false
        }
        return functions.compactMap { function in
            guard let file = function.file, let line = function.hottestLine ?? function.line else { return nil }
            let detail = function.cost(of: kind).map { CostText.summary($0) } ?? ""
            let uri = DocumentPath.uri(file)
            // Lines follow unsaved edits, as hovers and lenses do.
            return SymbolInformation(name: function.name, kind: .function,
                                     location: Location(uri: uri, range: .line(placeOf(line, documents[uri]))),
                                     containerName: detail)
        }
    }

    func publishDiagnostics(for uri: DocumentURI) {
        guard let client, let document = documents[uri] else { return }
        guard configuration.diagnostics, let path = document.path, let kind = selectedKind else {
            if publishedDiagnostics.remove(uri) != nil {
                client.send(PublishDiagnosticsNotification(uri: uri, version: document.version, diagnostics: []))
            }
            return
        }
        var diagnostics: [PublishDiagnosticsNotification.Diagnostic] = []
        for cost in lineCosts(path: path, document: document) {
            guard let kindCost = cost.cost(of: kind), let measure = kindCost.primary,
                  Self.share(measure) >= configuration.diagnosticThreshold,
                  let line = currentLine(cost.line, document) else { continue }
            diagnostics.append(.init(range: .line(line, length: document.utf16Length(ofLine: line)), severity: .information,
                                     source: "profilelens", message: CostText.summary(kindCost, mode: query.comparison?.mode ?? .absolute)))
        }
        if diagnostics.isEmpty && !publishedDiagnostics.contains(uri) { return }
        publishedDiagnostics.insert(uri)
        client.send(PublishDiagnosticsNotification(uri: uri, version: document.version, diagnostics: diagnostics))
    }

    // MARK: Helpers

    /// The current 0-based line of a 1-based profile line, following edits in open documents.
    func currentLine(_ profileLine: Int, _ document: Document?) -> Int? {
        guard profileLine >= 1 else { return nil }
        guard let document else { return profileLine - 1 }
        return document.currentLine(ofOriginal: profileLine - 1)
    }

    /// Where to take the user for a 1-based profile line: its current line, or, when the line
    /// itself was edited, the line after the nearest unedited one above it (where the edited
    /// text now starts), so that a jump never lands on the old numbering.
    func placeOf(_ profileLine: Int, _ document: Document?) -> Int {
        if let current = currentLine(profileLine, document) { return current }
        guard let document else { return max(profileLine - 1, 0) }
        // A line past the document's end starts the search at its last line.
        var above = min(profileLine - 2, document.originalLineCount - 1)
        while above >= 0 {
            if let current = document.currentLine(ofOriginal: above) { return min(current + 1, max(document.lineCount - 1, 0)) }
            above -= 1
        }
        return 0
    }

    /// The functions of a file, cached per open document and snapshot.
    func functions(path: String, document: Document?) -> [FunctionCost] {
        let kind = selectedKind
        let query = query
        guard query.hasCosts(inFile: path) else { return [] }
        if let document, let cached = document.cachedFunctions, cached.generation == viewGeneration, cached.kind == (kind?.id ?? "") {
            return cached.functions
        }
        let source = document?.originalLines ?? SourceText.lines(ofFile: path)
        let functions = query.functions(inFile: path, ranking: kind, source: source)
        document?.cachedFunctions = (viewGeneration, kind?.id ?? "", functions)
        return functions
    }

    /// The costed lines of a file, cached per open document and snapshot.
    func lineCosts(path: String, document: Document?) -> [LineCost] {
        if let document, let cached = document.cachedLines, cached.generation == viewGeneration {
            return cached.lines
        }
        let lines = query.lineCosts(file: path)
        document?.cachedLines = (viewGeneration, lines)
        return lines
    }

    /// Which moment of the series the numbers are, for the hover.
    func windowNote() -> String? {
        guard let kind = selectedKind, let (series, source) = seriesQuery.seriesSource(kind),
              let point = series.point(for: window, peakType: source.primaryType) else { return nil }
        let group = seriesQuery.profileSet.groups[source.group]
        let name = point < group.members.count ? String(FilePath.lastComponent(group.members[point].path)) : ""
        let offset = point == 0 ? "at the start of the series"
            : ValueFormat.label(series.times[point] &- series.times[0], from: "nanoseconds", to: "auto") + " into the series"
        let what = window == .peak ? "the \(kind.title) peak" : window == .latest ? "the latest profile" : "one profile"
        return "showing \(what): \(name), point \(point + 1) of \(series.points.count), \(offset)"
    }

    /// A line's share of its kind's total, in percent, for the thresholds: in a comparison the
    /// larger of its share now and in the baseline, so that a line whose cost vanished still shows.
    static func share(_ measure: MeasureCost) -> Double {
        let now = measure.total == 0 ? 0 : Double(measure.cum.magnitude) / Double(measure.total) * 100
        guard let baseline = measure.baseline, baseline.total != 0 else { return now }
        return max(now, Double(baseline.cum.magnitude) / Double(baseline.total) * 100)
    }

    /// A warning when the source file was modified after the newest profile was taken or written
    /// (`Snapshot.profileTime`: a checkout gives every file a fresh time, so the later counts).
    func staleNote(_ path: String) -> String? {
        guard let profileTime = snapshot.profileTime, let modified = FilePath.modificationTime(path),
              modified > profileTime + 1 else { return nil }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let name = FilePath.lastComponent(path)
        return "\(name) was modified (\(formatter.string(from: Date(timeIntervalSince1970: modified)))) after the profile was taken or written (\(formatter.string(from: Date(timeIntervalSince1970: profileTime)))); lines may have moved."
    }
}
