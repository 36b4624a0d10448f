// swift-tools-version:6.0
// Two programs that bound otrtool's start-up from below, built with the
// same static release settings as otrtool (bench/startup.sh builds and runs
// them): `print-line`, the Swift runtime alone, and `parse-option`, the
// least a swift-argument-parser command does (one option, parsed and
// printed), so the start-up ratios show how much of otrtool's start-up is
// its own.
import PackageDescription

let package = Package(
    name: "otrtool-bench-baseline",
    dependencies: [
        // The version otrtool's own Package.resolved pins.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .executableTarget(name: "print-line"),
        .executableTarget(
            name: "parse-option",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
