import Foundation
import ProfileQuery
import LanguageServerProtocol
import ProfileModel

/// An open document: its current text, the text it had when opened, and how lines moved since.
///
/// The current text is one byte buffer with the offset of each line, not an object per line, so
/// that a document of tens of megabytes (a generated file the profiles never mention) costs its
/// size and a few bytes a line, and an edit costs a copy of the bytes rather than a million
/// allocations.
final class Document {
    let uri: DocumentURI
    let path: String?
    var version: Int
    /// The current text.
    private(set) var text: DocumentText
    /// The text when it was opened: the line numbers costs refer to.
    private let originalText: String
    /// The lines of the text when it was opened, split when first asked for (only documents
    /// with costs need them).
    private(set) lazy var originalLines: [Substring] = SourceText.lines(of: originalText, keepingLineAfterFinalNewline: true)
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
        originalText = text
        self.text = DocumentText(text)
        map = LineMap(lineCount: self.text.lineCount)
    }

    /// The current line a costed original line is on, or nil when it was edited away.
    func currentLine(ofOriginal line: Int) -> Int? {
        map.current(ofOriginal: line)
    }

    func originalLine(ofCurrent line: Int) -> Int? {
        map.original(ofCurrent: line)
    }

    var lineCount: Int { text.lineCount }
    var originalLineCount: Int { map.originalLineCount }

    /// The length of a current line in UTF-16 code units, where an end-of-line hint goes.
    func utf16Length(ofLine line: Int) -> Int {
        line >= 0 && line < text.lineCount ? text.utf16Count(ofLine: line) : 0
    }

    /// Applies one change from `textDocument/didChange`.
    func apply(_ change: DidChangeTextDocumentNotification.Change) {
        guard let range = change.range else {
            apply(replacingAllWith: DocumentText(change.text))
            return
        }
        editCount += 1
        let start = clamp(range.start)
        let end = clamp(range.end)
        let (from, to) = start.line < end.line || (start.line == end.line && start.character <= end.character) ? (start, end) : (end, start)
        let oldFirst = Array(text.content(ofLine: from.line))
        let oldLast = Array(text.content(ofLine: to.line))
        let replaced = text.replace(fromLine: from.line, utf16: from.character, toLine: to.line, utf16: to.character,
                                    with: Array(change.text.utf8))
        // A new line whose text is exactly an old line of the region keeps that line's origin:
        // typing Enter at the end of a line, or inserting whole lines above one, moves lines
        // without changing them.
        var origins = [Int?](repeating: nil, count: replaced.count)
        if text.line(replaced.lowerBound, equals: oldFirst) { origins[0] = map.original(ofCurrent: from.line) }
        // One old line split into two equal lines gives its origin to the first only: two
        // lines with one origin would show the same costs twice.
        if replaced.count > 1 || from.line == to.line, !(from.line == to.line && replaced.count > 1 && origins[0] != nil),
           text.line(replaced.upperBound - 1, equals: oldLast) {
            origins[replaced.count - 1] = map.original(ofCurrent: to.line)
        }
        map.replace(from.line, to.line, with: origins)
        restoreUnchangedLines(around: replaced.lowerBound ..< replaced.upperBound)
    }

    /// Lines that lost their origin to an edit but whose text is again what it was (the edit
    /// was undone, or typed back) get their origin, and their costs, back. Each run of unmapped
    /// lines that the edit touched lies between two mapped lines, or the document's ends; its
    /// lines are matched against the original lines between those two origins, from the top
    /// and from the bottom, as far as they are equal, so the map stays increasing.
    private func restoreUnchangedLines(around edited: Swift.Range<Int>) {
        guard map.isEdited, !edited.isEmpty, text.lineCount > 0 else { return }
        // A paste of a whole file is not an undo: runs longer than this are left as they are.
        let reach = 10_000
        var line = max(0, edited.lowerBound)
        let last = min(edited.upperBound, text.lineCount) - 1
        while line <= last {
            guard map.original(ofCurrent: line) == nil else { line += 1; continue }
            var low = line, high = line
            while low > 0, map.original(ofCurrent: low - 1) == nil, line - low < reach { low -= 1 }
            while high + 1 < text.lineCount, map.original(ofCurrent: high + 1) == nil, high - line < reach { high += 1 }
            line = high + 1
            let above: Int, below: Int
            if low == 0 { above = -1 } else if let origin = map.original(ofCurrent: low - 1) { above = origin } else { continue }
            if high + 1 >= text.lineCount { below = originalLines.count } else if let origin = map.original(ofCurrent: high + 1) { below = origin } else { continue }
            restore(low ... high, between: above, and: below)
        }
    }

    /// Matches the unmapped lines `run` against the original lines strictly between `above`
    /// and `below`, from both ends.
    private func restore(_ run: ClosedRange<Int>, between above: Int, and below: Int) {
        guard below - above > 1 else { return }
        func same(_ line: Int, _ original: Int) -> Bool {
            original >= 0 && original < originalLines.count && text.content(ofLine: line).elementsEqual(originalLines[original].utf8)
        }
        var top = run.lowerBound, nextOriginal = above + 1
        while top <= run.upperBound, nextOriginal < below, same(top, nextOriginal) {
            map.restore(top, to: nextOriginal)
            top += 1
            nextOriginal += 1
        }
        var bottom = run.upperBound, previousOriginal = below - 1
        while bottom >= top, previousOriginal >= nextOriginal, same(bottom, previousOriginal) {
            map.restore(bottom, to: previousOriginal)
            bottom -= 1
            previousOriginal -= 1
        }
    }

    /// A whole-text change, its text already split (possibly off the server's queue): lines that
    /// match at the start and at the end keep their origins.
    func apply(replacingAllWith newText: DocumentText) {
        editCount += 1
        let old = text
        var common = 0
        while common < newText.lineCount, common < old.lineCount,
              newText.line(common, equals: common, of: old) {
            common += 1
        }
        var tail = 0
        while tail < newText.lineCount - common, tail < old.lineCount - common,
              newText.line(newText.lineCount - 1 - tail, equals: old.lineCount - 1 - tail, of: old) {
            tail += 1
        }
        var origins = [Int?](repeating: nil, count: newText.lineCount)
        for i in 0 ..< common { origins[i] = map.original(ofCurrent: i) }
        for i in 0 ..< tail { origins[newText.lineCount - 1 - i] = map.original(ofCurrent: old.lineCount - 1 - i) }
        text = newText
        map.replace(0, map.lineCount - 1, with: origins)
        if common + tail < newText.lineCount { restoreUnchangedLines(around: common ..< newText.lineCount - tail) }
    }

    private func clamp(_ position: Position) -> Position {
        let line = min(max(position.line, 0), text.lineCount - 1)
        return Position(line: line, character: min(max(position.character, 0), text.utf16Count(ofLine: line)))
    }
}

