/// `codeLens/resolve`: its params are the lens to complete. Lenses are sent resolved, so the
/// server returns the lens it is given; some clients ask anyway.
public struct CodeLensResolveRequest: LSPRequest {
    public static let method = "codeLens/resolve"
    public typealias Response = CodeLens

    public var lens: CodeLens

    public init(lens: CodeLens) { self.lens = lens }

    public init(from decoder: Decoder) throws {
        lens = try CodeLens(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        try lens.encode(to: encoder)
    }
}
