import ClinPipeCore
import ClinPipeTestSupport
import DrugsStage
import Testing

@Suite("Drug names: spans, combinations, letter case and excluded contexts")
struct DrugMatchingTests {
    /// Runs the stage on marked text and compares the drug spans with the marks.
    func expectSpans(_ marked: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sample = MarkedText(marked)
        let document = try DrugsTesting.run(sample.text)
        let found = DrugsTesting.drugs(document).map(\.range)
        #expect(found == sample.spans, "found \(document.texts(ofType: "drug"))", sourceLocation: sourceLocation)
    }

    @Test("a medication list from a letter")
    func medicationList() throws {
        try expectSpans("""
            Treatment has consisted of use of a wheelchair, Aspen back brace, physical \n\ntherapy, acupuncture, \
            [[Cymbalta]], [[Klonopin]], [[Prevacid]], [[Seroquel]], [[Lyrica]], [[Trazodone]], [[Tramadol]], \n\n\
            [[Pepcid]], [[Norco]] and [[Gabapentin]]. The utilization review determination was rendered on
            """)
    }

    @Test("names in lower case, in parentheses and before a signature")
    func letterSentences() throws {
        try expectSpans("""
            We will proceed with left gluteus trigger point injection with [[kenalog]]." In this case
            """)
        try expectSpans("Medications included [[Ibuprofen]] and [[Neurontin]]. Prior treatment included")
        try expectSpans("A request for [[Flexeril]] 5mg 1 PO QHS PRN #30 with 2 refills was made by the treating")
        try expectSpans("Disability Guidelines, [[Amrix]] ([[Flexeril]] extended-release) 15 mg (unspecified quantity)")
        try expectSpans("symptoms are well controlled on [[Nucynta]]. Paint store is 4-5/10.")
    }

    @Test("multi-word names")
    func multiWord() throws {
        try expectSpans("Prescribed a [[Medrol dose pack]] and [[Voltaren gel]] 1% to the knee.")
        try expectSpans("He took [[Tylenol #3]] and [[MS Contin]] 15 mg twice daily.")
        try expectSpans("She was given [[lidocaine with epinephrine]] and a [[compounded cream]].")
        try expectSpans("Request for [[Xylocaine\nMPF]] was denied.")
    }

    @Test("written combinations are one mention with their ingredients")
    func combinations() throws {
        let document = try DrugsTesting.run("Hydrocodone/APAP 10/325 mg #60 and oxycodone-acetaminophen 5/325 were given.")
        #expect(document.texts(ofType: "drug") == ["Hydrocodone/APAP", "oxycodone-acetaminophen"])
        let first = try #require(DrugsTesting.drugs(document).first)
        #expect(first.attributes["generic"] == "hydrocodone/acetaminophen")
        #expect(first.attributes["drug_class"] == "opioid")
        #expect(first.attributes["components"] == .strings(["hydrocodone", "acetaminophen"]))
        #expect(first.attributes["strength"] == "10/325")
        #expect(first.attributes["unit"] == "mg")
        #expect(first.attributes["quantity"] == 60)

        // A compounded cream written ingredient by ingredient.
        let cream = try DrugsTesting.run("Flurbiprofen/Cyclobenzaprine/Menthol cream 240 gm was requested.")
        let mention = try #require(DrugsTesting.drugs(cream).first)
        #expect(cream.coveredText(of: mention) == "Flurbiprofen/Cyclobenzaprine/Menthol")
        #expect(mention.attributes["components"] == .strings(["flurbiprofen", "cyclobenzaprine", "menthol"]))
        #expect(mention.attributes["form"] == "cream")
    }

    @Test("a brand and its generic written with a slash are two mentions")
    func brandSlashGeneric() throws {
        try expectSpans("Continue [[cyclobenzaprine]]/[[Flexeril]] at night.")
    }

    @Test("a salt written after the name is part of the name")
    func salts() throws {
        let document = try DrugsTesting.run("Orphenadrine Citrate ER 100mg tabs #30: Upheld")
        let drug = try #require(DrugsTesting.drugs(document).first)
        #expect(document.coveredText(of: drug) == "Orphenadrine Citrate")
        #expect(drug.attributes["salt"] == "Citrate")
        #expect(drug.attributes["release"] == "extended-release")
        #expect(drug.attributes["strength"] == "100")
        #expect(drug.attributes["form"] == "tablet")
        #expect(drug.attributes["quantity"] == 30)
    }

    @Test("a registered-trademark sign stays outside the span")
    func trademark() throws {
        let document = try DrugsTesting.run("in Section/Voltaren® Gel (diclofenac) Topic. Lidoderm™ is")
        #expect(document.texts(ofType: "drug") == ["Voltaren", "diclofenac", "Lidoderm"])
        #expect(DrugsTesting.drug("Voltaren", in: document)?.attributes["form"] == "gel")
    }

    @Test("letter-case rules keep common words out")
    func caseRules() throws {
        try expectSpans("She listened to a sonata and is well versed in medicine; Dr. smith.")
        try expectSpans("[[Zaleplon]] ([[Sonata]]) 10 mg at bedtime; [[Versed]] 2 mg IV.")
        try expectSpans("ASA class II; he takes [[ASA]] 81 mg daily and [[Soma/ASA]] as needed.")
    }

    @Test("places, people and lab or physiology terms are not drugs")
    func exclusions() throws {
        try expectSpans("The clinic at 123 Main Street, Norco, CA 92860 sent records.")
        try expectSpans("Seen by Dr. Lyrica on Norco Drive at Norco Medical Center.")
        try expectSpans("Vitamin D level was low; insulin resistance and non-insulin dependent diabetes; dopamine agonist.")
        try expectSpans("He takes [[Norco]], [[vitamin D]] and [[insulin]].")
    }

    @Test("classes, procedures and other text are not drug names")
    func negatives() throws {
        try expectSpans("""
            Opioids, NSAIDs, muscle relaxants and antidepressants are discussed in the MTUS. Trigger point \
            injections with saline; TPI 20553 X6; pain 4-8/10; L4-5 and L5-S1; ODG Pain Chapter; ACOEM.
            """)
        try expectSpans("Acupuncture 6 sessions: Upheld. Physical Therapy 2x8 for the Lumbar Spine.")
    }

    @Test("spans map to the original text through the normalized layer")
    func layerMapping() throws {
        // A layer that removed a doubled space: the annotation still covers the original name.
        let original = "Given  Norco 10/325."
        let normalized = "Given Norco 10/325."
        let map = try OffsetMap(edits: [.init(originalRange: 5..<7, layerRange: 5..<6)],
                                originalLength: original.utf8.count, layerLength: normalized.utf8.count)
        var document = Document(id: "layer", text: original)
        try document.setLayer(TextLayer(name: Document.normalizedLayerName, text: normalized, map: map))
        try DrugsTesting.stage.process(&document)
        #expect(document.texts(ofType: "drug") == ["Norco"])
    }
}
