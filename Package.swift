// swift-tools-version:6.0
// ProfileLens: profiler costs on the lines of code where they happen.
//
// The library targets, bottom up; each imports only what it declares:
//   SystemIO            the POSIX calls (files, folders, descriptors, processes), per platform
//   PprofFormat         decoding pprof profiles (gzip through the system's zlib)
//   ProfileModel        the per-line cost index, kinds, profile sources, path mapping
//   ProfileQuery        questions in editor terms and their words; plain values, no I/O, no LSP
//   LanguageServerProtocol  the LSP message types, one per file, and the JSON value type
//   JSONRPC             the transport: framing, the read loop, one reply per request,
//                       cancellation, back-pressure; it talks to any `MessageHandler`
//   LanguageServer      ProfileLens's handlers: documents, loading, watching, annotations
//   ProfileLensCLI      the commands; profilelens, the thin executable
// Only LanguageServerProtocol, JSONRPC and LanguageServer know LSP; only JSONRPC knows framing.
import PackageDescription

let package = Package(
    name: "ProfileLens",
    // macOS is meant to build (the platform calls are behind #if), but it is untested here.
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "profilelens", targets: ["profilelens"]),
        // libFuzzer targets; built only by Fuzz/fuzz.sh (see Fuzz/README.md).
        .executable(name: "FuzzProfile", targets: ["FuzzProfile"]),
        .executable(name: "FuzzJSONRPC", targets: ["FuzzJSONRPC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "SystemIO"),
        .target(name: "PprofFormat", dependencies: ["CZlib", "SystemIO"]),
        // Prefetch hints for ProfileModel's walks (a header of inline C functions).
        .target(name: "CPrefetch"),
        .target(name: "ProfileModel", dependencies: ["PprofFormat", "SystemIO", "CPrefetch"]),
        .target(name: "ProfileQuery", dependencies: ["ProfileModel", "PprofFormat"]),
        .target(name: "LanguageServerProtocol"),
        .target(name: "JSONRPC", dependencies: ["LanguageServerProtocol", "SystemIO"]),
        .target(
            name: "LanguageServer",
            dependencies: ["LanguageServerProtocol", "JSONRPC", "ProfileQuery", "ProfileModel", "PprofFormat", "SystemIO"]
        ),
        .target(
            name: "ProfileLensCLI",
            dependencies: [
                "LanguageServer", "JSONRPC", "ProfileQuery", "ProfileModel", "PprofFormat", "SystemIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "profilelens", dependencies: ["ProfileLensCLI"]),

        .executableTarget(name: "FuzzProfile", dependencies: ["PprofFormat", "ProfileModel"], path: "Fuzz/FuzzProfile"),
        .executableTarget(
            name: "FuzzJSONRPC",
            dependencies: ["JSONRPC", "LanguageServer", "SystemIO"],
            path: "Fuzz/FuzzJSONRPC"
        ),

        .target(
            name: "TestSupport",
            dependencies: ["LanguageServer", "LanguageServerProtocol", "JSONRPC", "SystemIO", "CZlib"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "PprofFormatTests", dependencies: ["PprofFormat", "SystemIO", "TestSupport"]),
        .testTarget(name: "ProfileModelTests", dependencies: ["ProfileModel", "PprofFormat", "SystemIO", "TestSupport"]),
        .testTarget(name: "ProfileQueryTests", dependencies: ["ProfileQuery", "ProfileModel", "PprofFormat", "TestSupport"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "LanguageServerProtocol", "SystemIO", "TestSupport"]),
        .testTarget(
            name: "LanguageServerTests",
            dependencies: ["LanguageServer", "LanguageServerProtocol", "JSONRPC", "ProfileModel", "TestSupport"]
        ),
        .testTarget(
            name: "ProfileLensCLITests",
            dependencies: ["ProfileLensCLI", "ProfileQuery", "ProfileModel", "PprofFormat", "SystemIO", "TestSupport"]
        ),
    ]
)
