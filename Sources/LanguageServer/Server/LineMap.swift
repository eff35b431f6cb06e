/// Where each line of an edited buffer came from, so that annotations follow the text.
///
/// Costs describe the file as it was when it was opened (and, we hope, profiled). Each current
/// line maps to its original line, or to nil when it was typed or edited since: lines moved by
/// edits above them keep their costs, edited lines lose them rather than show a wrong number.
struct LineMap {
    /// For each current line (0-based), its original line (0-based) or nil.
    private(set) var origin: [Int?]
    /// The inverse, built on demand.
    private var currentOfOriginal: [Int: Int]?

    init(lineCount: Int) {
        origin = Array(0 ..< max(lineCount, 1))
    }

    var lineCount: Int { origin.count }

    func original(ofCurrent line: Int) -> Int? {
        line >= 0 && line < origin.count ? origin[line] : nil
    }

    mutating func current(ofOriginal line: Int) -> Int? {
        if currentOfOriginal == nil {
            var inverse: [Int: Int] = [:]
            for (current, original) in origin.enumerated() {
                if let original { inverse[original] = current }
            }
            currentOfOriginal = inverse
        }
        return currentOfOriginal?[line]
    }

    /// Replaces current lines `first ... last` by `replacement`, whose entries give the original
    /// line of each new line (nil for new or changed text).
    mutating func replace(_ first: Int, _ last: Int, with replacement: [Int?]) {
        let lower = max(0, min(first, origin.count))
        let upper = max(lower, min(last + 1, origin.count))
        origin.replaceSubrange(lower ..< upper, with: replacement)
        if origin.isEmpty { origin = [nil] }
        currentOfOriginal = nil
    }
}
