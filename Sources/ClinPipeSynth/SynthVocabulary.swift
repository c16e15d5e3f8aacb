import ClinPipeCore
import Foundation
import ClinPipeText

/// A sentence template: literal text and `{slot}` / `{slot:argument}` placeholders, parsed once.
struct SentenceTemplate: Sendable {
    enum Piece: Sendable {
        case literal(String)
        case slot(name: String, argument: String?)
    }

    let pieces: [Piece]
    let source: String

    init(_ source: String) {
        self.source = source
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(source)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
            let body = rest[rest.index(after: open)..<close]
            if let colon = body.firstIndex(of: ":") {
                pieces.append(.slot(name: String(body[..<colon]), argument: String(body[body.index(after: colon)...])))
            } else {
                pieces.append(.slot(name: String(body), argument: nil))
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }
}

/// The generator's vocabulary and sentences: the data files of `Sources/ClinPipeSynth/Rules/`, embedded at build
/// time by the rule compiler and parsed once.
struct SynthVocabulary: Sendable {
    struct Drug: Sendable {
        let name: String
        let generic: String
        let drugClass: String
        let strengths: [String]
        let unit: String
        let frequencies: [String]
        let quantities: [Int]
        /// A word written after the name (`ER`, `patch`), outside the key's span; empty when there is none.
        let formulation: String
        /// The key field the formulation gives (`release` = `extended-release`, `form` = `patch`).
        let formulationField: (name: String, value: String)?
    }

    struct Finding: Sendable {
        let text: String
        let concept: String
    }

    struct Frame: Sendable {
        let negated: Bool
        let template: SentenceTemplate
    }

    struct Item: Sendable {
        let category: String
        let template: SentenceTemplate
        let guidelines: [String]
        let topic: String
        /// True when the item can be partially authorized (it has a count or a drug quantity).
        let divisible: Bool
    }

    struct Guideline: Sendable {
        let id: String
        let template: String
        let source: String
        let pages: String
        let citation: String
    }

    let states: [String]
    let specialties: [[String]]
    let drugs: [Drug]
    let findings: [Finding]
    let summaryFrames: [Frame]
    let rationaleFrames: [Frame]
    let diagnoses: [(diagnosis: String, region: String)]
    let mechanisms: [SentenceTemplate]
    let items: [Item]
    let guidelines: [String: [Guideline]]
    let frame: [String: [(template: String, text: String)]]
    /// Guideline ids for a medication item, by drug class (`other` for the rest).
    let drugGuidelines: [String: [String]]
    let summarySentences: [String: [SentenceTemplate]]
    let rationaleSentences: [String: [SentenceTemplate]]

    /// The embedded vocabulary (parsed on first use).
    static let embedded: SynthVocabulary = {
        do { return try SynthVocabulary { EmbeddedRules.text($0) } } catch {
            preconditionFailure("embedded synthetic-corpus vocabulary is invalid: \(error)")
        }
    }()

