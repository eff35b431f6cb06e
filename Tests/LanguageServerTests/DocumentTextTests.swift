import Foundation
import LanguageServerProtocol
import ProfileModel
import Testing
@testable import LanguageServer

/// The byte-buffer document against the line-array document it replaced: random edits, the
/// same lines and the same origins.
@Suite struct DocumentTextTests {
    /// The previous implementation: one `String` per line.
    final class Reference {
        var lines: [String]
        var origin: [Int?]

        init(_ text: String) {
            lines = SourceText.lines(of: text, keepingLineAfterFinalNewline: true).map(String.init)
            origin = Array(0 ..< max(lines.count, 1))
        }

        func apply(_ change: DidChangeTextDocumentNotification.Change) {
            guard let range = change.range else {
                let newLines = SourceText.lines(of: change.text, keepingLineAfterFinalNewline: true).map(String.init)
                var common = 0
                while common < newLines.count, common < lines.count, newLines[common] == lines[common] { common += 1 }
                var tail = 0
                while tail < newLines.count - common, tail < lines.count - common,
                      newLines[newLines.count - 1 - tail] == lines[lines.count - 1 - tail] { tail += 1 }
                var origins = [Int?](repeating: nil, count: newLines.count)
                for i in 0 ..< common { origins[i] = origin[i] }
                for i in 0 ..< tail { origins[newLines.count - 1 - i] = origin[lines.count - 1 - i] }
                lines = newLines
                origin = origins
                return
            }
            func clamp(_ p: Position) -> Position {
                let line = min(max(p.line, 0), lines.count - 1)
                return Position(line: line, character: min(max(p.character, 0), lines[line].utf16.count))
            }
            let start = clamp(range.start), end = clamp(range.end)
            let (from, to) = start.line < end.line || (start.line == end.line && start.character <= end.character) ? (start, end) : (end, start)
            func prefix(_ line: String, _ offset: Int) -> String {
                let index = line.utf16.index(line.utf16.startIndex, offsetBy: min(offset, line.utf16.count))
                return String(line[..<(index.samePosition(in: line) ?? index)])
            }
            func suffix(_ line: String, _ offset: Int) -> String {
                let index = line.utf16.index(line.utf16.startIndex, offsetBy: min(offset, line.utf16.count))
                return String(line[(index.samePosition(in: line) ?? index)...])
            }
            let replaced = SourceText.lines(of: prefix(lines[from.line], from.character) + change.text + suffix(lines[to.line], to.character),
                                            keepingLineAfterFinalNewline: true).map(String.init)
            var origins = [Int?](repeating: nil, count: replaced.count)
            if replaced.first == lines[from.line] { origins[0] = origin[from.line] }
            if replaced.count > 1 || from.line == to.line, !(from.line == to.line && replaced.count > 1 && origins[0] != nil),
               replaced.last == lines[to.line] { origins[replaced.count - 1] = origin[to.line] }
            lines.replaceSubrange(from.line ... to.line, with: replaced)
            origin.replaceSubrange(from.line ... to.line, with: origins)
        }
    }

    static func lines(of document: Document) -> [String] {
        (0 ..< document.lineCount).map { String(decoding: document.text.content(ofLine: $0), as: UTF8.self) }
    }

    @Test func randomEditsMatchTheLineArrayDocument() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "bc", "\n", "\n\n", "é", "日本", "🙂", "x\ny", " ", "func f() {", "}", "\t"]
        for round in 0 ..< 40 {
            var text = ""
            for _ in 0 ..< Int.random(in: 0 ... 60, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let document = Document(uri: DocumentURI("file:///t.go"), path: "/t.go", version: 1, text: text)
            let reference = Reference(text)
            let originalLines = reference.lines
            for step in 0 ..< 30 {
                let change: DidChangeTextDocumentNotification.Change
                var inserted = ""
                for _ in 0 ..< Int.random(in: 0 ... 4, using: &generator) { inserted += pieces.randomElement(using: &generator)! }
                if Int.random(in: 0 ..< 10, using: &generator) == 0 {
                    change = .init(range: nil, text: Self.lines(of: document).shuffled(using: &generator).prefix(5).joined(separator: "\n") + inserted)
                } else {
                    func position() -> Position {
                        let line = Int.random(in: 0 ... reference.lines.count, using: &generator)
                        // Only positions between characters: editors never split one.
                        let characters = line < reference.lines.count ? Array(reference.lines[line]) : []
                        let k = Int.random(in: 0 ... characters.count, using: &generator)
                        return Position(line: line, character: String(characters.prefix(k)).utf16.count)
                    }
                    change = .init(range: LanguageServerProtocol.Range(start: position(), end: position()), text: inserted)
                }
                document.apply(change)
                reference.apply(change)
                #expect(Self.lines(of: document) == reference.lines, "round \(round) step \(step)")
                // The document keeps every origin the line-array document kept, and may give
                // back more (an undone edit): only to lines whose text is the original line's
                // again, in increasing order.
                let origins = (0 ..< reference.lines.count).map { document.originalLine(ofCurrent: $0) }
                for (line, kept) in reference.origin.enumerated() where kept != nil {
                    #expect(origins[line] == kept, "round \(round) step \(step) line \(line)")
                }
                for (line, restored) in origins.enumerated() where restored != nil && reference.origin[line] == nil {
                    #expect(reference.lines[line] == originalLines[restored!], "round \(round) step \(step) line \(line)")
                }
                let mapped = origins.compactMap { $0 }
                #expect(zip(mapped, mapped.dropFirst()).allSatisfy { $0 < $1 }, "round \(round) step \(step): \(origins) reference \(reference.origin)")
                #expect((0 ..< reference.lines.count).map { document.utf16Length(ofLine: $0) } == reference.lines.map(\.utf16.count))
            }
        }
    }
}
