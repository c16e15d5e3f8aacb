import ClinPipeCore
import ClinPipeText
import ClinPipeTestSupport
import DrugsStage
import Foundation
import Synchronization
import Testing

@Suite("drugs stage: configuration, provenance, determinism")
struct DrugsStageConfigurationTests {
    /// A temporary folder with `files`, removed by the caller.
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clinpipe-drugs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    @Test("a user lexicon adds names, relative to the pipeline folder")
    func userLexicon() throws {
        let base = try folder(["formulary.tsv": "term\tgeneric\tdrug_class\tbrand\nFoozolam\tfoozolam\ttest_class\tfalse\nBarzix\tfoozolam\ttest_class\ttrue\n"])
        defer { try? FileManager.default.removeItem(at: base) }
        var configuration = DrugsStage.Configuration()
        configuration.lexicons = ["formulary.tsv"]
        let stage = try DrugsStage(configuration: configuration, environment: StageEnvironment(baseDirectory: base, stageName: "meds"))
        let document = try DrugsTesting.run("Barzix 5 mg BID and Norco.", stage: stage)
        #expect(document.texts(ofType: "drug") == ["Barzix", "Norco"])
        let barzix = try #require(DrugsTesting.drug("Barzix", in: document))
        #expect(barzix.attributes["generic"] == "foozolam")
        #expect(barzix.attributes["drug_class"] == "test_class")
        #expect(barzix.provenance == Provenance(stage: "meds", rule: "formulary.tsv:3"))

        configuration.builtInLexicon = false
        let only = try DrugsStage(configuration: configuration, environment: StageEnvironment(baseDirectory: base, stageName: "meds"))
        #expect(try DrugsTesting.run("Barzix 5 mg BID and Norco.", stage: only).texts(ofType: "drug") == ["Barzix"])
    }

    @Test("rule files can be replaced, and their errors name file and line")
    func replacedRules() throws {
        let base = try folder([
            "signature.tsv": "element\tpattern\tvalue\nskip\t\\s+\nstrength\t(?<value>\\d+)\\s*mg\t{value}\n",
            "bad-signature.tsv": "element\tpattern\tvalue\nstrenght\t\\d+\t\nroute\t(unclosed\t\n",
            "exclusions.tsv": "side\tpattern\nafter\t\\s+level\n",
        ])
        defer { try? FileManager.default.removeItem(at: base) }
        var configuration = DrugsStage.Configuration()
        configuration.signatureRules = "signature.tsv"
        configuration.exclusionRules = "exclusions.tsv"
        let stage = try DrugsStage(configuration: configuration, environment: StageEnvironment(baseDirectory: base, stageName: "drugs"))
        let document = try DrugsTesting.run("Norco 10 mg PO; Norco, CA; lithium level", stage: stage)
        #expect(document.texts(ofType: "drug") == ["Norco", "Norco"])
        let first = try #require(DrugsTesting.drugs(document).first)
        #expect(first.attributes["strength"] == "10")
        #expect(first.attributes["route"] == nil, "the replacement has no route rows")

        // A row that refers to its own groups is compiled alone; the others share one alternation.
        let references = try SignatureRules(name: "refs.tsv", text: """
            element\tpattern\tvalue
            skip\t\\s+
            quantity\t#(?<value>\\d+)\t{value}
            frequency\t(?<w>[a-z])\\k<w>d\t{w}{w}D
            frequency\tbid\tBID
            """)
        let custom = DrugsStage(lexicon: DrugsTesting.stage.lexicon, signatureRules: references,
                                exclusionRules: try ExclusionRules(name: "none.tsv", text: "side\tpattern\n"))
        let parsed = try #require(DrugsTesting.drugs(try DrugsTesting.run("Norco #30 ttd", stage: custom)).first)
        #expect(parsed.attributes["quantity"] == 30)
        #expect(parsed.attributes["frequency"] == "ttD")

        configuration.signatureRules = "bad-signature.tsv"
        #expect {
            _ = try DrugsStage(configuration: configuration, environment: StageEnvironment(baseDirectory: base, stageName: "drugs"))
        } throws: { error in
            let problems = (error as? RuleFileError)?.problems ?? []
            return problems.count == 2 && problems[0].hasPrefix("bad-signature.tsv:2:")
                && problems[1].hasPrefix("bad-signature.tsv:3:")
        }
    }

    @Test("combinations can be kept apart")
    func noMerging() throws {
        var configuration = DrugsStage.Configuration()
        configuration.mergeCombinations = false
        let stage = try DrugsStage(configuration: configuration, environment: StageEnvironment(stageName: "drugs"))
        #expect(try DrugsTesting.run("gabapentin/ketoprofen cream", stage: stage).texts(ofType: "drug") == ["gabapentin", "ketoprofen"])
        #expect(try DrugsTesting.run("gabapentin/ketoprofen cream").texts(ofType: "drug") == ["gabapentin/ketoprofen"])
    }

    @Test("the registry builds the stage from JSON with defaults")
    func registry() throws {
        var registry = StageRegistry()
        registry.register(DrugsStage.self)
        let entry = try #require(registry.entry(named: "drugs"))
        #expect(entry.descriptor.produces == ["drug"])
        let keys = entry.defaultConfiguration.objectPairs?.map(\.0) ?? []
        #expect(keys.contains("rxnorm") && keys.contains("lexicons") && keys.contains("signatureWindow"))
    }

    @Test("is deterministic and safe on many threads at once")
    func concurrency() throws {
        let texts = try TestPaths.seedTexts().map(\.text) + [
            "Norco 10/325 q6h prn #120, Soma 350 mg TID, Lidoderm 5% patch 12 hours on 12 hours off #30 with 2 refills.",
        ]
        @Sendable func summary(_ text: String) -> [String] {
            guard let document = try? DrugsTesting.run(text) else { return ["error"] }
            return DrugsTesting.drugs(document).map { "\($0.range) \($0.attributes)" }
        }
        let expected = texts.map(summary)
        let runs = texts.count * 8
        let results = Mutex([[String]](repeating: [], count: runs))
        DispatchQueue.concurrentPerform(iterations: runs) { index in
            let summary = summary(texts[index % texts.count])
            results.withLock { $0[index] = summary }
        }
        let all = results.withLock { $0 }
        for index in 0..<runs { #expect(all[index] == expected[index % texts.count]) }
    }

    @Test("every annotation lies on character boundaries and covers a name", arguments: [
        "Café au lait: Norco® 10/325 — 1 PO q6h; naïve to Lyrica™ 75 mg.",
        "Ibuprofeno no; ibuprofen sí. Ñandú Tramadol.",
    ])
    func unicode(_ text: String) throws {
        let document = try DrugsTesting.run(text)
        #expect(!DrugsTesting.drugs(document).isEmpty)
        for annotation in DrugsTesting.drugs(document) {
            let covered = document.coveredText(of: annotation)
            #expect(!covered.isEmpty && covered.first!.isLetter && !covered.hasSuffix("®") && !covered.hasSuffix("™"))
        }
    }
}
