import ClinPipeCore
import ClinPipeText

/// Reads the expert reviewer's credentials from an IMR letter (`Rules/reviewer-credentials.tsv`) into document
/// attributes: `reviewer_licensure` (states) and `reviewer_specialties` (board certifications, subspecialties), each
/// a list of strings in order of appearance without repeats. Both templates are covered: the 2014-15 sentence
/// (`The expert reviewer is Board Certified in X, has a subspecialty in Y and is licensed to practice in Z.`) and
/// the 2016-17 fields (`State(s) of Licensure: ...`, `Certification(s)/Specialty: ...`).
struct ReviewerCredentials: Sendable {
    enum Split: String { case comma, commaAnd = "comma_and" }

    struct Rule: Sendable {
        var attribute: String
        /// The index of `attribute` in `attributeNames`.
        var attributeIndex: Int
        var pattern: PrefilteredPattern
        var valueGroup: Int
        var splitAtAnd: Bool
    }

    let rules: [Rule]

    static let columns = ["attribute", "pattern"]

    init(tables: [RuleTable]) throws {
        var rules: [Rule] = []
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                do {
                    let pattern = PrefilteredPattern(try RuleSources.compile(row, in: table))
                    guard let value = pattern.groupNumbers["value"] else {
                        problems.append("\(table.name):\(row.line): the pattern has no group named 'value'")
                        continue
                    }
                    guard let split = Split(rawValue: row["split"].isEmpty ? "comma" : row["split"]) else {
                        problems.append("\(table.name):\(row.line): split must be comma or comma_and")
                        continue
                    }
                    rules.append(Rule(attribute: row["attribute"], attributeIndex: 0, pattern: pattern, valueGroup: value,
                                      splitAtAnd: split == .commaAnd))
                } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        var names: [String] = []
        for index in rules.indices {
            if let known = names.firstIndex(of: rules[index].attribute) {
                rules[index].attributeIndex = known
            } else {
                rules[index].attributeIndex = names.count
                names.append(rules[index].attribute)
            }
        }
        self.rules = rules
        self.attributeNames = names
    }

    /// The attribute names the rules fill, in the order of their first rule.
    let attributeNames: [String]

    /// Values found in `regions` of `bytes`, by attribute, in order of appearance.
    func values(in bytes: UnsafeBufferPointer<UInt8>, regions: [Range<Int>]) throws -> [(attribute: String, values: [String])] {
        // The values found (attribute index in `attributeNames`, where the value was found, the value), in the order
        // the rules found them.
        var found: [(attribute: Int, position: Int, value: String)] = []
        // Room for a letter's few values at once (here and below), not doublings from one.
        found.reserveCapacity(8)
        // A match's value with its whitespace collapsed (`TextBytes.collapsed`), reused from match to match.
        var collapsed: [UInt8] = []
        for region in regions {
            let slice = UnsafeBufferPointer(rebasing: bytes[region])
            for index in rules.indices {
                let valueGroup = rules[index].valueGroup, splitAtAnd = rules[index].splitAtAnd
                let attribute = rules[index].attributeIndex
                try rules[index].pattern.forEachMatch(in: slice) { match in
                    guard let range = match.range(valueGroup) else { return true }
                    let position = region.lowerBound + range.lowerBound
                    let length = Self.collapse(slice, range, into: &collapsed)
                    collapsed.withUnsafeBufferPointer { collapsed in
                        Self.split(UnsafeBufferPointer(rebasing: collapsed[..<length]), atAnd: splitAtAnd) { found.append((attribute, position, $0)) }
                    }
                    return true
                }
            }
        }
        guard !found.isEmpty else { return [] }
        var result: [(attribute: String, values: [String])] = []
        result.reserveCapacity(attributeNames.count)
        var items: [(position: Int, value: String)] = []
        items.reserveCapacity(found.count)
        for (index, name) in attributeNames.enumerated() {
            // Stable by position: rules run one after the other, but the letter's order is what a reader expects.
            items.removeAll(keepingCapacity: true)
            for item in found where item.attribute == index {
                var k = items.count
                items.append((item.position, item.value))
                while k > 0 && items[k - 1].position > item.position {
                    items.swapAt(k - 1, k)
                    k -= 1
                }
            }
            var values: [String] = []
            values.reserveCapacity(items.count)
            for item in items where !values.contains(item.value) { values.append(item.value) }
            if !values.isEmpty { result.append((name, values)) }
        }
        return result
    }

