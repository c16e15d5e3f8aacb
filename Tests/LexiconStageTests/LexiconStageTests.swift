import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
import LexiconStage
import Synchronization
import Testing

@Suite("LexiconStage")
struct LexiconStageTests {
    static let registry = StageRegistry().registering(LexiconStage.self)

    static let findings = """
    # Findings that IMR criteria turn on
    term\ttype\tnormalized\tattributes
    trigger points\tfinding\ttrigger_point\tcriterion=tpi
    twitch response\tfinding\ttwitch_response\tcriterion=tpi;weight=2
    radiculopathy\tfinding\t\t
    lumbar spine\tbody_part\t\t
    L4-5\tspine_level\tL4-L5\t
    physical therapy\ttreatment\tpt\t
    physical therapy\tfinding\tpt_finding\t
    physical therapy\ttreatment\tduplicate\t

    """

    /// A temporary folder holding `files`, removed by the caller.
    static func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clinpipe-lexicon-\(UUID().uuidString)")
        for (name, text) in files {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        return url
    }

    /// Everything a failing pipeline reports.
    static func problems(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch let error as PipelineError {
            return error.problems
        } catch {
            return ["unexpected error \(error)"]
        }
    }

    @Test("a TSV lexicon loads through a pipeline file and annotates original text with types, values and sources")
    func throughPipelineFile() throws {
        let root = try Self.folder([
            "lexicons/findings.tsv": Self.findings,
            "pipeline.json": #"{"version": 1, "stages": [{"stage": "lexicon", "name": "findings", "config": {"lexicons": ["lexicons/findings.tsv"]}}]}"#,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let configuration = try PipelineConfiguration.load(from: root.appendingPathComponent("pipeline.json"))
        let pipeline = try Pipeline(configuration: configuration, registry: Self.registry, baseDirectory: root)
        #expect(pipeline.steps.map(\.name) == ["findings"])
        #expect(Set(pipeline.steps[0].stage.produces) == ["finding", "body_part", "spine_level", "treatment"])

        let marked = MarkedText("""
        Exam: [[Trigger Points]] with a [[twitch
        response]]; [[RADICULOPATHY]] at [[L4-5]] of the [[lumbar  spine]]. Failed [[physical therapy]].
        Not matched: trigger pointsx, L4-51, radiculopathic.
        """)
        var document = Document(id: "letter", text: marked.text)
        try pipeline.process(&document)
        let annotations = document.annotations.sorted { ($0.range.lowerBound, $0.type) < ($1.range.lowerBound, $1.type) }
        // "physical therapy" is both a treatment and a finding: two annotations over one span, one per type.
        #expect(annotations.map(\.range) == [marked.spans[0], marked.spans[1], marked.spans[2], marked.spans[3], marked.spans[4],
                                             marked.spans[5], marked.spans[5]])
        #expect(annotations.map(\.type) == ["finding", "finding", "finding", "spine_level", "body_part", "finding", "treatment"])
        #expect(annotations.map { $0.attributes["normalized"] } == [
            "trigger_point", "twitch_response", "radiculopathy", "L4-L5", "lumbar spine", "pt_finding", "pt",
        ])
        #expect(annotations[1].attributes == ["normalized": "twitch_response", "criterion": "tpi", "weight": 2])
        #expect(annotations.allSatisfy { $0.provenance.stage == "findings" })
        #expect(annotations.map { $0.provenance.rule } == [
            "lexicons/findings.tsv:3", "lexicons/findings.tsv:4", "lexicons/findings.tsv:5", "lexicons/findings.tsv:7",
            "lexicons/findings.tsv:6", "lexicons/findings.tsv:9", "lexicons/findings.tsv:8",
        ])
    }

    @Test("unknown configuration keys and bad lexicon lines of every stage are reported at once, with file:line")
    func problemsAtOnce() throws {
        let root = try Self.folder([
            "bad.tsv": "term\ttype\tattributes\npain\t\t\nspasm\tfinding\tnot-a-pair\nok\tfinding\n",
            "crlf-bad.tsv": "term\ttype\r\nx\ty\tz\r\n",
            "good.tsv": "term\ttype\nknee\tbody_part\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let configuration = PipelineConfiguration(stages: [
            .init(stage: "lexicon", name: "first", config: .object([
                ("lexicons", .array([.string("bad.tsv"), .string("crlf-bad.tsv"), .string("missing.tsv")])),
                ("caseSensitiv", .bool(true)),
            ])),
            .init(stage: "lexicon", name: "second", config: .object([("lexicon", .array([.string("good.tsv")]))])),
            .init(stage: "lexicon", name: "third", config: .object([("lexicons", .string("good.tsv"))])),
            .init(stage: "lexicons"),
        ])
        let problems = Self.problems { _ = try Pipeline(configuration: configuration, registry: Self.registry, baseDirectory: root) }
        // The decoder's wording of a type mismatch is Foundation's: compare that one by its prefix.
        let typeMismatch = "stage 'third' (lexicon): invalid configuration: expected "
        #expect(problems.map { $0.hasPrefix(typeMismatch) ? typeMismatch : $0 } == [
            "stage 'first' (lexicon): unknown configuration key 'caseSensitiv' (known keys: caseSensitive, defaultType, lexicons)",
            "stage 'first' (lexicon): bad.tsv:2: no type (and no default type)",
            "stage 'first' (lexicon): bad.tsv:3: attributes must be key=value pairs separated by ';'",
            "stage 'first' (lexicon): crlf-bad.tsv:2: 3 fields but the header has 2 columns",
            "stage 'first' (lexicon): cannot read lexicon \(root.appendingPathComponent("missing.tsv").path)",
            "stage 'second' (lexicon): unknown configuration key 'lexicon' (known keys: caseSensitive, defaultType, lexicons)",
            typeMismatch,
            "unknown stage 'lexicons' (did you mean 'lexicon'?); known stages: lexicon",
        ])
    }

    @Test("a stage that requires a type is satisfied only by a lexicon that produces it")
    func requirements() throws {
        struct NeedsFinding: Stage {
            static let descriptor = StageDescriptor(name: "needs-finding", summary: "test", requires: ["finding"], produces: [])
            init(configuration: EmptyConfiguration, environment: StageEnvironment) throws {}
            func process(_ document: inout Document) throws {}
        }
        let registry = Self.registry.registering(NeedsFinding.self)
        let root = try Self.folder(["findings.tsv": Self.findings, "parts.tsv": "term\ttype\nknee\tbody_part\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        func pipeline(_ lexicon: String) throws -> Pipeline {
            try Pipeline(configuration: PipelineConfiguration(stages: [
                .init(stage: "lexicon", config: .object([("lexicons", .array([.string(lexicon)]))])),
                .init(stage: "needs-finding"),
            ]), registry: registry, baseDirectory: root)
        }
        #expect(throws: Never.self) { try pipeline("findings.tsv") }
        let problems = Self.problems { _ = try pipeline("parts.tsv") }
        #expect(problems == ["stage 'needs-finding' requires 'finding', which no earlier stage produces"])
    }

    @Test("annotations found in a normalized layer are mapped to the original text")
    func normalizedLayer() throws {
        // Original: a ligature, a double space and a line break; the layer (built by hand, as the normalize stage
        // would) has "fi", one space and a space.
        let original = "Has ﬁbromyalgia and TRIGGER  POINTS,\r\nand twitch\nresponse."
        let layer = "Has fibromyalgia and TRIGGER POINTS, and twitch response."
        let map = try OffsetMap(edits: [
            .init(originalRange: 4..<7, layerRange: 4..<6),      // "ﬁ" → "fi"
            .init(originalRange: 29..<31, layerRange: 28..<29),  // two spaces → one
            .init(originalRange: 38..<40, layerRange: 36..<37),  // CRLF → space
            .init(originalRange: 50..<51, layerRange: 47..<48),  // LF → space
        ], originalLength: original.utf8.count, layerLength: layer.utf8.count)
        var document = Document(id: "d", text: original)
        try document.setLayer(TextLayer(name: Document.normalizedLayerName, text: layer, map: map))
        let lexicon = try Lexicon(name: "l.tsv", text: "term\ttype\nfibromyalgia\tfinding\ntrigger points\tfinding\ntwitch response\tfinding\n")
        try LexiconStage(lexicon: lexicon, stageName: "findings").process(&document)
        #expect(document.texts(ofType: "finding") == ["ﬁbromyalgia", "TRIGGER  POINTS", "twitch\nresponse"])
        #expect(document.annotations.map(\.range) == [4..<17, 22..<37, 44..<59])
    }

    @Test("configuration: default type and case-sensitive matching")
    func configuration() throws {
        let root = try Self.folder(["terms.tsv": "term\tnormalized\nMRI\tmri\nCT\tct\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        var configuration = LexiconStage.Configuration()
        configuration.lexicons = ["terms.tsv"]
        configuration.defaultType = "imaging"
        configuration.caseSensitive = true
        let stage = try LexiconStage(configuration: configuration, environment: StageEnvironment(baseDirectory: root, stageName: "imaging"))
        #expect(stage.produces == ["imaging"])
        var document = Document(id: "d", text: "MRI, mri and CT; ct.")
        try stage.process(&document)
        #expect(document.texts(ofType: "imaging") == ["MRI", "CT"])
        // Without a default type, rows without a type are refused.
        configuration.defaultType = ""
        #expect(throws: RuleFileError.self) {
            try LexiconStage(configuration: configuration, environment: StageEnvironment(baseDirectory: root, stageName: "imaging"))
        }
    }

    @Test("on real letters, every annotation is a whole-word occurrence of its term, and stays put across threads")
    func realLetters() throws {
        let terms = ["pain", "low back pain", "lumbar", "MRI", "physical therapy", "medically necessary", "guidelines",
                     "trigger point injections", "chronic pain syndrome", "opioids", "injured worker", "L4", "L5"]
        let text = "term\ttype\n" + terms.map { "\($0)\tterm" }.joined(separator: "\n")
        let stage = LexiconStage(lexicon: try Lexicon(name: "t.tsv", text: text))
        let letters = try TestPaths.seedTexts()
        var total = 0
        var serial: [[Range<Int>]] = []
        for (name, letter) in letters {
            var document = Document(id: name, text: letter)
            try stage.process(&document)
            serial.append(document.annotations.map(\.range))
            total += document.annotations.count
            let bytes = Array(letter.utf8)
            for annotation in document.annotations {
                let covered = String(document.coveredText(of: annotation))
                let key = covered.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(terms.map { $0.lowercased() }.contains(key), "\(name): '\(covered)' is no term")
                let before = annotation.range.lowerBound > 0 ? bytes[annotation.range.lowerBound - 1] : 0x20
                let after = annotation.range.upperBound < bytes.count ? bytes[annotation.range.upperBound] : 0x20
                #expect(!ByteClass.isWord(before) && !ByteClass.isWord(after), "\(name): '\(covered)' is inside a word")
            }
        }
        #expect(total > 50)
        let repeated = Array(repeating: letters, count: 4).flatMap { $0 }
        let results = Mutex<[Int: [Range<Int>]]>([:])
        DispatchQueue.concurrentPerform(iterations: repeated.count) { index in
            var document = Document(id: repeated[index].name, text: repeated[index].text)
            try? stage.process(&document)
            let ranges = document.annotations.map(\.range)
            results.withLock { $0[index] = ranges }
        }
        let collected = results.withLock { $0 }
        #expect((0..<repeated.count).map { collected[$0] ?? [] } == Array(repeating: serial, count: 4).flatMap { $0 })
    }
}
