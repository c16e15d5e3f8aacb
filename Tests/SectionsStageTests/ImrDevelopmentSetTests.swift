import ClinPipeCore
import ClinPipeTestSupport
import Foundation
import Testing

/// Sections, item blocks and credentials on the 60 development letters (`imr-dev/text/`, and the same letters
/// from `text-pdftotext/`) against `decisions.csv` and `letters.csv` (parsed from the letters by a script, not
/// hand-annotated), and on the 5 sample letters against the items written below (read off the letters by hand).
///
/// Measured when this test was written: all 65 letters have the three IMR sections; 114 of 114 items found with the
/// right text and outcome, no extra, in both extractions; 8 of 8 items in the samples; licensure 60 of 60;
/// specialties 58 of 60 exactly, the other two being `letters.csv` values cut at a line wrap
/// (`Occupational` for `Occupational Medicine`), which the letters write in full.
@Suite struct ImrDevelopmentSetTests {
    static let imrSections = ["imr_how_determination_made", "clinical_case_summary", "imr_issues_decisions"]

    /// The sample letters' items: file → [(item, outcome)].
    static let seedItems: [String: [(String, String)]] = [
        "000_ccb6dedda2d825ee.txt": [("Eight Trigger Point Injections for the Upper Cervical Region, 8 Positions", "upheld")],
        "001_a0dedd9f0cd8f0a6.txt": [("Left gluteal trigger point injection x 1 DOS: 03/25/2015", "upheld")],
        "002_9e462060fe828150.txt": [("Acupuncture 6 sessions", "upheld"),
                                     ("Ultrasound guided Lumbar Paraspinal Muscle Trigger Point Injections at L4-5, L5-S1.", "upheld")],
        "003_7c73b92446adde45.txt": [("Trigger point injections in the left low back", "upheld"),
                                     ("Amrix 15mg (unspecified quantity)", "upheld")],
        "004_8b2a3e9d9f9e1e33.txt": [("Physical Therapy 2x8 for the Lumbar Spine", "upheld"),
                                     ("TPI 20553 X6 in the Right Lumbar Paraspinals DOS 12/29/15", "upheld")],
    ]

    struct Score {
        var letters = 0, withAllSections = 0, expected = 0, found = 0, matched = 0
        var misses: [String] = [], extras: [String] = []

        mutating func compare(_ case_: String, found items: [String], expected gold: [String]) {
            expected += gold.count
            self.found += items.count
            var remaining = gold
            for item in items {
                if let index = remaining.firstIndex(of: item) {
                    remaining.remove(at: index)
                    matched += 1
                } else {
                    extras.append("\(case_): \(item)")
                }
            }
            misses += remaining.map { "\(case_): \($0)" }
        }
    }

    static func items(_ document: Document) -> [String] {
        document.sorted("imr.item").map { "\(collapse(document.string("item", of: $0) ?? "")) => \(document.string("outcome", of: $0) ?? "")" }
    }

    func score(folder: String, harness: Harness, gold: [String: [String]]) throws -> Score? {
        guard let files = sharedFiles(folder) else { return nil }
        var score = Score()
        for file in files {
            let case_ = file.deletingPathExtension().lastPathComponent
            let document = try harness.run(try String(contentsOf: file, encoding: .utf8), id: case_)
            score.letters += 1
            if Self.imrSections.allSatisfy(document.sectionNames.contains) { score.withAllSections += 1 }
            score.compare(case_, found: Self.items(document), expected: gold[case_] ?? [])
        }
        print("\(folder): \(score.letters) letters, \(score.withAllSections) with the three IMR sections; items: "
            + "\(score.expected) expected, \(score.found) found, \(score.matched) matched; misses \(score.misses); extras \(score.extras)")
        return score
    }

    /// Items that decisions.csv got wrong, by `case#index`, with the text the letter prints.
    static let labelCorrections = [
        "CM16-0243394#2": "Lidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill, DOS: 11/11/2016",
    ]

    @Test("the 60 development letters: sections and items against decisions.csv, in both extractions")
    func developmentLetters() throws {
        guard let root = TestPaths.sharedCorpora,
              let text = try? String(contentsOf: root.appendingPathComponent("imr-dev/decisions.csv"), encoding: .utf8)
        else {
            print("skipped: ../shared/corpora/imr-dev is absent")
            return
        }
        var gold: [String: [String]] = [:]
        for row in CSVTable(text).dictionaries {
            let case_ = row["case_number"] ?? ""
            var item = collapse(row["item"] ?? "")
            // Label errors in decisions.csv (parsed by a script): the letter's item line wraps after "DOS:", and the
            // script kept only the date. The letter reads as below.
            if let corrected = Self.labelCorrections[case_ + "#" + (row["item_index"] ?? "")] { item = corrected }
            gold[case_, default: []].append("\(item) => \((row["outcome"] ?? "").lowercased())")
        }
        let harness = try Harness()
        for folder in ["imr-dev/text", "imr-dev/text-pdftotext"] {
            guard let score = try score(folder: folder, harness: harness, gold: gold) else { continue }
            #expect(score.letters == 60)
            #expect(score.withAllSections == 60)
            #expect(score.expected == 114)
            #expect(score.matched == 114, "misses: \(score.misses)")
            #expect(score.extras.isEmpty, "extras: \(score.extras)")
        }
    }

