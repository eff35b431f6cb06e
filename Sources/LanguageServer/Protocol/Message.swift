/// A JSON-RPC request or notification id: a number or a string, as the client chooses.
public enum RequestID: Hashable, Codable, Sendable, CustomStringConvertible {
    case number(Int)
    case string(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .number(let value): return String(value)
        case .string(let value): return "\"\(value)\""
        }
    }
}

/// A message type of the protocol: its method name travels with it.
public protocol LSPMessage: Codable, Sendable {
    static var method: String { get }
}

/// A request: the receiver answers with exactly one `Response` or an error.
public protocol LSPRequest: LSPMessage {
    associatedtype Response: Codable & Sendable
}

/// A notification: no answer.
public protocol LSPNotification: LSPMessage {}

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

/// An error answer, with the codes the JSON-RPC and LSP specifications define.
public struct ResponseError: Error, Codable, Hashable, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    public static let serverNotInitializedCode = -32002
    public static let requestCancelledCode = -32800

    public static func parseError(_ message: String) -> ResponseError { ResponseError(code: parseErrorCode, message: message) }
    public static func invalidRequest(_ message: String) -> ResponseError { ResponseError(code: invalidRequestCode, message: message) }
    public static func methodNotFound(_ method: String) -> ResponseError {
        ResponseError(code: methodNotFoundCode, message: "method not found: \(method)")
    }
    public static func invalidParams(_ message: String) -> ResponseError { ResponseError(code: invalidParamsCode, message: message) }
    public static func internalError(_ message: String) -> ResponseError { ResponseError(code: internalErrorCode, message: message) }
    public static let serverNotInitialized = ResponseError(code: serverNotInitializedCode, message: "the server has not been initialized")
    public static let cancelled = ResponseError(code: requestCancelledCode, message: "request cancelled")

    public var description: String { "\(message) (\(code))" }
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
