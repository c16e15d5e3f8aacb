import ClinPipeText

/// Finds drug names in text: one pass of a `LexiconMatcher` over every lexicon term, the entries' letter-case
/// rules, and the merging of names written as one combination (`hydrocodone/APAP`, `lidocaine-prilocaine`).
///
/// Brand names also match when followed directly by `®` or `™` (`Lidoderm®`); the name's range then stops before
/// the symbol.
struct DrugNameFinder: Sendable {
    /// A drug name found in the text.
    struct Name: Sendable {
        /// UTF-8 offsets into the text searched, half-open; for a combination, from the first name's start to the
        /// last name's end.
        var range: Range<Int>
        /// Where the text after the name starts: `range.upperBound`, or after a `®`/`™` that follows the name.
        var followingStart: Int
        /// Lexicon entry indices of the names, in text order (several for a written combination).
        var entries: [Int]
    }

    let lexicon: DrugLexicon
    private let matcher: LexiconMatcher
    /// For each matcher term: the lexicon entry it spells.
    private let termEntries: [Int]
    /// For each matcher term: how many trailing bytes (a `®` or `™`) to leave out of the name's range.
    private let termTrim: [Int]

    init(lexicon: DrugLexicon) {
        self.lexicon = lexicon
        var terms: [String] = []
        var termEntries: [Int] = []
        var termTrim: [Int] = []
        for (index, entry) in lexicon.entries.enumerated() {
            terms.append(entry.term)
            termEntries.append(index)
            termTrim.append(0)
            if entry.isBrand {
                for mark in ["\u{00AE}", "\u{2122}"] {
                    terms.append(entry.term + mark)
                    termEntries.append(index)
                    termTrim.append(mark.utf8.count)
                }
            }
        }
        self.matcher = LexiconMatcher(terms: terms)
        self.termEntries = termEntries
        self.termTrim = termTrim
    }

    /// Every drug name in `bytes`, left to right, not overlapping. With `mergeCombinations`, names joined only by
    /// `/`, `-` or `+` (spaces allowed around it, not line breaks) and sharing no ingredient become one name.
    func names(in bytes: UnsafeBufferPointer<UInt8>, mergeCombinations: Bool) -> [Name] {
        var found: [Name] = []
        matcher.forEachMatch(in: bytes) { range, group in
            // The first entry with this spelling whose case rule the text satisfies (built-in entries come first).
            for term in matcher.values(ofGroup: group) {
                let entry = termEntries[term]
                let trimmed = range.lowerBound..<(range.upperBound - termTrim[term])
                if lexicon.entries[entry].acceptsCase(of: bytes, in: trimmed) {
                    found.append(Name(range: trimmed, followingStart: range.upperBound, entries: [entry]))
                    return
                }
            }
        }
        guard mergeCombinations, found.count > 1 else { return found }
        var merged: [Name] = [found[0]]
        for name in found.dropFirst() {
            let last = merged[merged.count - 1]
            if Self.isCombinationJoint(bytes, last.range.upperBound..<name.range.lowerBound),
               !sharesIngredient(last.entries, name.entries[0])
            {
                merged[merged.count - 1].range = last.range.lowerBound..<name.range.upperBound
                merged[merged.count - 1].followingStart = name.followingStart
                merged[merged.count - 1].entries.append(name.entries[0])
            } else {
                merged.append(name)
            }
        }
        return merged
    }

    /// Whether the bytes between two names are one `/`, `-` or `+` with optional spaces or tabs around it.
    static func isCombinationJoint(_ bytes: UnsafeBufferPointer<UInt8>, _ gap: Range<Int>) -> Bool {
        var joints = 0
        for index in gap {
            switch bytes[index] {
            case 0x20, 0x09: continue
            case 0x2F, 0x2D, 0x2B: joints += 1
            default: return false
            }
        }
        return joints == 1
    }

    /// Whether entry `candidate` shares an ingredient with any of `entries` (`cyclobenzaprine/Flexeril` names
    /// one drug twice, not a combination).
    private func sharesIngredient(_ entries: [Int], _ candidate: Int) -> Bool {
        let candidateEntry = lexicon.entries[candidate]
        let ingredients = Set(candidateEntry.components.map { $0.lowercased() })
        for index in entries {
            let entry = lexicon.entries[index]
            if entry.generic.isEmpty || candidateEntry.generic.isEmpty {
                if entry.term.lowercased() == candidateEntry.term.lowercased() { return true }
                continue
            }
            if entry.components.contains(where: { ingredients.contains($0.lowercased()) }) { return true }
        }
        return false
    }
}
