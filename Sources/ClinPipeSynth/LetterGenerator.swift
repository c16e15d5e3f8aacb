import ClinPipeCore

/// Writes one synthetic IMR final determination letter from a seeded generator, recording what it puts in.
///
/// The letter's structure follows the DWC/MAXIMUS letters (three sections; in the third, one block per disputed
/// item: the decision line, the two guideline lines and the rationale); its vocabulary and sentences come from
/// the data files in `Rules/`. Every entity is written through a slot, so the key holds every date, drug, level,
/// dermatome and finding in the text; the fixed sentences contain none.
struct LetterGenerator {
    let vocabulary: SynthVocabulary
    var random: SplitMix64

    // Per-letter facts.
    let template: String
    let letterDate: SynthDate
    let injuryDate: SynthDate
    let reviewDate: SynthDate
    let requestDate: SynthDate
    let female: Bool
    let age: Int
    let letterCervical: Bool
    /// The spinal region levels and dermatomes are drawn from: the letter's, or the item's while one is written.
    var cervical: Bool
    var region: String
    let preferredStyle: SynthDate.Style?
    /// Fragments for the item-specific slots ({item}, {items}, {topic}, {F}).
    var extras: [String: Fragment] = [:]
    /// The polarity for the {F} slot of the frame being rendered.
    var findingNegated = false

    init(vocabulary: SynthVocabulary, seed: UInt64, index: Int) {
        self.vocabulary = vocabulary
        var random = SplitMix64(seed: seed, stream: UInt64(index))
        template = random.chance(0.45) ? "2014" : "2016"
        let first = template == "2014" ? SynthDate(year: 2014, month: 3, day: 1) : SynthDate(year: 2016, month: 1, day: 1)
        let span = template == "2014" ? 670 : 545
        letterDate = first.adding(days: random.below(span))
        // Injury: from a few weeks to about twenty years before the letter.
        let injuryAgo = random.chance(0.7) ? random.int(in: 60...2400) : random.int(in: 2400...10000)
        injuryDate = letterDate.adding(days: -injuryAgo)
        reviewDate = letterDate.adding(days: -random.int(in: 25...60))
        requestDate = reviewDate.adding(days: -random.int(in: 3...20))
        female = random.chance(0.5)
        age = max(random.int(in: 24...71), (letterDate.dayNumber - injuryDate.dayNumber) / 365 + random.int(in: 19...40))
        letterCervical = random.chance(0.3)
        cervical = letterCervical
        region = cervical ? "cervical spine" : "lumbar spine"
        preferredStyle = random.chance(0.6) ? SynthDate.Style.allCases[random.weighted(SynthDate.Style.weights)] : nil
        self.random = random
    }

    // MARK: - Slots

    /// Renders `template` into `out`, recording the entities its slots write.
    mutating func render(_ template: SentenceTemplate, into out: inout Fragment) {
        for piece in template.pieces {
            switch piece {
            case .literal(let text): out.append(text)
            case .slot(let name, let argument): fill(name, argument, into: &out)
            }
        }
    }

    /// Renders one sentence and records it as a `sentence` span of `kind`; capitalizes its first letter.
    mutating func sentence(_ template: SentenceTemplate, kind: String = "prose", into out: inout Fragment) {
        var sentence = Fragment()
        render(template, into: &sentence)
        if let first = sentence.bytes.first, first >= 0x61, first <= 0x7A { sentence.bytes[0] = first - 0x20 }
        sentence.spans.append(KeySpan(kind: .sentence, range: 0..<sentence.count, fields: [("kind", .string(kind))]))
        out.append(sentence)
    }

