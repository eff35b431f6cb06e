// swift-tools-version:6.0
// ProfileLens: profiler costs on the lines of code where they happen.
//
// The library targets are layered strictly downward; each depends only on the one below it:
//   PprofFormat (decoding) → ProfileModel (per-line index, kinds, path mapping)
//   → ProfileQuery (hot lines and functions, formatting; plain values, no LSP)
//   → LanguageServer (LSP messages and handlers) → JSONRPC (framing and dispatch on stdio)
//   → ProfileLensCLI (commands) → profilelens (the thin executable).
// Only LanguageServer and JSONRPC know LSP or JSON-RPC.
import PackageDescription

let package = Package(
    name: "ProfileLens",
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
        .target(name: "PprofFormat", dependencies: ["CZlib"]),
        .target(name: "ProfileModel", dependencies: ["PprofFormat"]),
        .target(name: "ProfileQuery", dependencies: ["ProfileModel"]),
        .target(name: "LanguageServer", dependencies: ["ProfileQuery"]),
        .target(name: "JSONRPC", dependencies: ["LanguageServer"]),
        .target(
            name: "ProfileLensCLI",
            dependencies: [
                "JSONRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "profilelens", dependencies: ["ProfileLensCLI"]),

        .executableTarget(name: "FuzzProfile", dependencies: ["PprofFormat", "ProfileModel"], path: "Fuzz/FuzzProfile"),
        .executableTarget(name: "FuzzJSONRPC", dependencies: ["JSONRPC", "LanguageServer"], path: "Fuzz/FuzzJSONRPC"),

        .target(name: "TestSupport", dependencies: ["JSONRPC", "CZlib"], path: "Tests/TestSupport"),
        .testTarget(name: "PprofFormatTests", dependencies: ["PprofFormat", "TestSupport"]),
        .testTarget(name: "ProfileModelTests", dependencies: ["ProfileModel", "TestSupport"]),
        .testTarget(name: "ProfileQueryTests", dependencies: ["ProfileQuery", "TestSupport"]),
        .testTarget(name: "LanguageServerTests", dependencies: ["JSONRPC", "TestSupport"]),
        .testTarget(name: "ProfileLensCLITests", dependencies: ["ProfileLensCLI", "TestSupport"]),
    ]
)
