import ClinPipeCore
import Foundation

/// Composes the whole letter: the three sections, the disputed items, and the layout.
extension LetterGenerator {
    /// One disputed item as decided in the letter.
    struct DecidedItem {
        var decided: Fragment
        var original: Fragment?
        var authorized: Fragment?
        var outcome: String
        var category: String
        var topic: String
        var guidelineIDs: [String]
        var partialForm: Int
    }

    /// A section or item block: the indexes of its first and last layout blocks.
    struct BlockSpan {
        var name: String
        var first: Int
        var last: Int
    }

    mutating func makeItems() -> [DecidedItem] {
        let count = random.weighted([35, 25, 20, 12, 8]) + 1
        var items: [DecidedItem] = []
        for _ in 0..<count {
            let item = random.pick(vocabulary.items)
            let source = item.template.source.lowercased()
            cervical = source.contains("cervical") ? true
                : (source.contains("lumbar") || source.contains("facet") || source.contains("transforaminal")
                    || source.contains("medial branch") || source.contains("radiofrequency")) ? false : letterCervical
            defer { cervical = letterCervical }
            let outcome = random.chance(0.22) ? "Overturned" : "Upheld"
            let partial = item.divisible && random.chance(0.15)
            var decided = Fragment(), original: Fragment?, authorized: Fragment?
            if partial {
                let drug = random.pick(vocabulary.drugs.filter { ($0.quantities.max() ?? 0) >= 20 })
                let strength = random.pick(drug.strengths)
                let total = item.template.source.contains("{drugdose}") ? random.pick(drug.quantities.filter { $0 >= 20 })
                    : random.pick([6, 8, 10, 12, 16, 18, 24])
                let allowed = total / 2
                func variant(_ number: Int) -> Fragment {
                    var fragment = Fragment()
                    for piece in item.template.pieces {
                        switch piece {
                        case .literal(let text): fragment.append(text)
                        case .slot("count", _): fragment.append(String(number))
                        case .slot("drugdose", _):
                            appendDrug(dose: true, into: &fragment, quantity: number, drug: drug, strength: strength)
                        case .slot(let name, let argument): fill(name, argument, into: &fragment)
                        }
                    }
                    return Self.capitalized(fragment)
                }
                let first = variant(total)
                original = first
                authorized = variant(allowed)
                let form = random.below(2)
                decided = form == 0 ? first : variant(total - allowed)
                items.append(DecidedItem(decided: decided, original: original, authorized: authorized, outcome: outcome,
                                         category: item.category, topic: item.topic,
                                         guidelineIDs: guidelineIDs(item, decided), partialForm: form))
            } else {
                for piece in item.template.pieces {
                    switch piece {
                    case .literal(let text): decided.append(text)
                    case .slot("count", _): decided.append(String(random.pick([4, 6, 8, 10, 12, 16, 18, 24])))
                    case .slot(let name, let argument): fill(name, argument, into: &decided)
                    }
                }
                items.append(DecidedItem(decided: Self.capitalized(decided), original: nil, authorized: nil,
                                         outcome: outcome, category: item.category, topic: item.topic,
                                         guidelineIDs: guidelineIDs(item, decided), partialForm: -1))
            }
        }
        return items
    }

    /// The guideline ids an item cites: its own, or for `drug-class` those of the class of the drug it names.
    func guidelineIDs(_ item: SynthVocabulary.Item, _ written: Fragment) -> [String] {
        guard item.guidelines == ["drug-class"] else { return item.guidelines }
        let drugClass = written.spans.first { $0.kind == .drug }?["class"]?.string ?? "other"
        return vocabulary.drugGuidelines[drugClass] ?? vocabulary.drugGuidelines["other"] ?? []
    }

    static func capitalized(_ fragment: Fragment) -> Fragment {
        var copy = fragment
        if let first = copy.bytes.first, first >= 0x61, first <= 0x7A { copy.bytes[0] = first - 0x20 }
        return copy
    }

