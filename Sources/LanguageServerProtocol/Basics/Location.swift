/// A range inside a document.
public struct Location: Codable, Hashable, Sendable {
    public var uri: DocumentURI
    public var range: Range

    public init(uri: DocumentURI, range: Range) {
        self.uri = uri
        self.range = range
    }
}
