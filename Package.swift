// swift-tools-version:6.0
// ProfileLens: profiler costs on the lines of code where they happen.
//
// The library targets, bottom up; each imports only what it declares:
//   SystemIO            the POSIX calls (files, folders, descriptors, processes), per platform
//   PprofFormat         decoding pprof profiles (gzip through the system's zlib)
//   ProfileModel        the per-line cost index, kinds, profile sources, path mapping
//   ProfileQuery        questions in editor terms and their words; plain values, no I/O, no LSP
//   RemoteProfiles      live sources: Go /debug/pprof endpoints and Grafana Pyroscope queries over
//                       HTTP (AsyncHTTPClient), refreshed on an interval; the only network I/O
//   LanguageServerProtocol  the LSP message types, one per file, and the JSON value type
//   JSONRPC             the transport: framing, the read loop, one reply per request,
//                       cancellation, back-pressure; it talks to any `MessageHandler`
//   LanguageServer      ProfileLens's handlers: documents, loading, watching, annotations
//   ProfileLensCLI      the commands; profilelens, the thin executable
// Only LanguageServerProtocol, JSONRPC and LanguageServer know LSP; only JSONRPC knows framing.
// AsyncHTTPClient (SwiftNIO, BoringSSL) is Swift and C only: it links statically with
// `--static-swift-stdlib`, where Foundation's URLSession would need libcurl.
import PackageDescription

// Code layout, for release builds on Linux: every function of ProfileLens's own modules in a
// section of its own, and the functions `profilelens top` runs laid out together by the linker,
// in the order `Scripts/code-order.py` measured (Sources/profilelens/code-order.txt). The kernel
// maps code 64 kB around each page a process touches; scattered over 15 MB of code, those
// functions cost `top` about 2 MB of memory more than `--version`, together a few hundred kB.
// gold is the toolchain's linker here; it is named because the flag is gold's.
let ownCode: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-function-sections"], .when(platforms: [.linux], configuration: .release))]
let codeOrder: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=gold", "-Xlinker", "--section-ordering-file=\(Context.packageDirectory)/Sources/profilelens/code-order.txt"],
                 .when(platforms: [.linux], configuration: .release)),
]

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
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "SystemIO", swiftSettings: ownCode),
        .target(name: "PprofFormat", dependencies: ["CZlib", "SystemIO"], swiftSettings: ownCode),
        // Prefetch hints for ProfileModel's walks (a header of inline C functions).
        .target(name: "CPrefetch"),
        .target(name: "ProfileModel", dependencies: ["PprofFormat", "SystemIO", "CPrefetch"], swiftSettings: ownCode),
        .target(name: "ProfileQuery", dependencies: ["ProfileModel", "PprofFormat"], swiftSettings: ownCode),
        .target(
            name: "RemoteProfiles",
            dependencies: [
                "ProfileModel", "PprofFormat", "SystemIO",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: ownCode
        ),
        .target(name: "LanguageServerProtocol", swiftSettings: ownCode),
        .target(name: "JSONRPC", dependencies: ["LanguageServerProtocol", "SystemIO"], swiftSettings: ownCode),
        .target(
            name: "LanguageServer",
            dependencies: ["LanguageServerProtocol", "JSONRPC", "ProfileQuery", "ProfileModel", "PprofFormat", "SystemIO", "RemoteProfiles"],
            swiftSettings: ownCode
        ),
        .target(
            name: "ProfileLensCLI",
            dependencies: [
                "LanguageServer", "JSONRPC", "ProfileQuery", "ProfileModel", "PprofFormat", "SystemIO", "RemoteProfiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: ownCode
        ),
        .executableTarget(name: "profilelens", dependencies: ["ProfileLensCLI"], exclude: ["code-order.txt"], swiftSettings: ownCode,
                          linkerSettings: codeOrder),

        .executableTarget(name: "FuzzProfile", dependencies: ["PprofFormat", "ProfileModel"], path: "Fuzz/FuzzProfile"),
        .executableTarget(
            name: "FuzzJSONRPC",
            dependencies: ["JSONRPC", "LanguageServer", "SystemIO"],
            path: "Fuzz/FuzzJSONRPC"
        ),

        .target(
            name: "TestSupport",
            dependencies: [
                "LanguageServer", "LanguageServerProtocol", "JSONRPC", "SystemIO", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "PprofFormatTests", dependencies: ["PprofFormat", "SystemIO", "TestSupport"]),
        .testTarget(name: "ProfileModelTests", dependencies: ["ProfileModel", "PprofFormat", "SystemIO", "TestSupport"]),
        .testTarget(name: "ProfileQueryTests", dependencies: ["ProfileQuery", "ProfileModel", "PprofFormat", "TestSupport"]),
        .testTarget(name: "RemoteProfilesTests", dependencies: ["RemoteProfiles", "ProfileModel", "PprofFormat", "TestSupport"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "LanguageServerProtocol", "SystemIO", "TestSupport"]),
        .testTarget(
            name: "LanguageServerTests",
            dependencies: ["LanguageServer", "LanguageServerProtocol", "JSONRPC", "ProfileModel", "RemoteProfiles", "TestSupport"]
        ),
        .testTarget(
            name: "ProfileLensCLITests",
            dependencies: ["ProfileLensCLI", "ProfileQuery", "ProfileModel", "PprofFormat", "SystemIO", "RemoteProfiles", "TestSupport"]
        ),
    ]
)
