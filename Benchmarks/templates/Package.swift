// swift-tools-version: 6.1
// Renders the peer's /roles page (/work/shared/bench/peer-hummingbird) with PIMTemplates and
// with swift-mustache (Mirror and MustacheParent variants). swift-mustache is a dependency of
// this package only, never of the product.
import PackageDescription

let package = Package(
    name: "templates-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // The product's module, built from its own sources (Sources/PIMTemplates is a symlink
        // to ../../Sources/PIMTemplates) with the product's settings.
        .target(
            name: "PIMTemplates",
            exclude: ["README.md"],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        .target(
            name: "RolesFixture",
            dependencies: [
                "PIMTemplates",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates"), .copy("Mustache")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "RolesPage",
            dependencies: [
                "RolesFixture",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RolesPage",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `RenderLoop VARIANT N`: a plain render loop to count instructions with callgrind.
        .executableTarget(
            name: "RenderLoop",
            dependencies: ["RolesFixture"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "RolesFixtureTests",
            dependencies: ["RolesFixture"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
