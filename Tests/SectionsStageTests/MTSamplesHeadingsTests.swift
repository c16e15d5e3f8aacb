import ClinPipeCore
import ClinPipeTestSupport
import Foundation
import Synchronization
import Testing

/// Headings in the MTSamples transcriptions (`mtsamples/mtsamples.csv`, column `transcription`): the share of notes
/// with at least one heading the table maps to a canonical name, and the most frequent headings it does not map
/// (printed, to grow `Rules/headings.tsv`).
///
/// Measured when this test was written (normalize + sections): 4,999 notes, 33 of them empty; of the 4,966
/// others, 4,759 (95.8%) have a mapped heading and 4,836 (97.4%) a heading at all; 39,808 of 44,614 sections
/// (89.2%) are mapped. Most frequent unmapped: MS (78), CLINICAL (41), QUESTION (38), ANSWER (32), DERMATOLOGIC
/// (27), HEMOSTASIS (24), NEEDLE EMG (24), GEN EXAM (21), NERVE CONDUCTION STUDIES (21), HEMODYNAMICS (20).
@Suite struct MTSamplesHeadingsTests {
    @Test("share of MTSamples notes with a recognized heading, and the unmapped headings")
    func mtsamplesHeadings() throws {
        guard let root = TestPaths.sharedCorpora,
              let csv = try? String(contentsOf: root.appendingPathComponent("mtsamples/mtsamples.csv"), encoding: .utf8)
        else {
            print("skipped: ../shared/corpora/mtsamples is absent")
            return
        }
        let table = CSVTable(csv)
        let column = try #require(table.header.firstIndex(of: "transcription"))
        let notes = table.rows.map { column < $0.count ? $0[column] : "" }
        let harness = try Harness()

        struct Tally {
            var nonEmpty = 0, withHeading = 0, withMapped = 0, sections = 0, mappedSections = 0
            var unmapped: [String: Int] = [:]
        }
        let tally = Mutex(Tally())
        let chunks = 8
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var local = Tally()
            for index in stride(from: chunk, to: notes.count, by: chunks) {
                let text = notes[index]
                guard !text.allSatisfy(\.isWhitespace) else { continue }
                guard let document = try? harness.run(text, id: String(index)) else { continue }
                local.nonEmpty += 1
                let sections = document.annotations(ofType: "section")
                if !sections.isEmpty { local.withHeading += 1 }
                if sections.contains(where: { $0.attributes["mapped"] == .bool(true) }) { local.withMapped += 1 }
                local.sections += sections.count
                for section in sections {
                    if section.attributes["mapped"] == .bool(true) {
                        local.mappedSections += 1
                    } else {
                        local.unmapped[(section.attributes["title"]?.stringValue ?? "").uppercased(), default: 0] += 1
                    }
                }
            }
            tally.withLock { total in
                total.nonEmpty += local.nonEmpty
                total.withHeading += local.withHeading
                total.withMapped += local.withMapped
                total.sections += local.sections
                total.mappedSections += local.mappedSections
                total.unmapped.merge(local.unmapped, uniquingKeysWith: +)
            }
        }
        let total = tally.withLock { $0 }
        let share = Double(total.withMapped) / Double(max(total.nonEmpty, 1))
        let top = total.unmapped.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
        print("MTSamples: \(notes.count) notes, \(total.nonEmpty) not empty; with a mapped heading \(total.withMapped) "
            + "(\(String(format: "%.1f", share * 100))%), with any heading \(total.withHeading); sections \(total.sections), "
            + "mapped \(total.mappedSections)")
        print("MTSamples: most frequent unmapped headings: " + top.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        #expect(notes.count == 4999)
        #expect(share >= 0.95)
        #expect(Double(total.mappedSections) / Double(max(total.sections, 1)) >= 0.88)  // measured 89.2%
    }
}
