import PprofFormat
import ProfileModel

// libFuzzer target for the profile loader (gzip and raw) and the index builder.
// The file is not main.swift: with `--sanitize fuzzer` SwiftPM compiles the target as a library
// module and libFuzzer's runtime supplies `main` (see Fuzz/README.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // A small cap keeps gzip bombs cheap and inside libFuzzer's -rss_limit_mb.
    let options = DecodeOptions(maxDecompressedBytes: 64 << 20)
    do {
        let decoded = try ProfileParser.decode(UnsafeBufferPointer(start: data, count: size), options: options)
        let index = CostIndex.build([decoded.profile])
        // Touch the lookups the editor uses, so their bounds are fuzzed too.
        for file in index.files.prefix(8) {
            for key in index.lineKeys(inFile: file).prefix(8) {
                _ = index.lineKey(file: file, line: index.lineNumber(key))
            }
        }
        _ = KindRecognizer.classify(decoded.profile)
    } catch {
        // Rejected input is the expected outcome for most mutations.
    }
    return 0
}
