extension StringProtocol {
    /// The text without the given characters (each a `Character` of `set`) at either end: the
    /// framer's header fields and the toolchain's VERSION file, without Foundation.
    public func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
