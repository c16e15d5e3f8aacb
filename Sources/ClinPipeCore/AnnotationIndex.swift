/// Range queries over a document's annotations: "annotations of type T inside R" and "the annotation of type T
/// covering R" (the sentence or section around a match). Ranges are UTF-8 bytes of the original text.
///
/// The index is a snapshot: build it with `Document.makeIndex()` after the stages whose annotations you query.
public struct AnnotationIndex: Sendable {
    private struct Bucket: Sendable {
        /// Sorted by `range.lowerBound`, then by longer first.
        var annotations: [Annotation]
        /// `maxEnd[i]` is the largest `range.upperBound` among `annotations[0...i]`.
        var maxEnd: [Int]
    }

    private var buckets: [String: Bucket] = [:]

    public init(_ annotations: [Annotation]) {
        var grouped: [String: [Annotation]] = [:]
        for annotation in annotations { grouped[annotation.type, default: []].append(annotation) }
        for (type, group) in grouped {
            let sorted = group.sorted {
                $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound
                    : $0.range.upperBound > $1.range.upperBound
            }
            var maxEnd: [Int] = []
            maxEnd.reserveCapacity(sorted.count)
            var running = Int.min
            for annotation in sorted {
                running = max(running, annotation.range.upperBound)
                maxEnd.append(running)
            }
            buckets[type] = Bucket(annotations: sorted, maxEnd: maxEnd)
        }
    }

    /// All annotations of `type`, sorted by start.
    public func annotations(ofType type: String) -> [Annotation] { buckets[type]?.annotations ?? [] }

    /// Annotations of `type` lying entirely inside `range`, sorted by start.
    public func annotations(ofType type: String, inside range: Range<Int>) -> [Annotation] {
        guard let bucket = buckets[type] else { return [] }
        var result: [Annotation] = []
        var index = firstIndex(in: bucket, startingAtOrAfter: range.lowerBound)
        while index < bucket.annotations.count, bucket.annotations[index].range.lowerBound <= range.upperBound {
            let annotation = bucket.annotations[index]
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
        while index < bucket.annotations.count {
            let annotation = bucket.annotations[index]
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
        var best: Annotation?
        while index >= 0, bucket.maxEnd[index] >= range.upperBound {
            let candidate = bucket.annotations[index]
            if candidate.range.upperBound >= range.upperBound {
                if best == nil || candidate.range.count < best!.range.count { best = candidate }
            }
            index -= 1
        }
        return best
    }

    private func firstIndex(in bucket: Bucket, startingAtOrAfter position: Int) -> Int {
        var low = 0, high = bucket.annotations.count
        while low < high {
            let mid = (low + high) / 2
            if bucket.annotations[mid].range.lowerBound < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func lastIndex(in bucket: Bucket, startingAtOrBefore position: Int) -> Int {
        var low = 0, high = bucket.annotations.count
        while low < high {
            let mid = (low + high) / 2
            if bucket.annotations[mid].range.lowerBound <= position { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }
}
