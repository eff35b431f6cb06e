import Foundation

/// The encoders and decoders of the protocol, in one place.
public enum JSONCoding {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    public static var decoder: JSONDecoder { JSONDecoder() }

    /// Converts an encodable value to `JSONValue`, for results typed as arbitrary JSON.
    public static func value<T: Encodable>(_ value: T) -> JSONValue {
        guard let data = try? encoder.encode(value), let json = try? decoder.decode(JSONValue.self, from: data) else { return .null }
        return json
    }

    /// A short description of a decoding error for an error message: which field, and what
    /// was wrong with it.
    public static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "" : " at " + keys.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "missing \(type)\(path(context))"
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)'\(path(context))"
        case .dataCorrupted(let context): return "invalid data\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
