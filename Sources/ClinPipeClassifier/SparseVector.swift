/// A sparse feature vector: `values[i]` is the value of column `indices[i]`. Indices are ascending and distinct;
/// absent columns are zero.
public struct SparseVector: Sendable, Hashable {
    public var indices: [Int32]
    public var values: [Double]

    public init(indices: [Int32] = [], values: [Double] = []) {
        precondition(indices.count == values.count, "indices and values differ in length")
        self.indices = indices
        self.values = values
    }

    /// Number of stored (non-zero) entries.
    public var count: Int { indices.count }

    /// The dot product with a dense row of weights (`weights.count` > every index).
    @inline(__always) public func dot(_ weights: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for entry in 0..<indices.count { sum += values[entry] * weights[Int(indices[entry])] }
        return sum
    }

    /// The value of `column`, 0 when absent.
    public subscript(column: Int) -> Double {
        var low = 0, high = indices.count
        while low < high {
            let middle = (low + high) / 2
            if Int(indices[middle]) < column { low = middle + 1 } else { high = middle }
        }
        return low < indices.count && Int(indices[low]) == column ? values[low] : 0
    }
}
