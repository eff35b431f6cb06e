/// Finds where a function is declared in its source, for profiles that do not record a start
/// line (Go before 1.20, most other languages' profilers): code lenses belong on the
/// declaration, not on the first line that happened to be sampled.
///
/// It searches upwards from the function's first sampled line for the nearest line that
/// declares the function's short name: after a declaration keyword (`func`, `def`, `fn`,
/// `function`, `fun`, ...), or, for C-like languages, as `name(` preceded by a type and not by a
/// call site. It gives up after `window` lines rather than guess.
public enum DeclarationFinder {
    static let keywords: Set<Substring> = ["func", "def", "fn", "function", "fun", "sub", "proc", "method", "async"]
    static let statementWords: Set<Substring> = ["return", "if", "else", "while", "for", "switch", "case", "throw", "new", "await", "yield", "defer", "go"]

    /// The 1-based declaration line, or nil. `firstLine` is the function's first sampled line.
    public static func find(function name: String, firstLine: Int, in source: [Substring], window: Int = 400) -> Int? {
        let short = shortName(name)
        guard !short.isEmpty, firstLine >= 1 else { return nil }
        var line = min(firstLine, source.count)
        let stop = max(1, firstLine - window)
        while line >= stop {
            if declares(source[line - 1], short) { return line }
            line -= 1
        }
        return nil
    }

    /// The bare name: `example.com/shop/pricing.discount` → `discount`,
    /// `inventory.(*Store).Add` → `Add`, `kafka/log/UnifiedLog.append` → `append`,
    /// `app::handlers::index::h0123abcd` → `index`, `Foo.bar(int)` → `bar`.
    /// Anonymous functions (`work.func1`, `<lambda>`) have none.
    public static func shortName(_ name: String) -> String {
        // Type arguments (`Sort[go.shape.int]`, `Vec<T>::push`) are not part of the name.
        var plain = ""
        var depth = 0
        for c in name {
            if c == "[" || c == "<" { depth += 1 } else if c == "]" || c == ">" { depth = max(0, depth - 1) } else if depth == 0 { plain.append(c) }
        }
        var text = Substring(plain.isEmpty ? name : plain)
        if let paren = text.lastIndex(of: "("), text.hasSuffix(")"), !text[paren...].contains(".") {
            text = text[..<paren]
        }
        let separators: Set<Character> = [".", "/", ":", "#", "\\", " "]
        var parts = text.split(whereSeparator: { separators.contains($0) })
        // Rust symbol hashes.
        if let last = parts.last, last.count == 17, last.first == "h", last.dropFirst().allSatisfy(\.isHexDigit) {
            parts.removeLast()
        }
        guard let last = parts.last else { return "" }
        if last.hasPrefix("func"), last.dropFirst(4).allSatisfy(\.isNumber) { return "" }
        guard let first = last.first, first.isLetter || first == "_" || first == "$" else { return "" }
        return String(last)
    }

    static func declares(_ line: Substring, _ name: String) -> Bool {
        let code = line.drop(while: { $0 == " " || $0 == "\t" })
        guard let range = findIdentifier(name, in: code) else { return false }
        let before = code[..<range.lowerBound]
        let after = code[range.upperBound...].drop(while: { $0 == " " })
        let words = before.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
        if words.contains(where: { keywords.contains($0) }) { return true }
        // C-like: `type name(` with no assignment, call or statement before it.
        guard after.first == "(", let firstWord = words.first, !statementWords.contains(firstWord) else { return false }
        if before.contains("=") || before.hasSuffix(".") || before.hasSuffix("->") || before.trimmingSuffixSpaces().isEmpty { return false }
        return !code.trimmingSuffixSpaces().hasSuffix(";")
    }

    static func findIdentifier(_ name: String, in text: Substring) -> Range<Substring.Index>? {
        var search = text[...]
        while let range = search.range(of: name) {
            let beforeOK = range.lowerBound == text.startIndex || !isIdentifierCharacter(text[text.index(before: range.lowerBound)])
            let afterOK = range.upperBound == text.endIndex || !isIdentifierCharacter(text[range.upperBound])
            if beforeOK && afterOK { return range }
            search = text[range.upperBound...]
        }
        return nil
    }

    static func isIdentifierCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" }
}

extension Substring {
    func trimmingSuffixSpaces() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }

    func range(of needle: String) -> Range<Substring.Index>? {
        guard !needle.isEmpty else { return nil }
        var start = startIndex
        while start < endIndex {
            guard let first = self[start...].firstIndex(of: needle.first!) else { return nil }
            if self[first...].hasPrefix(needle) {
                return first ..< index(first, offsetBy: needle.count)
            }
            start = index(after: first)
        }
        return nil
    }
}
