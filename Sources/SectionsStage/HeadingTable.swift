import ClinPipeText
#if canImport(Glibc)
import Glibc
#endif

/// What the heading table says about one heading. A class (immutable, equal by value): one reference for the
/// table's lookups; found headings and sections carry its `index` instead (nothing to count).
final class HeadingEntry: Sendable, Hashable {
    /// The canonical section name (`history_of_present_illness`, `imr_issues_decisions`).
    let name: String
    /// 1 for a top-level section, larger for parts of one.
    let level: Int
    /// A template heading (the IMR letter's): its section ends only at another closed heading of the same or a
    /// higher level, and every other heading inside becomes a subsection.
    let closed: Bool
    /// `file:line` of the row, for provenance.
    let source: String
    /// Its place in `HeadingTable.entryList` (not part of equality).
    let index: Int

    init(name: String, level: Int, closed: Bool, source: String, index: Int = 0) {
        self.index = index
        self.name = name
        self.level = level
        self.closed = closed
        self.source = source
    }

    static func == (a: HeadingEntry, b: HeadingEntry) -> Bool {
        a.name == b.name && a.level == b.level && a.closed == b.closed && a.source == b.source
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(level)
        hasher.combine(closed)
        hasher.combine(source)
    }
}

/// The heading table (`Rules/headings.tsv` plus the user's files): heading variants, as upper-case keys with single
/// spaces and no trailing colon (`TextBytes.headingKey`), to their canonical names. A later row for the same key
/// replaces an earlier one, so a user file can remap a built-in heading.
struct HeadingTable: Sendable {
    private(set) var entries: [String: HeadingEntry] = [:]
    /// Every entry made, by `HeadingEntry.index` (a row replaced by a later one stays here, unused).
    private(set) var entryList: [HeadingEntry] = []
    /// The ASCII keys of `entries` again, for lookups straight from layer bytes (`entry(forTitle:)`).
    private var byteIndex = ByteKeyIndex()
    /// Whether some key has a non-ASCII character: then an ASCII title the byte index lacks may still equal such a
    /// key under String's canonical equivalence (a KELVIN SIGN key equals `K`), and the lookup asks `entries`.
    private var hasNonASCIIKeys = false
    /// A Bloom filter (16,384 bits) of the ASCII keys' edges (`edgeBit`): a title whose edges it lacks has no
    /// entry, and is turned away before its key is written. Used when every key is ASCII.
    private var edges = [UInt64](repeating: 0, count: 256)

    static let columns = ["heading", "name"]

    /// The filter bit of a key's first byte, second byte (0 for a one-byte key) and last byte.
    @inline(__always) private static func edgeBit(_ first: UInt8, _ second: UInt8, _ last: UInt8) -> Int {
        let mixed = (UInt32(first) &* 0x9E37_79B1) ^ (UInt32(second) &* 0x85EB_CA77) ^ (UInt32(last) &* 0xC2B2_AE3D)
        return Int(mixed >> 18)
    }

