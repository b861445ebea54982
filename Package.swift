// swift-tools-version: 6.1
// VaultWatch: a terminal dashboard and headless detector for Azure Key Vault audit logs.
// The targets draw the architecture of DESIGN.md §2: a pure core (no terminal, no SQLite),
// the store, the terminal UI and the executable at the edges.
import PackageDescription

/// Linker flags of a release `vaultwatch` on Linux: the Swift runtime and Foundation linked in
/// statically (see the target).
let staticRuntime = [
    "-static-stdlib", "-Xlinker", "--start-group", "-lFoundation", "-lCoreFoundation", "-lFoundationEssentials",
    "-lFoundationInternationalization", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections",
    "-Xlinker", "--end-group",
]

let package = Package(
    name: "VaultWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vaultwatch", targets: ["vaultwatch"]),
        .executable(name: "vaultwatch-bench", targets: ["vaultwatch-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // Sixteen-byte compares for the decoder's searches, as C inline functions (SSE2's
        // `pcmpeqb` and `pmovmskb`, which Swift's SIMD types do not reach): a header, nothing else.
        .systemLibrary(name: "CVaultWatchBytes"),
        // The scheduler's slice for the dashboard's thread (`sched_setattr`, which has no C
        // library wrapper Swift could call): a header, nothing else.
        .systemLibrary(name: "CVaultWatchScheduling"),
        // What the C library's allocator holds and giving freed pages back (`mallinfo2`,
        // `malloc_trim`: <malloc.h> is not in Swift's Glibc module): a header, nothing else.
        .systemLibrary(name: "CVaultWatchMemory"),
        .target(
            name: "VaultWatchCore",
            dependencies: [
                "CVaultWatchBytes",
                "CVaultWatchScheduling",
                "CVaultWatchMemory",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(
            name: "VaultWatchStore",
            dependencies: ["VaultWatchCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(name: "VaultWatchTUI", dependencies: ["VaultWatchCore", "CNCurses", .product(name: "TOMLKit", package: "TOMLKit")]),
        .executableTarget(
            name: "vaultwatch",
            dependencies: [
                "VaultWatchCore", "VaultWatchStore", "VaultWatchTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds link the Swift runtime and Foundation in, so a run does not load and
            // bind them symbol by symbol as it starts: `detect`'s start-up 13.4 -> 8.8 ms of CPU
            // (docs/performance.md, "5 December, day (hotpath)"). The static Foundation needs its
            // own libraries named (the modules' link entries are the shared libraries').
            linkerSettings: [.unsafeFlags(staticRuntime, .when(platforms: [.linux], configuration: .release))]
        ),
        .executableTarget(name: "vaultwatch-bench", dependencies: ["VaultWatchCore", "VaultWatchStore", "VaultWatchTUI"]),
        // The parsers as a fuzzer drives them, with the properties every input must keep
        // (docs/reliability.md). `vaultwatch-fuzz` replays corpus files; scripts/fuzz.sh builds
        // it with libFuzzer and the sanitizers (-DVAULTWATCH_LIBFUZZER) to fuzz.
        .target(name: "VaultWatchFuzzing", dependencies: ["VaultWatchCore", "VaultWatchTUI"]),
        .executableTarget(name: "vaultwatch-fuzz", dependencies: ["VaultWatchFuzzing", "VaultWatchCore"]),
        .target(name: "VaultWatchTestSupport", dependencies: ["VaultWatchCore"], path: "Tests/VaultWatchTestSupport"),
        .testTarget(name: "VaultWatchCoreTests", dependencies: ["VaultWatchCore", "VaultWatchTestSupport"]),
        .testTarget(name: "VaultWatchStoreTests", dependencies: ["VaultWatchStore", "VaultWatchTestSupport"]),
        .testTarget(name: "VaultWatchTUITests", dependencies: ["VaultWatchTUI", "VaultWatchTestSupport"]),
        .testTarget(name: "VaultWatchFuzzingTests", dependencies: ["VaultWatchFuzzing"]),
        // Runs the built `vaultwatch` binary (a dependency, so `swift test` builds it first).
        .testTarget(name: "EndToEndTests", dependencies: ["vaultwatch", "VaultWatchStore", "VaultWatchTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
