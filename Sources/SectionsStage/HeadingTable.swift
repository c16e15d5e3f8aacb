import ClinPipeText
#if canImport(Glibc)
import Glibc
#endif

/// What the heading table says about one heading.
struct HeadingEntry: Sendable, Hashable {
    /// The canonical section name (`history_of_present_illness`, `imr_issues_decisions`).
    var name: String
    /// 1 for a top-level section, larger for parts of one.
    var level: Int
    /// A template heading (the IMR letter's): its section ends only at another closed heading of the same or a
    /// higher level, and every other heading inside becomes a subsection.
    var closed: Bool
    /// `file:line` of the row, for provenance.
    var source: String
}

/// The heading table (`Rules/headings.tsv` plus the user's files): heading variants, as upper-case keys with single
/// spaces and no trailing colon (`TextBytes.headingKey`), to their canonical names. A later row for the same key
/// replaces an earlier one, so a user file can remap a built-in heading.
struct HeadingTable: Sendable {
    private(set) var entries: [String: HeadingEntry] = [:]
    /// The ASCII keys of `entries` again, for lookups straight from layer bytes (`entry(forTitle:)`).
    private var byteIndex = ByteKeyIndex()
    /// Whether some key has a non-ASCII character: then an ASCII title the byte index lacks may still equal such a
    /// key under String's canonical equivalence (a KELVIN SIGN key equals `K`), and the lookup asks `entries`.
    private var hasNonASCIIKeys = false

    static let columns = ["heading", "name"]

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
                    entries[key] = HeadingEntry(name: name, level: level, closed: closed, source: "\(table.name):\(row.line)")
                } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        var index = ByteKeyIndex()
        for (key, entry) in entries {
            if key.utf8.allSatisfy({ $0 < 0x80 }) { index.insert(Array(key.utf8), entry) } else { hasNonASCIIKeys = true }
        }
        byteIndex = index
    }

    /// The entry for a heading as written in `title` (UTF-8 bytes, any case and spacing, maybe a trailing colon):
    /// the same as `self[TextBytes.headingKey(title)]`, without making a String for ASCII titles.
    func entry(forTitle title: UnsafeBufferPointer<UInt8>) -> HeadingEntry? {
        // The key is at most as long as the title; keep it on the stack.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(title.count, 1)) { buffer -> HeadingEntry? in
            var count = 0
            var pendingSpace = false
            var ascii = true
            for byte in title {
                if ByteClass.isSpace(byte) {
                    pendingSpace = count != 0
                } else {
                    if pendingSpace { buffer[count] = 0x20; count += 1 }
                    pendingSpace = false
                    if byte >= 0x80 { ascii = false }
                    buffer[count] = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
                    count += 1
                }
            }
            while count > 0, buffer[count - 1] == 0x3A || buffer[count - 1] == 0x20 { count -= 1 }
            let key = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(buffer)[0..<count])
            // A non-ASCII title goes through String equality (canonical equivalence), as before.
            if !ascii { return entries[String(decoding: key, as: UTF8.self)] }
            if let found = byteIndex.lookup(key) { return found }
            return hasNonASCIIKeys ? entries[String(decoding: key, as: UTF8.self)] : nil
        }
    }

    /// The entry for a heading key, if the table has one.
    subscript(key: String) -> HeadingEntry? { entries[key] }

    /// Every canonical name of the table.
    var names: Set<String> { Set(entries.values.map(\.name)) }
}

/// Byte-string keys to heading entries: open addressing over FNV-1a hashes, keys stored end to end. Lookups hash
/// the bytes they are given and compare bytes; nothing is allocated.
struct ByteKeyIndex: Sendable {
    private var keyBytes: [UInt8] = []
    /// Per key: its start in `keyBytes` and its length (bytes).
    private var keys: [(start: Int, count: Int)] = []
    /// Per key: its entry.
    private var values: [HeadingEntry] = []
    /// Indices into `keys`, -1 for an empty slot; the count is a power of two, at least twice the keys.
    private var slots: [Int32] = [-1]
    /// The longest key, in bytes: a longer text cannot be a key.
    private var longest = 0

    @inline(__always) private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Adds a key (which must not be in the index yet).
    mutating func insert(_ key: [UInt8], _ entry: HeadingEntry) {
        keys.append((keyBytes.count, key.count))
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
        let (start, count) = keys[k]
        let mask = slots.count - 1
        var slot = keyBytes.withUnsafeBufferPointer { Int(truncatingIfNeeded: Self.hash(UnsafeBufferPointer(rebasing: $0[start..<start + count]))) & mask }
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(k)
    }

    /// The entry whose key has exactly these bytes.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> HeadingEntry? {
        guard key.count <= longest, !keys.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        return keyBytes.withUnsafeBufferPointer { stored -> HeadingEntry? in
            while true {
                let k = Int(slots[slot])
                if k < 0 { return nil }
                let candidate = keys[k]
                if candidate.count == key.count,
                   key.count == 0 || memcmp(stored.baseAddress! + candidate.start, key.baseAddress!, key.count) == 0
                {
                    return values[k]
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
