import ProfileModel

extension CostIndex {
    /// The line where a function is declared: the profile's start line; else the declaration
    /// found in `source` (the file's lines) above the first sampled line; else that first
    /// sampled line. Nil when the function has no sampled line in its own file.
    public func declarationLine(of key: FunctionKey, source: [Substring]?) -> Int? {
        let start = startLine(ofFunction: key)
        if start > 0 && start <= Int64(Int32.max) { return Int(start) }
        let sampled = sampledLineNumbers(ofFunction: key)
        guard let first = sampled.min().map({ Int($0) }), let last = sampled.max().map({ Int($0) }) else { return nil }
        if let source, let found = DeclarationFinder.find(function: functionName(key), firstLine: first, lastLine: last, in: source) {
            return found
        }
        return first
    }
}
