// swift-tools-version:6.0
// libFuzzer targets for the parsers of the OTR library and the toolkit. Build and run them
// with scripts/fuzz (see README.md); a plain `swift build` of this package
// without -sanitize=fuzzer has no main function to link.
import PackageDescription

let targets = [
    "FuzzMessage", "FuzzCapture", "FuzzFragment", "FuzzPlaintext", "FuzzTLV",
    "FuzzKeyFile", "FuzzFingerprints", "FuzzInstanceTags", "FuzzSession",
    "FuzzJSONReader", "FuzzMessageBuilder", "FuzzPartyCommand",
]

let package = Package(
    name: "otrtool-fuzz",
    dependencies: [
        .package(name: "otrtool", path: ".."),
    ],
    targets: targets.map { name in
        .executableTarget(
            name: name,
            dependencies: [.product(name: "OTR", package: "otrtool"), .product(name: "OTRToolkit", package: "otrtool")],
            path: "Sources/\(name)"
        )
    },
    swiftLanguageModes: [.v6]
)
