import ClinPipeBench
import ClinPipeCore
import ClinPipeIO
import ClinPipeStages
import Foundation
import Testing

@testable import ClinPipeSynth

/// The generator: deterministic, in both templates, with a key whose offsets slice to what it records.
struct SynthCorpusTests {
    static let letters = (0..<50).map { SynthCorpus(seed: 42).letter(at: $0) }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let again = (0..<50).map { SynthCorpus(seed: 42).letter(at: $0) }
        for (a, b) in zip(Self.letters, again) {
            #expect(a.text == b.text)
            #expect(a.key.json(text: a.text).serialized() == b.key.json(text: b.text).serialized())
        }
        let other = SynthCorpus(seed: 43).letter(at: 0)
        #expect(other.text != Self.letters[0].text)
    }

    @Test func writtenFilesDoNotDependOnThreads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let one = folder.appendingPathComponent("one.jsonl").path
        let two = folder.appendingPathComponent("two.jsonl").path
        _ = try SynthCorpus(seed: 9).write(count: 40, to: .jsonl(one), jobs: 1)
        _ = try SynthCorpus(seed: 9).write(count: 40, to: .jsonl(two), jobs: 2)
        #expect(FileManager.default.contents(atPath: one) == FileManager.default.contents(atPath: two))
        #expect(FileManager.default.contents(atPath: folder.appendingPathComponent("one.key.jsonl").path)
            == FileManager.default.contents(atPath: folder.appendingPathComponent("two.key.jsonl").path))
        // The key file reads back to the same key.
        let keys = try SynthKey.load(path: folder.appendingPathComponent("one.key.jsonl").path)
        #expect(keys.count == 40)
        let first = SynthCorpus(seed: 9).letter(at: 0)
        // (Reading sorts each object's fields: compare after the same round trip.)
        let roundTrip = try SynthKey(json: try JSONValue.parse(Data(first.key.json(text: first.text).serialized().utf8)))
        #expect(keys[first.id]?.json(text: first.text).serialized() == roundTrip.json(text: first.text).serialized())
        #expect(keys[first.id]?.spans.count == first.key.spans.count)
    }

    @Test func keyOffsetsSliceToTheRecordedText() throws {
        for letter in Self.letters {
            let scalars = Array(letter.text.unicodeScalars)
            #expect(letter.key.length == scalars.count)
            let json = letter.key.json(text: letter.text)
            for group in ["dates", "drugs", "spine", "findings"] {
                guard case .array(let entries)? = json[group] else { Issue.record("no \(group)"); continue }
                for entry in entries {
                    guard case .number(let begin)? = entry["begin"], case .number(let end)? = entry["end"],
                          let text = entry["text"]?.stringValue else { Issue.record("malformed \(group) entry"); continue }
                    #expect(Int(begin) < Int(end) && Int(end) <= scalars.count)
                    var slice = String.UnicodeScalarView()
                    slice.append(contentsOf: scalars[Int(begin)..<Int(end)])
                    #expect(String(slice) == text)
                    // Spans never start or end in whitespace.
                    #expect(text.first?.isWhitespace == false && text.last?.isWhitespace == false)
                }
            }
            for span in letter.key.spans(.sentence) {
                #expect(!span.range.isEmpty && span.range.upperBound <= scalars.count)
                #expect(!scalars[span.range.lowerBound].properties.isWhitespace)
                #expect(!scalars[span.range.upperBound - 1].properties.isWhitespace)
            }
            for item in letter.key.items {
                #expect(item.lineRange.lowerBound == item.blockRange.lowerBound)
                #expect(item.blockRange.upperBound <= scalars.count)
                var line = String.UnicodeScalarView()
                line.append(contentsOf: scalars[item.lineRange])
                let flattened = String(line).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(flattened.hasSuffix(item.outcome == "upheld" ? "Upheld" : "Overturned"))
                #expect(flattened.contains(item.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")))
            }
            #expect(letter.key.sections.map(\.name) == ["determination", "case_summary", "issues"])
        }
    }

    /// Not circular: what the offsets slice out, with the inserted line breaks taken away, is what the vocabulary
    /// and the date formats say was written, and it means what the key says.
    @Test func keySpansCoverWhatWasWritten() throws {
        let names = Set(SynthVocabulary.embedded.drugs.map { $0.name.lowercased() })
        let months = SynthDate.monthNames.map { String($0.prefix(3)) }
        for letter in Self.letters {
            let scalars = Array(letter.text.unicodeScalars)
            func written(_ span: KeySpan) -> String {
                String(String.UnicodeScalarView(scalars[span.range].filter { $0 != "\n" }))
            }
            for span in letter.key.spans(.drug) {
                #expect(names.contains(written(span).lowercased()), "\(letter.id): drug span '\(written(span))'")
            }
            for span in letter.key.spans(.date) {
                let text = written(span)
                let value = try #require(span["value"]?.string)
                let parts = value.split(separator: "-").map { Int($0)! }
                let numbers = text.split { !$0.isNumber }.map { Int($0)! }
                if let month = months.firstIndex(where: { text.hasPrefix($0) }) {
                    #expect(parts[1] == month + 1 && parts[0] == numbers.last!, "\(letter.id): '\(text)' is not \(value)")
                    if parts.count == 3 { #expect(numbers.first == parts[2]) }
                } else {
                    #expect(numbers.count == 3 && numbers[0] == parts[1] && numbers[1] == parts[2]
                        && (numbers[2] == parts[0] || numbers[2] == parts[0] % 100), "\(letter.id): '\(text)' is not \(value)")
                }
            }
            for span in letter.key.spans(.spineLevel) {
                let text = written(span)
                let segments = try #require(span["segments"]?.strings)
                #expect(text.range(of: #"^[CTL]\d[-/–][CTLS]?\d((, | and )[CTL]\d[-/–][CTLS]?\d)*$"#,
                                   options: .regularExpression) != nil, "\(letter.id): level '\(text)'")
                #expect(segments.allSatisfy { text.contains($0.prefix(2)) })
            }
            for span in letter.key.spans(.spineDermatome) {
                let roots = try #require(span["roots"]?.strings)
                #expect(roots.allSatisfy { written(span).contains($0) })
            }
            // A finding's span is its vocabulary entry without a leading article ("a twitch response").
            for span in letter.key.spans(.finding) {
                let text = written(span).lowercased()
                #expect(!["a ", "an ", "the "].contains { text.hasPrefix($0) }, "\(letter.id): finding '\(text)'")
                #expect(SynthVocabulary.embedded.findings.contains {
                    let entry = $0.text.lowercased()
                    return entry == text || ["a ", "an ", "the "].contains { entry == $0 + text }
                }, "\(letter.id): finding '\(text)'")
            }
        }
    }

    @Test func theCorpusVariesAsPromised() {
        let keys = (0..<200).map { SynthCorpus(seed: 5).letter(at: $0) }
        #expect(Set(keys.map(\.key.template)) == ["2014", "2016"])
        let items = keys.flatMap(\.key.items)
        #expect(items.contains { $0.outcome == "upheld" } && items.contains { $0.outcome == "overturned" })
        #expect(items.contains { $0.partial })
        #expect(Set(keys.map(\.key.items.count)) == [1, 2, 3, 4, 5])
        let dates = keys.flatMap { letter in letter.key.spans(.date).map { span in
            String(String.UnicodeScalarView(Array(letter.text.unicodeScalars)[span.range]))
        } }
        // Every written form: 11/27/1986, 11/7/13, 01-10-2014, 8-18-11, August 18, 2011, Aug. 18, 2011, December 2014.
        let forms = [#"^\d\d/\d\d/\d{4}$"#, #"^\d{1,2}/\d{1,2}/\d\d$"#, #"^\d\d-\d\d-\d{4}$"#, #"^\d{1,2}-\d{1,2}-\d\d$"#,
                     #"^[A-Z][a-z]+ \d{1,2}, \d{4}$"#, #"^[A-Z][a-z]+\. \d{1,2}, \d{4}$"#, #"^[A-Z][a-z]+ \d{4}$"#]
        for form in forms {
            #expect(dates.contains { $0.range(of: form, options: .regularExpression) != nil }, "no date like \(form)")
        }
        let negated = keys.flatMap { $0.key.spans(.finding) }.map { $0["negated"]?.bool }
        #expect(negated.contains(true) && negated.contains(false))
        #expect(keys.contains { $0.text.contains("Board Certified in") })
        #expect(keys.contains { $0.text.contains("State(s) of Licensure:") })
        #expect(keys.contains { !$0.text.allSatisfy(\.isASCII) }, "some letters exercise code point offsets")
    }

    /// The key is complete: every drug name and level-like token written in a letter lies inside a key span,
    /// so that a pipeline's precision against the key is meaningful.
    @Test func everyDrugNameAndLevelInTheTextIsInTheKey() {
        let names = SynthVocabulary.embedded.drugs.map { $0.name.split(separator: " ")[0].lowercased() }
        for letter in Self.letters {
            let scalars = Array(letter.text.unicodeScalars)
            let lowered = scalars.map { Character($0).lowercased() }
            var covered = [Bool](repeating: false, count: scalars.count)
            for span in letter.key.spans where span.kind == .drug || span.kind == .spineLevel || span.kind == .spineDermatome {
                for index in span.range { covered[index] = true }
            }
            func isWord(_ index: Int) -> Bool { index >= 0 && index < scalars.count && scalars[index].properties.isAlphabetic }
            for name in Set(names) {
                let needle = Array(name).map(String.init)
                var index = 0
                while index + needle.count <= lowered.count {
                    if Array(lowered[index..<(index + needle.count)]) == needle, !isWord(index - 1), !isWord(index + needle.count) {
                        #expect(covered[index], "\(letter.id): '\(name)' at \(index) is not in the key")
                    }
                    index += 1
                }
            }
            // Level and root tokens: C5, L4, S1, T1 followed by a non-letter.
            for index in scalars.indices.dropLast() where "CLST".unicodeScalars.contains(scalars[index])
                && scalars[index + 1].properties.numericType != nil && !isWord(index - 1)
            {
                #expect(covered[index], "\(letter.id): level-like token at \(index) is not in the key")
            }
        }
    }
}

