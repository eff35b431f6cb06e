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

    /// The 1-based declaration line, or nil. `firstLine` and `lastLine` are the function's first
    /// and last sampled lines (`lastLine` tells a Go literal's own line from a nested one's).
    public static func find(function name: String, firstLine: Int, lastLine: Int? = nil, in source: [Substring],
                            window: Int = 400) -> Int? {
        guard firstLine >= 1 else { return nil }
        if isGoFunctionLiteral(name) {
            return findFunctionLiteral(firstLine: firstLine, lastLine: lastLine ?? firstLine, in: source, window: window)
        }
        let short = shortName(name)
        guard !short.isEmpty else { return nil }
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

    /// Whether `name` is a Go function literal's: `main.work.func1`, nested `main.work.func1.2`
    /// (Go 1.21 and later), and the wrappers of `go` and `defer` statements (`gowrap1`). A bare
    /// number is a literal's only below one (`main.init.0` is a package's init function).
    static func isGoFunctionLiteral(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        guard parts.count >= 2 else { return false }
        func numbered(_ part: Substring, _ prefixes: [String]) -> Bool {
            prefixes.contains { prefix in
                let number = part.dropFirst(prefix.count)
                return part.hasPrefix(prefix) && !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
            }
        }
        let literal = ["func", "gowrap", "deferwrap"]
        if numbered(parts[parts.count - 1], literal) { return true }
        return numbered(parts[parts.count - 1], [""]) && parts.dropLast().contains { numbered($0, literal) }
    }

    /// The line of the `func(` literal that encloses `firstLine`: the sampled line itself when
    /// it holds one, else, going up, the first line that opens a brace left unclosed below it
    /// and holds `func(` (a `for` or `if` block opened there is stepped out of; a literal above
    /// that closes before `firstLine` is passed over). Nil when none is found within `window`.
    static func findFunctionLiteral(firstLine: Int, lastLine: Int, in source: [Substring], window: Int) -> Int? {
        guard firstLine <= source.count else { return nil }
        // The sampled line's own literal is the function's when every sampled line is inside
        // it; a literal that closes before the last sampled line is a nested one (a
        // `sort.Slice(s, func(...` call of the function's).
        if hasFunctionLiteral(source[firstLine - 1]), lastLine <= closingLine(of: firstLine, in: source, window: window) {
            return firstLine
        }
        var depth = 0
        var line = firstLine - 1
        let stop = max(1, firstLine - window)
        while line >= stop {
            let (opens, closes) = braces(source[line - 1])
            depth += closes - opens
            if depth < 0 {
                if hasFunctionLiteral(source[line - 1]) { return line }
                depth = 0
            }
            line -= 1
        }
        return nil
    }

    /// The line where the braces opened on `line` are closed again (`line` itself when they
    /// close there), or the last line looked at.
    static func closingLine(of line: Int, in source: [Substring], window: Int) -> Int {
        var depth = 0
        var current = line
        let stop = min(source.count, line + window)
        while current <= stop {
            let (opens, closes) = braces(source[current - 1])
            depth += opens - closes
            if depth <= 0 { return current }
            current += 1
        }
        return stop
    }

    /// Whether the line holds `func(` or `func (` not preceded by an identifier character (a
    /// literal, not a declaration named `func`-something).
    static func hasFunctionLiteral(_ line: Substring) -> Bool {
        let code = codeOnly(line)
        var search = code[...]
        while let range = findIdentifier("func", in: search) {
            if code[range.upperBound...].drop(while: { $0 == " " }).first == "(" {
                // `func (r *T) Name(` is a method declaration, not a literal: a name and its
                // parameters follow the receiver (a literal's result type is followed by `{`).
                let afterParen = code[range.upperBound...].drop(while: { $0 == " " }).dropFirst()
                if let close = afterParen.firstIndex(of: ")") {
                    let rest = afterParen[afterParen.index(after: close)...].drop(while: { $0 == " " })
                    let name = rest.prefix(while: isIdentifierCharacter)
                    if !name.isEmpty, let next = rest.dropFirst(name.count).first, next == "(" || next == "[" { return false }
                }
                return true
            }
            search = code[range.upperBound...]
        }
        return false
    }

    /// The opening and closing braces of a line of Go, outside strings, runes and comments.
    static func braces(_ line: Substring) -> (opens: Int, closes: Int) {
        let code = codeOnly(line)
        return (code.filter { $0 == "{" }.count, code.filter { $0 == "}" }.count)
    }

    /// The line without its `//` comment and with the contents of string and rune literals
    /// removed.
    static func codeOnly(_ line: Substring) -> Substring {
        var result = ""
        var quote: Character?
        var escaped = false
        var previous: Character?
        for c in line {
            if let open = quote {
                if escaped { escaped = false } else if c == "\\" && open != "`" { escaped = true } else if c == open { quote = nil; result.append(c) }
                continue
            }
            if c == "/" && previous == "/" { result.removeLast(); break }
            if c == "\"" || c == "'" || c == "`" { quote = c }
            result.append(c)
            previous = c
        }
        return Substring(result)
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
