/// A reason why bytes could not be decoded as a pprof profile.
///
/// The decoder throws it with the byte offset where the problem was found; the loader wraps it
/// into a `ProfileLoadError` that also names the file, because a message without the file is
/// useless to someone who loaded a folder of forty profiles.
public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The offset in the uncompressed profile where decoding stopped, when it is known.
    public var offset: Int?
    public var message: String
    /// The file could not be read (rather than decoded): the loader reports it as such.
    var isReadFailure = false

    public init(_ message: String, at offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    /// A failed read of the profile's file, met while streaming it.
    static func readFailure(_ error: some Error & CustomStringConvertible) -> DecodeError {
        var failure = DecodeError(error.description)
        failure.isReadFailure = true
        return failure
    }

    public var description: String {
        if let offset { return "\(message) (at byte \(offset))" }
        return message
    }
}

/// A profile file that could not be loaded: which file, and what is wrong with it.
public struct ProfileLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path of the file, or a name given by the caller for in-memory data.
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
