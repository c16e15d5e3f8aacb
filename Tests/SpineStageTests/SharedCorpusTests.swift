import ClinPipeCore
import ClinPipeTestSupport
import Foundation
import SpineStage
import Testing

/// The stage over the shared development corpora (`../shared/corpora`), skipped when they are absent.
@Suite struct SharedCorpusTests {
    /// Every level and dermatome in the 60 IMR development letters (`imr-dev/text`), listed by reading the letters
    /// where a grep for level-like tokens, `dermatom`, `distribution` and `nerve root` pointed (the letters'
    /// other 'radiculopathy' mentions name no level).
    static let imrDevExpected: [(file: String, type: String, text: String)] = [
        ("CM16-0235724", SpineStage.dermatomeType, "C5 and C6 dermatome"),
        ("CM16-0235869", SpineStage.levelType, "L1-L3"),
        ("CM16-0239569", SpineStage.levelType, "C4-T5 and L1-5"),
        ("CM16-0247660", SpineStage.levelType, "L1-L5"),
        ("CM16-0247660", SpineStage.levelType, "L1-L5"),
        ("CM16-0247802", SpineStage.levelType, "L4-5"), ("CM16-0247802", SpineStage.levelType, "L3-4"),
        ("CM16-0247802", SpineStage.levelType, "L1-2"), ("CM16-0247802", SpineStage.levelType, "L4-5"),
        ("CM16-0247802", SpineStage.levelType, "L3-4"), ("CM16-0247802", SpineStage.levelType, "L1-2"),
        ("CM16-0248034", SpineStage.levelType, "C3-4"),
        ("CM17-0003623", SpineStage.dermatomeType, "C5 and C6 dermatomes"),
        ("CM17-0004344", SpineStage.dermatomeType, "L4 and L5 dermatomes"),
        ("CM17-0007376", SpineStage.levelType, "T10"),
        ("CM17-0008519", SpineStage.levelType, "L4 and L5"), ("CM17-0008519", SpineStage.levelType, "L4 and L5"),
        ("CM17-0008519", SpineStage.levelType, "L5/S1"),
        ("CM17-0012593", SpineStage.dermatomeType, "C7 and C8"),
        ("CM17-0014800", SpineStage.levelType, "L3 through L5"),
        ("CM17-0017734", SpineStage.levelType, "cervical 1 to cervical 7"),
    ]

    @Test func imrDevelopmentLetters() throws {
        guard let shared = TestPaths.sharedCorpora else {
            print("skipped: ../shared/corpora is not present")
            return
        }
        let folder = shared.appendingPathComponent("imr-dev/text")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files.count == 60)
        var found: [(file: String, type: String, text: String)] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let document = try runSpine(text)
            for annotation in document.annotations.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
                let covered = document.coveredText(of: annotation).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                found.append((String(file.dropLast(4)), annotation.type, covered))
            }
        }
        let expected = Self.imrDevExpected.map { "\($0.file) \($0.type) \($0.text)" }
        let actual = found.map { "\($0.file) \($0.type) \($0.text)" }
        let missing = expected.filter { !actual.contains($0) }
        let extra = actual.filter { !expected.contains($0) }
        print("spine imr-dev: \(actual.count) found, \(expected.count) expected, \(missing.count) missing, \(extra.count) extra")
        #expect(missing.isEmpty, "\(missing)")
        #expect(extra.isEmpty, "\(extra)")
    }

    /// MTSamples (4,999 notes): every annotation is well formed, heart sounds in cardiology notes are never levels,
    /// and the stage finds the thousands of levels the spine surgery notes hold.
    @Test func mtsamples() throws {
        guard let shared = TestPaths.sharedCorpora else {
            print("skipped: ../shared/corpora is not present")
            return
        }
        let rows = try Self.readCSV(shared.appendingPathComponent("mtsamples/mtsamples.csv"))
        guard let header = rows.first, let textColumn = header.firstIndex(of: "transcription"),
              let specialtyColumn = header.firstIndex(of: "medical_specialty")
        else {
            Issue.record("mtsamples.csv lacks its columns")
            return
        }
        var levels = 0, dermatomes = 0, cardiologySounds: [String] = []
        let segmentShape = try Regex(#"^[CTLS][0-9]{1,2}-[CTLS][0-9]{1,2}$"#)
        let heartSounds: Set<String> = ["S1", "S2", "S3", "S4"]
        for row in rows.dropFirst() where row.count > max(textColumn, specialtyColumn) {
            let document = try runSpine(row[textColumn])
            for annotation in document.annotations {
                let attributes = annotation.attributes
                let written = (attributes["segments"]?.listValue ?? []) + (attributes["vertebrae"]?.listValue ?? [])
                    + (attributes["roots"]?.listValue ?? [])
                #expect(!written.isEmpty)
                for segment in attributes["segments"]?.listValue?.compactMap(\.stringValue) ?? [] {
                    #expect(segment.wholeMatch(of: segmentShape) != nil, "\(segment)")
                }
                if annotation.type == SpineStage.levelType {
                    levels += 1
                } else {
                    dermatomes += 1
                    #expect(["dermatome", "myotome", "root"].contains(attributes["kind"]?.stringValue ?? ""))
                }
                let names = Set(written.compactMap(\.stringValue))
                if row[specialtyColumn].contains("Cardio"), names.isSubset(of: heartSounds) {
                    cardiologySounds.append(String(document.coveredText(of: annotation)))
                }
            }
        }
        print("spine mtsamples: \(rows.count - 1) notes, \(levels) levels, \(dermatomes) dermatomes")
        #expect(cardiologySounds.isEmpty, "\(cardiologySounds)")
        #expect(levels >= 2900)
        #expect(dermatomes >= 250)
    }

    /// A minimal RFC 4180 reader (quoted fields with doubled quotes, line breaks inside quotes).
    static func readCSV(_ url: URL) throws -> [[String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [[String]] = [], row: [String] = [], field = ""
        var inQuotes = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                inQuotes = true
            } else if scalar == "," {
                row.append(field); field = ""
            } else if scalar == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else if scalar != "\r" {
                field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
