/// Where each line of an edited buffer came from, so that annotations follow the text.
///
/// Costs describe the file as it was when it was opened (and, we hope, profiled). Each current
/// line maps to its original line, or to nil when it was typed or edited since: lines moved by
/// edits above them keep their costs, edited lines lose them rather than show a wrong number.
///
/// A buffer that was never edited costs nothing: the map is the identity until the first edit,
/// then 4 bytes a line.
struct LineMap {
    /// For each current line (0-based), its original line (0-based) or -1; nil while the map is
    /// the identity over `identityCount` lines.
    private var origin: [Int32]?
    private var identityCount: Int
    /// The inverse, built on demand: per original line, its current line or -1.
    private var currentOfOriginal: [Int32]?

    init(lineCount: Int) {
        origin = nil
        identityCount = max(lineCount, 1)
    }

    var lineCount: Int { origin?.count ?? identityCount }
    /// The number of lines the document had when it was opened.
    var originalLineCount: Int { identityCount }

    /// Whether any edit changed the map (else it is the identity).
    var isEdited: Bool { origin != nil }

    func original(ofCurrent line: Int) -> Int? {
        guard line >= 0, line < lineCount else { return nil }
        guard let origin else { return line }
        let original = origin[line]
        return original >= 0 ? Int(original) : nil
    }

    mutating func current(ofOriginal line: Int) -> Int? {
        guard let origin else { return line >= 0 && line < identityCount ? line : nil }
        if currentOfOriginal == nil {
            var inverse = [Int32](repeating: -1, count: identityCount)
            for (current, original) in origin.enumerated() where original >= 0 && Int(original) < inverse.count {
                inverse[Int(original)] = Int32(truncatingIfNeeded: current)
            }
            currentOfOriginal = inverse
        }
        guard let inverse = currentOfOriginal, line >= 0, line < inverse.count, inverse[line] >= 0 else { return nil }
        return Int(inverse[line])
    }

    /// Gives current line `line` back its original line `original`: its text is that line's
    /// again (an undo). The caller keeps the map increasing: `original` lies between the
    /// origins of the nearest mapped lines around `line`.
    mutating func restore(_ line: Int, to original: Int) {
        guard origin != nil, line >= 0, line < lineCount, original >= 0, original < identityCount else { return }
        // In place: a copy of the map would copy every line of the document.
        origin![line] = Int32(truncatingIfNeeded: original)
        currentOfOriginal = nil
    }

    /// Replaces current lines `first ... last` by `replacement`, whose entries give the original
    /// line of each new line (nil for new or changed text).
    mutating func replace(_ first: Int, _ last: Int, with replacement: [Int?]) {
        if origin == nil { origin = (0 ..< Int32(truncatingIfNeeded: identityCount)).map { $0 } }
        let count = lineCount
        let lower = max(0, min(first, count))
        let upper = max(lower, min(last + 1, count))
        // In place, as for `restore`: each keystroke changes a few entries of a long array.
        origin!.replaceSubrange(lower ..< upper, with: replacement.map { $0.map { Int32(truncatingIfNeeded: $0) } ?? -1 })
        if origin!.isEmpty { origin = [-1] }
        currentOfOriginal = nil
    }
}
