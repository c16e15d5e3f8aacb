import ClinPipeCore

/// The classifier's uses of the generator (fold assignment, shuffling), deterministic for a given seed.
extension SplitMix64 {
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
