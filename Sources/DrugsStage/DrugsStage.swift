import ClinPipeCore
import ClinPipeText
import Foundation

/// Drug mentions (`drug`): generic and brand names from a lexicon kept as data, with brand → generic, a drug
/// class, and the signature written after the name (strength, unit, dose, form, route, frequency, quantity,
/// refills, duration).
///
/// **Span.** A `drug` annotation covers the name itself (`Flexeril`), a salt word written right after it
/// (`morphine sulfate`), or a written combination of names (`hydrocodone/APAP`); never the signature, whose parts
/// go into attributes. Offsets are original-text UTF-8 bytes, as for every annotation.
///
/// **Matching.** One pass of a `LexiconMatcher` over the normalized layer: whole words, longest match first, ASCII
/// case-insensitive unless an entry's `match` rule says otherwise (`Sonata` must be capitalized, `NTG` upper
/// case). Names in an excluded context (`Norco, CA`, `Dr. Lyrica`: `Rules/exclusions.tsv`) are dropped. Entries
/// marked `requires=strength` (`ASA`) are kept only with a strength or inside a combination.
///
/// **Signature.** After each name, the rows of `Rules/signature.tsv` are tried in order at the current position
/// until none matches, within `signatureWindow` bytes and never past the next drug name, a period or a blank line.
///
/// **Attributes.** `generic`, `drug_class`, `brand` (bool), `components` (list, for combinations), `rxcui` (with an
/// RxNorm file), then whichever were found: `strength`, `unit`, `dose`, `dose_unit`, `form`, `route`, `frequency`,
/// `as_needed` (bool), `quantity` (int), `quantity_unit`, `refills` (int), `duration`, `release`, `salt`. The
/// lexicon's `form` and `route` fill in when the text states none (`Lidoderm` is a patch).
///
/// ```json
/// { "stage": "drugs", "config": { "lexicons": ["our-formulary.tsv"], "rxnorm": "/data/rxnorm/RXNCONSO.RRF" } }
/// ```
public struct DrugsStage: Stage {
    public struct Configuration: StageConfiguration {
        /// Extra lexicon files in the `drugs.tsv` format (only `term` is required), relative to the pipeline file.
        public var lexicons: [String] = []
        /// Use the built-in lexicon (`Rules/drugs.tsv`); false keeps only `lexicons` and `rxnorm`.
        public var builtInLexicon: Bool = true
        /// An RxNorm `RXNCONSO.RRF` file to extend the lexicon with every ingredient and brand name (empty: none).
        /// An `RXNREL.RRF` in the same folder, if present, gives RxNorm brands their generic.
        public var rxnorm: String = ""
        /// Common words never taken from RxNorm as drug names, one per line (empty: the built-in
        /// `rxnorm_stoplist.txt`).
        public var rxnormStoplist: String = ""
        /// A signature rule file replacing the built-in `signature.tsv` (empty: built-in).
        public var signatureRules: String = ""
        /// An exclusion rule file replacing the built-in `exclusions.tsv` (empty: built-in).
        public var exclusionRules: String = ""
        /// How far after a name the signature may reach, in UTF-8 bytes.
        public var signatureWindow: Int = 160
        /// Make names joined by `/`, `-` or `+` (`hydrocodone/APAP`) one combination mention.
        public var mergeCombinations: Bool = true
        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "drugs",
        version: "1",
        summary: "Drug names (generic, brand, combinations) with class and the written signature",
        produces: ["drug"])

    /// The annotation type this stage produces.
    public static let annotationType = "drug"

    /// Everything the stage matches.
    public var lexicon: DrugLexicon { finder.lexicon }

    private let finder: DrugNameFinder
    private let signatureRules: SignatureRules
    private let exclusionRules: ExclusionRules
    private let combinations: [String: Int]
    private let signatureWindow: Int
    private let mergeCombinations: Bool
    private let stageName: String

    public init(configuration: Configuration, environment: StageEnvironment) throws {
        var problems: [String] = []
        func readFile(_ path: String) -> (name: String, text: String)? {
            let url = environment.resolve(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("cannot read \(url.path)")
                return nil
            }
            return (path, text)
        }
        func collect<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let error as RuleFileError {
                problems.append(contentsOf: error.problems)
            } catch {
                problems.append("\(error)")
            }
            return nil
        }

