/// The attributes of an annotation or a document: an ordered list of unique keys with typed values.
///
/// Keys keep the order in which they were first set, so output is deterministic without sorting. An empty
/// `Attributes` allocates nothing; lookups are linear, which is faster than hashing for the handful of keys an
/// annotation carries. A lookup compares the keys' UTF-8 lengths before their text, so keys of other lengths cost
/// no string comparison.
public struct Attributes: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    /// One key with its value. A struct rather than a tuple: arrays of it are copied and destroyed by compiled value
    /// witnesses instead of the runtime's generic walk over tuple elements (every annotation's attributes are
    /// destroyed once per document).
    @usableFromInline struct Entry: Sendable {
        @usableFromInline var key: String
        @usableFromInline var value: AttributeValue
        @usableFromInline init(key: String, value: AttributeValue) {
            self.key = key
            self.value = value
        }
    }

    /// The pairs in order.
    @usableFromInline private(set) var entries: [Entry] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        if elements.isEmpty { return }  // `[:]`: the empty array, without asking it for room
        entries.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    public init(_ pairs: [(String, AttributeValue)]) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// The pairs in order, as tuples (a new array; iterate `self` or use `forEachPair` to read them in place).
    public var pairs: [(key: String, value: AttributeValue)] { entries.map { ($0.key, $0.value) } }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var keys: [String] { entries.map(\.key) }

    /// The index of `key` in `entries`, if set.
    @inline(__always) private func index(of key: String) -> Int? {
        let length = key.utf8.count
        return entries.withUnsafeBufferPointer { entries in
            for index in entries.indices where entries[index].key.utf8.count == length && entries[index].key == key {
                return index
            }
            return nil
        }
    }

    /// The value for `key`; setting `nil` removes the key.
    public subscript(key: String) -> AttributeValue? {
        get { index(of: key).map { entries[$0].value } }
        set {
            if let index = index(of: key) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                // Room for a few more at once: stages add attributes one by one (ConText adds five to every
                // target), and growing one slot at a time reallocates at 1, 2 and 4.
                if entries.count == entries.capacity { entries.reserveCapacity(Swift.max(8, entries.count * 2)) }
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Adds `key`, which must not be set yet, with `value` after the others: what `self[key] = value` does for a new
    /// key, without looking for it first (for code that builds attributes from distinct keys; checked in debug
    /// builds).
    public mutating func appendNew(_ key: String, _ value: AttributeValue) {
        assert(self[key] == nil, "attribute '\(key)' is already set")
        entries.append(Entry(key: key, value: value))
    }

    /// Makes room for `count` pairs in all, so that adding up to that many allocates once.
    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    /// Calls `body` with each key and value in order, read in place (no copy of the pairs, no retain of each).
    @inlinable public func forEachPair(_ body: (_ index: Int, _ key: String, _ value: AttributeValue) throws -> Void) rethrows {
        try entries.withUnsafeBufferPointer { entries in
            for index in entries.indices { try body(index, entries[index].key, entries[index].value) }
        }
    }

    /// Iterates the pairs in order.
    public struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Entry]>
        public mutating func next() -> (key: String, value: AttributeValue)? {
            base.next().map { ($0.key, $0.value) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: entries.makeIterator()) }

    public var underestimatedCount: Int { entries.count }

    public static func == (lhs: Attributes, rhs: Attributes) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (l, r) in zip(lhs.entries, rhs.entries) where l.key != r.key || l.value != r.value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}