    /// Parses the vocabulary from files given by name.
    init(file: (String) throws -> String) throws {
        func table(_ name: String, _ required: [String]) throws -> RuleTable {
            try RuleTable(name: name, text: try file(name), required: required)
        }
        func list(_ field: String) -> [String] {
            field.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        states = try table("states.tsv", ["name"]).rows.map { $0["name"] }
        specialties = try table("specialties.tsv", ["specialties"]).rows.map {
            $0["specialties"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        drugs = try table("drugs.tsv", ["name", "generic", "class", "strengths", "unit", "frequencies", "quantities"])
            .rows.map { row in
                let field = row["formulation_key"].split(separator: "=", maxSplits: 1).map(String.init)
                return Drug(name: row["name"], generic: row["generic"], drugClass: row["class"],
                            strengths: list(row["strengths"]), unit: row["unit"], frequencies: list(row["frequencies"]),
                            quantities: list(row["quantities"]).compactMap { Int($0) }, formulation: row["formulation"],
                            formulationField: field.count == 2 ? (field[0], field[1]) : nil)
            }
        findings = try table("findings.tsv", ["finding", "concept"]).rows.map {
            Finding(text: $0["finding"], concept: $0["concept"])
        }
        let frames = try table("finding-frames.tsv", ["where", "polarity", "frame"]).rows
        summaryFrames = frames.filter { $0["where"] == "summary" }.map {
            Frame(negated: $0["polarity"] == "negated", template: SentenceTemplate($0["frame"]))
        }
        rationaleFrames = frames.filter { $0["where"] == "rationale" }.map {
            Frame(negated: $0["polarity"] == "negated", template: SentenceTemplate($0["frame"]))
        }
        diagnoses = try table("diagnoses.tsv", ["diagnosis", "region"]).rows.map { ($0["diagnosis"], $0["region"]) }
        mechanisms = try table("mechanisms.tsv", ["mechanism"]).rows.map { SentenceTemplate($0["mechanism"]) }
        items = try table("items.tsv", ["category", "item", "guideline", "topic"]).rows.map { row in
            Item(category: row["category"], template: SentenceTemplate(row["item"]), guidelines: list(row["guideline"]),
                 topic: row["topic"], divisible: row["item"].contains("{count}") || row["item"].contains("{drugdose}"))
        }
        var guidelines: [String: [Guideline]] = [:]
        for row in try table("guidelines.tsv", ["id", "template", "source", "citation"]).rows {
            guidelines[row["id"], default: []].append(Guideline(
                id: row["id"], template: row["template"], source: row["source"], pages: row["pages"],
                citation: row["citation"]))
        }
        self.guidelines = guidelines
        var drugGuidelines: [String: [String]] = [:]
        for row in try table("drug-guidelines.tsv", ["class", "guideline"]).rows {
            drugGuidelines[row["class"]] = list(row["guideline"])
        }
        self.drugGuidelines = drugGuidelines
        var frame: [String: [(String, String)]] = [:]
        for row in try table("letter-frame.tsv", ["key", "template", "text"]).rows {
            frame[row["key"], default: []].append((row["template"], row["text"]))
        }
        self.frame = frame
        var summary: [String: [SentenceTemplate]] = [:]
        for row in try table("summary-sentences.tsv", ["kind", "sentence"]).rows {
            summary[row["kind"], default: []].append(SentenceTemplate(row["sentence"]))
        }
        summarySentences = summary
        var rationale: [String: [SentenceTemplate]] = [:]
        for row in try table("rationale-sentences.tsv", ["kind", "sentence"]).rows {
            rationale[row["kind"], default: []].append(SentenceTemplate(row["sentence"]))
        }
        rationaleSentences = rationale

        var problems: [String] = []
        for key in ["heading.determination", "heading.summary", "heading.issues", "reviewer.opening", "reviewer.board",
                    "reviewer.board-single", "reviewer.closing", "credentials.intro", "credentials.licensure",
                    "credentials.specialty", "summary.intro", "issues.intro", "claims.none", "claims.based",
                    "maximus.none"] where frame[key] == nil {
            problems.append("letter-frame.tsv lacks key '\(key)'")
        }
        for kind in ["intro", "diagnoses", "plan", "review"] where summary[kind] == nil {
            problems.append("summary-sentences.tsv lacks kind '\(kind)'")
        }
        for kind in ["guideline", "upheld", "overturned"] where rationale[kind] == nil {
            problems.append("rationale-sentences.tsv lacks kind '\(kind)'")
        }
        if drugGuidelines["other"] == nil { problems.append("drug-guidelines.tsv lacks class 'other'") }
        for ids in drugGuidelines.values { for id in ids where guidelines[id] == nil {
            problems.append("drug-guidelines.tsv names unknown guideline '\(id)'")
        } }
        for item in items { for id in item.guidelines where id != "drug-class" && guidelines[id] == nil {
            problems.append("items.tsv names unknown guideline '\(id)'")
        } }
        for drug in drugs where drug.formulation.isEmpty != (drug.formulationField == nil) {
            problems.append("drugs.tsv: '\(drug.name)' needs both a formulation and a formulation_key (name=value), or neither")
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    /// The frame text for `key` in `template` (2014 or 2016), choosing among alternatives with `random`.
    func frameText(_ key: String, template: String, random: inout SplitMix64) -> String {
        let options = (frame[key] ?? []).filter { $0.template == "any" || $0.template == template }
        return options.isEmpty ? "" : random.pick(options).text
    }

    /// The citation variants of a guideline id that suit `template`.
    func guideline(_ id: String, template: String) -> [Guideline] {
        let all = guidelines[id] ?? []
        let suited = all.filter { $0.template == "any" || $0.template == template }
        return suited.isEmpty ? all : suited
    }
}