    mutating func fill(_ name: String, _ argument: String?, into out: inout Fragment) {
        switch name {
        case "age": out.append(String(age))
        case "sex": out.append(female ? "female" : "male")
        case "Pronoun": out.append(female ? "She" : "He")
        case "pronoun": out.append(female ? "she" : "he")
        case "Possessive": out.append(female ? "Her" : "His")
        case "possessive": out.append(female ? "her" : "his")
        case "date": appendDate(role: argument ?? "none", into: &out)
        case "mechanism": render(random.pick(vocabulary.mechanisms), into: &out)
        case "diagnoses":
            let chosen = random.sample(vocabulary.diagnoses, count: random.int(in: 2...4))
            if let spinal = chosen.first(where: { $0.region.hasSuffix("spine") }) { region = spinal.region }
            else if let other = chosen.first(where: { $0.region != "general" }) { region = other.region }
            out.append(Self.join(chosen.map(\.diagnosis)))
        case "region": out.append(region)
        case "spine": out.append(cervical ? "cervical spine" : "lumbar spine")
        case "side": out.append(random.chance(0.5) ? "left" : "right")
        case "drug": appendDrug(dose: false, into: &out)
        case "drugs":
            let chosen = random.sample(vocabulary.drugs, count: random.int(in: 2...4))
            for (index, drug) in chosen.enumerated() {
                if index > 0 { out.append(index == chosen.count - 1 ? (random.chance(0.8) ? " and " : ", and ") : ", ") }
                appendDrug(dose: false, into: &out, drug: drug)
            }
        case "drugdose": appendDrug(dose: true, into: &out)
        case "level": appendLevels(count: 1, into: &out)
        case "levels": appendLevels(count: random.int(in: 2...3), into: &out)
        case "dermatome": appendDermatome(into: &out)
        case "F": appendFinding(into: &out)
        default:
            if let fragment = extras[name] { out.append(fragment) } else { out.append(name) }
        }
    }

    static func join(_ parts: [String]) -> String {
        switch parts.count {
        case 0: return ""
        case 1: return parts[0]
        default: return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
        }
    }

    // MARK: Dates

    mutating func appendDate(role: String, into out: inout Fragment) {
        let date: SynthDate
        var keyRole = role
        switch role {
        case "injury": date = injuryDate
        case "utilization_review": date = reviewDate
        case "request": date = requestDate
        case "month":
            let month = injuryDate.adding(days: random.below(max(1, reviewDate.dayNumber - injuryDate.dayNumber)))
            out.append(month.writtenMonth, as: .date, fields: [
                ("value", .string(month.isoMonth)), ("granularity", .string("month")), ("role", .string("none")),
            ])
            return
        default:
            let earliest = injuryDate.dayNumber + 14
            let latest = max(earliest + 1, reviewDate.dayNumber - 1)
            date = SynthDate(dayNumber: earliest + random.below(latest - earliest))
            if role != "report" && role != "service" { keyRole = "none" }
        }
        let style = preferredStyle.flatMap { random.chance(0.8) ? $0 : nil }
            ?? SynthDate.Style.allCases[random.weighted(SynthDate.Style.weights)]
        out.append(date.written(style), as: .date, fields: [
            ("value", .string(date.isoDay)), ("granularity", .string("day")), ("role", .string(keyRole)),
        ])
    }

    // MARK: Drugs

    /// A drug name, or with `dose` a name with strength and usually a frequency and quantity
    /// (`Norco 10/325mg #60`, `tramadol 50 mg BID`). The key span is the name; a formulation word after it
    /// (`tramadol ER`) and the dose go into its fields.
    mutating func appendDrug(dose: Bool, into out: inout Fragment, quantity forced: Int? = nil,
                             drug chosen: SynthVocabulary.Drug? = nil, strength chosenStrength: String? = nil)
    {
        let drug = chosen ?? random.pick(vocabulary.drugs)
        var fields: [(String, KeyValue)] = [("generic", .string(drug.generic)), ("class", .string(drug.drugClass))]
        if let field = drug.formulationField { fields.append((field.name, .string(field.value))) }
        let formulation = drug.formulation.isEmpty ? "" : " " + drug.formulation
        guard dose else {
            out.append(drug.name, as: .drug, fields: fields)
            out.append(formulation)
            return
        }
        let strength = chosenStrength ?? random.pick(drug.strengths)
        fields.append(("strength", .string(strength)))
        fields.append(("unit", .string(drug.unit)))
        var tail = " " + strength
        let compactUnit = drug.unit == "%" || random.chance(0.55)
        tail += (compactUnit ? "" : " ") + drug.unit
        if forced == nil && random.chance(0.55), let frequency = drug.frequencies.isEmpty ? nil : random.pick(drug.frequencies) {
            tail += " " + frequency
            fields.append(("frequency", .string(frequency)))
        }
        let quantity = forced ?? (random.chance(0.6) && !drug.quantities.isEmpty ? random.pick(drug.quantities) : nil)
        if let quantity {
            tail += " #\(quantity)"
            fields.append(("quantity", .int(quantity)))
            if forced == nil && random.chance(0.1) { tail += " with \(random.int(in: 1...3)) refills" }
        }
        out.append(drug.name, as: .drug, fields: fields)
        out.append(formulation + tail)
    }

