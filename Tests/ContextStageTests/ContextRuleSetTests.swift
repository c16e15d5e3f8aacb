import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import ContextStage
import Foundation
import SentencesStage
import Testing

@Suite struct ContextRuleSetTests {
    @Test func builtInRulesLoadAndCoverEveryCategory() throws {
        let rules = try ContextRuleSet.builtIn().rules
        #expect(rules.count > 300)
        for category in ContextCategory.allCases {
            #expect(rules.contains { $0.category == category }, "no \(category.rawValue) rule")
        }
        #expect(rules.contains { $0.category == .negated && $0.direction == .backward })
        #expect(rules.contains { $0.category == .pseudo && $0.endsScopes })
        #expect(rules.contains { if case .pattern = $0.trigger { true } else { false } })
        #expect(rules.allSatisfy { $0.source.hasPrefix("context-rules.tsv:") })
        // The phrases the issue names are triggers of the right category.
        let byPhrase = Dictionary(grouping: rules.filter { if case .literal = $0.trigger { true } else { false } },
                                  by: { $0.phrase.lowercased() })
        for (phrase, category) in [("no documentation of", ContextCategory.negated), ("not documented", .negated),
                                   ("there are no documented", .negated), ("does not indicate", .negated),
                                   ("lack of", .negated), ("no objective evidence of", .negated),
                                   ("without evidence of", .negated), ("absence of", .negated), ("free of", .negated),
                                   ("was ruled out", .negated), ("is not present", .negated), ("were negative", .negated),
                                   ("cannot be ruled out", .uncertain), ("questionable", .uncertain),
                                   ("return if", .hypothetical), ("in case of", .hypothetical),
                                   ("history of", .historical), ("status post", .historical),
                                   ("family history of", .experiencer), ("mother", .experiencer), ("his wife", .experiencer),
                                   ("no increase", .pseudo), ("not only", .pseudo), ("gram negative", .pseudo),
                                   ("without difficulty", .pseudo), ("no change", .pseudo),
                                   ("not medically necessary", .pseudo), ("non-certification of", .pseudo),
                                   ("but", .terminate), ("however", .terminate), ("although", .terminate),
                                   ("which", .terminate), ("presents", .terminate), ("aside from", .terminate),
                                   ("except", .terminate)] {
            #expect(byPhrase[phrase]?.contains { $0.category == category } == true, "'\(phrase)' is not \(category.rawValue)")
        }
    }

