import CPCRE2

/// The search of a `PrefilteredPattern` with a plan: the plan, and the pattern anchored with `\G` that runs at each
/// start position the plan lets through.
final class PrefilteredSearch: Sendable {
    let plan: PatternPlan
    let anchored: PCRE2Pattern

    init(plan: PatternPlan, anchored: PCRE2Pattern) {
        self.plan = plan
        self.anchored = anchored
    }

    /// The search of `PrefilteredPattern.forEachMatch` over `text[0..<count]`.
    /// - Parameter keyPositions: every position where the key stands, ascending (`PrefilterKeys`); nil to scan.
    func forEachMatch(in text: UnsafePointer<UInt8>, count: Int, from start: Int, keyPositions: UnsafeBufferPointer<Int>? = nil,
                      _ body: (PCRE2Match) throws -> Bool) throws
    {
        try plan.table.withUnsafeBufferPointer { table in
            try plan.startTable.withUnsafeBufferPointer { startTable in
                try search(table.baseAddress!, startTable.isEmpty ? nil : startTable.baseAddress, keyPositions, text, count, start,
                           body)
            }
        }
    }

    /// - Parameter startTable: `plan.startTable`, nil when it is empty.
    private func search(_ table: UnsafePointer<UInt64>, _ startTable: UnsafePointer<UInt64>?, _ keyPositions: UnsafeBufferPointer<Int>?,
                        _ text: UnsafePointer<UInt8>, _ count: Int, _ start: Int, _ body: (PCRE2Match) throws -> Bool) throws
    {
        // One match data for the whole search, taken at the first start position that reaches PCRE2 (a callback
        // that runs other patterns takes the next nesting level); the anchored pattern runs straight through PCRE2.
        let limits = anchored.limits
        var scratch: PCRE2ThreadScratch?
        var matchData: OpaquePointer?
        defer { scratch?.leave() }
        let filterFirst = plan.startBytes != nil
        let atTextStart = plan.startsAtTextStart, atTextEnd = plan.startsAtTextEnd, textStartTerms = plan.textStartTerms
        let starts = plan.starts
        let lineStarts = plan.startsAtLineStarts
        var offset = start
        var scannedUpTo = start  // start positions below this one were tried or ruled out
        var previousKey = -1, previousRunStart = -1
        var keySearch = start
        // With known key positions: the index of the first one not yet passed.
        var cursor = keyPositions.map { positions in
            var low = 0, high = positions.count
            while low < high {
                let middle = (low + high) / 2
                if positions[middle] < start { low = middle + 1 } else { high = middle }
            }
            return low
        } ?? 0
        let startsAtKey = plan.prefixMaxBytes == 0 && plan.prefixMinChars == 0
        while offset <= count {
            // A match starting at or after `offset` has its key there too.
            let from = max(keySearch, offset)
            let key: Int
            if let keyPositions {
                while cursor < keyPositions.count && keyPositions[cursor] < from { cursor += 1 }
                guard cursor < keyPositions.count else { return }
                key = keyPositions[cursor]
            } else {
                guard let found = plan.nextKey(in: text, count: count, from: from, table: table) else { return }
                key = found
            }
            keySearch = key + 1
            if startsAtKey, let startTable {
                // The key's position is the only start: its start terms are the cheaper test, so they come first.
                let before = key == 0 ? atTextStart : startTable[Int(text[key &- 1])] & ~textStartTerms
                let first = key >= count ? atTextEnd : startTable[Int(text[key])]
                if before & (first >> 32) == 0 { continue }
            }
            guard plan.followsKey(in: text, count: count, key: key, table: table) else { continue }
            var s: Int, last: Int
            if startsAtKey {
                // Nothing comes before the key: the key's position is the only start (what the general case below
                // comes to, without the walk).
                s = key
                last = key
                scannedUpTo = key + 1
            } else {
                let runStart = plan.runStart(in: text, count: count, key: key, previousKey: previousKey,
                                             previousRunStart: previousRunStart, table: table)
                previousKey = key
                previousRunStart = runStart
                var lowest = max(scannedUpTo, offset)
                if let maxBytes = plan.prefixMaxBytes { lowest = max(lowest, key - maxBytes) }
                let highest = key - plan.prefixMinChars
                guard max(lowest, runStart) <= highest else { continue }
                scannedUpTo = highest + 1
                s = max(lowest, runStart)
                if plan.onlyRunStart && s != runStart { continue }
                // When only a run's first position can start a match, no other position of the run is worth a look.
                last = plan.onlyRunStart ? s : highest
            }
            while s <= last {
                if lineStarts {
                    // Only positions after a line break byte (or the text's start) can start a match.
                    while s <= last && s != 0 && !StartTerm.isLineBreak(text[s &- 1]) { s &+= 1 }
                    if s > last { break }
                }
                defer { s += 1 }
                if s < count {
                    let byte = text[s]
                    if byte & 0xC0 == 0x80 { continue }
                    if s != 0 && filterFirst && table[Int(byte)] & PatternPlan.startFlag == 0 { continue }
                }
                // One of the start terms holds at `s` (`PatternPlan.canStart`).
                if let startTable {
                    let before = s == 0 ? atTextStart : startTable[Int(text[s &- 1])] & ~textStartTerms
                    let first = s >= count ? atTextEnd : startTable[Int(text[s])]
                    if before & (first >> 32) == 0 { continue }
                } else if !PatternPlan.canStart(starts, in: text, count: count, at: s) {
                    continue
                }
                if scratch == nil {
                    scratch = PCRE2ThreadScratch.current(for: limits)
                    matchData = scratch!.enter()
                } else if scratch!.limits != limits {
                    // The callback ran a pattern with other limits on this thread's shared match context.
                    _ = PCRE2ThreadScratch.current(for: limits)
                }
                let rc = anchored.isJIT
                    ? pcre2_jit_match_8(anchored.code, text, count, s, 0, matchData, scratch!.matchContext)
                    : pcre2_match_8(anchored.code, text, count, s, UInt32(PCRE2_NO_UTF_CHECK), matchData, scratch!.matchContext)
                if rc == PCRE2_ERROR_NOMATCH { continue }
                if rc < 0 { throw PCRE2Error.fromMatch(rc) }
                let ovector = pcre2_get_ovector_pointer_8(matchData)!
                let matchBegin = ovector[0], matchEnd = ovector[1]
                let match = PCRE2Match(ovector: ovector, pairCount: anchored.captureCount + 1, groupNumbers: anchored.groupNumbers)
                guard try body(match) else { return }
                if matchEnd > matchBegin {
                    offset = matchEnd
                } else {
                    offset = matchEnd + 1
                    while offset < count && text[offset] & 0xC0 == 0x80 { offset += 1 }
                }
                if offset > count { return }
                s = offset - 1  // the defer moves on to `offset`
            }
        }
    }
}