    /// The letter.
    mutating func makeLetter(id: String) -> SynthLetter {
        let doubled = template == "2014"
        var blocks: [LetterLayout.Block] = []
        var sections: [BlockSpan] = []
        var itemBlocks: [BlockSpan] = []
        var itemLineBlocks: [Int] = []
        func heading(_ key: String, first: Bool, random: inout SplitMix64) -> LetterLayout.Block {
            var fragment = Fragment()
            let text = vocabulary.frameText(key, template: template, random: &random)
            fragment.append(text)
            fragment.spans.append(KeySpan(kind: .sentence, range: 0..<fragment.count, fields: [("kind", .string("heading"))]))
            return .paragraph(fragment, leadingSpace: first, trailingSpace: true)
        }
        func frameSentence(_ key: String, kind: String = "prose", substitutions: [String: String] = [:],
                           into out: inout Fragment, random: inout SplitMix64)
        {
            var text = vocabulary.frameText(key, template: template, random: &random)
            for (slot, value) in substitutions { text = text.replacingOccurrences(of: "{\(slot)}", with: value) }
            // A frame entry may hold several sentences: record each.
            var sentences: [String] = []
            var current = ""
            let characters = Array(text)
            for (index, character) in characters.enumerated() {
                current.append(character)
                if character == ".", index + 1 < characters.count, characters[index + 1] == " " {
                    sentences.append(current)
                    current = ""
                }
            }
            if !current.trimmingCharacters(in: .whitespaces).isEmpty { sentences.append(current) }
            for (index, sentence) in sentences.enumerated() {
                let trimmed = sentence.trimmingCharacters(in: .whitespaces)
                if index > 0 || !out.isEmpty { out.append(" ") }
                out.record(.sentence, fields: [("kind", .string(kind))]) { $0.append(trimmed) }
            }
        }

        // Reviewer.
        let specialties = random.pick(vocabulary.specialties)
        let writtenSpecialties: [String]
        let licensure: [String]

        // Section 1: how the determination was made.
        sections.append(BlockSpan(name: "determination", first: blocks.count, last: blocks.count))
        blocks.append(heading("heading.determination", first: true, random: &random))
        if !doubled && random.chance(0.1) { blocks.append(.separator) }
        var reviewer = Fragment()
        frameSentence("reviewer.opening", into: &reviewer, random: &random)
        if doubled {
            licensure = [random.pick(vocabulary.states)]
            if specialties.count >= 2 {
                writtenSpecialties = Array(specialties.prefix(2))
                frameSentence("reviewer.board", substitutions: ["specialty": specialties[0], "subspecialty": specialties[1],
                                                               "states": licensure[0]], into: &reviewer, random: &random)
            } else {
                writtenSpecialties = specialties
                frameSentence("reviewer.board-single", substitutions: ["specialty": specialties[0], "states": licensure[0]],
                              into: &reviewer, random: &random)
            }
        } else {
            writtenSpecialties = specialties
            var states = random.sample(vocabulary.states, count: random.weighted([5, 3, 2]) + 1)
            if random.chance(0.5), !states.contains("California") { states[states.count - 1] = "California" }
            licensure = states
        }
        frameSentence("reviewer.closing", into: &reviewer, random: &random)
        blocks.append(.paragraph(reviewer, leadingSpace: false, trailingSpace: true))
        blocks.append(.separator)
        if !doubled {
            var intro = Fragment()
            frameSentence("credentials.intro", kind: "field", into: &intro, random: &random)
            blocks.append(.paragraph(intro, leadingSpace: false, trailingSpace: true))
            var licensureLine = Fragment()
            frameSentence("credentials.licensure", kind: "field",
                          substitutions: ["licensure": licensure.joined(separator: random.chance(0.5) ? ", " : ",")],
                          into: &licensureLine, random: &random)
            blocks.append(.paragraph(licensureLine, leadingSpace: false, trailingSpace: true))
            var specialtyLine = Fragment()
            frameSentence("credentials.specialty", kind: "field",
                          substitutions: ["specialties": writtenSpecialties.joined(separator: ", ")],
                          into: &specialtyLine, random: &random)
            blocks.append(.paragraph(specialtyLine, leadingSpace: false, trailingSpace: true))
            blocks.append(.separator)
        }
        sections[0].last = blocks.count - 1

        // The items are chosen first: the summary names them.
        let items = makeItems()
        var itemList = Fragment()
        let mentioned = items.prefix(random.int(in: 1...items.count))
        for (index, item) in mentioned.enumerated() {
            if index > 0 { itemList.append(index == mentioned.count - 1 ? " and " : ", ") }
            itemList.append(Self.lowercasedFirst(item.original ?? item.decided))
        }
        extras["items"] = itemList

        // Section 2: clinical case summary.
        sections.append(BlockSpan(name: "case_summary", first: blocks.count, last: blocks.count))
        blocks.append(heading("heading.summary", first: false, random: &random))
        var intro = Fragment()
        frameSentence("summary.intro", into: &intro, random: &random)
        blocks.append(.paragraph(intro, leadingSpace: false, trailingSpace: true))
        blocks.append(.separator)
        var summary = Fragment()
        var used: Set<String> = []
        func add(_ kind: String, _ probability: Double = 1, into out: inout Fragment) {
            guard random.chance(probability), let all = vocabulary.summarySentences[kind] else { return }
            let options = all.filter { !used.contains($0.source) }
            guard !options.isEmpty else { return }
            let chosen = random.pick(options)
            used.insert(chosen.source)
            if !out.isEmpty { out.append(random.chance(0.1) ? "  " : " ") }
            sentence(chosen, into: &out)
        }
        add("intro", into: &summary)
        add("mechanism", 0.6, into: &summary)
        add("diagnoses", into: &summary)
        add("complaints", 0.8, into: &summary)
        add("treatment", 0.7, into: &summary)
        add("medications", into: &summary)
        add("medications", 0.4, into: &summary)
        var paragraphs: [Fragment] = []
        if random.chance(0.3) {
            paragraphs.append(summary)
            summary = Fragment()
        }
        for _ in 0..<random.int(in: 2...4) {
            if !summary.isEmpty { summary.append(" ") }
            findingSentence(vocabulary.summaryFrames, negated: random.chance(0.5), into: &summary)
        }
        add("level", 0.8, into: &summary)
        add("dermatome", 0.6, into: &summary)
        add("visit", 0.6, into: &summary)
        add("plan", 0.8, into: &summary)
        add("review", into: &summary)
        paragraphs.append(summary)
        for paragraph in paragraphs {
            blocks.append(.paragraph(paragraph, leadingSpace: false, trailingSpace: random.chance(0.9)))
            blocks.append(.separator)
        }
        sections[1].last = blocks.count - 1

        // Section 3: issues, decisions and rationales.
        sections.append(BlockSpan(name: "issues", first: blocks.count, last: blocks.count))
        blocks.append(heading("heading.issues", first: false, random: &random))
        if !doubled && random.chance(0.3) { blocks.append(.emptyLine) }
        var issuesIntro = Fragment()
        frameSentence("issues.intro", into: &issuesIntro, random: &random)
        blocks.append(.paragraph(issuesIntro, leadingSpace: false, trailingSpace: true))
        blocks.append(.separator)
        var keyItems: [(item: DecidedItem, guidelines: [SynthVocabulary.Guideline])] = []
        for item in items {
            let firstBlock = blocks.count
            // The decision line.
            var line = Fragment()
            let outcomeSeparator = doubled || random.chance(0.15) ? ":  " : ": "
            if let original = item.original, let authorized = item.authorized {
                line.record(.sentence, fields: [("kind", .string("item"))]) {
                    $0.append(original)
                    $0.append(" was the original request.")
                }
                if item.partialForm == 0 {
                    line.append(" ")
                    line.record(.sentence, fields: [("kind", .string("item"))]) {
                        $0.append("The Claims Administrator authorized ")
                        $0.append(Self.lowercasedFirst(authorized))
                        $0.append(", leaving the original request IMR eligible.")
                    }
                    line.append(" ")
                    line.record(.sentence, fields: [("kind", .string("item"))]) {
                        $0.append("The original request, ")
                        $0.append(item.decided)
                        $0.append(", is: " + item.outcome)
                    }
                } else {
                    line.append(" ")
                    line.record(.sentence, fields: [("kind", .string("item"))]) {
                        $0.append(authorized)
                        $0.append(" was authorized by the Claims Administrator.")
                    }
                    line.append(" ")
                    line.record(.sentence, fields: [("kind", .string("item"))]) {
                        $0.append("The remaining IMR eligible portion of the original request, ")
                        $0.append(item.decided)
                        $0.append(" is:" + (outcomeSeparator == ": " ? " " : "  ") + item.outcome)
                    }
                }
            } else {
                line.record(.sentence, fields: [("kind", .string("item"))]) {
                    $0.append(item.decided)
                    $0.append(outcomeSeparator + item.outcome)
                }
            }
            itemLineBlocks.append(blocks.count)
            blocks.append(.paragraph(line, leadingSpace: false, trailingSpace: true))
            blocks.append(.separator)

            // Guidelines.
            let chosenIDs = random.sample(item.guidelineIDs, count: random.chance(0.7) ? 1 : 2)
            let guidelines = chosenIDs.map { random.pick(vocabulary.guideline($0, template: template)) }
            var claims = Fragment()
            if random.chance(0.35) {
                Self.appendSentences("Claims Administrator guideline: "
                    + vocabulary.frameText("claims.none", template: template, random: &random), into: &claims)
            } else {
                let other = random.pick(vocabulary.guideline(random.pick(item.guidelineIDs), template: template))
                Self.appendSentences("Claims Administrator guideline: " + other.citation, into: &claims)
            }
            blocks.append(.paragraph(claims, leadingSpace: false, trailingSpace: true))
            if doubled && random.chance(0.3) { blocks.append(.emptyLine); blocks.append(.emptyLine) }
            blocks.append(.separator)
            var maximus = Fragment()
            let citation = guidelines.map(\.citation).joined(separator: " ")
            Self.appendSentences("MAXIMUS guideline: " + citation, into: &maximus)
            blocks.append(.paragraph(maximus, leadingSpace: false, trailingSpace: true))
            blocks.append(.separator)

            // Rationale.
            extras["item"] = item.decided
            var topic = Fragment()
            topic.append(item.topic)
            extras["topic"] = topic
            var rationale = Fragment()
            rationale.append("Decision rationale: ")
            var firstInRationale = true
            func separate(_ out: inout Fragment) {
                if !firstInRationale { out.append(" ") }
                firstInRationale = false
            }
            for template in random.sample(vocabulary.rationaleSentences["guideline"]!, count: random.int(in: 1...2)) {
                separate(&rationale)
                sentence(template, into: &rationale)
            }
            let overturned = item.outcome == "Overturned"
            for _ in 0..<random.int(in: 1...3) {
                separate(&rationale)
                findingSentence(vocabulary.rationaleFrames, negated: random.chance(overturned ? 0.2 : 0.8), into: &rationale)
            }
            if random.chance(0.5), let context = vocabulary.rationaleSentences["context"] {
                separate(&rationale)
                sentence(random.pick(context), into: &rationale)
            }
            separate(&rationale)
            sentence(random.pick(vocabulary.rationaleSentences[overturned ? "overturned" : "upheld"]!), into: &rationale)
            // The first sentence begins with the "Decision rationale: " label.
            if let index = rationale.spans.firstIndex(where: { $0.kind == .sentence }) {
                rationale.spans[index].range = 0..<rationale.spans[index].range.upperBound
            }
            blocks.append(.paragraph(rationale, leadingSpace: false, trailingSpace: random.chance(0.85)))
            itemBlocks.append(BlockSpan(name: "item", first: firstBlock, last: blocks.count - 1))
            blocks.append(.separator)
            keyItems.append((item, guidelines))
        }
        sections[2].last = blocks.count - 1

        // Layout and key.
        let layout = LetterLayout(width: random.int(in: 90...98), doubled: doubled,
                                  pageBreakRate: doubled ? 0 : 0.02, hyphenBreakRate: 0.3)
        let result = layout.layout(blocks, random: &random)
        func range(_ span: BlockSpan) -> Range<Int> {
            let contents = result.blockRanges[span.first...span.last].filter { !$0.isEmpty }
            guard let first = contents.first, let last = contents.last else { return 0..<0 }
            return first.lowerBound..<last.upperBound
        }
        let text = String(decoding: result.bytes, as: UTF8.self)
        var builder = SynthKey.Builder(id: id, text: text, template: template, letterDate: letterDate.isoDay)
        builder.spans = result.spans
        builder.sections = sections.map { ($0.name, range($0)) }
        for (index, entry) in keyItems.enumerated() {
            let item = entry.item
            builder.items.append(SynthKey.Item(
                text: item.decided.text, outcome: item.outcome.lowercased(), partial: item.original != nil,
                originalRequest: item.original?.text, authorized: item.authorized?.text, category: item.category,
                guidelines: entry.guidelines.map { ($0.source, $0.pages) },
                lineRange: result.blockRanges[itemLineBlocks[index]], blockRange: range(itemBlocks[index])))
        }
        builder.licensure = licensure
        builder.specialties = writtenSpecialties
        return builder.build()
    }

    /// Appends a guideline line, recording each of its sentences (an ODG citation has two: "The Expert Reviewer
    /// based their decision on ... Guidelines. Decision based on ...").
    static func appendSentences(_ line: String, into out: inout Fragment) {
        var rest = Substring(line)
        var first = true
        while !rest.isEmpty {
            var cut = rest.endIndex
            if let range = rest.range(of: ". ") { cut = rest.index(after: range.lowerBound) }
            if !first { out.append(" ") }
            let piece = String(rest[..<cut])
            out.record(.sentence, fields: [("kind", .string("guideline"))]) { $0.append(piece) }
            first = false
            rest = rest[cut...].drop { $0 == " " }
        }
    }

    /// The fragment with its first letter lowercased, unless it begins with a drug name or an acronym.
    static func lowercasedFirst(_ fragment: Fragment) -> Fragment {
        var copy = fragment
        if copy.spans.contains(where: { $0.kind == .drug && $0.range.lowerBound == 0 }) { return copy }
        if let first = copy.bytes.first, first >= 0x41, first <= 0x5A, copy.bytes.count > 1, copy.bytes[1] >= 0x61 {
            copy.bytes[0] = first + 0x20
        }
        return copy
    }
}
