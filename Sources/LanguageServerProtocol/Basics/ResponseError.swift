/// The error codes the JSON-RPC and LSP specifications define, as far as this server uses them.
public enum ErrorCode: Int, Codable, Hashable, Sendable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestCancelled = -32800
}

/// An error answer. The code is kept as a plain integer when decoding, because a client may
/// answer our requests with codes this server has no name for.
public struct ResponseError: Error, Codable, Hashable, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public init(_ code: ErrorCode, _ message: String) {
        self.init(code: code.rawValue, message: message)
    }

    public static func parseError(_ message: String) -> ResponseError { ResponseError(.parseError, message) }
    public static func invalidRequest(_ message: String) -> ResponseError { ResponseError(.invalidRequest, message) }
    public static func methodNotFound(_ method: String) -> ResponseError { ResponseError(.methodNotFound, "method not found: \(method)") }
    public static func invalidParams(_ message: String) -> ResponseError { ResponseError(.invalidParams, message) }
    public static func internalError(_ message: String) -> ResponseError { ResponseError(.internalError, message) }
    public static let serverNotInitialized = ResponseError(.serverNotInitialized, "the server has not been initialized")
    public static let cancelled = ResponseError(.requestCancelled, "request cancelled")

    public var description: String { "\(message) (\(code))" }
}
