// swift-tools-version:6.0
// PlaceRisk: place-based violence-prevention analytics for England.
// No third-party packages (the user's design card: `packages: none`): toolchain + Foundation only.
import PackageDescription

let package = Package(
    name: "PlaceRisk",
    products: [
        .library(name: "PlaceRiskCore", targets: ["PlaceRiskCore"]),
        .library(name: "PlaceRiskIO", targets: ["PlaceRiskIO"]),
        .library(name: "PlaceRiskReport", targets: ["PlaceRiskReport"]),
        .executable(name: "placerisk", targets: ["placerisk"]),
        .executable(name: "placerisk-bench", targets: ["placerisk-bench"]),
    ],
    targets: [
        // Numerics and data structures. No Foundation (Glibc/Darwin maths and Dispatch only).
        .target(name: "PlaceRiskCore"),
        // File formats: CSV, police.uk street files, points CSV, lookups, ESRI ASCII grid, JSON.
        .target(name: "PlaceRiskIO", dependencies: ["PlaceRiskCore"]),
        // HTML and SVG drawing for reports: maps, charts, legends, one self-contained page (Foundation only).
        .target(name: "PlaceRiskReport", dependencies: ["PlaceRiskCore"]),
        // The command-line interface as a library, so its help and error texts are testable.
        .target(name: "PlaceRiskCLI", dependencies: ["PlaceRiskCore", "PlaceRiskIO", "PlaceRiskReport"]),
        .executableTarget(name: "placerisk", dependencies: ["PlaceRiskCLI"]),
        .executableTarget(
            name: "placerisk-bench",
            dependencies: ["PlaceRiskCore", "PlaceRiskIO", "PlaceRiskCLI"],
            path: "Benchmarks",
            exclude: ["compare.sh", "ratios.py", "peers", "results", "national.sh", "national_tree.py", "series.sh", "HISTORY.md"]
        ),
        .testTarget(name: "PlaceRiskCoreTests", dependencies: ["PlaceRiskCore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PlaceRiskIOTests",
            dependencies: ["PlaceRiskIO", "PlaceRiskCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "PlaceRiskReportTests", dependencies: ["PlaceRiskReport", "PlaceRiskCore"]),
        .testTarget(name: "PlaceRiskCLITests", dependencies: ["PlaceRiskCLI", "PlaceRiskIO", "PlaceRiskCore"]),
    ],
    swiftLanguageModes: [.v6]
)