    @Test func bracesExpand() throws {
        let set = try ContextRuleSet(name: "t.tsv", text: """
            literal\tcategory\tdirection
            {was|were|} ruled out\tnegated\tbackward
            no {new |}evidence {of|for}\tnegated\tforward
            """)
        #expect(set.rules.map(\.phrase) == ["was ruled out", "were ruled out", "ruled out", "no new evidence of",
                                            "no new evidence for", "no evidence of", "no evidence for"])
        #expect(set.rules.allSatisfy { $0.source == "t.tsv:2" || $0.source == "t.tsv:3" })
    }

    @Test func badRowsAreReportedWithTheirLines() {
        let text = """
            # comment
            literal\tpattern\tcategory\tdirection\tmax_scope\tvalue\tterminates
            no\t\tnegated\tsideways
            maybe\t\tunsure\tforward
            \t\tnegated\tforward
            x\t\\bx\tnegated\tforward
            mother\t\texperiencer\tforward
            but\t\tterminate\t\t\t\tpseudo
            a {b\t\tnegated\tforward
            none\t\tnegated\tforward\tfive
            """
        #expect {
            _ = try ContextRuleSet(name: "bad.tsv", text: text)
        } throws: { error in
            let problems = (error as? RuleFileError)?.problems ?? []
            return ["bad.tsv:3:", "bad.tsv:4:", "bad.tsv:5:", "bad.tsv:6:", "bad.tsv:7:", "bad.tsv:8:", "bad.tsv:9:", "bad.tsv:10:"]
                .allSatisfy { prefix in problems.contains { $0.hasPrefix(prefix) } }
        }
    }

    @Test func badPatternsFailAtConstruction() throws {
        let set = try ContextRuleSet(name: "p.tsv", text: "pattern\tcategory\tdirection\n(unclosed\tnegated\tforward\n")
        #expect(throws: RuleFileError.self) { _ = try TriggerMatcher(ruleSet: set) }
    }

    @Test func matcherPrefersTheLongerOfOverlappingMatches() throws {
        let set = try ContextRuleSet(name: "m.tsv", text: """
            literal\tpattern\tcategory\tdirection
            no\t\tnegated\tforward
            \t\\bno\\.\\s*\\d+\tpseudo\t
            negative\t\tnegated\tbackward
            negative\t\tnegated\tforward
            """)
        let matcher = try TriggerMatcher(ruleSet: set)
        let matches = try "Norco No. 120, no pain, negative".withUTF8Bytes { try matcher.matches(in: $0) }
        #expect(matches.map(\.range) == [6..<13, 15..<17, 24..<32])
        #expect(matches[0].rules.map { set.rules[$0].category } == [.pseudo])
        #expect(matches[2].rules.count == 2)
    }

    @Test func userRuleFilesExtendOrReplaceTheBuiltInOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("context-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "literal\tcategory\tdirection\nnegativo para\tnegated\tforward\n"
            .write(to: folder.appendingPathComponent("extra.tsv"), atomically: true, encoding: .utf8)
        try "term\ttype\tnormalized\nlumbago\tfinding\tlow_back_pain\n"
            .write(to: folder.appendingPathComponent("more-findings.tsv"), atomically: true, encoding: .utf8)
        let environment = StageEnvironment(baseDirectory: folder, stageName: "context")

        var extended = ContextStage.Configuration()
        extended.rules = ["extra.tsv"]
        extended.findingLexicons = ["more-findings.tsv"]
        let harness = try ContextHarness(extended, environment: environment)
        #expect(try harness.flags("Negativo para [[fiebre]]. No [[fever]].") == ["N", "N"])
        let (document, _) = try harness.run("There is no lumbago.")
        #expect(document.annotations(ofType: "finding").map(ContextHarness.flags(of:)) == ["N"])

        var replaced = extended
        replaced.builtInRules = false
        #expect(try ContextHarness(replaced, environment: environment).flags("Negativo para [[fiebre]]. No [[fever]].") == ["N", "-"])

        var missing = ContextStage.Configuration()
        missing.rules = ["absent.tsv"]
        #expect(throws: RuleFileError.self) { _ = try ContextStage(configuration: missing, environment: environment) }
    }

    @Test func configurationDecodesFromPartialJSON() throws {
        let json = #"{"excludeTypes": ["sentence"], "findings": false}"#
        let configuration = try JSONDecoder().decode(ContextStage.Configuration.self, from: Data(json.utf8))
        #expect(configuration.excludeTypes == ["sentence"])
        #expect(configuration.findings == false)
        #expect(configuration.builtInRules == true)
        // Through a pipeline built from a registry, as `clinpipe run --pipeline` does: partial configurations work,
        // and the stage's requirement (sentences) is checked.
        var registry = StageRegistry()
        registry.register(SentencesStage.self)
        registry.register(ContextStage.self)
        var pipelineConfiguration = PipelineConfiguration(stageNames: ["sentences", "context"])
        pipelineConfiguration.stages[1].config = .object([("includeTypes", .array([.string("drug")]))])
        let pipeline = try Pipeline(configuration: pipelineConfiguration, registry: registry)
        var document = Document(id: "x", text: "No Norco. No fever.")
        try document.addAnnotation(type: "drug", range: 3..<8, provenance: .input)
        try document.addAnnotation(type: "symptom", range: 13..<18, provenance: .input)
        try pipeline.process(&document)
        #expect(document.annotations.filter { $0.attributes["negated"] == .bool(true) }.map(\.type) == ["drug"])
        #expect {
            _ = try Pipeline(configuration: PipelineConfiguration(stageNames: ["context"]), registry: registry)
        } throws: { error in
            (error as? PipelineError)?.problems.contains { $0.contains("requires 'sentence'") } == true
        }
    }
}
