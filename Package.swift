// swift-tools-version: 6.2
import PackageDescription

/// Settings every target shares: Swift 6 language mode with strict concurrency, and a few
/// upcoming features that catch mistakes early.
let shared: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    // Release: every function in a section of its own, so that the linker can place the code a
    // running server executes side by side (Benchmarks/pim.order, see PIMWeb's linker settings).
    .unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release)),
]

let package = Package(
    name: "pim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pim", targets: ["PIMWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.2.0"),
        .package(url: "https://github.com/apple/swift-algorithms.git", from: "1.2.1"),
    ],
    targets: [
        // C libraries of the host, each behind a modulemap with the Debian package that provides it.
        .systemLibrary(name: "CPAM", path: "Sources/CPAM", providers: [.apt(["libpam0g-dev"])]),
        .systemLibrary(name: "COath", path: "Sources/COath", pkgConfig: "liboath", providers: [.apt(["liboath-dev"])]),
        // epoll(7), eventfd(2), accept4(2) for the HTTP server's event loop (no apt package: glibc).
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        // mallopt(3) to bound glibc's malloc arenas in `pim serve` (no apt package: glibc).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CSQLiteSetup", path: "Sources/CSQLiteSetup", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CQRencode", path: "Sources/CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // libcurl's headers only: the library is loaded with dlopen(3) when mail is delivered (shim.h).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(
            name: "PIMCore",
            dependencies: [
                "CSQLiteSetup",
                .product(name: "Algorithms", package: "swift-algorithms"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: shared
        ),
        .target(
            name: "PIMAuth",
            dependencies: [
                "PIMCore", "CPAM", "COath", "CQRencode",
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: shared
        ),
        .target(name: "PIMTemplates", exclude: ["README.md"], swiftSettings: shared),
        .target(
            name: "PIMMail",
            dependencies: [
                "PIMCore", "PIMTemplates", "CCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            resources: [.copy("Templates")],
            swiftSettings: shared
        ),
        .executableTarget(
            name: "PIMWeb",
            dependencies: [
                "PIMCore", "PIMAuth", "PIMTemplates", "PIMMail", "CEpoll", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            exclude: ["App/README.md"],
            resources: [.copy("App/Templates")],
            swiftSettings: shared,
            // Release builds link with the toolchain's lld and pack relative relocations
            // (DT_RELR, glibc >= 2.36): with the Swift runtime linked in statically, the loader
            // then no longer touches 2.3 MB of relocation records at start; peak RSS under
            // Benchmarks/portal.sh 51 -> 46 MB. lld also places the functions a running server
            // executes side by side (Benchmarks/pim.order, made by Benchmarks/symbol-order.sh),
            // so that their pages, not most of .text, become resident. The executable exports
            // no symbols (--no-export-dynamic): nothing loads against it, and the loader looked up
            // every library's symbols in its 19,000 exports first, which kept 1.3 MB of symbol
            // tables resident. Linker/readonly-rodata.ld keeps read-only constants out of the
            // writable segment. Debug and test builds keep the default linker.
            linkerSettings: [
                .unsafeFlags([
                    "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                    "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Benchmarks/pim.order",
                    "-Xlinker", "--no-warn-symbol-ordering",
                    "-Xlinker", "--no-export-dynamic",
                    "-Xlinker", "-T", "-Xlinker", "\(Context.packageDirectory)/Linker/readonly-rodata.ld",
                ], .when(configuration: .release)),
            ]
        ),

        .testTarget(name: "PIMCoreTests", dependencies: ["PIMCore"], swiftSettings: shared),
        .testTarget(name: "PIMAuthTests", dependencies: ["PIMAuth", "PIMCore"], swiftSettings: shared),
        .testTarget(name: "PIMTemplatesTests", dependencies: ["PIMTemplates"], swiftSettings: shared),
        .testTarget(
            name: "PIMMailTests",
            dependencies: ["PIMMail", "PIMCore", "PIMTemplates", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: shared
        ),
        .testTarget(
            name: "PIMWebTests",
            dependencies: [
                "PIMWeb", "PIMCore", "PIMAuth", "PIMTemplates", "PIMMail",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: shared
        ),
    ]
)
