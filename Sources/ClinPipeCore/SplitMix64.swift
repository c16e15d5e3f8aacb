/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seeded pseudo-random generator, so that everything random
/// in the project (generated corpora, cross-validation folds, property tests) depends only on its seed and gives the
/// same sequence on every platform and every Swift version. (The standard library's generator cannot be seeded, and
/// its `random(in:using:)` algorithms are not promised to stay the same across releases: the modules that draw
/// bounded numbers add their own helpers in extensions.)
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for item `index` of a stream seeded with `seed`: items are independent of each other, so item 17
    /// of seed 42 is the same whether 20 or 200,000 items are drawn.
    public init(seed: UInt64, stream index: UInt64) {
        var mixer = SplitMix64(seed: seed ^ 0x6A09_E667_F3BC_C909)
        let base = mixer.next()
        state = base &+ index &* 0x9E37_79B9_7F4A_7C15
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finalizer: a bijective mix of 64 bits (also used to spread hashes).
    @inline(__always) public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
