// swift-tools-version:6.0
// Gouji: budget-disclosure parsing, reconciliation and query services.
// Libraries in Shared/ hold the logic; executables in Services/ are thin shells over them.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Release builds let the optimiser inline and specialise across our own modules (the
    // parser and the reconciler call GoujiModel's small types in their hot loops): measured
    // −1.1% instructions per parse round and −0.7% per reconciliation (`make bench`, callgrind).
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

/// Every executable allocates through mimalloc (`libmimalloc-dev`, installed by `make deps`) rather
/// than glibc's malloc: the parser and the reconciler make many small, short-lived allocations
/// (Strings, arrays, class instances freed by ARC), and glibc's malloc/free paths and its heap
/// consolidation cost more per allocation. Linking the library puts its `malloc` before libc's for
/// the whole process (the Swift runtime, SQLite and libuv included). Measured with `make bench`
/// against glibc in one run (callgrind, the same binary under `LD_PRELOAD`): parse −5.3% instructions
/// per round, reconcile −5.7% per document; wall clock per core +8–13%.
let allocator: [LinkerSetting] = [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "Gouji",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gouji", targets: ["gouji"]),
        .executable(name: "goujid", targets: ["goujid"]),
        .executable(name: "gouji-ingest", targets: ["gouji-ingest"]),
        .executable(name: "gouji-parse", targets: ["gouji-parse"]),
        .executable(name: "gouji-reconcile", targets: ["gouji-reconcile"]),
        .executable(name: "gouji-store", targets: ["gouji-store"]),
        .executable(name: "gouji-bench", targets: ["gouji-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: Shared libraries
        .target(name: "GoujiModel", path: "Shared/GoujiModel", swiftSettings: swiftSettings),
        .target(name: "GoujiWire", dependencies: ["GoujiModel"], path: "Shared/GoujiWire", swiftSettings: swiftSettings),
        .systemLibrary(name: "CLibUV", path: "Shared/CLibUV", pkgConfig: "libuv", providers: [.apt(["libuv1-dev"])]),
        .target(name: "GoujiTransport", dependencies: [
            "CLibUV", "GoujiWire",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "DequeModule", package: "swift-collections"),
        ], path: "Shared/GoujiTransport", swiftSettings: swiftSettings),
        .target(name: "GoujiParse", dependencies: ["GoujiModel"], path: "Shared/GoujiParse", swiftSettings: swiftSettings),
        .target(name: "GoujiReconcile", dependencies: ["GoujiModel"], path: "Shared/GoujiReconcile", swiftSettings: swiftSettings),
        .target(name: "GoujiStore", dependencies: [
            "GoujiModel", "GoujiReconcile",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], path: "Shared/GoujiStore", swiftSettings: swiftSettings),
        .target(name: "GoujiIngest", dependencies: [
            "GoujiModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Shared/GoujiIngest", swiftSettings: swiftSettings),
        .target(name: "GoujiFormat", dependencies: [], path: "Shared/GoujiFormat", swiftSettings: swiftSettings),
        .target(name: "GoujiRuntime", dependencies: [
            "CLibUV", "GoujiModel", "GoujiWire", "GoujiTransport", "GoujiIngest",
            "GoujiParse", "GoujiReconcile", "GoujiStore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "DequeModule", package: "swift-collections"),
        ], path: "Shared/GoujiRuntime", swiftSettings: swiftSettings),

        // MARK: Executables (thin shells)
        .executableTarget(name: "gouji", dependencies: [
            "GoujiModel", "GoujiWire", "GoujiTransport", "GoujiParse", "GoujiReconcile",
            "GoujiStore", "GoujiIngest", "GoujiFormat", "GoujiRuntime",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/gouji", swiftSettings: swiftSettings, linkerSettings: allocator),
        .executableTarget(name: "goujid", dependencies: [
            "GoujiRuntime", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Services/goujid", swiftSettings: swiftSettings, linkerSettings: allocator),
        .executableTarget(name: "gouji-ingest", dependencies: ["GoujiRuntime"], path: "Services/gouji-ingest", swiftSettings: swiftSettings, linkerSettings: allocator),
        .executableTarget(name: "gouji-parse", dependencies: ["GoujiRuntime"], path: "Services/gouji-parse", swiftSettings: swiftSettings, linkerSettings: allocator),
        .executableTarget(name: "gouji-reconcile", dependencies: ["GoujiRuntime"], path: "Services/gouji-reconcile", swiftSettings: swiftSettings, linkerSettings: allocator),
        .executableTarget(name: "gouji-store", dependencies: ["GoujiRuntime"], path: "Services/gouji-store", swiftSettings: swiftSettings, linkerSettings: allocator),
        .executableTarget(name: "gouji-bench", dependencies: [
            "GoujiModel", "GoujiWire", "GoujiTransport", "GoujiParse", "GoujiReconcile", "GoujiStore",
        ], path: "Benchmarks/gouji-bench", exclude: ["c-echo"], swiftSettings: swiftSettings,
                          linkerSettings: allocator),

        // MARK: Tests (Swift Testing)
        .target(name: "GoujiTestSupport", path: "Tests/GoujiTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "GoujiModelTests", dependencies: ["GoujiModel", "GoujiTestSupport"], path: "Tests/GoujiModelTests"),
        .testTarget(name: "GoujiWireTests", dependencies: ["GoujiWire", "GoujiModel", "GoujiTestSupport"], path: "Tests/GoujiWireTests"),
        .testTarget(name: "GoujiTransportTests", dependencies: ["GoujiTransport", "GoujiWire"], path: "Tests/GoujiTransportTests"),
        .testTarget(name: "GoujiParseTests", dependencies: ["GoujiParse", "GoujiModel", "GoujiTestSupport"], path: "Tests/GoujiParseTests"),
        .testTarget(name: "GoujiReconcileTests", dependencies: ["GoujiReconcile", "GoujiParse", "GoujiModel", "GoujiTestSupport"], path: "Tests/GoujiReconcileTests"),
        .testTarget(name: "GoujiStoreTests", dependencies: ["GoujiStore", "GoujiParse", "GoujiModel", "GoujiTestSupport", .product(name: "GRDB", package: "GRDB.swift")], path: "Tests/GoujiStoreTests"),
        .testTarget(name: "GoujiIngestTests", dependencies: ["GoujiIngest", "GoujiTestSupport"], path: "Tests/GoujiIngestTests"),
        .testTarget(name: "GoujiFormatTests", dependencies: ["GoujiFormat"], path: "Tests/GoujiFormatTests"),
        .testTarget(name: "GoujiRuntimeTests", dependencies: ["GoujiRuntime", "GoujiParse", "GoujiWire", "GoujiTestSupport"], path: "Tests/GoujiRuntimeTests"),
        .testTarget(name: "GoujiSystemTests", dependencies: ["GoujiModel", "GoujiWire", "GoujiTestSupport"], path: "Tests/GoujiSystemTests"),
    ],
    swiftLanguageModes: [.v6]
)
