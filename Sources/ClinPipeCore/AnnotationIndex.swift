/// Range queries over a document's annotations: "annotations of type T inside R" and "the annotation of type T
/// covering R" (the sentence or section around a match). Ranges are UTF-8 bytes of the original text.
///
/// The index is a snapshot: build it with `Document.makeIndex()` after the stages whose annotations you query. It
/// shares the document's annotation array (no copy) and keeps, per type, positions into it. While an index (or
/// any other copy of `document.annotations`) is alive, the first `addAnnotation` copies the whole array: read
/// what you need, drop the index, then add.
public struct AnnotationIndex: Sendable {
    private struct Bucket: Sendable {
        /// Positions in `all`, sorted by `range.lowerBound`, then longer first (then in creation order).
        var positions: [Int32]
        /// `lowerBounds[i]` is the start of `all[positions[i]]` (for the binary searches).
        var lowerBounds: [Int]
        /// `maxEnd[i]` is the largest `range.upperBound` among the first `i + 1` annotations of the bucket.
        var maxEnd: [Int]
    }

    private let all: [Annotation]
    private var buckets: [String: Bucket] = [:]

    public init(_ annotations: [Annotation]) {
        all = annotations
        // Group positions by type; stages add runs of one type, so the type of the previous annotation is tried
        // before the dictionary.
        var groups: [[Int32]] = []
        var groupOfType: [String: Int] = [:]
        var lastType: String?
        var lastGroup = -1
        for (position, annotation) in annotations.enumerated() {
            if annotation.type != lastType {
                if let group = groupOfType[annotation.type] {
                    lastGroup = group
                } else {
                    lastGroup = groups.count
                    groupOfType[annotation.type] = lastGroup
                    groups.append([])
                }
                lastType = annotation.type
            }
            groups[lastGroup].append(Int32(position))
        }
        for (type, group) in groupOfType {
            var positions = groups[group]
            func precedes(_ a: Int32, _ b: Int32) -> Bool {
                let x = annotations[Int(a)].range, y = annotations[Int(b)].range
                if x.lowerBound != y.lowerBound { return x.lowerBound < y.lowerBound }
                if x.upperBound != y.upperBound { return x.upperBound > y.upperBound }
                return a < b
            }
            // Annotations usually arrive in order; sort only when they did not.
            var ordered = true
            for index in positions.indices.dropFirst() where !precedes(positions[index - 1], positions[index]) {
                ordered = false
                break
            }
            if !ordered { positions.sort(by: precedes) }
            var lowerBounds: [Int] = []
            var maxEnd: [Int] = []
            lowerBounds.reserveCapacity(positions.count)
            maxEnd.reserveCapacity(positions.count)
            var running = Int.min
            for position in positions {
                let range = annotations[Int(position)].range
                lowerBounds.append(range.lowerBound)
                running = max(running, range.upperBound)
                maxEnd.append(running)
            }
            buckets[type] = Bucket(positions: positions, lowerBounds: lowerBounds, maxEnd: maxEnd)
        }
    }

    /// All annotations of `type`, sorted by start.
    public func annotations(ofType type: String) -> [Annotation] {
        guard let bucket = buckets[type] else { return [] }
        return bucket.positions.map { all[Int($0)] }
    }

    /// Annotations of `type` lying entirely inside `range`, sorted by start.
    public func annotations(ofType type: String, inside range: Range<Int>) -> [Annotation] {
        guard let bucket = buckets[type] else { return [] }
        var result: [Annotation] = []
        var index = firstIndex(in: bucket, startingAtOrAfter: range.lowerBound)
        while index < bucket.positions.count, bucket.lowerBounds[index] <= range.upperBound {
            let annotation = all[Int(bucket.positions[index])]
            if annotation.range.upperBound <= range.upperBound { result.append(annotation) }
            index += 1
        }
        return result
    }

    /// Annotations of `type` overlapping `range` (sharing at least one byte, or containing an empty `range`).
    public func annotations(ofType type: String, overlapping range: Range<Int>) -> [Annotation] {
        guard let bucket = buckets[type] else { return [] }
        var result: [Annotation] = []
        var index = lastIndex(in: bucket, startingAtOrBefore: range.lowerBound)
        // Walk back over annotations that start earlier but may still reach into the range.
        while index >= 0, bucket.maxEnd[index] > range.lowerBound { index -= 1 }
        index += 1
        while index < bucket.positions.count {
            let annotation = all[Int(bucket.positions[index])]
            if annotation.range.lowerBound >= max(range.upperBound, range.lowerBound + 1) { break }
            if annotation.range.upperBound > range.lowerBound || annotation.range.contains(range.lowerBound) {
                result.append(annotation)
            }
            index += 1
        }
        return result
    }

    /// The innermost annotation of `type` that contains all of `range`, or nil.
    public func covering(_ range: Range<Int>, ofType type: String) -> Annotation? {
        guard let bucket = buckets[type] else { return nil }
        var index = lastIndex(in: bucket, startingAtOrBefore: range.lowerBound)
        var best: Int?
        while index >= 0, bucket.maxEnd[index] >= range.upperBound {
            let position = Int(bucket.positions[index])
            let candidate = all[position].range
            if candidate.upperBound >= range.upperBound {
                if best == nil || candidate.count < all[best!].range.count { best = position }
            }
            index -= 1
        }
        return best.map { all[$0] }
    }

    private func firstIndex(in bucket: Bucket, startingAtOrAfter position: Int) -> Int {
        var low = 0, high = bucket.lowerBounds.count
        while low < high {
            let mid = (low + high) / 2
            if bucket.lowerBounds[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func lastIndex(in bucket: Bucket, startingAtOrBefore position: Int) -> Int {
        var low = 0, high = bucket.lowerBounds.count
        while low < high {
            let mid = (low + high) / 2
            if bucket.lowerBounds[mid] <= position { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }
}
