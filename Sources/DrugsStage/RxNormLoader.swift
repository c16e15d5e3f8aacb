import ClinPipeCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One RxNorm name kept from `RXNCONSO.RRF`.
public struct RxNormConcept: Sendable, Hashable {
    /// The concept id (`RXCUI`).
    public var rxcui: String
    /// The name (`STR`), as RxNorm writes it (`hydrocodone bitartrate`, `Norco`).
    public var name: String
    /// The term type (`TTY`): `IN` ingredient, `PIN` precise ingredient (a salt), `BN` brand name.
    public var termType: String

    public init(rxcui: String, name: String, termType: String) {
        self.rxcui = rxcui
        self.name = name
        self.termType = termType
    }

    public var isBrand: Bool { termType == "BN" }
}

/// Reads RxNorm release files (pipe-delimited `.RRF`, as distributed by the NLM; the user supplies them, ClinPipe
/// ships none) and turns them into drug lexicon entries.
///
/// - `RXNCONSO.RRF` gives the names: rows with `LAT` = `ENG`, `SAB` = `RXNORM`, a kept term type (`IN`, `PIN`, `BN`
///   by default: ingredients and brands, not clinical drugs such as `SCD` strings) and not suppressed (`SUPPRESS`
///   `O`, `Y` or `E`).
/// - `RXNREL.RRF`, when present beside it, gives brand → ingredient (`tradename_of`/`has_tradename`) and precise
///   ingredient → ingredient (`form_of`/`has_form`) relations, so that an RxNorm brand gets its `generic`.
///
/// Files are streamed line by line; a full release (about 1 GB for RXNCONSO) loads in seconds and only the kept
/// rows stay in memory. Malformed lines are counted and skipped.
public enum RxNormLoader {
    /// The term types kept by default: ingredient, precise ingredient, brand name.
    public static let defaultTermTypes: Set<String> = ["IN", "PIN", "BN"]

    /// What `loadConcepts` read.
    public struct Concepts: Sendable {
        public var concepts: [RxNormConcept]
        /// Lines with too few fields.
        public var malformedLines: Int
    }

    /// Problems reading an RRF file (never with the file's contents).
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the kept names of an `RXNCONSO.RRF` file.
    /// - Throws: `LoadError` when the file cannot be opened or holds no RRF line at all.
    public static func loadConcepts(from url: URL, termTypes: Set<String> = defaultTermTypes) throws -> Concepts {
        var concepts: [RxNormConcept] = []
        var malformed = 0
        var wellFormed = 0
        try forEachLine(of: url) { fields in
            // RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|
            guard fields.count >= 17 else {
                malformed += 1
                return
            }
            wellFormed += 1
            guard fields.equals(1, "ENG"), fields.equals(11, "RXNORM") else { return }
            let termType = fields[12]
            guard termTypes.contains(termType) else { return }
            guard !fields.equals(16, "O") && !fields.equals(16, "Y") && !fields.equals(16, "E") else { return }
            concepts.append(RxNormConcept(rxcui: fields[0], name: fields[14], termType: termType))
        }
        if wellFormed == 0 && malformed > 0 {
            throw LoadError(description: "\(url.path): not an RXNCONSO.RRF file (no line has the 18 RRF fields)")
        }
        return Concepts(concepts: concepts, malformedLines: malformed)
    }

    /// Reads `RXNREL.RRF` and returns, for each concept id, the ids it names as its ingredient: a brand's
    /// ingredients (`tradename_of`) and a precise ingredient's base ingredient (`form_of`). Relations are kept in
    /// both directions; `lexiconEntries` uses the term types to read them the right way round.
    public static func loadRelations(from url: URL) throws -> [String: [String]] {
        var related: [String: [String]] = [:]
        try forEachLine(of: url, containing: ["tradename_of", "has_tradename", "form_of", "has_form"]) { fields in
            // RXCUI1|RXAUI1|STYPE1|REL|RXCUI2|RXAUI2|STYPE2|RELA|RXAUI|SRUI|SAB|SL|RG|DIR|SUPPRESS|CVF|
            guard fields.count >= 11, fields.equals(10, "RXNORM") else { return }
            guard fields.equals(7, "tradename_of") || fields.equals(7, "has_tradename") || fields.equals(7, "form_of")
                || fields.equals(7, "has_form") else { return }
            let first = fields[0], second = fields[4]
            guard !first.isEmpty, !second.isEmpty, first != second else { return }
            if !(related[first]?.contains(second) ?? false) { related[first, default: []].append(second) }
            if !(related[second]?.contains(first) ?? false) { related[second, default: []].append(first) }
        }
        return related
    }

