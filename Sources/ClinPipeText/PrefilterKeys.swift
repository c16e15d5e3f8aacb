#if canImport(Glibc)
import Glibc
#endif

/// Where the keys of prefiltered patterns (`PrefilteredPattern`) stand in one text: found for each kind of key the
/// first time a pattern with that key asks, then shared by every pattern with the same key. Positions are UTF-8
/// byte offsets into the text; the struct holds the text's buffer, so it must not outlive it.
public struct PrefilterKeys {
    let text: UnsafeBufferPointer<UInt8>
    /// Per kind of key, its positions in ascending order (for a `$` key, ending with the text's end). A few kinds
    /// per text: searched in order, not hashed.
    private var found: [(kind: PatternPlan.KeyKind, positions: [Int])] = []

    public init(in text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    /// The positions where the key of `search.plan` can stand, in ascending order: every position
    /// `PatternPlan.nextKey` finds.
    mutating func positions(of search: PrefilteredSearch) -> [Int] {
        let kind = search.plan.keyKind
        for entry in found where entry.kind == kind { return entry.positions }
        var positions: [Int] = []
        positions.reserveCapacity(64)
        if let base = text.baseAddress {
            let count = text.count
            if let single = search.plan.keySingle {
                var from = 0
                while from < count, let hit = memchr(base + from, Int32(single), count - from) {
                    let key = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    positions.append(key)
                    from = key + 1
                }
            } else {
                search.plan.table.withUnsafeBufferPointer { table in
                    var from = 0
                    while let key = search.plan.nextKey(in: base, count: count, from: from, table: table.baseAddress!) {
                        positions.append(key)
                        from = key + 1
                    }
                }
            }
        }
        found.append((kind, positions))
        return positions
    }
}