        var lexicon = configuration.builtInLexicon ? (collect { try DrugLexicon.builtIn() } ?? DrugLexicon()) : DrugLexicon()
        for path in configuration.lexicons {
            if let file = readFile(path), let extra = collect({ try DrugLexicon(name: file.name, text: file.text) }) {
                lexicon.append(contentsOf: extra)
            }
        }
        if !configuration.rxnorm.isEmpty {
            let url = environment.resolve(configuration.rxnorm)
            var stoplist: Set<String> = []
            if configuration.rxnormStoplist.isEmpty {
                stoplist = Self.words(EmbeddedRules.text("rxnorm_stoplist.txt"))
            } else if let file = readFile(configuration.rxnormStoplist) {
                stoplist = Self.words(file.text)
            }
            if let concepts = collect({ try RxNormLoader.loadConcepts(from: url) }) {
                let relationsURL = url.deletingLastPathComponent().appendingPathComponent("RXNREL.RRF")
                var relations: [String: [String]] = [:]
                if FileManager.default.fileExists(atPath: relationsURL.path) {
                    relations = collect { try RxNormLoader.loadRelations(from: relationsURL) } ?? [:]
                }
                RxNormLoader.extend(&lexicon, with: concepts.concepts, relations: relations, stoplist: stoplist,
                                    source: url.lastPathComponent)
            }
        }
        let signatureRules: SignatureRules?
        if configuration.signatureRules.isEmpty {
            signatureRules = collect { try SignatureRules.builtIn() }
        } else if let file = readFile(configuration.signatureRules) {
            signatureRules = collect { try SignatureRules(name: file.name, text: file.text) }
        } else {
            signatureRules = nil
        }
        let exclusionRules: ExclusionRules?
        if configuration.exclusionRules.isEmpty {
            exclusionRules = collect { try ExclusionRules.builtIn() }
        } else if let file = readFile(configuration.exclusionRules) {
            exclusionRules = collect { try ExclusionRules(name: file.name, text: file.text) }
        } else {
            exclusionRules = nil
        }
        if configuration.signatureWindow < 0 { problems.append("signatureWindow must not be negative") }
        guard problems.isEmpty, let signatureRules, let exclusionRules else { throw RuleFileError(problems: problems) }
        self.init(lexicon: lexicon, signatureRules: signatureRules, exclusionRules: exclusionRules,
                  signatureWindow: configuration.signatureWindow, mergeCombinations: configuration.mergeCombinations,
                  stageName: environment.stageName)
    }

    /// A stage over rules built in code (for tools that embed the stage).
    public init(lexicon: DrugLexicon, signatureRules: SignatureRules, exclusionRules: ExclusionRules,
                signatureWindow: Int = 160, mergeCombinations: Bool = true, stageName: String = "drugs")
    {
        self.finder = DrugNameFinder(lexicon: lexicon)
        self.signatureRules = signatureRules
        self.exclusionRules = exclusionRules
        self.combinations = lexicon.combinationIndex()
        self.signatureWindow = max(0, signatureWindow)
        self.mergeCombinations = mergeCombinations
        self.stageName = stageName
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        let found: [(range: Range<Int>, attributes: Attributes, rule: String)] = try layer.text.withUTF8Bytes { bytes in
            let names = finder.names(in: bytes, mergeCombinations: mergeCombinations)
            var found: [(range: Range<Int>, attributes: Attributes, rule: String)] = []
            found.reserveCapacity(names.count)
            for (position, name) in names.enumerated() {
                if try exclusionRules.excludes(bytes, name: name.range) { continue }
                let start = name.followingStart
                var limit = min(bytes.count, start + signatureWindow)
                if position + 1 < names.count { limit = min(limit, names[position + 1].range.lowerBound) }
                while limit > start && limit < bytes.count && bytes[limit] & 0xC0 == 0x80 { limit -= 1 }
                var signature = try signatureRules.parse(bytes, from: start, limit: max(start, limit))
                if name.entries.count == 1 && lexicon.entries[name.entries[0]].requiresStrength
                    && signature.strength == nil
                {
                    continue
                }
                let range = name.range.lowerBound..<(signature.saltEnd ?? name.range.upperBound)
                found.append((range, attributes(of: name, signature: &signature), rule(of: name)))
            }
            return found
        }
        for mention in found {
            try document.addAnnotation(type: Self.annotationType, layerRange: mention.range, in: layer,
                                       attributes: mention.attributes,
                                       provenance: Provenance(stage: stageName, rule: mention.rule))
        }
    }

    /// The attributes of a mention: what the lexicon says about the name, then the signature (whose form and route
    /// the lexicon's fill in when the text states none; taken in place, not copied).
    private func attributes(of name: DrugNameFinder.Name, signature: inout DrugSignature) -> Attributes {
        var generic: String
        var drugClass: String
        var rxcui = ""
        var form = "", route = ""
        var isBrand: Bool
        if name.entries.count == 1 {
            let entry = lexicon.entries[name.entries[0]]
            generic = entry.generic
            drugClass = entry.drugClass
            rxcui = entry.rxcui
            form = entry.form
            route = entry.route
            isBrand = entry.isBrand
        } else {
            let entries = name.entries.map { lexicon.entries[$0] }
            // A written combination: the canonical product with these ingredients if the lexicon has one.
            let ingredients = entries.flatMap(\.components)
            if let known = combinations[DrugLexicon.combinationKey(ingredients)] {
                let product = lexicon.entries[known]
                generic = product.generic
                drugClass = product.drugClass
                rxcui = product.rxcui
            } else {
                generic = ingredients.joined(separator: "/")
                var classes: [String] = []
                for entry in entries where !entry.drugClass.isEmpty && !classes.contains(entry.drugClass) {
                    classes.append(entry.drugClass)
                }
                drugClass = classes.joined(separator: "/")
            }
            form = entries.lazy.map(\.form).first { !$0.isEmpty } ?? ""
            route = entries.lazy.map(\.route).first { !$0.isEmpty } ?? ""
            isBrand = entries.contains { $0.isBrand }
        }
        if signature.form == nil && !form.isEmpty { signature.form = form }
        if signature.route == nil && !route.isEmpty { signature.route = route }
        // The keys are distinct and set in this order, and the signature's keys are others: appended, not searched,
        // into room made once for all of them (at most five from the lexicon).
        let isCombination = Self.containsSlash(generic)
        var attributes = Attributes()
        attributes.reserveCapacity((generic.isEmpty ? 0 : 1) + (drugClass.isEmpty ? 0 : 1) + 1 + (isCombination ? 1 : 0)
                                   + (rxcui.isEmpty ? 0 : 1) + signature.attributeCount)
        if !generic.isEmpty { attributes.appendNew("generic", .string(generic)) }
        if !drugClass.isEmpty { attributes.appendNew("drug_class", .string(drugClass)) }
        attributes.appendNew("brand", .bool(isBrand))
        if isCombination { attributes.appendNew("components", .strings(Self.components(of: generic))) }
        if !rxcui.isEmpty { attributes.appendNew("rxcui", .string(rxcui)) }
        signature.appendNew(to: &attributes)
        return attributes
    }

    /// Whether `text` holds a `/` (a byte scan of its UTF-8 storage, not the generic `Sequence.contains`).
    static func containsSlash(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.contains(UInt8(ascii: "/")) }
    }

    /// The parts of a generic name between `/` characters, as `String.split(separator: "/")` gives them: split
    /// on bytes when the name is ASCII (where bytes and Characters agree), by Characters otherwise.
    static func components(of generic: String) -> [String] {
        var text = generic
        let asciiParts = text.withUTF8 { bytes -> [String]? in
            // One pass: the parts between slashes (empty ones left out, as `split` does), straight into room for
            // all of them; nil at the first non-ASCII byte.
            var slashes = 0
            var high: UInt8 = 0
            for byte in bytes {
                high |= byte
                slashes &+= byte == 0x2F ? 1 : 0
            }
            guard high < 0x80 else { return nil }
            var parts: [String] = []
            parts.reserveCapacity(slashes + 1)
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x2F {
                if index > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                start = index + 1
            }
            return parts
        }
        return asciiParts ?? generic.split(separator: "/").map(String.init)
    }

    /// The provenance rule of a mention: its lexicon rows.
    private func rule(of name: DrugNameFinder.Name) -> String {
        // One row (nearly every mention): its source as stored, without building an array and joining it.
        if name.entries.count == 1 { return lexicon.entries[name.entries[0]].source }
        return name.entries.map { lexicon.entries[$0].source }.joined(separator: " + ")
    }

    /// The lowercase words of a stoplist file: one per line, `#` comments.
    static func words(_ text: String) -> Set<String> {
        var words: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) {
            let word = line.trimmingCharacters(in: .whitespaces)
            if !word.isEmpty && !word.hasPrefix("#") { words.insert(word.lowercased()) }
        }
        return words
    }
}
