/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seeded random number generator.
///
/// The classifier uses it wherever randomness is needed (fold assignment, shuffling), so that the same seed gives
/// the same sequence on every platform and Swift version (the standard library's generator is not seedable, and
/// `Hasher` is seeded per process).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finalizer: a bijective mix of 64 bits (also used to spread feature hashes).
    @inline(__always) public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (`bound` > 0), by rejection so that it has no modulo bias. Deterministic for
    /// a given state, unlike `Int.random(in:using:)`, whose algorithm the standard library may change.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        let limit = UInt64.max - UInt64.max % range
        while true {
            let value = next()
            if value < limit { return Int(value % range) }
        }
    }

    /// Shuffles `array` in place (Fisher–Yates), deterministically for a given state.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for index in stride(from: array.count - 1, to: 0, by: -1) {
            let other = nextInt(below: index + 1)
            if other != index { array.swapAt(index, other) }
        }
    }
}
