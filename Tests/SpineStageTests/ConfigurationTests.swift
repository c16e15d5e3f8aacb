import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
import SpineStage
import Testing

/// Configuration: user rule files extend or replace the built-in ones; bad files fail with file and line; the
/// stage is deterministic and safe to share between threads.
@Suite struct ConfigurationTests {
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spine-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func extraCueFileAddsAHeadNoun() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "id\trole\tkind\tapplies\tpattern\nhead-sclerotome\thead\tdermatome\tany\t^\\s*sclerotomes?\\b\n"
            .write(to: folder.appendingPathComponent("my-cues.tsv"), atomically: true, encoding: .utf8)
        var configuration = SpineStage.Configuration()
        configuration.cueFiles = ["my-cues.tsv"]
        let stage = try SpineStage(configuration: configuration,
                                   environment: StageEnvironment(baseDirectory: folder, stageName: "spine"))
        let seen = try onlyAnnotation("Pain in the L5 sclerotome.", stage: stage)
        #expect(seen?.type == SpineStage.dermatomeType)
        #expect(seen?.text == "L5 sclerotome")
        #expect(try onlyAnnotation("Pain in the L5 sclerotome.")?.type == SpineStage.levelType)
    }

    @Test func builtInRulesCanBeReplaced() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Only single lumbar levels, no cues, no vetoes.
        try "id\tflags\tpattern\nlumbar-only\t\t\\bL[1-5]\\b\n"
            .write(to: folder.appendingPathComponent("mentions.tsv"), atomically: true, encoding: .utf8)
        var configuration = SpineStage.Configuration()
        configuration.builtInRules = false
        configuration.mentionFiles = ["mentions.tsv"]
        let stage = try SpineStage(configuration: configuration,
                                   environment: StageEnvironment(baseDirectory: folder, stageName: "spine"))
        #expect(try spineAnnotations("C5 and L4 dermatomes.", stage: stage).map(\.text) == ["L4"])
    }

    @Test func badRuleFilesNameFileAndLine() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "# comment\nid\tlevels\tposition\twindow\tpattern\nok\tS1\tnear\t40\t\\bheart\\b\nbad\tS1\tsideways\t40\theart\nworse\tS1\tnear\t40\t(unclosed\n"
            .write(to: folder.appendingPathComponent("vetoes.tsv"), atomically: true, encoding: .utf8)
        var configuration = SpineStage.Configuration()
        configuration.notLevelFiles = ["vetoes.tsv", "missing.tsv"]
        do {
            _ = try SpineStage(configuration: configuration,
                               environment: StageEnvironment(baseDirectory: folder, stageName: "spine"))
            Issue.record("a bad rule file must fail")
        } catch let error as RuleFileError {
            let text = error.description
            #expect(text.contains("vetoes.tsv:4"))
            #expect(text.contains("vetoes.tsv:5"))
            #expect(text.contains("missing.tsv"))
            #expect(!text.contains("vetoes.tsv:3"))
        }
    }

    @Test func configurationRoundTripsWithDefaults() throws {
        let data = try JSONEncoder().encode(SpineStage.Configuration())
        let decoded = try JSONDecoder().decode(SpineStage.Configuration.self, from: data)
        #expect(decoded.builtInRules && decoded.cueWindowBytes == 64 && decoded.sideWindowBytes == 40)
        let json = String(decoding: data, as: UTF8.self)
        for key in ["mentionFiles", "cueFiles", "notLevelFiles", "sideFiles", "builtInRules"] { #expect(json.contains(key)) }
    }

    @Test func sameResultsOnManyThreads() async throws {
        let letters = try TestPaths.seedTexts().map(\.text)
            + ["Fusion L3-S1 and right S1 radiculopathy. Normal S1 and S2, no murmur. T2-weighted images."]
        let expected = try letters.map { try runSpine($0).annotations }
        let stage = defaultSpineStage
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<8 {
                group.addTask {
                    for (index, text) in letters.enumerated() {
                        _ = round
                        var document = Document(id: "t", text: text)
                        try stage.process(&document)
                        if document.annotations != expected[index] { return false }
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }

    @Test func mapsSpansThroughANormalizedLayer() throws {
        // A layer that replaced an en dash (3 bytes) by a hyphen (1 byte): spans come back in original offsets.
        let original = "Pain at L4\u{2013}5 and in the L5 dermatome."
        let normalizedText = "Pain at L4-5 and in the L5 dermatome."
        let dash = original.utf8.firstIndex(of: 0xE2)!
        let dashOffset = original.utf8.distance(from: original.utf8.startIndex, to: dash)
        let map = try OffsetMap(edits: [.init(originalRange: dashOffset..<(dashOffset + 3),
                                              layerRange: dashOffset..<(dashOffset + 1))],
                                originalLength: original.utf8.count, layerLength: normalizedText.utf8.count)
        var document = Document(id: "layer", text: original)
        try document.setLayer(TextLayer(name: Document.normalizedLayerName, text: normalizedText, map: map))
        try defaultSpineStage.process(&document)
        #expect(document.texts(ofType: SpineStage.levelType) == ["L4\u{2013}5"])
        #expect(document.texts(ofType: SpineStage.dermatomeType) == ["L5 dermatome"])
    }
}
