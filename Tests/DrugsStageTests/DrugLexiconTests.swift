import ClinPipeText
import DrugsStage
import Testing

@Suite("Drug lexicon (Rules/drugs.tsv)")
struct DrugLexiconTests {
    let lexicon = DrugsTesting.stage.lexicon

    func entries(_ term: String) -> [DrugEntry] {
        lexicon.entries.filter { $0.term.lowercased() == term.lowercased() }
    }

    @Test("is large: the workers' compensation drugs and several hundred of the most prescribed")
    func size() {
        #expect(lexicon.entries.count > 4000)
        #expect(Set(lexicon.entries.map(\.generic)).count > 1500)
    }

    @Test("covers the drugs that dominate workers' compensation", arguments: [
        "Norco", "Percocet", "Vicodin", "tramadol", "Ultram", "Ultracet", "tapentadol", "Nucynta", "oxycodone",
        "OxyContin", "hydrocodone", "morphine", "MS Contin", "fentanyl", "Duragesic", "buprenorphine", "Butrans",
        "methadone", "codeine", "naproxen", "Anaprox", "Naprosyn", "ibuprofen", "Motrin", "meloxicam", "Mobic",
        "diclofenac", "Voltaren", "celecoxib", "Celebrex", "etodolac", "nabumetone", "ketorolac", "Toradol",
        "cyclobenzaprine", "Flexeril", "Amrix", "Fexmid", "carisoprodol", "Soma", "tizanidine", "Zanaflex", "baclofen",
        "methocarbamol", "Robaxin", "orphenadrine", "Norflex", "metaxalone", "Skelaxin", "Lyrica", "Neurontin",
        "Cymbalta", "Elavil", "amitriptyline", "nortriptyline", "trazodone", "Effexor", "Wellbutrin", "sertraline",
        "Ambien", "zolpidem", "Lunesta", "Sonata", "Klonopin", "Xanax", "Valium", "Ativan", "Prilosec", "omeprazole",
        "Prevacid", "Nexium", "Protonix", "Pepcid", "ranitidine", "Lidoderm", "Terocin", "Flector", "Voltaren gel",
        "capsaicin", "methyl salicylate", "ketoprofen", "gabapentin", "compounded cream", "flurbiprofen", "Kenalog",
        "Depo-Medrol", "lidocaine", "bupivacaine", "Marcaine", "Botox", "Medrol dose pack", "prednisone", "Seroquel",
        "ondansetron", "Zofran", "Colace", "Senokot", "Sentra", "Theramine",
        "hydrocodone/acetaminophen", "Tylenol #3",
    ])
    func workersCompensationDrug(_ term: String) {
        #expect(!entries(term).isEmpty, "\(term) is missing")
    }

    @Test("covers the most prescribed drugs across classes", arguments: [
        "atorvastatin", "Lipitor", "rosuvastatin", "lisinopril", "amlodipine", "metoprolol", "losartan",
        "hydrochlorothiazide", "furosemide", "metformin", "Januvia", "Jardiance", "Ozempic", "Lantus", "apixaban",
        "Eliquis", "Xarelto", "warfarin", "clopidogrel", "levothyroxine", "Synthroid", "albuterol", "ProAir",
        "Advair", "Symbicort", "Spiriva", "montelukast", "cetirizine", "amoxicillin", "Augmentin", "azithromycin",
        "cephalexin", "ciprofloxacin", "doxycycline", "escitalopram", "fluoxetine", "quetiapine", "aripiprazole",
        "donepezil", "tamsulosin", "finasteride", "allopurinol", "alendronate", "estradiol", "sildenafil",
    ])
    func commonDrug(_ term: String) {
        #expect(!entries(term).isEmpty, "\(term) is missing")
    }

    @Test("maps brands to generics and classes")
    func brandToGeneric() throws {
        let expectations: [(String, String, String)] = [
            ("Norco", "hydrocodone/acetaminophen", "opioid"), ("Flexeril", "cyclobenzaprine", "muscle_relaxant"),
            ("Amrix", "cyclobenzaprine", "muscle_relaxant"), ("Lyrica", "pregabalin", "gabapentinoid"),
            ("Cymbalta", "duloxetine", "snri"), ("Klonopin", "clonazepam", "benzodiazepine"),
            ("Prevacid", "lansoprazole", "ppi"), ("Pepcid", "famotidine", "h2_blocker"),
            ("Kenalog", "triamcinolone", "corticosteroid"), ("Nucynta", "tapentadol", "opioid"),
            ("Lidoderm", "lidocaine", "local_anesthetic"), ("Soma", "carisoprodol", "muscle_relaxant"),
        ]
        for (term, generic, drugClass) in expectations {
            let entry = try #require(entries(term).first, "\(term)")
            #expect(entry.isBrand, "\(term) is a brand")
            #expect(entry.generic == generic, "\(term)")
            #expect(entry.drugClass == drugClass, "\(term)")
        }
        let tramadol = try #require(entries("tramadol").first)
        #expect(!tramadol.isBrand && tramadol.generic == "tramadol")
    }

    @Test("gives each spelling one meaning")
    func noConflictingSpellings() {
        var meanings: [String: String] = [:]
        var conflicts: [String] = []
        for entry in lexicon.entries {
            let key = entry.term.lowercased()
            if let generic = meanings[key], generic != entry.generic { conflicts.append(entry.term) }
            meanings[key] = entry.generic
        }
        #expect(conflicts.isEmpty, "\(conflicts)")
    }

    @Test("rejects a malformed lexicon file with file and line")
    func malformedFile() {
        let text = "term\tgeneric\tbrand\tmatch\nFoozol\tfoozol\tmaybe\t\nBarzol\tbarzol\tfalse\tloud\n"
        #expect {
            _ = try DrugLexicon(name: "mine.tsv", text: text)
        } throws: { error in
            let problems = (error as? RuleFileError)?.problems ?? []
            return problems.count == 2 && problems[0].hasPrefix("mine.tsv:2:") && problems[1].hasPrefix("mine.tsv:3:")
        }
    }

    @Test("accepts a plain list of names")
    func plainList() throws {
        let lexicon = try DrugLexicon(name: "list.tsv", text: "term\nfoozolam\nBarzol\n")
        #expect(lexicon.entries.map(\.generic) == ["foozolam", "barzol"])
        #expect(lexicon.entries.allSatisfy { !$0.isBrand && $0.source.hasPrefix("list.tsv:") })
    }
}