    /// Writes the bytes of `range` of `bytes` at the start of `out` (made at least `range.count` bytes long) with
    /// `TextBytes.collapse` (every run of whitespace as one space, none at either end), and returns how many bytes it
    /// wrote.
    static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: inout [UInt8]) -> Int {
        if out.count < range.count { out = [UInt8](repeating: 0, count: max(range.count, 64)) }
        return out.withUnsafeMutableBufferPointer { out in TextBytes.collapse(bytes, range, into: out) }
    }

    /// `split(_:atAnd:)` of the text whose UTF-8 bytes `utf8` are, each part handed to `emit`.
    static func split(_ utf8: UnsafeBufferPointer<UInt8>, atAnd: Bool, _ emit: (String) -> Void) {
        let done = splitASCII(utf8, atAnd: atAnd, emit)
        if !done {
            for part in splitCharacters(String(decoding: utf8, as: UTF8.self), atAnd: atAnd) { emit(part) }
        }
    }

    /// Splits a list at commas and semicolons (and at a standalone `and` when `atAnd`), trimming each part.
    static func split(_ text: String, atAnd: Bool) -> [String] {
        var text = text
        if let parts = text.withUTF8({ splitASCII($0, atAnd: atAnd) }) { return parts }
        return splitCharacters(text, atAnd: atAnd)
    }

    /// `split` on the bytes of an ASCII text (where every byte is one Character, CR aside); nil for any other text,
    /// whose Characters (grapheme clusters, canonical equivalence) need `splitCharacters`.
    static func splitASCII(_ text: UnsafeBufferPointer<UInt8>, atAnd: Bool) -> [String]? {
        var parts: [String] = []
        return splitASCII(text, atAnd: atAnd) { parts.append($0) } ? parts : nil
    }

    /// `splitASCII(_:atAnd:)` with each part handed to `emit`; false (and nothing emitted) for a text that is not
    /// ASCII or holds a CR.
    static func splitASCII(_ text: UnsafeBufferPointer<UInt8>, atAnd: Bool, _ emit: (String) -> Void) -> Bool {
        for byte in text where byte >= 0x80 || byte == 0x0D { return false }
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        // A part: without leading spaces, trailing spaces and periods, and a leading `and `.
        func finish(_ part: UnsafeBufferPointer<UInt8>) {
            var lower0 = 0, upper = part.count
            while lower0 < upper && part[lower0] == 0x20 { lower0 += 1 }
            while upper > lower0 && (part[upper - 1] == 0x20 || part[upper - 1] == 0x2E) { upper -= 1 }
            if upper - lower0 >= 4 && lower(part[lower0]) == 0x61 && lower(part[lower0 + 1]) == 0x6E
                && lower(part[lower0 + 2]) == 0x64 && part[lower0 + 3] == 0x20
            {
                lower0 += 4
            }
            if lower0 < upper { emit(String(decoding: UnsafeBufferPointer(rebasing: part[lower0..<upper]), as: UTF8.self)) }
        }
        var joined: [UInt8] = []
        var pieceStart = 0
        var i = 0
        while i <= text.count {
            guard i == text.count || text[i] == 0x2C || text[i] == 0x3B else { i += 1; continue }
            let piece = pieceStart..<i
            pieceStart = i + 1
            i += 1
            guard !piece.isEmpty else { continue }
            guard atAnd else {
                finish(UnsafeBufferPointer(rebasing: text[piece]))
                continue
            }
            // Words (split at spaces), grouped between standalone `and`s; each group is its words joined by spaces:
            // the text from its first word to its last when single spaces part them, else a copy.
            var group: Range<Int>?
            var single = true
            func finishGroup() {
                guard let words = group else { return }
                if single {
                    finish(UnsafeBufferPointer(rebasing: text[words]))
                    return
                }
                joined.removeAll(keepingCapacity: true)
                var w = words.lowerBound
                while w < words.upperBound {
                    if text[w] == 0x20 { w += 1; continue }
                    var end = w
                    while end < words.upperBound && text[end] != 0x20 { end += 1 }
                    if !joined.isEmpty { joined.append(0x20) }
                    joined.append(contentsOf: UnsafeBufferPointer(rebasing: text[w..<end]))
                    w = end
                }
                joined.withUnsafeBufferPointer { finish($0) }
            }
            var w = piece.lowerBound
            while w < piece.upperBound {
                if text[w] == 0x20 { w += 1; continue }
                var end = w
                while end < piece.upperBound && text[end] != 0x20 { end += 1 }
                if end - w == 3 && lower(text[w]) == 0x61 && lower(text[w + 1]) == 0x6E && lower(text[w + 2]) == 0x64 {
                    finishGroup()
                    group = nil
                    single = true
                } else if let words = group {
                    if w - words.upperBound != 1 { single = false }
                    group = words.lowerBound..<end
                } else {
                    group = w..<end
                }
                w = end
            }
            finishGroup()
        }
        return true
    }

    /// `split` on Characters, for any text.
    static func splitCharacters(_ text: String, atAnd: Bool) -> [String] {
        var parts: [String] = []
        for piece in text.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            var subpieces = [Substring(piece)]
            if atAnd {
                let words = piece.split(separator: " ", omittingEmptySubsequences: true)
                subpieces = words.split(whereSeparator: { $0.lowercased() == "and" }).map { Substring($0.joined(separator: " ")) }
            }
            for part in subpieces {
                var value = part.trimmingPrefix(while: { $0 == " " })
                while let last = value.last, last == " " || last == "." { value = value.dropLast() }
                if value.lowercased().hasPrefix("and ") { value = value.dropFirst(4) }
                if !value.isEmpty { parts.append(String(value)) }
            }
        }
        return parts
    }
}
