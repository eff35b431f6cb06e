/// Writing to stdout and stderr with plain `write(2)`: a log that cannot be written is dropped,
/// and the process goes on (see `FileDescriptorIO`).
public enum StandardStreams {
    public static func write(_ text: String, to descriptor: Int32) {
        var text = text
        _ = text.withUTF8 { FileDescriptorIO.writeAll(descriptor, UnsafeRawBufferPointer($0)) }
    }

    public static func error(_ text: String) { write(text, to: 2) }
    public static func output(_ text: String) { write(text, to: 1) }
}
