// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "otrtool",
    products: [
        .executable(name: "otrtool", targets: ["otrtool"]),
        .library(name: "OTR", targets: ["OTR"]),
        .library(name: "OTRToolkit", targets: ["OTRToolkit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGcrypt",
            pkgConfig: "libgcrypt",
            providers: [.apt(["libgcrypt20-dev"])]
        ),
        .systemLibrary(
            name: "CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"])]
        ),
        .target(
            name: "OTR",
            dependencies: ["CGcrypt", "CGMP"]
        ),
        // Everything between the protocol and argv: capture reading,
        // analysis, forgery, reports, JSON, files, the simulated network.
        // It never depends on the argument parser.
        .target(
            name: "OTRToolkit",
            dependencies: ["OTR"]
        ),
        .executableTarget(
            name: "otrtool",
            dependencies: [
                "OTR",
                "OTRToolkit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "OTRTests",
            dependencies: ["OTR"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "OTRToolkitTests",
            dependencies: ["OTR", "OTRToolkit"]
        ),
        .testTarget(
            name: "otrtoolTests",
            dependencies: ["otrtool"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