    @Test("the 5 sample letters (2014-15 and 2016-17 templates): sections and items")
    func sampleLetters() throws {
        let harness = try Harness()
        var score = Score()
        for (name, text) in try TestPaths.seedTexts() {
            let document = try harness.run(text, id: name)
            score.letters += 1
            if Self.imrSections.allSatisfy(document.sectionNames.contains) { score.withAllSections += 1 }
            score.compare(name, found: Self.items(document), expected: (Self.seedItems[name] ?? []).map { "\($0.0) => \($0.1)" })
        }
        print("samples: \(score.letters) letters, \(score.withAllSections) with the three IMR sections; items \(score.matched)/\(score.expected)")
        #expect(score.letters == 5)
        #expect(score.withAllSections == 5)
        #expect(score.matched == 8 && score.expected == 8, "misses: \(score.misses)")
        #expect(score.extras.isEmpty, "extras: \(score.extras)")
    }

    @Test("partial-authorization items in the development letters carry the original request")
    func partialItems() throws {
        guard let files = sharedFiles("imr-dev/text") else { return }
        let harness = try Harness()
        var partial = 0, withOriginal = 0, withAuthorized = 0
        for file in files {
            let document = try harness.run(try String(contentsOf: file, encoding: .utf8))
            for item in document.sorted("imr.item") where item.attributes["partial"]?.boolValue == true {
                partial += 1
                if item.attributes["original_request"] != nil { withOriginal += 1 }
                if item.attributes["authorized_portion"] != nil { withAuthorized += 1 }
                // The request is the item's final words, inside its line.
                let request = document.sorted("imr.item.request").first { item.range.contains($0.range.lowerBound) }
                #expect(request.map { collapse(document.layerText(of: $0)) } == document.string("item", of: item))
            }
        }
        print("partial items: \(partial), with original request \(withOriginal), with authorized portion \(withAuthorized)")
        // decisions.csv marks 18 items with an item_context: every one is a partial-authorization item.
        #expect(partial == 18)
        #expect(withAuthorized == 18)
        #expect(withOriginal >= 17)
    }

    @Test("reviewer credentials against letters.csv")
    func credentials() throws {
        guard let root = TestPaths.sharedCorpora,
              let text = try? String(contentsOf: root.appendingPathComponent("imr-dev/letters.csv"), encoding: .utf8)
        else {
            print("skipped: ../shared/corpora/imr-dev is absent")
            return
        }
        let harness = try Harness()
        func list(_ field: String) -> [String] { field.split(separator: ",").map { collapse($0) }.filter { !$0.isEmpty } }
        var licensureExact = 0, specialtiesExact = 0, specialtiesPrefix = 0, letters = 0
        for row in CSVTable(text).dictionaries {
            let case_ = row["case_number"] ?? ""
            let url = root.appendingPathComponent("imr-dev/text/\(case_).txt")
            let document = try harness.run(try String(contentsOf: url, encoding: .utf8), id: case_)
            letters += 1
            let licensure = document.attributes["reviewer_licensure"]?.listValue?.compactMap(\.stringValue) ?? []
            let specialties = document.attributes["reviewer_specialties"]?.listValue?.compactMap(\.stringValue) ?? []
            let goldSpecialties = list(row["specialty"] ?? "")
            if licensure == list(row["licensure"] ?? "") { licensureExact += 1 } else { print("licensure \(case_): \(licensure)") }
            if specialties == goldSpecialties {
                specialtiesExact += 1
                specialtiesPrefix += 1
            } else if specialties.count == goldSpecialties.count,
                      zip(specialties, goldSpecialties).allSatisfy({ $0.hasPrefix($1) }) {
                specialtiesPrefix += 1
                print("specialties \(case_): letters.csv cut \(goldSpecialties.last ?? "") short of \(specialties.last ?? "")")
            } else {
                print("specialties \(case_): \(specialties) vs \(goldSpecialties)")
            }
        }
        print("credentials: \(letters) letters; licensure \(licensureExact) exact; specialties \(specialtiesExact) exact, "
            + "\(specialtiesPrefix) with labels cut at a line wrap")
        #expect(letters == 60)
        #expect(licensureExact == 60)
        #expect(specialtiesExact >= 58)
        #expect(specialtiesPrefix == 60)
    }
}
