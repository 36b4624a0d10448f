// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "otrtool",
    products: [
        .executable(name: "otrtool", targets: ["otrtool"]),
        .library(name: "OTR", targets: ["OTR"]),
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
        .executableTarget(
            name: "otrtool",
            dependencies: [
                "OTR",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "OTRTests",
            dependencies: ["OTR"],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "otrtoolTests",
            dependencies: ["otrtool"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
