/// Right-aligned columns for the terminal reports, as pprof aligns its own.
enum TextColumns {
    /// `text` right-aligned in `width` characters; longer text is left as it is.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
