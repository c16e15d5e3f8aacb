// swift-tools-version:6.1
import PackageDescription

/// ClinPipe: a clinical text NLP pipeline over PCRE2 and ICU.
///
/// Layout (see `DESIGN.md` of the project): C targets (`CPCRE2`, `CICUShim`, `CByteScan`), the core model
/// (`ClinPipeCore`), the text engine (`ClinPipeText`), one target per stage, the umbrella registry of built-in stages
/// (`ClinPipeStages`), input/output (`ClinPipeIO`), the streaming runner (`ClinPipeRunner`), the reusable command line
/// (`ClinPipeCLI`) and the `clinpipe` executable.

/// The built-in stages: each is its own target and library product so that another tool can `import SpineStage`.
let stageTargets: [(name: String, rules: Bool, testDependencies: [String])] = [
    ("LexiconStage", false, []),
    ("NormalizeStage", true, []),
    ("SentencesStage", true, ["NormalizeStage"]),
    ("SectionsStage", true, ["NormalizeStage", "SentencesStage"]),
    ("DatesStage", true, ["NormalizeStage"]),
    ("DrugsStage", true, ["NormalizeStage"]),
    ("SpineStage", true, ["NormalizeStage", "SentencesStage"]),
    ("ContextStage", true, ["NormalizeStage", "SentencesStage", "LexiconStage", "DrugsStage", "SpineStage", "DatesStage"]),
    ("OutcomeStage", true, ["NormalizeStage", "SentencesStage", "SectionsStage", "DatesStage", "DrugsStage", "ContextStage"]),
]

let stageProducts: [Product] = stageTargets.map { .library(name: $0.name, targets: [$0.name]) }

let stageTargetDefinitions: [Target] = stageTargets.flatMap { stage -> [Target] in
    [
        .target(
            name: stage.name,
            dependencies: ["ClinPipeCore", "ClinPipeText"] + (stage.name == "OutcomeStage" ? ["ClinPipeClassifier"] : [])
                + (["NormalizeStage", "ContextStage", "OutcomeStage"].contains(stage.name) ? ["CByteScan"] : []),
            exclude: stage.rules ? ["Rules"] : [],
            plugins: stage.rules ? [.plugin(name: "RuleCompilerPlugin")] : []
        ),
        .testTarget(
            name: stage.name + "Tests",
            dependencies: [.target(name: stage.name), "ClinPipeTestSupport", "ClinPipeText"]
                + stage.testDependencies.map { .target(name: $0) },
            exclude: stage.name == "DrugsStage" ? ["Fixtures"] : []
        ),
    ]
}

// MARK: - Synthetic corpus and benchmarking (issue 7)

/// The corpus generator (vocabulary as data files embedded by the rule compiler) and the measuring code behind
/// `clinpipe bench`. The throughput benchmarks themselves live in the separate package `Benchmarks/`.
let benchTargetDefinitions: [Target] = [
    .target(
        name: "ClinPipeSynth",
        dependencies: ["ClinPipeCore", "ClinPipeText"],
        exclude: ["Rules"],
        plugins: [.plugin(name: "RuleCompilerPlugin")]
    ),
    .target(name: "ClinPipeBench", dependencies: ["ClinPipeCore", "ClinPipeIO", "ClinPipeRunner"]),
    .testTarget(
        name: "ClinPipeSynthTests",
        dependencies: ["ClinPipeSynth", "ClinPipeBench", "ClinPipeStages", "ClinPipeIO", "ClinPipeRunner",
                       "ClinPipeTestSupport"]
    ),
]

let benchProducts: [Product] = [
    .library(name: "ClinPipeSynth", targets: ["ClinPipeSynth"]),
    .library(name: "ClinPipeBench", targets: ["ClinPipeBench"]),
]

