import ClinPipeCore

/// The generator's sampling helpers for the corpus generator. They are used instead of the standard library's
/// `random(in:using:)`, whose algorithm is not promised to stay the same across Swift releases, so that a corpus
/// depends only on its seed.
extension SplitMix64 {
    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject method). `bound` must be positive.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let bound64 = UInt64(bound)
        var product = next().multipliedFullWidth(by: bound64)
        if product.low < bound64 {
            let threshold = (0 &- bound64) % bound64
            while product.low < threshold { product = next().multipliedFullWidth(by: bound64) }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `probability` (0...1).
    public mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < probability
    }

    /// A uniformly chosen element of a non-empty collection.
    public mutating func pick<C: RandomAccessCollection>(_ elements: C) -> C.Element where C.Index == Int {
        elements[elements.startIndex + below(elements.count)]
    }

    /// An index chosen with the given relative weights (non-negative, not all zero).
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = Double(next() >> 11) * 0x1.0p-53 * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.count - 1
    }

    /// `count` distinct elements in random order (a partial Fisher-Yates shuffle of the indices).
    public mutating func sample<T>(_ elements: [T], count: Int) -> [T] {
        var indices = Array(elements.indices)
        let wanted = min(count, indices.count)
        for position in 0..<wanted {
            let other = position + below(indices.count - position)
            indices.swapAt(position, other)
        }
        return indices.prefix(wanted).map { elements[$0] }
    }
}