/// A text as UTF-8 bytes and the offset where each line starts.
///
/// Lines are split as `SourceText.lines` splits a `String`, so that a document and the file on
/// disk count lines alike: at each `\n` that is a character of its own (a `\r\n` pair is one
/// character in Swift, and does not split), with one `\r` dropped from the end of a line.
struct DocumentText: Sendable {
    private(set) var bytes: [UInt8]
    /// Line `i` is `bytes[lineStart[i] ..< lineStart[i + 1] - 1]` (the `\n` left out); the
    /// last line runs to the end. Never empty.
    private(set) var lineStart: [Int]

    init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        lineStart = [0]
        lineStart.append(contentsOf: Self.lineBreaks(bytes, in: 0 ..< bytes.count))
    }

    var lineCount: Int { lineStart.count }

    /// The offsets just after each line break in `range` of `bytes`.
    private static func lineBreaks(_ bytes: [UInt8], in range: Swift.Range<Int>) -> [Int] {
        var starts: [Int] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var i = range.lowerBound
            while i < range.upperBound {
                guard let found = memchr(base + i, 0x0A, range.upperBound - i) else { break }
                let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                if at == 0 || base[at - 1] != 0x0D { starts.append(at + 1) }
                i = at + 1
            }
        }
        return starts
    }

    /// The bytes of a line between its start and its line break.
    private func rawRange(ofLine line: Int) -> Swift.Range<Int> {
        let start = lineStart[line]
        let end = line + 1 < lineStart.count ? lineStart[line + 1] - 1 : bytes.count
        return start ..< end
    }

    /// A line's text: without its line break, and without a `\r` before it.
    func content(ofLine line: Int) -> ArraySlice<UInt8> {
        let raw = rawRange(ofLine: line)
        if raw.upperBound > raw.lowerBound, bytes[raw.upperBound - 1] == 0x0D { return bytes[raw.lowerBound ..< raw.upperBound - 1] }
        return bytes[raw]
    }

    /// Whether a line of this text and a line of another (or the same) have the same bytes.
    func line(_ line: Int, equals otherLine: Int, of other: DocumentText) -> Bool {
        content(ofLine: line).withUnsafeBufferPointer { a in
            other.content(ofLine: otherLine).withUnsafeBufferPointer { b in
                a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    /// Whether a line has exactly these bytes.
    func line(_ line: Int, equals bytes: [UInt8]) -> Bool {
        content(ofLine: line).withUnsafeBufferPointer { a in
            bytes.withUnsafeBufferPointer { b in
                a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
    }

    /// A line's length in UTF-16 code units.
    func utf16Count(ofLine line: Int) -> Int {
        var count = 0
        for byte in content(ofLine: line) {
            // A lead byte starts a scalar; four-byte scalars take two UTF-16 units.
            if byte & 0xC0 != 0x80 { count += byte >= 0xF0 ? 2 : 1 }
        }
        return count
    }

    /// The byte offset of a UTF-16 position on a line, rounded down to the start of a scalar.
    private func byteOffset(line: Int, utf16 position: Int) -> Int {
        let content = content(ofLine: line)
        var units = 0
        var offset = content.startIndex
        while offset < content.endIndex {
            let byte = content[offset]
            let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            let scalarUnits = byte >= 0xF0 ? 2 : 1
            if units + scalarUnits > position { break }
            units += scalarUnits
            offset = min(offset + width, content.endIndex)
        }
        return offset
    }

    /// Replaces the text between two positions (`from` not after `to`) by `replacement`;
    /// returns the lines that now stand where lines `fromLine ... toLine` were.
    mutating func replace(fromLine: Int, utf16 fromCharacter: Int, toLine: Int, utf16 toCharacter: Int,
                          with replacement: [UInt8]) -> Swift.Range<Int> {
        let start = byteOffset(line: fromLine, utf16: fromCharacter)
        let end = max(start, byteOffset(line: toLine, utf16: toCharacter))
        let regionStart = lineStart[fromLine]
        let oldRegionEnd = rawRange(ofLine: toLine).upperBound
        bytes.replaceSubrange(start ..< end, with: replacement)
        let delta = replacement.count - (end - start)
        let regionEnd = oldRegionEnd + delta
        // The region's lines are split again; the lines after it move by `delta`.
        if regionEnd < bytes.count, regionEnd > regionStart, bytes[regionEnd - 1] == 0x0D {
            // The region now ends in `\r` before the next line's break, which stops being one:
            // rare enough to split the whole text again.
            let oldCount = lineStart.count
            lineStart = [0] + Self.lineBreaks(bytes, in: 0 ..< bytes.count)
            let count = max(1, lineStart.count - (oldCount - (toLine - fromLine + 1)))
            return fromLine ..< min(fromLine + count, lineStart.count)
        }
        let starts = [regionStart] + Self.lineBreaks(bytes, in: regionStart ..< regionEnd)
        if delta != 0 {
            lineStart.withUnsafeMutableBufferPointer { starts in
                for i in toLine + 1 ..< starts.count { starts[i] += delta }
            }
        }
        lineStart.replaceSubrange(fromLine ... toLine, with: starts)
        return fromLine ..< fromLine + starts.count
    }
}
