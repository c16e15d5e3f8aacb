import ClinPipeCore

/// The annotations the `outcome` stage queries, by type, with the queries of `AnnotationIndex` and the same
/// results (each type sorted by start, longer first, exactly as `AnnotationIndex` sorts it).
///
/// Building an `AnnotationIndex` hashes every annotation's type into a dictionary and copies every annotation;
/// this index compares each type with the few it keeps, sorts positions in the document's annotation array rather
/// than annotations, and skips sorting a type whose annotations already come in strict order.
struct QueriedAnnotations {
    /// The types kept (others are dropped).
    static let types = ["imr.item", "imr.item.line", "imr.item.claims_guideline", "imr.item.maximus_guideline",
                        "imr.item.rationale", "sentence", "finding", "date", "drug"]

    private struct Bucket {
        /// Positions in `all`, sorted by start, then longer first.
        var members: [Int] = []
        /// The annotations' ranges, in `members` order.
        var ranges: [Range<Int>] = []
        /// `maxEnd[i]` is the largest `upperBound` among `ranges[0...i]`.
        var maxEnd: [Int] = []

        /// Sorts `members` (in document order) and `ranges` as `AnnotationIndex` sorts, and fills `maxEnd`.
        mutating func order(_ annotations: [Annotation]) {
            func before(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                a.lowerBound != b.lowerBound ? a.lowerBound < b.lowerBound : a.upperBound > b.upperBound
            }
            // Strictly ordered input is what any sort returns; otherwise sort as `AnnotationIndex` does (the same
            // algorithm with the same comparisons gives the same order, ties included).
            if !ranges.indices.dropFirst().allSatisfy({ before(ranges[$0 - 1], ranges[$0]) }) {
                members.sort { before(annotations[$0].range, annotations[$1].range) }
                ranges = members.map { annotations[$0].range }
            }
            maxEnd.reserveCapacity(ranges.count)
            var running = Int.min
            for range in ranges {
                running = max(running, range.upperBound)
                maxEnd.append(running)
            }
        }
    }

    private let all: [Annotation]
    private let buckets: [Bucket]

    init(_ annotations: [Annotation]) {
        all = annotations
        // Classify once, count, then fill buckets of the right size.
        var kinds = [UInt8](repeating: UInt8.max, count: annotations.count)
        var counts = [Int](repeating: 0, count: Self.types.count)
        for (position, annotation) in annotations.enumerated() {
            guard let kind = Self.kind(of: annotation.type) else { continue }
            kinds[position] = UInt8(kind)
            counts[kind] += 1
        }
        var buckets = counts.map { count in
            var bucket = Bucket()
            bucket.members.reserveCapacity(count)
            bucket.ranges.reserveCapacity(count)
            return bucket
        }
        for (position, kind) in kinds.enumerated() where kind != UInt8.max {
            buckets[Int(kind)].members.append(position)
            buckets[Int(kind)].ranges.append(annotations[position].range)
        }
        for kind in buckets.indices where !buckets[kind].members.isEmpty {
            buckets[kind].order(annotations)
        }
        self.buckets = buckets
    }

    /// The position of `type` in `types`, or nil.
    private static func kind(of type: String) -> Int? {
        // Length first, then the one or two kept types of that length: most annotations are of other types, and
        // a string comparison that fails costs a call.
        switch type.utf8.count {
        case 4: return type == "date" ? 7 : type == "drug" ? 8 : nil
        case 7: return type == "finding" ? 6 : nil
        case 8: return type == "sentence" ? 5 : type == "imr.item" ? 0 : nil
        case 13: return type == "imr.item.line" ? 1 : nil
        case 18: return type == "imr.item.rationale" ? 4 : nil
        case 25: return type == "imr.item.claims_guideline" ? 2 : nil
        case 26: return type == "imr.item.maximus_guideline" ? 3 : nil
        default: return nil
        }
    }

    private func bucket(_ type: String) -> Bucket {
        guard let kind = Self.kind(of: type) else { preconditionFailure("QueriedAnnotations does not keep type \(type)") }
        return buckets[kind]
    }

    /// All annotations of `type`, sorted by start.
    func annotations(ofType type: String) -> [Annotation] { bucket(type).members.map { all[$0] } }

    /// Annotations of `type` lying entirely inside `range`, sorted by start.
    func annotations(ofType type: String, inside range: Range<Int>) -> [Annotation] {
        let bucket = bucket(type)
        var result: [Annotation] = []
        var index = firstIndex(in: bucket, startingAtOrAfter: range.lowerBound)
        while index < bucket.ranges.count, bucket.ranges[index].lowerBound <= range.upperBound {
            if bucket.ranges[index].upperBound <= range.upperBound { result.append(all[bucket.members[index]]) }
            index += 1
        }
        return result
    }

    /// The first annotation (by start) of `type` lying entirely inside `range` for which `condition` holds, without
    /// building the array `annotations(ofType:inside:)` returns.
    func first(ofType type: String, inside range: Range<Int>, where condition: (Annotation) -> Bool = { _ in true }) -> Annotation? {
        let bucket = bucket(type)
        var index = firstIndex(in: bucket, startingAtOrAfter: range.lowerBound)
        while index < bucket.ranges.count, bucket.ranges[index].lowerBound <= range.upperBound {
            if bucket.ranges[index].upperBound <= range.upperBound, condition(all[bucket.members[index]]) {
                return all[bucket.members[index]]
            }
            index += 1
        }
        return nil
    }

    /// Annotations of `type` overlapping `range` (sharing at least one byte, or containing an empty `range`).
    func annotations(ofType type: String, overlapping range: Range<Int>) -> [Annotation] {
        let bucket = bucket(type)
        return overlapping(bucket, range).map { all[bucket.members[$0]] }
    }

    /// The ranges of `annotations(ofType: type, overlapping: range)`, in the same order, without copying annotations.
    func ranges(ofType type: String, overlapping range: Range<Int>) -> [Range<Int>] {
        let bucket = bucket(type)
        return overlapping(bucket, range).map { bucket.ranges[$0] }
    }

    /// The positions in `bucket` of its annotations overlapping `range`, in order.
    private func overlapping(_ bucket: Bucket, _ range: Range<Int>) -> [Int] {
        var result: [Int] = []
        var index = lastIndex(in: bucket, startingAtOrBefore: range.lowerBound)
        // Walk back over annotations that start earlier but may still reach into the range.
        while index >= 0, bucket.maxEnd[index] > range.lowerBound { index -= 1 }
        index += 1
        while index < bucket.ranges.count {
            let candidate = bucket.ranges[index]
            if candidate.lowerBound >= max(range.upperBound, range.lowerBound + 1) { break }
            if candidate.upperBound > range.lowerBound || candidate.contains(range.lowerBound) {
                result.append(index)
            }
            index += 1
        }
        return result
    }

    private func firstIndex(in bucket: Bucket, startingAtOrAfter position: Int) -> Int {
        var low = 0, high = bucket.ranges.count
        while low < high {
            let mid = (low + high) / 2
            if bucket.ranges[mid].lowerBound < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func lastIndex(in bucket: Bucket, startingAtOrBefore position: Int) -> Int {
        var low = 0, high = bucket.ranges.count
        while low < high {
            let mid = (low + high) / 2
            if bucket.ranges[mid].lowerBound <= position { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }
}