/// `clinpipe bench`'s measuring code on a small generated corpus.
struct BenchMeasurementTests {
    @Test func measuresEveryDocumentAndEveryStage() throws {
        let pipeline = try Pipeline(configuration: .defaultPipeline, registry: .builtIn)
        let letters = (0..<20).map { SynthCorpus(seed: 3).letter(at: $0) }
        let measurement = try BenchMeasurement.run(pipeline: pipeline, makeSource: {
            ArraySource(documents: letters.map { InputDocument(id: $0.id, text: $0.text) })
        }, jobs: 2)
        #expect(measurement.documents == 20 && measurement.errors == 0)
        #expect(measurement.textBytes == letters.reduce(0) { $0 + $1.text.utf8.count })
        #expect(measurement.stages.map(\.name) == pipeline.steps.map(\.name))
        #expect(measurement.stages.allSatisfy { $0.nanoseconds > 0 })
        #if os(Linux)
        #expect((measurement.peakResidentBytes ?? 0) > 1_000_000)
        #endif
        let report = BenchReport(machine: .current(), inputs: ["test"], pipeline: pipeline.steps.map(\.name),
                                 startupMilliseconds: nil, pipelineBuildMilliseconds: 1, measurements: [measurement])
        #expect(report.text().contains("jobs 2: 20 documents"))
        #expect(report.json()["runs"] != nil)
    }
}

