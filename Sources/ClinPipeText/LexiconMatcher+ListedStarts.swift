import CByteScan

/// Two lexicons over the same text with each word read once: while one matcher scans the whole text, it lists the
/// word starts that a second matcher must look at (those whose word the second one's first-word filter may hold), so
/// that the second matcher's later scans of parts of the text visit only the listed starts instead of reading every
/// word again. The `context` stage scans its findings lexicon over the whole text this way, then its trigger
/// phrases over the runs of sentences that have targets.
///
/// Why the listed starts are enough: over a range that starts and ends outside words, the plain scan
/// (`forEachMatch(in:)` of the range's bytes) visits the text's word starts inside the range, left to right, except
/// those inside a match; at each it reads the whole word (which ends inside the range) and asks the first-word
/// filter, which rules out every word that starts no term (it has no false "no"). So the starts that the filter does
/// not rule out, which are the listed ones, are the only starts where the plain scan can find a match, and a listed
/// start gets the answer the plain scan gets there. A range that starts or ends inside a word is scanned the plain
/// way. Positions are UTF-8 byte offsets.
extension LexiconMatcher {
    /// Whether `listingStarts(for:)` can list starts for `other`: both matchers visit only word starts and read words
    /// with the same case folding (so one hash of each word serves both filters).
    public func canListStarts(for other: LexiconMatcher) -> Bool {
        trie.termsStartWithWords && other.trie.termsStartWithWords && caseSensitive == other.caseSensitive
    }

    /// `forEachMatch(in:_:)` that also lists into `listed` (replacing its contents), ascending, every word start of
    /// `text` whose word `other`'s first-word filter may hold, for `other.forEachMatch(in:range:listedStarts:cursor:_:)`.
    /// Requires `canListStarts(for: other)`.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, listingStartsFor other: LexiconMatcher,
                             into listed: inout [Int], _ body: (Range<Int>, Int) -> Void)
    {
        precondition(canListStarts(for: other), "the matchers cannot share a scan")
        guard let base = text.baseAddress, !text.isEmpty else {
            listed.removeAll(keepingCapacity: true)
            return
        }
        let count = text.count
        let otherWords = other.trie.firstWords.words, otherShift = other.trie.firstWords.indexShift
        let words = FirstWords(trie, foldsCase: !caseSensitive)
        // At most one word start per two bytes, and one more for a last odd byte. Written in place (no capacity check
        // per word): every word start is written, and counted when the other filter may hold its word, so that
        // listing costs no branch.
        listed = [Int](unsafeUninitializedCapacity: count / 2 + 1) { buffer, listedCount in
            let positions = buffer.baseAddress!
            listedCount = 0
            var chunk = 0
            var previousIsWord = false
            // Word starts before `resume` are inside a match of this matcher: listed for `other`, not matched here.
            var resume = 0
            while chunk < count {
                var starts = cbs_word_starts64(base + chunk, count &- chunk, previousIsWord ? 1 : 0)
                while starts != 0 {
                    let position = chunk &+ starts.trailingZeroBitCount
                    starts &= starts &- 1
                    let (wordEnd, hash, first) = FirstWordFilter.readWord(base, at: position, count: count,
                                                                         foldsCase: words.foldsCase)
                    positions[listedCount] = position
                    listedCount &+= FirstWordFilter.mayContainCount(hash, words: otherWords, indexShift: otherShift)
                    // As in `forEachMatchAtWordStarts`, no test of the first byte: the filter settles those words.
                    guard position >= resume,
                          FirstWordFilter.mayContain(hash, words: words.filterWords, indexShift: words.filterShift)
                    else { continue }
                    let node = words.table.node(from: 0, word: base, start: position, end: wordEnd, hash: hash,
                                                first: first, fold: words.fold)
                    guard node >= 0 else { continue }
                    let (end, group) = trie.walk(base, from: node, at: wordEnd, count: count)
                    guard end >= 0 else { continue }
                    body(position..<end, group)
                    resume = end
                }
                chunk &+= 64
                previousIsWord = chunk < count && ByteClass.isWord(base[chunk &- 1])
            }
        }
    }

    /// The matches that `forEachMatch(in: UnsafeBufferPointer(rebasing: text[range]), body)` finds (ranges in the
    /// offsets of `text[range]`), from the starts that another matcher listed over all of `text`
    /// (`forEachMatch(in:listingStartsFor:into:_:)` with this matcher as `other`). `cursor` is an index into `listed`:
    /// give 0 for the first range and the same variable for later ones, which must come in ascending order and not
    /// overlap.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, range: Range<Int>, listedStarts listed: [Int],
                             cursor: inout Int, _ body: (Range<Int>, Int) -> Void)
    {
        while cursor < listed.count && listed[cursor] < range.lowerBound { cursor &+= 1 }
        let first = cursor
        while cursor < listed.count && listed[cursor] < range.upperBound { cursor &+= 1 }
        let slice = UnsafeBufferPointer(rebasing: text[range])
        guard let base = slice.baseAddress, !slice.isEmpty else { return }
        let lower = range.lowerBound, upper = range.upperBound
        // A range that starts or ends inside a word: its first or last word is not the text's.
        if (lower > 0 && ByteClass.isWord(text[lower &- 1]) && ByteClass.isWord(text[lower]))
            || (upper < text.count && ByteClass.isWord(text[upper &- 1]) && ByteClass.isWord(text[upper]))
        {
            return forEachMatch(in: slice, body)
        }
        let count = slice.count
        let words = FirstWords(trie, foldsCase: !caseSensitive)
        var resume = 0
        for index in first..<cursor {
            let position = listed[index] &- lower
            guard position >= resume else { continue }
            let (end, group, _) = longestMatch(atWordStart: position, in: base, count: count, words: words)
            guard end >= 0 else { continue }
            body(position..<end, group)
            resume = end
        }
    }
}