    init(tables: [RuleTable]) throws {
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                let key = TextBytes.headingKey(Array(row["heading"].utf8))
                let name = row["name"]
                guard !key.isEmpty else {
                    problems.append("\(table.name):\(row.line): empty heading")
                    continue
                }
                guard name.utf8.allSatisfy({ ByteClass.isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
                    problems.append("\(table.name):\(row.line): name '\(name)' must be snake_case (a-z, 0-9, _)")
                    continue
                }
                var level = 1
                if !row["level"].isEmpty {
                    guard let value = Int(row["level"]), value >= 1, value <= 9 else {
                        problems.append("\(table.name):\(row.line): level must be a whole number from 1 to 9")
                        continue
                    }
                    level = value
                }
                do {
                    let closed = try RuleSources.flag(row, "closed", in: table, default: false)
                    let entry = HeadingEntry(name: name, level: level, closed: closed, source: "\(table.name):\(row.line)",
                                             index: entryList.count)
                    entryList.append(entry)
                    entries[key] = entry
                } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        var index = ByteKeyIndex()
        for (key, entry) in entries {
            let bytes = Array(key.utf8)
            guard bytes.allSatisfy({ $0 < 0x80 }) else {
                hasNonASCIIKeys = true
                continue
            }
            index.insert(bytes, entry)
            let bit = Self.edgeBit(bytes[0], bytes.count > 1 ? bytes[1] : 0, bytes[bytes.count - 1])
            edges[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        byteIndex = index
    }

    /// The entry for a heading as written in `title` (UTF-8 bytes, any case and spacing, maybe a trailing colon):
    /// the same as `self[TextBytes.headingKey(title)]`, without making a String for ASCII titles.
    func entry(forTitle title: UnsafeBufferPointer<UInt8>) -> HeadingEntry? {
        guard let bytes = title.baseAddress else { return nil }  // no key is empty
        // The key's trailing spaces and colons are the title's trailing whitespace and colons.
        var end = title.count
        while end > 0, ByteClass.isSpace(bytes[end - 1]) || bytes[end - 1] == 0x3A { end -= 1 }
        guard end > 0 else { return nil }
        if !hasNonASCIIKeys {
            // The key's first, second and last bytes, read off the title: when they are ASCII, a title equal to an
            // ASCII key (even through String's canonical equivalence, where KELVIN SIGN is `K`) has the key's
            // characters there, so the filter must know them.
            var first = 0
            while ByteClass.isSpace(bytes[first]) { first += 1 }
            @inline(__always) func upper(_ byte: UInt8) -> UInt8 { byte &- 0x61 < 26 ? byte &- 0x20 : byte }
            let second: UInt8 = first + 1 == end ? 0 : ByteClass.isSpace(bytes[first + 1]) ? 0x20 : upper(bytes[first + 1])
            let head = bytes[first], last = bytes[end - 1]
            if head | second | last < 0x80 {
                let bit = Self.edgeBit(upper(head), second, upper(last))
                if edges[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return nil }
            }
        }
        // The key is at most as long as the title, and is hashed a word at a time with zeros after it: room for
        // one more word. On the stack.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end + 8) { buffer -> HeadingEntry? in
            let key = Self.writeKey(bytes, end, into: buffer.baseAddress!)
            // A non-ASCII title goes through String equality (canonical equivalence), as before.
            guard key.bits < 0x80 else { return fallback(title) }
            let hash = ByteKeyIndex.hash(padding: buffer.baseAddress!, count: key.count)
            if let found = byteIndex.lookup(UnsafeBufferPointer(start: buffer.baseAddress!, count: key.count), hash: hash) {
                return found
            }
            return hasNonASCIIKeys ? fallback(title) : nil
        }
    }

    /// Writes `title[0..<end]` as a key (`TextBytes.headingKey`, for a title without trailing whitespace or colons:
    /// ASCII upper case, whitespace runs as one space, none leading) to `key`, which has room for `end` bytes.
    /// - Returns: the key's length, and bits below 0x80 when the key is ASCII (0x80 set otherwise).
    ///
    /// Eight bytes at a time where the byte loop (`writeKeyBytes`) would copy them upper-cased: no tab, line break,
    /// vertical tab or form feed among them, no two spaces side by side, and no space first when a space is pending
    /// or nothing is written yet. A space last is taken back and left pending, as the byte loop leaves it. Other
    /// words, and the last bytes, go through the byte loop, so the key is the same.
    @inline(__always)
    static func writeKey(_ title: UnsafePointer<UInt8>, _ end: Int, into key: UnsafeMutablePointer<UInt8>)
        -> (count: Int, bits: UInt8)
    {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080, lows = ~highs
        let raw = UnsafeRawPointer(title)
        var state = KeyWriter(key: key)
        var wordBits: UInt64 = 0
        var i = 0
        while i &+ 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let seven = w & lows, ascii = ~w & highs
            // Per byte, a high bit: a space (exact: a zero byte of `w ^ spaces`); 0x09-0x0D; a lower-case letter.
            let x = w ^ (ones &* 0x20)
            let spaces = ~(((x & lows) &+ lows) | x) & highs
            let control = (seven &+ ones &* 0x77) & ~(seven &+ ones &* 0x72) & ascii & highs
            let lower = (seven &+ ones &* 0x1F) & ~(seven &+ ones &* 0x05) & ascii & highs
            let firstBlocked = spaces & 0x80 != 0 && (state.pendingSpace || state.k == key)
            guard control == 0, spaces & (spaces &>> 8) == 0, !firstBlocked else {
                state.write(title, i, i &+ 8)
                i &+= 8
                continue
            }
            if state.pendingSpace {
                state.k.pointee = 0x20
                state.k += 1
            }
            UnsafeMutableRawPointer(state.k).storeBytes(of: w ^ (lower &>> 2), as: UInt64.self)
            state.k += 8
            wordBits |= w & ~(spaces &>> 2)
            // A space last stays pending, as the byte loop leaves it.
            state.pendingSpace = spaces &>> 63 != 0
            if state.pendingSpace { state.k -= 1 }
            i &+= 8
        }
        state.write(title, i, end)
        return (state.k - key, state.bits | (wordBits & highs != 0 ? 0x80 : 0))
    }

    /// The byte loop of `writeKey`: where the key stands, whether a space is pending, and the bytes ORed.
    private struct KeyWriter {
        let key: UnsafeMutablePointer<UInt8>
        var k: UnsafeMutablePointer<UInt8>
        var pendingSpace = false
        var bits: UInt8 = 0

        init(key: UnsafeMutablePointer<UInt8>) {
            self.key = key
            self.k = key
        }

        /// Writes the key of `title[from..<to]` on from where the key stands.
        @inline(__always) mutating func write(_ title: UnsafePointer<UInt8>, _ from: Int, _ to: Int) {
            var p = from
            while p < to {
                let byte = title[p]
                p &+= 1
                if byte == 0x20 || byte &- 0x09 < 5 {
                    pendingSpace = k != key
                    continue
                }
                if pendingSpace {
                    k.pointee = 0x20
                    k += 1
                    pendingSpace = false
                }
                bits |= byte
                k.pointee = byte &- 0x61 < 26 ? byte &- 0x20 : byte
                k += 1
            }
        }
    }

    /// The entry for `title` through a String key (`TextBytes.headingKey`).
    private func fallback(_ title: UnsafeBufferPointer<UInt8>) -> HeadingEntry? { entries[TextBytes.headingKey(title)] }

    /// The entry for a heading key, if the table has one.
    subscript(key: String) -> HeadingEntry? { entries[key] }

    /// Every canonical name of the table.
    var names: Set<String> { Set(entries.values.map(\.name)) }
}

/// Byte-string keys to heading entries: open addressing over word-at-a-time hashes, keys stored end to end with their
/// hashes. A lookup gets a key and its hash (`hash(padding:count:)`) and compares bytes only with keys of
/// the same hash and length; nothing is allocated.
struct ByteKeyIndex: Sendable {
    private var keyBytes: [UInt8] = []
    /// Per key: its start in `keyBytes`, its length (bytes) and its hash.
    private var keys: [(start: Int, count: Int, hash: UInt64)] = []
    /// Per key: its entry.
    private var values: [HeadingEntry] = []
    /// Indices into `keys`, -1 for an empty slot; the count is a power of two, at least twice the keys.
    private var slots: [Int32] = [-1]
    /// The longest key, in bytes: a longer text cannot be a key.
    private var longest = 0