/// Scoring against the key, with the pipeline that exists today.
struct SynthEvaluationTests {
    @Test func defaultPipelineMeetsTheFloorsOnFiftyLetters() throws {
        let pipeline = try Pipeline(configuration: .defaultPipeline, registry: .builtIn)
        var evaluation = SynthEvaluation(producedTypes: Set(pipeline.steps.flatMap { $0.stage.produces }))
        for letter in SynthCorpusTests.letters {
            var document = Document(id: letter.id, text: letter.text)
            try pipeline.process(&document)
            evaluation.add(document, key: letter.key)
        }
        evaluation.finish()
        #expect(evaluation.documents == 50)
        // Floors measured on generated corpora with the whole default pipeline (see the issue's closing note).
        #expect(evaluation.evaluated.contains("sentence"))
        for (type, exactF1, overlapF1) in [("date", 0.98, 0.99), ("drug", 0.98, 0.98), ("spine.level", 0.98, 0.99),
                                           ("spine.dermatome", 0.95, 0.98), ("section", 0.98, 0.99),
                                           ("imr.item", 0.98, 0.98), ("finding", 0.93, 0.93)] {
            let exact = try #require(evaluation.exact[type], "\(type)")
            #expect(exact.f1 >= exactF1, "\(type) exact F1 \(exact.f1)")
            #expect((evaluation.overlap[type]?.f1 ?? 0) >= overlapF1, "\(type) overlap F1")
        }
        // date.role: 0.66 on these letters, 0.80 on 2,000 (the key calls visit, procedure and therapy dates
        // `service`, which the dates stage leaves without a role: only a named date of service is one).
        for (attribute, floor) in [("imr.decision.outcome", 0.99), ("imr.decision.partial", 0.99), ("date.value", 0.99),
                                   ("date.role", 0.6), ("drug.generic", 0.98), ("drug.release", 0.98),
                                   ("drug.form", 0.98), ("finding.negated", 0.95), ("spine.level.segments", 0.98),
                                   ("reviewer.licensure", 0.98)] {
            #expect((evaluation.accuracy[attribute]?.value ?? 0) >= floor, "\(attribute)")
        }
        let sentences = try #require(evaluation.exact["sentence"])
        #expect(sentences.recall >= 0.99, "sentence recall \(sentences.recall)")
        #expect(sentences.precision >= 0.99, "sentence precision \(sentences.precision)")
        for type in ["date", "drug", "spine.level", "spine.dermatome", "section", "imr.item", "imr.decision"] {
            let produced = pipeline.steps.contains { $0.stage.produces.contains(type) }
            #expect(evaluation.evaluated.contains(type) == produced)
            #expect(evaluation.skipped.contains { $0.hasPrefix(type) } == !produced)
        }
        #expect(evaluation.report().contains("sentence"))
    }

