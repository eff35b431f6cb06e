import Foundation
import LanguageServerProtocol

/// The `params` of a JSON-RPC message, decoded as `T`. Absent or null params decode as `{}`,
/// which the parameter-less messages (`shutdown`, `exit`, ...) accept.
public struct MessageParams<T: Decodable>: Decodable {
    public let value: T

    enum CodingKeys: String, CodingKey { case params }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.params), try !container.decodeNil(forKey: .params) {
            value = try container.decode(T.self, forKey: .params)
        } else {
            value = try JSONCoding.decoder.decode(T.self, from: Data("{}".utf8))
        }
    }

    /// Decodes the params of a whole message.
    public static func decode(_ message: Data) throws -> T {
        try JSONCoding.decoder.decode(MessageParams<T>.self, from: message).value
    }
}
