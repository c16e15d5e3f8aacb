import ClinPipeCore
import ClinPipeText
import DrugsStage
import Foundation
import Testing

@Suite("RxNorm loader (RXNCONSO.RRF, RXNREL.RRF)")
struct RxNormLoaderTests {
    let conso = DrugsTesting.fixtures.appendingPathComponent("RXNCONSO.RRF")
    let relations = DrugsTesting.fixtures.appendingPathComponent("RXNREL.RRF")

    @Test("keeps English RxNorm ingredient and brand names that are not suppressed")
    func concepts() throws {
        let loaded = try RxNormLoader.loadConcepts(from: conso)
        let names = loaded.concepts.map(\.name)
        #expect(names == ["ibuprofen", "zuranolone", "Zurzuvae", "fezolinetant", "Veozah",
                          "fezolinetant hydrochloride", "Today", "Lesserin", "Norco"])
        #expect(!names.contains("ibuprofeno"), "other languages and sources are skipped")
        #expect(!names.contains { $0.contains("Oral Capsule") }, "clinical drugs (SCD) are skipped")
        #expect(!names.contains("Obsoletrin"), "obsolete names are skipped")
        #expect(loaded.malformedLines == 1)
        #expect(loaded.concepts.first { $0.name == "Zurzuvae" }?.termType == "BN")
    }

    @Test("term types can be chosen")
    func termTypes() throws {
        let loaded = try RxNormLoader.loadConcepts(from: conso, termTypes: ["SCD"])
        #expect(loaded.concepts.map(\.name) == ["zuranolone 25 MG Oral Capsule"])
    }

    @Test("relations give brands their ingredients")
    func brandGenerics() throws {
        let concepts = try RxNormLoader.loadConcepts(from: conso).concepts
        let related = try RxNormLoader.loadRelations(from: relations)
        var lexicon = try DrugLexicon(name: "mine.tsv", text: "term\tgeneric\tbrand\nibuprofen\tibuprofen\tfalse\n")
        let counts = RxNormLoader.extend(&lexicon, with: concepts, relations: related, stoplist: ["today"])
        #expect(counts.confirmed == 1)
        func entry(_ term: String) -> DrugEntry? { lexicon.entries.first { $0.term == term } }
        #expect(entry("ibuprofen")?.rxcui == "5640")
        #expect(entry("Zurzuvae")?.generic == "zuranolone")
        #expect(entry("Zurzuvae")?.isBrand == true)
        #expect(entry("Veozah")?.generic == "fezolinetant", "a brand related to an ingredient and its salt")
        #expect(entry("fezolinetant hydrochloride") == nil, "an ingredient plus a salt word is read as such")
        #expect(entry("Lesserin")?.generic == "", "a brand without relations has no generic")
        #expect(entry("Today") == nil, "stoplisted words are not drug names")
    }

    @Test("the stage reads an RRF file named in its configuration")
    func stageConfiguration() throws {
        var configuration = DrugsStage.Configuration()
        configuration.rxnorm = conso.path
        let stage = try DrugsStage(configuration: configuration, environment: StageEnvironment(stageName: "drugs"))
        let document = try DrugsTesting.run(
            "Started Zurzuvae 50 mg QHS for 14 days; continue ibuprofen and Norco. Today she is better. "
                + "Fezolinetant hydrochloride 45 mg daily.", stage: stage)
        #expect(document.texts(ofType: "drug") == ["Zurzuvae", "ibuprofen", "Norco", "Fezolinetant hydrochloride"])
        let fezolinetant = try #require(DrugsTesting.drug("Fezolinetant hydrochloride", in: document))
        #expect(fezolinetant.attributes["generic"] == "fezolinetant")
        #expect(fezolinetant.attributes["rxcui"] == "9000004")
        #expect(fezolinetant.attributes["salt"] == "hydrochloride")
        let zurzuvae = try #require(DrugsTesting.drug("Zurzuvae", in: document))
        #expect(zurzuvae.attributes["generic"] == "zuranolone", "RXNREL.RRF beside RXNCONSO.RRF is read")
        #expect(zurzuvae.attributes["rxcui"] == "9000002")
        #expect(zurzuvae.attributes["strength"] == "50")
        #expect(zurzuvae.attributes["duration"] == "14 days")
        #expect(zurzuvae.provenance.rule == "RXNCONSO.RRF:BN")
        let norco = try #require(DrugsTesting.drug("Norco", in: document))
        #expect(norco.attributes["rxcui"] == "857005")
        #expect(norco.attributes["generic"] == "hydrocodone/acetaminophen", "the built-in meaning is kept")
    }

    @Test("a missing or foreign file is reported with its path")
    func badFiles() throws {
        #expect(throws: RxNormLoader.LoadError.self) {
            _ = try RxNormLoader.loadConcepts(from: DrugsTesting.fixtures.appendingPathComponent("missing.RRF"))
        }
        let notRRF = FileManager.default.temporaryDirectory.appendingPathComponent("clinpipe-not-rrf-\(getpid()).txt")
        try "just some text\nand more\n".write(to: notRRF, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: notRRF) }
        #expect(throws: RxNormLoader.LoadError.self) { _ = try RxNormLoader.loadConcepts(from: notRRF) }

        var configuration = DrugsStage.Configuration()
        configuration.rxnorm = "does/not/exist/RXNCONSO.RRF"
        #expect(throws: RuleFileError.self) {
            _ = try DrugsStage(configuration: configuration, environment: StageEnvironment(stageName: "drugs"))
        }
    }
}