    @Test func aFormulationNeedsItsKeyField() throws {
        let broken = { (name: String) throws -> String in
            let text = EmbeddedRules.text(name)
            guard name == "drugs.tsv" else { return text }
            return text.replacingOccurrences(of: "\tER\trelease=extended-release\n", with: "\tER\t\n")
        }
        do {
            _ = try SynthVocabulary(file: broken)
            Issue.record("a formulation without its key field was accepted")
        } catch {
            #expect("\(error)".contains("needs both a formulation and a formulation_key"), "\(error)")
        }
        let drugs = SynthVocabulary.embedded.drugs.filter { !$0.formulation.isEmpty }
        #expect(!drugs.isEmpty && drugs.allSatisfy { $0.formulationField != nil })
    }

    @Test func valuesCompareWithoutCaseAndCombinationsInAnyOrder() {
        #expect(SynthEvaluation.matches(.string("onabotulinumtoxinA"), .string("onabotulinumtoxina")))
        #expect(SynthEvaluation.matches(.string("methyl salicylate/benzocaine/menthol"),
                                        .string("methyl salicylate/menthol/benzocaine")))
        #expect(!SynthEvaluation.matches(.string("methyl salicylate/benzocaine/menthol"),
                                         .string("methyl salicylate/menthol")))
        #expect(!SynthEvaluation.matches(.string("tramadol"), .string("tapentadol")))
        #expect(!SynthEvaluation.matches(.string("tramadol"), nil))
    }

    @Test func scoringCountsExactAndOverlappingSpans() {
        let counts = SynthEvaluation.exactCounts([0..<4, 10..<14, 20..<24], [0..<4, 10..<13, 30..<31])
        #expect(counts.correctPredicted == 1 && counts.predicted == 3 && counts.expected == 3)
        let overlap = SynthEvaluation.overlapCounts([0..<4, 10..<14, 20..<24], [0..<4, 10..<13, 30..<31])
        #expect(overlap.foundExpected == 2 && overlap.correctPredicted == 2)
        #expect(abs(overlap.precision - 2.0 / 3) < 1e-9 && abs(overlap.recall - 2.0 / 3) < 1e-9)
    }

    @Test func attributesAndNegationAreCompared() throws {
        let letter = SynthCorpusTests.letters[0]
        var document = Document(id: letter.id, text: letter.text)
        let converter = OffsetConverter(text: letter.text, unit: .codepoint)
        // A perfect "pipeline": the key's own dates and findings as annotations, one finding's negation flipped.
        var flipped = false
        for span in letter.key.spans where span.kind == .date || span.kind == .finding {
            let range = converter.toUTF8([span.range.lowerBound, span.range.upperBound])!
            var attributes: Attributes = [:]
            if span.kind == .date { attributes["value"] = .string(span["value"]!.string!) }
            if span.kind == .finding {
                var negated = span["negated"]!.bool!
                if !flipped { negated.toggle(); flipped = true }
                attributes["negated"] = .bool(negated)
            }
            try document.addAnnotation(type: span.kind == .date ? "date" : "finding", range: range[0]..<range[1],
                                       attributes: attributes, provenance: Provenance(stage: "test"))
        }
        var evaluation = SynthEvaluation(producedTypes: ["date"])
        evaluation.add(document, key: letter.key)
        evaluation.finish()
        #expect(evaluation.exact["date"]?.f1 == 1)
        #expect(evaluation.accuracy["date.value"]?.value == 1)
        let negation = try #require(evaluation.accuracy["finding.negated"])
        #expect(negation.compared == letter.key.spans(.finding).count)
        #expect(negation.correct == negation.compared - 1)
        #expect(evaluation.skipped.contains { $0.hasPrefix("drug") })
    }
}
