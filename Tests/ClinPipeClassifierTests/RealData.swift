import ClinPipeClassifier
import ClinPipeCore
import ClinPipeIO
import ClinPipeTestSupport
import Foundation

/// Real texts for the tests: IMR letters (the seeds in Corpora/, the development letters in ../shared) and
/// MTSamples (../shared). A rough, test-only reading of IMR letters: the `sections` stage does this properly.
enum RealData {
    /// MTSamples notes of the given specialties (labels as written, trimmed), grouped by sample name without its
    /// trailing number ("2-D Echocardiogram - 3" → "2-D Echocardiogram"), so that variants of one sample never
    /// straddle two folds. Nil when ../shared is absent.
    static func mtsamples(specialties: Set<String>) throws -> [LabeledText]? {
        guard let corpora = TestPaths.sharedCorpora else { return nil }
        var options = SourceOptions()
        options.idColumn = "note_id"
        options.textColumn = "transcription"
        let source = try CSVSource(path: corpora.appendingPathComponent("mtsamples/mtsamples.csv").path, options: options)
        var examples: [LabeledText] = []
        while let record = try source.next() {
            guard case .success(let document) = record.content else { continue }
            let specialty = (document.attributes["medical_specialty"]?.stringValue ?? "").trimmingCharacters(in: .whitespaces)
            guard specialties.contains(specialty), !document.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            var sample = (document.attributes["sample_name"]?.stringValue ?? document.id).trimmingCharacters(in: .whitespaces)
            if let dash = sample.range(of: #" - \d+$"#, options: .regularExpression) { sample.removeSubrange(dash) }
            examples.append(LabeledText(text: document.text, label: specialty, group: sample))
        }
        return examples
    }

    /// One IMR letter: its file name and text.
    struct Letter {
        var name: String
        var text: String
    }

    static func seedLetters() throws -> [Letter] {
        try TestPaths.seedTexts().map { Letter(name: $0.name, text: $0.text) }
    }

    /// The 60 development letters, or nil when ../shared is absent.
    static func developmentLetters() throws -> [Letter]? {
        guard let corpora = TestPaths.sharedCorpora else { return nil }
        let folder = corpora.appendingPathComponent("imr-dev/text")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try names.map { Letter(name: $0, text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// The decision rationales of a letter, in order: from each "Decision rationale:" to the paragraph that holds
    /// the next item's decision line ("...: Upheld"), or to the end.
    static func rationales(in text: String) -> [String] {
        let parts = text.components(separatedBy: "Decision rationale:")
        return parts.dropFirst().map { part in
            var rationale = Substring(part)
            if let decision = rationale.range(of: #":\s*(Upheld|Overturned)\b"#, options: .regularExpression) {
                // Cut at the last blank line before the decision line (the start of the next item's header).
                var cut = decision.lowerBound
                var searchStart = rationale.startIndex
                while let blank = rationale.range(of: #"\n[ \t]*\n"#, options: .regularExpression, range: searchStart..<decision.lowerBound) {
                    cut = blank.lowerBound
                    searchStart = rationale.index(after: blank.lowerBound)
                }
                rationale = rationale[..<cut]
            }
            return rationale.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The clinical case summary of a letter (between its heading and the decisions heading), or nil.
    static func caseSummary(in text: String) -> String? {
        guard let start = text.range(of: "CLINICAL CASE SUMMARY"),
              let end = text.range(of: "IMR ISSUES, DECISIONS AND RATIONALES", range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// The development letters' rationales labeled with `decisions.csv` (`upheld`/`overturned`, matched by case
    /// number and item order), grouped by letter; `summaries` gives each item its letter's case summary instead.
    /// Nil when ../shared is absent. Letters whose rationale count differs from their decision count are skipped.
    static func developmentItems(summaries: Bool = false) throws -> (items: [LabeledText], skippedLetters: Int)? {
        guard let corpora = TestPaths.sharedCorpora, let letters = try developmentLetters() else { return nil }
        var options = SourceOptions()
        options.idColumn = "case_number"
        options.textColumn = "item"
        let source = try CSVSource(path: corpora.appendingPathComponent("imr-dev/decisions.csv").path, options: options)
        var outcomes: [String: [(index: Int, outcome: String)]] = [:]
        while let record = try source.next() {
            guard case .success(let row) = record.content else { continue }
            let index = Int(row.attributes["item_index"]?.stringValue ?? "") ?? 0
            let outcome = (row.attributes["outcome"]?.stringValue ?? "").lowercased()
            outcomes[row.id, default: []].append((index, outcome))
        }
        var items: [LabeledText] = []
        var skipped = 0
        for letter in letters {
            let caseNumber = String(letter.name.dropLast(4))
            let labels = (outcomes[caseNumber] ?? []).sorted { $0.index < $1.index }.map(\.outcome)
            let rationales = rationales(in: letter.text)
            guard !labels.isEmpty, labels.count == rationales.count else { skipped += 1; continue }
            let summary = summaries ? caseSummary(in: letter.text) : nil
            if summaries && summary == nil { skipped += 1; continue }
            for (rationale, label) in zip(rationales, labels) {
                items.append(LabeledText(text: summary ?? rationale, label: label, group: caseNumber))
            }
        }
        return (items, skipped)
    }
}