    /// Merges RxNorm names into `lexicon`: an existing entry with the same name (ignoring ASCII case) gets the
    /// `rxcui`; a new name becomes a new entry (generic from the relations when known, no class). Names in
    /// `stoplist` (lowercase: common English words that are also brand names), names shorter than three
    /// characters, and precise ingredients written as a known ingredient plus one salt word (`hydrocodone
    /// bitartrate`: the stage reads the salt after the name) are skipped.
    /// - Returns: the number of entries added and of existing entries given an `rxcui`.
    @discardableResult
    public static func extend(_ lexicon: inout DrugLexicon, with concepts: [RxNormConcept],
                              relations: [String: [String]] = [:], stoplist: Set<String> = [],
                              source: String = "RXNCONSO.RRF") -> (added: Int, confirmed: Int)
    {
        var existing: [String: [Int]] = [:]
        for (index, entry) in lexicon.entries.enumerated() { existing[entry.term.lowercased(), default: []].append(index) }
        var byID: [String: RxNormConcept] = [:]
        for concept in concepts where concept.termType != "BN" { byID[concept.rxcui] = concept }
        let ingredientNames = Set(concepts.filter { $0.termType == "IN" }.map { $0.name.lowercased() })
        var added = 0, confirmed = 0
        var addedNames: Set<String> = []
        for concept in concepts {
            let key = concept.name.lowercased()
            if let indices = existing[key] {
                for index in indices where lexicon.entries[index].rxcui.isEmpty {
                    lexicon.setRxcui(concept.rxcui, at: index)
                    confirmed += 1
                }
                continue
            }
            guard key.count >= 3, !stoplist.contains(key), key.contains(where: \.isLetter),
                  addedNames.insert(key).inserted else { continue }
            // A precise ingredient written as a known name plus a salt word (`hydrocodone bitartrate`): the stage
            // already reads the salt after the name.
            if concept.termType == "PIN", let space = key.lastIndex(of: " ") {
                let base = String(key[..<space])
                if existing[base] != nil || ingredientNames.contains(base) { continue }
            }
            let generic: String
            if concept.termType == "IN" {
                generic = key
            } else {
                // A brand's ingredients, or a precise ingredient's base ingredient.
                let wanted = concept.termType == "BN" ? ["IN", "PIN"] : ["IN"]
                var names: [String] = []
                for id in relations[concept.rxcui] ?? [] {
                    if let other = byID[id], wanted.contains(other.termType) {
                        let name = other.name.lowercased()
                        if !names.contains(name) { names.append(name) }
                    }
                }
                // A brand related to both an ingredient and its salt names the ingredient once.
                if names.count > 1 { names = names.filter { name in !names.contains { $0 != name && name.hasPrefix($0 + " ") } } }
                generic = names.isEmpty ? (concept.isBrand ? "" : key) : names.joined(separator: "/")
            }
            lexicon.append(DrugEntry(term: concept.name, generic: generic, isBrand: concept.isBrand,
                                     rxcui: concept.rxcui, source: "\(source):\(concept.termType)"))
            added += 1
        }
        return (added, confirmed)
    }

    /// The `|`-separated fields of one RRF line, decoded only when asked for.
    struct Fields {
        let line: UnsafeBufferPointer<UInt8>
        /// Field ranges in `line`.
        let ranges: [Range<Int>]

        var count: Int { ranges.count }

        /// Field `index` as a string ("" past the last field).
        subscript(index: Int) -> String {
            guard index < ranges.count else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: line[ranges[index]]), as: UTF8.self)
        }

        /// Whether field `index` is exactly `value` (bytes compared, nothing decoded).
        func equals(_ index: Int, _ value: StaticString) -> Bool {
            guard index < ranges.count, ranges[index].count == value.utf8CodeUnitCount else { return false }
            let expected = UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount)
            var position = ranges[index].lowerBound
            for byte in expected {
                if line[position] != byte { return false }
                position += 1
            }
            return true
        }
    }

    /// Calls `body` with the fields of each line. With `containing`, only lines that contain one of those strings
    /// are split (a cheap byte search first, for the large relation file).
    private static func forEachLine(of url: URL, containing needles: [String] = [],
                                    _ body: (Fields) throws -> Void) throws
    {
        guard let file = fopen(url.path, "r") else {
            throw LoadError(description: "cannot open RxNorm file \(url.path)")
        }
        defer { fclose(file) }
        let needleBytes = needles.map { Array($0.utf8) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(20)
        while true {
            let length = getline(&line, &capacity, file)
            if length < 0 { break }
            guard let line else { continue }
            let bytes = UnsafeRawBufferPointer(start: line, count: length).bindMemory(to: UInt8.self)
            var end = length
            while end > 0 && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
            let content = UnsafeBufferPointer(rebasing: bytes[0..<end])
            if !needleBytes.isEmpty && !needleBytes.contains(where: { contains(content, $0) }) { continue }
            ranges.removeAll(keepingCapacity: true)
            var start = 0
            for index in 0..<end where content[index] == 0x7C {
                ranges.append(start..<index)
                start = index + 1
            }
            ranges.append(start..<end)
            try body(Fields(line: content, ranges: ranges))
        }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }
}
