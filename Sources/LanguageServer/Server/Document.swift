import Foundation
import ProfileQuery
import LanguageServerProtocol
import ProfileModel

/// An open document: its current text, the text it had when opened, and how lines moved since.
final class Document {
    let uri: DocumentURI
    let path: String?
    var version: Int
    /// The current text, line by line.
    private(set) var lines: [String]
    /// The text when it was opened: the line numbers costs refer to.
    let originalLines: [Substring]
    private(set) var map: LineMap
    /// Per-snapshot caches of what the annotations need; cleared when the snapshot changes.
    var cachedFunctions: (generation: Int, kind: String, functions: [FunctionCost])?
    var cachedLines: (generation: Int, lines: [LineCost])?
    /// The encoded code lens answer: lenses change only with the snapshot, the kind or an edit,
    /// and encoding a hundred of them costs more than computing them.
    var cachedLenses: (key: String, data: Data)?
    /// The inlay hints of the whole document, and the last encoded answer for a range.
    var cachedHints: (key: String, hints: [InlayHint])?
    var cachedHintAnswer: (key: String, data: Data)?
    /// Bumped by every edit.
    private(set) var editCount = 0

    init(uri: DocumentURI, path: String?, version: Int, text: String) {
        self.uri = uri
        self.path = path
        self.version = version
        let split = SourceText.lines(of: text, keepingLineAfterFinalNewline: true)
        lines = split.map(String.init)
        originalLines = split
        map = LineMap(lineCount: split.count)
    }

    /// A buffer's lines, as the editor counts them.
    static func split(_ text: String) -> [String] {
        SourceText.lines(of: text, keepingLineAfterFinalNewline: true).map(String.init)
    }

    /// The current line a costed original line is on, or nil when it was edited away.
    func currentLine(ofOriginal line: Int) -> Int? {
        map.current(ofOriginal: line)
    }

    func originalLine(ofCurrent line: Int) -> Int? {
        map.original(ofCurrent: line)
    }

    var lineCount: Int { lines.count }

    /// The length of a current line in UTF-16 code units, where an end-of-line hint goes.
    func utf16Length(ofLine line: Int) -> Int {
        line >= 0 && line < lines.count ? lines[line].utf16.count : 0
    }

    /// Applies one change from `textDocument/didChange`.
    func apply(_ change: DidChangeTextDocumentNotification.Change) {
        editCount += 1
        guard let range = change.range else {
            replaceAll(with: Document.split(change.text))
            return
        }
        let start = clamp(range.start)
        let end = clamp(range.end)
        let (from, to) = start.line < end.line || (start.line == end.line && start.character <= end.character) ? (start, end) : (end, start)
        let prefix = Self.prefix(of: lines[from.line], utf16: from.character)
        let suffix = Self.suffix(of: lines[to.line], utf16: to.character)
        let replaced = Document.split(prefix + change.text + suffix)
        // A new line whose text is exactly an old line of the region keeps that line's origin:
        // typing Enter at the end of a line, or inserting whole lines above one, moves lines
        // without changing them.
        var origins = [Int?](repeating: nil, count: replaced.count)
        if replaced.first == lines[from.line] { origins[0] = map.original(ofCurrent: from.line) }
        if replaced.count > 1 || from.line == to.line, replaced.last == lines[to.line] {
            origins[replaced.count - 1] = map.original(ofCurrent: to.line)
        }
        lines.replaceSubrange(from.line ... to.line, with: replaced)
        map.replace(from.line, to.line, with: origins)
    }

    /// A whole-text change: lines that match at the start and at the end keep their origins.
    private func replaceAll(with newLines: [String]) {
        var common = 0
        while common < newLines.count, common < lines.count, newLines[common] == lines[common] { common += 1 }
        var tail = 0
        while tail < newLines.count - common, tail < lines.count - common,
              newLines[newLines.count - 1 - tail] == lines[lines.count - 1 - tail] {
            tail += 1
        }
        var origins = [Int?](repeating: nil, count: newLines.count)
        for i in 0 ..< common { origins[i] = map.original(ofCurrent: i) }
        for i in 0 ..< tail { origins[newLines.count - 1 - i] = map.original(ofCurrent: lines.count - 1 - i) }
        lines = newLines
        map.replace(0, map.lineCount - 1, with: origins)
    }

    private func clamp(_ position: Position) -> Position {
        let line = min(max(position.line, 0), lines.count - 1)
        return Position(line: line, character: min(max(position.character, 0), lines[line].utf16.count))
    }

    static func prefix(of line: String, utf16 offset: Int) -> String {
        let index = line.utf16.index(line.utf16.startIndex, offsetBy: min(offset, line.utf16.count))
        return String(line[..<(index.samePosition(in: line) ?? index)])
    }

    static func suffix(of line: String, utf16 offset: Int) -> String {
        let index = line.utf16.index(line.utf16.startIndex, offsetBy: min(offset, line.utf16.count))
        return String(line[(index.samePosition(in: line) ?? index)...])
    }
}
