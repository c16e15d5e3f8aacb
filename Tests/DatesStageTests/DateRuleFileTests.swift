import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import DatesStage
import Foundation
import Testing

/// Users extend or replace the date patterns and role cues with their own files, and a bad file is reported with
/// its name and line.
@Suite struct DateRuleFileTests {
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dates-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func stage(_ configure: (inout DatesStage.Configuration) -> Void, folder: URL) throws -> DatesStage {
        var configuration = DatesFixture.configuration()
        configure(&configuration)
        return try DatesStage(configuration: configuration,
                              environment: StageEnvironment(baseDirectory: folder, stageName: "dates"))
    }

    @Test func userPatternsExtendTheBuiltIns() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Dotted European day-first dates, for a user whose notes use them.
        try """
            id\tscope\tflags\tpattern
            dotted_dmy\ttext\t\t(?<![\\d.])(?<day>\\d{1,2})\\.(?<month>\\d{1,2})\\.(?<year>(?:19|20)\\d\\d)(?![\\d.]\\d)
            """.write(to: folder.appendingPathComponent("dotted.tsv"), atomically: true, encoding: .utf8)
        let stage = try Self.stage({ $0.patternFiles = ["dotted.tsv"] }, folder: folder)
        let dates = try DatesFixture.dates("Seen on 18.08.2011 and on 8/19/2011.", stage: stage)
        #expect(dates.compactMap { $0.string("value") } == ["2011-08-18", "2011-08-19"])
        #expect(dates.first?.provenance.rule == "dotted.tsv:2")
        let replaced = try Self.stage({
            $0.patternFiles = ["dotted.tsv"]
            $0.replaceBuiltInPatterns = true
        }, folder: folder)
        #expect(try DatesFixture.dates("Seen on 18.08.2011 and on 8/19/2011.", stage: replaced).count == 1)
    }

    @Test func userRoleCues() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            role\tposition\tflags\tpattern
            surgery\tbefore\ti\\b(?:surgery|operation)\\b
            """.replacingOccurrences(of: "\\b(?:surgery", with: "\t\\b(?:surgery")
            .write(to: folder.appendingPathComponent("cues.tsv"), atomically: true, encoding: .utf8)
        let stage = try Self.stage({ $0.roleCueFiles = ["cues.tsv"] }, folder: folder)
        let dates = try DatesFixture.dates("status post left knee surgery on 5/2/2014; date of injury 1/2/2013", stage: stage)
        #expect(dates.map { $0.string("role") } == ["surgery", "injury"])
    }

    @Test func badRuleFilesNameFileAndLine() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            # a comment
            id\tscope\tflags\tpattern
            broken\ttext\ti\t(?<year>\\d{4}
            no_year\ttext\ti\t(?<month>\\d\\d)/\\d\\d
            odd_group\ttext\ti\t(?<yr>\\d{4})
            numbered\ttext\ti\t(?<year>\\d\\d)(-)\\d\\1
            """.write(to: folder.appendingPathComponent("bad.tsv"), atomically: true, encoding: .utf8)
        do {
            _ = try Self.stage({ $0.patternFiles = ["bad.tsv", "missing.tsv"] }, folder: folder)
            Issue.record("a bad rule file was accepted")
        } catch let error as RuleFileError {
            let text = error.description
            #expect(text.contains("bad.tsv:3"))
            #expect(text.contains("bad.tsv:4"))
            #expect(text.contains("bad.tsv:5"))
            #expect(text.contains("bad.tsv:6"))
            #expect(text.contains("missing.tsv"))
        }
    }

    @Test func configurationDefaultsRoundTrip() throws {
        let data = try JSONEncoder().encode(DatesStage.Configuration())
        let decoded = try JSONDecoder().decode(DatesStage.Configuration.self, from: data)
        #expect(decoded.annotationType == "date")
        #expect(decoded.referenceDateAttributes == ["letter_date", "decision_date"])
        #expect(DatesStage.descriptor.produces == ["date"])
    }

    @Test func annotationTypeIsConfigurable() throws {
        let stage = try Self.stage({ $0.annotationType = "timex.date" }, folder: TestPaths.packageRoot)
        let document = try DatesFixture.run("date of injury of 11/27/1986.", stage: stage)
        #expect(document.texts(ofType: "timex.date") == ["11/27/1986"])
        #expect(stage.produces == ["timex.date"])
    }

    /// The stage is a value with immutable state: many threads may process documents at once.
    @Test func concurrentDocumentsGiveTheSameResult() async throws {
        let seeds = try TestPaths.seedTexts()
        let expected = try seeds.map { try DatesFixture.dates($0.text).map { "\($0.range) \($0.attributes)" } }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<32 {
                let (_, text) = seeds[round % seeds.count]
                let want = expected[round % seeds.count]
                group.addTask {
                    try DatesFixture.dates(text).map { "\($0.range) \($0.attributes)" } == want
                }
            }
            for try await same in group { #expect(same) }
        }
    }
}

/// Scanning only around digit runs that can belong to a date (the default) finds exactly what scanning the whole
/// text finds.
@Suite struct DateScanWindowTests {
    @Test func windowsFindWhatTheWholeTextScanFinds() throws {
        var configuration = DatesFixture.configuration()
        configuration.scanWholeText = true
        let whole = try DatesStage(configuration: configuration, environment: StageEnvironment(stageName: "dates"))
        var texts = try TestPaths.seedTexts().map(\.text)
        if let shared = TestPaths.sharedCorpora {
            let folder = shared.appendingPathComponent("imr-dev/text")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".txt") {
                texts.append(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            }
        } else {
            print("imr-dev letters skipped: ../shared/corpora is absent")
        }
        texts.append("On December \n\n  28, 2016 and from 1/5/15–2/3/15; in 2012, 2013 and 2015; 09-16-\n\n2015.")
        var total = 0
        for text in texts {
            let windowed = try DatesFixture.dates(text).map { "\($0.range) \($0.attributes)" }
            let scanned = try DatesFixture.dates(text, stage: whole).map { "\($0.range) \($0.attributes)" }
            #expect(windowed == scanned)
            total += scanned.count
        }
        // The five seed letters alone hold a few dozen dates; with the development letters, hundreds.
        #expect(total > (TestPaths.sharedCorpora == nil ? 20 : 300))
    }
}