    /// The hash of the `count` bytes at `key`: of its length, its first eight bytes and its last eight (the key
    /// padded with zeros when shorter), so it costs the same for any length and has no loop. Keys that agree there
    /// share a hash and are told apart by `lookup`'s byte comparison. `key` must have room for `count + 8` bytes;
    /// the eight after the key are set to zero.
    @inline(__always) static func hash(padding key: UnsafeMutablePointer<UInt8>, count: Int) -> UInt64 {
        UnsafeMutableRawPointer(key + count).storeBytes(of: 0, as: UInt64.self)
        let raw = UnsafeRawPointer(key)
        let first = raw.loadUnaligned(as: UInt64.self)
        let last = raw.loadUnaligned(fromByteOffset: max(0, count &- 8), as: UInt64.self)
        var h = (first ^ UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ (h &>> 32) ^ last) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h &>> 29)
    }

    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        var padded = bytes + [UInt8](repeating: 0, count: 8)
        return padded.withUnsafeMutableBufferPointer { hash(padding: $0.baseAddress!, count: bytes.count) }
    }

    /// Adds a key (which must not be in the index yet).
    mutating func insert(_ key: [UInt8], _ entry: HeadingEntry) {
        keys.append((keyBytes.count, key.count, Self.hash(key)))
        values.append(entry)
        keyBytes += key
        longest = max(longest, key.count)
        if slots.count < 2 * keys.count { rebuild(capacity: max(16, 4 * keys.count)) } else { place(keys.count - 1) }
    }

    private mutating func rebuild(capacity: Int) {
        var size = 1
        while size < capacity { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        for k in keys.indices { place(k) }
    }

    private mutating func place(_ k: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: keys[k].hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(k)
    }

    /// The entry whose key has exactly these bytes (whose `hash(padding:count:)` is `hash`).
    func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> HeadingEntry? {
        guard key.count <= longest, !keys.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return keyBytes.withUnsafeBufferPointer { stored -> HeadingEntry? in
            while true {
                let k = Int(slots[slot])
                if k < 0 { return nil }
                let candidate = keys[k]
                if candidate.hash == hash, candidate.count == key.count,
                   key.count == 0 || memcmp(stored.baseAddress! + candidate.start, key.baseAddress!, key.count) == 0
                {
                    return values[k]
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
