import LanguageServerProtocol

/// A document with what an editor draws over it, as plain text that a golden file can hold and
/// a person can review: each code lens as a line of its own above the line it sits on, each
/// inlay hint in `⟨…⟩` at its position, in the manner of rust-analyzer's annotated fixtures.
///
/// ```
///     ▸ CPU 960ms (89.7%)  [profilelens.openLine → line 18]
/// func discount(x float64) float64 {
///         s += math.Sin(x/float64(k)) * math.Sqrt(float64(k)) // hottest line⟨230ms │ 960ms⟩
/// ```
public enum AnnotatedSource {
    public static func render(_ text: String, lenses: [CodeLens], hints: [InlayHint]) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lensesByLine: [Int: [CodeLens]] = [:]
        for lens in lenses { lensesByLine[lens.range.start.line, default: []].append(lens) }
        var hintsByLine: [Int: [InlayHint]] = [:]
        for hint in hints { hintsByLine[hint.position.line, default: []].append(hint) }
        var out: [String] = []
        for (number, line) in lines.enumerated() {
            for lens in lensesByLine[number] ?? [] {
                out.append("    ▸ " + describe(lens))
            }
            var rendered = line
            // Insert from the right so that earlier columns stay valid.
            for hint in (hintsByLine[number] ?? []).sorted(by: { $0.position.character > $1.position.character }) {
                let utf16 = Array(rendered.utf16)
                let column = min(max(hint.position.character, 0), utf16.count)
                let before = String(decoding: utf16[..<column], as: UTF16.self)
                let after = String(decoding: utf16[column...], as: UTF16.self)
                rendered = before + "⟨" + hint.label + "⟩" + after
            }
            out.append(rendered)
        }
        let outside = lenses.filter { $0.range.start.line >= lines.count }.map(describe)
            + hints.filter { $0.position.line >= lines.count }.map { "hint past the end: \($0.label)" }
        return (out + outside).joined(separator: "\n")
    }

    private static func describe(_ lens: CodeLens) -> String {
        guard let command = lens.command else { return "(unresolved lens)" }
        var text = command.title
        if let target = command.arguments?.first?["line"]?.numberValue {
            text += "  [\(command.command) → line \(Int(target) + 1)]"
        } else {
            text += "  [\(command.command)]"
        }
        return text
    }
}
