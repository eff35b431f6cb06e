/// A message type of the protocol: its method name travels with it.
public protocol LSPMessage: Codable, Sendable {
    static var method: String { get }
}

/// A request: the receiver answers with exactly one `Response` or an error.
public protocol LSPRequest: LSPMessage {
    associatedtype Response: Codable & Sendable
}

/// A notification: no answer.
public protocol LSPNotification: LSPMessage {
    /// Whether a transport may drop it when the client is not reading: true for messages that
    /// only inform (logs, progress), never for ones that change what the client shows.
    static var isDroppable: Bool { get }
}

extension LSPNotification {
    public static var isDroppable: Bool { false }
}

/// A parameter-less message (`shutdown`, `exit`, `initialized`, the refresh requests), which
/// clients send with `params` absent, `null` or `{}`.
public protocol EmptyParams: Codable {
    init()
}

extension EmptyParams {
    public init(from decoder: Decoder) throws { self.init() }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

/// The result of a request whose answer is `null`.
public struct VoidResponse: Codable, Hashable, Sendable {
    public init() {}
    public init(from decoder: Decoder) throws {}
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}