    // MARK: Spine

    static let lumbarDiscs: [(String, String)] = [("L1", "L2"), ("L2", "L3"), ("L3", "L4"), ("L4", "L5"), ("L5", "S1")]
    static let cervicalDiscs: [(String, String)] = [("C2", "C3"), ("C3", "C4"), ("C4", "C5"), ("C5", "C6"), ("C6", "C7"), ("C7", "T1")]

    /// One disc level or a run of consecutive levels written as one list (`L3-4, L4-5 and L5-S1`).
    mutating func appendLevels(count: Int, into out: inout Fragment) {
        let discs = cervical ? Self.cervicalDiscs : Self.lumbarDiscs
        let weights: [Double] = cervical ? [1, 2, 4, 8, 7, 2] : [1, 2, 4, 9, 8]
        var first = random.weighted(weights)
        first = min(first, discs.count - count)
        let chosen = Array(discs[first..<(first + count)])
        // The style of the whole list: short (L4-5), long (L4-L5) or slash (L4/5), rarely an en dash (L4–5).
        let style = random.weighted([60, 22, 10, 5])
        func written(_ disc: (String, String)) -> String {
            let sameRegion = disc.0.first == disc.1.first
            let lower = sameRegion && style != 1 ? String(disc.1.dropFirst()) : disc.1
            switch style {
            case 2: return disc.0 + "/" + lower
            case 3: return disc.0 + "\u{2013}" + lower
            default: return disc.0 + "-" + lower
            }
        }
        let text = Self.join(chosen.map(written))
        out.append(text, as: .spineLevel, fields: [("segments", .strings(chosen.map { $0.0 + "-" + $0.1 }))])
    }

    static let lumbarRoots = ["L3", "L4", "L5", "S1"]
    static let cervicalRoots = ["C5", "C6", "C7", "C8"]

    /// A dermatome or root distribution (`L5 dermatome`, `L4, L5 and S1 dermatomes`, `C6 distribution`).
    mutating func appendDermatome(into out: inout Fragment) {
        let roots = cervical ? Self.cervicalRoots : Self.lumbarRoots
        let count = random.weighted([5, 3, 2]) + 1
        let first = random.below(roots.count - count + 1)
        let chosen = Array(roots[first..<(first + count)])
        let noun: String
        switch random.weighted([6, 3, 1]) {
        case 0: noun = count == 1 ? "dermatome" : "dermatomes"
        case 1: noun = "distribution"
        default: noun = count == 1 ? "nerve root distribution" : "nerve root distributions"
        }
        out.append(Self.join(chosen) + " " + noun, as: .spineDermatome, fields: [("roots", .strings(chosen))])
    }

    // MARK: Findings

    /// A leading article ("a twitch response") is written but left out of the key's span: the finding is the
    /// noun phrase's head words, as the `context` stage's lexicon reports it.
    mutating func appendFinding(into out: inout Fragment) {
        let finding = random.pick(vocabulary.findings)
        var words = finding.text[...]
        for article in ["a ", "an ", "the "] where words.hasPrefix(article) && words.count > article.count {
            out.append(article)
            words = words.dropFirst(article.count)
            break
        }
        out.append(String(words), as: .finding, fields: [
            ("concept", .string(finding.concept)), ("negated", .bool(findingNegated)),
        ])
    }

    /// A sentence stating a finding, negated or affirmed.
    mutating func findingSentence(_ frames: [SynthVocabulary.Frame], negated: Bool, into out: inout Fragment) {
        let candidates = frames.filter { $0.negated == negated }
        let frame = random.pick(candidates)
        findingNegated = negated
        sentence(frame.template, into: &out)
    }
}
