// swift-tools-version:6.1
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, so the identity of ClinPipe (the folder above this one) is
/// whatever the checkout is called: `clinpipe`, `main`, a worktree's name.
let clinPipe = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

/// Throughput benchmarks of ClinPipe (ordo-one/package-benchmark), kept out of the main package so that its
/// dependencies do not slow every build of ClinPipe and do not run in ClinPipe's CI.
///
///     cd Benchmarks && swift package benchmark
///
/// One benchmark per registered stage (the stage alone, over documents already prepared by the stages it needs)
/// and one end to end over a generated corpus. See README.md.
let package = Package(
    name: "ClinPipeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ClinPipeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ClinPipeStages", package: clinPipe),
                .product(name: "ClinPipeSynth", package: clinPipe),
                .product(name: "ClinPipeRunner", package: clinPipe),
                .product(name: "ClinPipeIO", package: clinPipe),
            ],
            path: "Benchmarks/ClinPipeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
