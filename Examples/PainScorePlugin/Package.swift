// swift-tools-version:6.1
import PackageDescription

/// An example of extending ClinPipe from another package: a custom stage (`pain_score`) registered next to the
/// built-in stages, and an executable that is the whole `clinpipe` command line plus that stage.
let package = Package(
    name: "PainScorePlugin",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PainScoreStage", targets: ["PainScoreStage"]),
        .executable(name: "clinpipe-painscore", targets: ["clinpipe-painscore"]),
    ],
    dependencies: [
        .package(name: "ClinPipe", path: "../.."),
    ],
    targets: [
        .target(name: "PainScoreStage", dependencies: [
            .product(name: "ClinPipeCore", package: "ClinPipe"),
            .product(name: "ClinPipeText", package: "ClinPipe"),
        ]),
        .executableTarget(name: "clinpipe-painscore", dependencies: [
            "PainScoreStage",
            .product(name: "ClinPipeCLI", package: "ClinPipe"),
            .product(name: "ClinPipeStages", package: "ClinPipe"),
        ]),
        .testTarget(name: "PainScoreStageTests", dependencies: ["PainScoreStage"]),
    ]
)
