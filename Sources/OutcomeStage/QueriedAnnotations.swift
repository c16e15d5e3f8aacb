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
    }

    private let all: [Annotation]
    private var buckets: [Bucket]

    init(_ annotations: [Annotation]) {
        all = annotations
        var grouped = Array(repeating: [Int](), count: Self.types.count)
        for (position, annotation) in annotations.enumerated() {
            if let kind = Self.kind(of: annotation.type) { grouped[kind].append(position) }
        }
        buckets = grouped.map { group in
            func before(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                a.lowerBound != b.lowerBound ? a.lowerBound < b.lowerBound : a.upperBound > b.upperBound
            }
            var members = group
            // Strictly ordered input is what any sort returns; otherwise sort as `AnnotationIndex` does (the same
            // algorithm with the same comparisons gives the same order, ties included).
            if !members.indices.dropFirst().allSatisfy({ before(annotations[members[$0 - 1]].range, annotations[members[$0]].range) }) {
                members.sort { before(annotations[$0].range, annotations[$1].range) }
            }
            let ranges = members.map { annotations[$0].range }
            var maxEnd: [Int] = []
            maxEnd.reserveCapacity(ranges.count)
            var running = Int.min
            for range in ranges {
                running = max(running, range.upperBound)
                maxEnd.append(running)
            }
            return Bucket(members: members, ranges: ranges, maxEnd: maxEnd)
        }
    }

    /// The position of `type` in `types`, or nil.
    private static func kind(of type: String) -> Int? {
        // Length and first byte first: most annotations are of other types.
        guard let first = type.utf8.first, first == UInt8(ascii: "i") || first == UInt8(ascii: "s")
            || first == UInt8(ascii: "f") || first == UInt8(ascii: "d") else { return nil }
        return switch type.utf8.count {
        case 4: type == "date" ? 7 : type == "drug" ? 8 : nil
        case 7: type == "finding" ? 6 : nil
        case 8: type == "sentence" ? 5 : type == "imr.item" ? 0 : nil
        default: types.firstIndex(of: type)
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

    /// Annotations of `type` overlapping `range` (sharing at least one byte, or containing an empty `range`).
    func annotations(ofType type: String, overlapping range: Range<Int>) -> [Annotation] {
        let bucket = bucket(type)
        var result: [Annotation] = []
        var index = lastIndex(in: bucket, startingAtOrBefore: range.lowerBound)
        // Walk back over annotations that start earlier but may still reach into the range.
        while index >= 0, bucket.maxEnd[index] > range.lowerBound { index -= 1 }
        index += 1
        while index < bucket.ranges.count {
            let candidate = bucket.ranges[index]
            if candidate.lowerBound >= max(range.upperBound, range.lowerBound + 1) { break }
            if candidate.upperBound > range.lowerBound || candidate.contains(range.lowerBound) {
                result.append(all[bucket.members[index]])
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
