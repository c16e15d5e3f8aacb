/// The attributes of an annotation or a document: an ordered list of unique keys with typed values.
///
/// Keys keep the order in which they were first set, so output is deterministic without sorting. An empty
/// `Attributes` allocates nothing; lookups are linear, which is faster than hashing for the handful of keys an
/// annotation carries.
public struct Attributes: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var pairs: [(key: String, value: AttributeValue)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        pairs.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    public init(_ pairs: [(String, AttributeValue)]) {
        self.pairs.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public var isEmpty: Bool { pairs.isEmpty }
    public var count: Int { pairs.count }
    public var keys: [String] { pairs.map(\.key) }

    /// The value for `key`; setting `nil` removes the key.
    public subscript(key: String) -> AttributeValue? {
        get {
            for pair in pairs where pair.key == key { return pair.value }
            return nil
        }
        set {
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[index].value = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                // Room for a few more at once: stages add attributes one by one (ConText adds five to every
                // target), and growing one slot at a time reallocates at 1, 2 and 4.
                if pairs.count == pairs.capacity { pairs.reserveCapacity(Swift.max(8, pairs.count * 2)) }
                pairs.append((key, newValue))
            }
        }
    }

    /// Adds `key`, which must not be set yet, with `value` after the others: what `self[key] = value` does for a new
    /// key, without looking for it first (for code that builds attributes from distinct keys; checked in debug
    /// builds).
    public mutating func appendNew(_ key: String, _ value: AttributeValue) {
        assert(self[key] == nil, "attribute '\(key)' is already set")
        pairs.append((key, value))
    }

    /// Makes room for `count` pairs in all, so that adding up to that many allocates once.
    public mutating func reserveCapacity(_ count: Int) { pairs.reserveCapacity(count) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: AttributeValue)]> {
        pairs.makeIterator()
    }

    public static func == (lhs: Attributes, rhs: Attributes) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        for (l, r) in zip(lhs.pairs, rhs.pairs) where l.key != r.key || l.value != r.value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pairs.count)
        for pair in pairs {
            hasher.combine(pair.key)
            hasher.combine(pair.value)
        }
    }
}