let package = Package(
    name: "ClinPipe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clinpipe", targets: ["clinpipe"]),
        .library(name: "ClinPipeCore", targets: ["ClinPipeCore"]),
        .library(name: "ClinPipeText", targets: ["ClinPipeText"]),
        .library(name: "ClinPipeIO", targets: ["ClinPipeIO"]),
        .library(name: "ClinPipeRunner", targets: ["ClinPipeRunner"]),
        .library(name: "ClinPipeEvaluation", targets: ["ClinPipeEvaluation"]),
        .library(name: "ClinPipeSQLite", targets: ["ClinPipeSQLite"]),
        .library(name: "ClinPipeStages", targets: ["ClinPipeStages"]),
        .library(name: "ClinPipeCLI", targets: ["ClinPipeCLI"]),
        .plugin(name: "RuleCompilerPlugin", targets: ["RuleCompilerPlugin"]),
        .plugin(name: "ValidateRules", targets: ["ValidateRules"]),
    ] + stageProducts + benchProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "CICUShim",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        // SSE2 byte scanning as static inline C (header only), for the loops that read every byte of the text.
        .target(name: "CByteScan"),
        .target(name: "ClinPipeCore", dependencies: ["CByteScan"]),
        .target(name: "ClinPipeText", dependencies: ["ClinPipeCore", "CPCRE2", "CICUShim", "CByteScan"]),
        .target(name: "ClinPipeStages", dependencies: ["ClinPipeCore"] + stageTargets.map { .target(name: $0.name) }),
        .target(name: "ClinPipeIO", dependencies: ["ClinPipeCore", "CByteScan"]),
        .target(name: "ClinPipeRunner", dependencies: ["ClinPipeCore", "ClinPipeIO"]),
        .target(name: "ClinPipeEvaluation", dependencies: ["ClinPipeCore", "ClinPipeIO"]),
        .target(name: "ClinPipeSQLite", dependencies: ["ClinPipeCore", "ClinPipeIO", "CSQLite"]),
        .target(
            name: "ClinPipeCLI",
            dependencies: [
                "ClinPipeCore", "ClinPipeText", "ClinPipeIO", "ClinPipeRunner", "ClinPipeStages", "ClinPipeEvaluation",
                "ClinPipeSQLite", "ContextStage", "OutcomeStage", "ClinPipeClassifier", "ClinPipeSynth", "ClinPipeBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "clinpipe", dependencies: ["ClinPipeCLI", "ClinPipeStages"]),

        // Rule files (lexicons, heading tables, trigger rules) are validated and embedded at build time.
        .executableTarget(name: "clinpipe-rulec", dependencies: ["ClinPipeCore", "ClinPipeText"], path: "Tools/RuleCompiler"),
        .plugin(name: "RuleCompilerPlugin", capability: .buildTool(), dependencies: ["clinpipe-rulec"]),
        .plugin(
            name: "ValidateRules",
            capability: .command(
                intent: .custom(verb: "validate-rules", description: "Validate every rule and lexicon file")
            ),
            dependencies: ["clinpipe-rulec"]
        ),

        .target(name: "ClinPipeTestSupport", dependencies: ["ClinPipeCore", "ClinPipeText"], path: "Tests/ClinPipeTestSupport"),
        .testTarget(name: "ClinPipeCoreTests", dependencies: ["ClinPipeCore", "CByteScan", "ClinPipeTestSupport"]),
        .testTarget(name: "ClinPipeTextTests", dependencies: ["ClinPipeText", "CByteScan", "ClinPipeTestSupport"]),
        .testTarget(name: "ClinPipeIOTests", dependencies: ["ClinPipeIO", "ClinPipeTestSupport"]),
        .testTarget(name: "ClinPipeEvaluationTests", dependencies: ["ClinPipeEvaluation", "ClinPipeTestSupport"]),
        .testTarget(name: "ClinPipeSQLiteTests", dependencies: ["ClinPipeSQLite", "ClinPipeRunner", "ClinPipeStages", "CSQLite", "ClinPipeTestSupport"]),
        .testTarget(
            name: "ClinPipeRunnerTests",
            dependencies: ["ClinPipeRunner", "ClinPipeStages", "ClinPipeTestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ClinPipeCLI", "ClinPipeRunner", "ClinPipeStages", "ClinPipeIO", "ClinPipeEvaluation", "ClinPipeTestSupport"]
        ),
    ] + stageTargetDefinitions + benchTargetDefinitions
)

// MARK: - ClinPipeClassifier (text classifier library for the `outcome` stage: features, naive Bayes, logistic
// regression, evaluation, grouped cross-validation, decision-phrase masking)

let classifierProducts: [Product] = [
    .library(name: "ClinPipeClassifier", targets: ["ClinPipeClassifier"]),
]

let classifierTargets: [Target] = [
    .target(
        name: "ClinPipeClassifier",
        dependencies: ["ClinPipeCore", "ClinPipeText"],
        exclude: ["Rules"],
        plugins: [.plugin(name: "RuleCompilerPlugin")]
    ),
    .testTarget(
        name: "ClinPipeClassifierTests",
        dependencies: ["ClinPipeClassifier", "ClinPipeIO", "ClinPipeTestSupport"]
    ),
]

package.products += classifierProducts
package.targets += classifierTargets

// MARK: - Optimization

/// Release builds of the package's Swift modules optimize across module boundaries (`-cross-module-optimization`):
/// the stages call the core model (`Document`, `Attributes`) and the text engine in other modules for every
/// annotation, and without it each of those calls stays an opaque call (measured on 300 generated letters:
/// indirect-branch mispredictions 745K -> 472K, about 3 % fewer cycles, same output). Debug builds are unchanged.
let crossModuleOptimization: SwiftSetting = .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
for target in package.targets where [.regular, .executable].contains(target.type) && !["CICUShim", "CByteScan"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [crossModuleOptimization]
}
