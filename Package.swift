// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CostReplay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "costreplay", targets: ["costreplay"]),
        .library(name: "CostReplayCore", targets: ["CostReplayCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The OTLP/HTTP receiver (`costreplay collect`): NIOCore, NIOPosix and NIOHTTP1; SwiftProtobuf's runtime for
        // the code generated once from the OTLP .proto files (scripts/otlp-proto/generate.sh). sqlite-nio below also
        // brings NIO (and swift-log) into the core library's link, unused by it.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // SQLite itself, built from its amalgamation (3.54.1 in 1.13.2) with its functions prefixed `sqlite_nio_`;
        // only its C target is used (Sources/CSQLite). Pinned exactly: that target's name is not part of its API,
        // and a patch release may change the SQLite version or its compile options, so a move is a deliberate
        // change (`SQLiteBuildTests` names the version and the options the code relies on).
        .package(url: "https://github.com/vapor/sqlite-nio", exact: "1.13.2"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        // SQLite's C API under its own names, forwarding to sqlite-nio's build of SQLite 3.54 (Sources/CSQLite).
        .target(name: "CSQLite", dependencies: [.product(name: "SQLiteNIO", package: "sqlite-nio")]),
        // libpq: PostgreSQL's own client, for LiteLLM's SpendLogs table (README, "Dependencies").
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // zlib: gzip request bodies sent to the OTLP receiver.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CSimdJSON", linkerSettings: [.linkedLibrary("simdjson")]),
        // Dot products for the vector index, with AVX chosen at run time (no target flags, so the package can be a
        // dependency); results are the same on every processor (Sources/CVectorKernels/kernels.c).
        .target(name: "CVectorKernels"),
        // RE2: linear-time regular expressions for patterns from users' scenario and price files.
        .target(name: "CRE2", linkerSettings: [.linkedLibrary("re2")]),
        // Exponential-smoothing fits run the recursion thousands of times; optimise even debug builds.
        .target(name: "Statistics", dependencies: ["CGSL"]),
        .target(
            name: "CostReplayCore",
            dependencies: [
                "CSQLite", "CLibPQ", "CSimdJSON", "CRE2", "CVectorKernels", "Statistics", .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "CostReplayCollector",
            dependencies: ["CostReplayCore", "CZlib", .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Generated/LICENSE-opentelemetry-proto.txt"]
        ),
        .executableTarget(
            name: "costreplay",
            dependencies: ["CostReplayCore", "CostReplayCollector", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "costreplay-bench", dependencies: ["CostReplayCore"]),
        // libFuzzer targets (docs/reliability.md): a plain program unless built with --sanitize=fuzzer.
        .executableTarget(name: "costreplay-fuzz", dependencies: ["CostReplayCore"]),
        .target(name: "TestSupport", dependencies: ["CostReplayCore"], path: "Tests/TestSupport"),
        .testTarget(
            name: "CostReplayCoreTests",
            dependencies: ["CostReplayCore", "CostReplayCollector", "TestSupport", "Statistics", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Reports/Golden", "Replay/Golden"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"]),
    ],
    cxxLanguageStandard: .cxx17
)
