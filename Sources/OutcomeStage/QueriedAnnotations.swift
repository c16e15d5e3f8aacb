import ClinPipeCore

/// The annotations the `outcome` stage queries, by type, with the queries of `AnnotationIndex` and the same
/// results (each type sorted by start, longer first, exactly as `AnnotationIndex` sorts it).
///
/// Building an `AnnotationIndex` hashes every annotation's type into a dictionary and copies every annotation;
/// this index compares each type with the few it keeps, sorts positions in the document's annotation array rather
/// than annotations, and skips sorting a type whose annotations already come in strict order. All types share
/// three flat arrays (grouped by type), so building it allocates a handful of arrays whatever the number of types.
struct QueriedAnnotations {
    /// The types kept (others are dropped).
    static let types = ["imr.item", "imr.item.line", "imr.item.claims_guideline", "imr.item.maximus_guideline",
                        "imr.item.rationale", "sentence", "finding", "date", "drug"]

    /// The document's annotations; a position is an index of this array.
    let all: [Annotation]
    /// Positions in `all` of the kept annotations, grouped by type (in `types` order); each group sorted by start,
    /// then longer first.
    private let members: [Int]
    /// The annotations' ranges, in `members` order.
    private let ranges: [Range<Int>]
    /// `maxEnd[i]` is the largest `upperBound` among the ranges of `i`'s group up to and including `i`.
    private let maxEnd: [Int]
    /// The group of `types[k]` is `groupStart[k]..<groupStart[k + 1]` (indices of `members`).
    private let groupStart: [Int]

    init(_ annotations: [Annotation]) {
        all = annotations
        let typeCount = Self.types.count
        // Classify once and count (a counting sort by type, keeping document order within a type). The kinds and the
        // running group ends live in scratch memory (on the stack for most documents): no array is allocated for
        // them, nor checked for uniqueness per annotation. Annotations not kept are counted and placed like the others,
        // in a group of their own past the kept ones whose places are never read: no branch per annotation on whether
        // it is kept (the types of successive annotations vary too much to predict it).
        var groupStart = [Int](repeating: 0, count: typeCount + 1)
        var members: [Int] = []
        var ranges: [Range<Int>] = []
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: annotations.count) { kinds in
            annotations.withUnsafeBufferPointer { annotations in
                groupStart.withUnsafeMutableBufferPointer { counts in
                    // The number of annotations of each kind (`unkept` included), at the kind's number + 1.
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: typeCount + 2) { tally in
                        tally.initialize(repeating: 0)
                        for position in annotations.indices {
                            let kind = Self.kindNumber(of: annotations[position].type)
                            kinds[position] = kind
                            tally[Int(kind) &+ 1] &+= 1
                        }
                        for kind in 0..<typeCount { counts[kind + 1] = counts[kind] + tally[kind + 1] }
                    }
                    let total = counts[typeCount]
                    members = [Int](unsafeUninitializedCapacity: total + 1) { buffer, initialized in
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: typeCount + 1) { next in
                            for kind in 0..<typeCount { next[kind] = counts[kind] }
                            // Every annotation not kept goes to the one place past the kept ones.
                            next[typeCount] = total
                            for position in annotations.indices {
                                let kind = Int(kinds[position])
                                buffer[next[kind]] = position
                                next[kind] &+= kind == typeCount ? 0 : 1
                            }
                        }
                        initialized = total
                    }
                    ranges = [Range<Int>](unsafeUninitializedCapacity: total) { buffer, initialized in
                        members.withUnsafeBufferPointer { members in
                            for index in members.indices { buffer[index] = annotations[members[index]].range }
                        }
                        initialized = total
                    }
                }
            }
        }
        let total = groupStart[typeCount]
        func before(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            a.lowerBound != b.lowerBound ? a.lowerBound < b.lowerBound : a.upperBound > b.upperBound
        }
        for kind in 0..<typeCount {
            let group = groupStart[kind]..<groupStart[kind + 1]
            // Strictly ordered input is what any sort returns; otherwise sort as `AnnotationIndex` does (the same
            // algorithm with the same comparisons gives the same order, ties included).
            guard !group.dropFirst().allSatisfy({ before(ranges[$0 - 1], ranges[$0]) }) else { continue }
            var sorted = Array(members[group])
            sorted.sort { before(annotations[$0].range, annotations[$1].range) }
            members.replaceSubrange(group, with: sorted)
            for index in group { ranges[index] = annotations[members[index]].range }
        }
        maxEnd = [Int](unsafeUninitializedCapacity: total) { buffer, initialized in
            ranges.withUnsafeBufferPointer { ranges in
                for kind in 0..<typeCount {
                    var running = Int.min
                    for index in groupStart[kind]..<groupStart[kind + 1] {
                        running = max(running, ranges[index].upperBound)
                        buffer[index] = running
                    }
                }
            }
            initialized = total
        }
        self.members = members
        self.ranges = ranges
        self.groupStart = groupStart
    }

    /// `kindNumber` of a type that is not kept: the number of kept types (a literal, which the classification loop
    /// folds in; the tests check it).
    static let unkept = UInt8(9)

    /// The position of `type` in `types`, or `unkept`: by length first, then the one or two kept types of that
    /// length (most annotations are of other types, and a string comparison that fails costs a call). Tests rather
    /// than a `switch`, whose jump table is an indirect branch that mispredicts as the types vary.
    @inline(__always)
    private static func kindNumber(of type: String) -> UInt8 {
        let length = type.utf8.count
        if length == 8 { return type == "sentence" ? 5 : type == "imr.item" ? 0 : unkept }
        if length < 8 {
            if length == 7 { return type == "finding" ? 6 : unkept }
            if length == 4 { return type == "date" ? 7 : type == "drug" ? 8 : unkept }
            return unkept
        }
        if length == 13 { return type == "imr.item.line" ? 1 : unkept }
        if length == 18 { return type == "imr.item.rationale" ? 4 : unkept }
        if length == 25 { return type == "imr.item.claims_guideline" ? 2 : unkept }
        if length == 26 { return type == "imr.item.maximus_guideline" ? 3 : unkept }
        return unkept
    }

    /// The position of `type` in `types`, or nil.
    private static func kind(of type: String) -> Int? {
        let number = kindNumber(of: type)
        return number == unkept ? nil : Int(number)
    }

    /// A kept type, numbered by its place in `types`: the stage's queries name their type by kind, which spares
    /// classifying the type's string at every query (the tests check the names).
    enum Kind: Int, CaseIterable {
        case item, line, claimsGuideline, maximusGuideline, rationale, sentence, finding, date, drug

        /// The annotation type.
        var type: String { QueriedAnnotations.types[rawValue] }
    }

    /// The indices in `members` of the annotations of `kind`.
    private func group(_ kind: Kind) -> Range<Int> { groupStart[kind.rawValue]..<groupStart[kind.rawValue + 1] }

    /// The indices in `members` of the annotations of `type`.
    private func group(_ type: String) -> Range<Int> {
        guard let kind = Self.kind(of: type) else { preconditionFailure("QueriedAnnotations does not keep type \(type)") }
        return groupStart[kind]..<groupStart[kind + 1]
    }

    /// All annotations of `type`, sorted by start.
    func annotations(ofType type: String) -> [Annotation] { members[group(type)].map { all[$0] } }

    /// Annotations of `type` lying entirely inside `range`, sorted by start.
    func annotations(ofType type: String, inside range: Range<Int>) -> [Annotation] {
        let group = group(type)
        var result: [Annotation] = []
        var index = firstIndex(in: group, startingAtOrAfter: range.lowerBound)
        while index < group.upperBound, ranges[index].lowerBound <= range.upperBound {
            if ranges[index].upperBound <= range.upperBound { result.append(all[members[index]]) }
            index += 1
        }
        return result
    }

    /// The positions in `all` of the annotations of `type`, sorted by start.
    func positions(ofType type: String) -> ArraySlice<Int> { members[group(type)] }

    /// The positions in `all` of the annotations of `kind`, sorted by start.
    func positions(of kind: Kind) -> ArraySlice<Int> { members[group(kind)] }

    /// The positions in `all` of the annotations of `type` lying entirely inside `range`, sorted by start, until
    /// `body` returns false. Copies no annotation.
    func forEachPosition(ofType type: String, inside range: Range<Int>, _ body: (Int) throws -> Bool) rethrows {
        try forEachPosition(in: group(type), inside: range, body)
    }

    /// `forEachPosition(ofType:inside:_:)` for the type of `kind`.
    func forEachPosition(of kind: Kind, inside range: Range<Int>, _ body: (Int) throws -> Bool) rethrows {
        try forEachPosition(in: group(kind), inside: range, body)
    }

    /// The positions in `all` of the annotations of `group` (indices of `members`) lying entirely inside `range`.
    private func forEachPosition(in group: Range<Int>, inside range: Range<Int>, _ body: (Int) throws -> Bool) rethrows {
        var index = firstIndex(in: group, startingAtOrAfter: range.lowerBound)
        while index < group.upperBound, ranges[index].lowerBound <= range.upperBound {
            if ranges[index].upperBound <= range.upperBound { guard try body(members[index]) else { return } }
            index += 1
        }
    }

    /// The position in `all` of the first annotation (by start) of `type` lying entirely inside `range` for which
    /// `condition` (given a position) holds.
    func firstPosition(ofType type: String, inside range: Range<Int>, where condition: (Int) -> Bool = { _ in true }) -> Int? {
        firstPosition(in: group(type), inside: range, where: condition)
    }

    /// `firstPosition(ofType:inside:where:)` for the type of `kind`.
    func firstPosition(of kind: Kind, inside range: Range<Int>, where condition: (Int) -> Bool = { _ in true }) -> Int? {
        firstPosition(in: group(kind), inside: range, where: condition)
    }

    private func firstPosition(in group: Range<Int>, inside range: Range<Int>, where condition: (Int) -> Bool) -> Int? {
        var found: Int?
        forEachPosition(in: group, inside: range) { position in
            if condition(position) { found = position }
            return found == nil
        }
        return found
    }

    /// Annotations of `type` overlapping `range` (sharing at least one byte, or containing an empty `range`).
    func annotations(ofType type: String, overlapping range: Range<Int>) -> [Annotation] {
        let window = overlapWindow(group(type), range)
        var result: [Annotation] = []
        result.reserveCapacity(window.count)
        for index in window where overlaps(ranges[index], range) { result.append(all[members[index]]) }
        return result
    }

    /// The ranges of `annotations(ofType: type, overlapping: range)`, in the same order, without copying annotations.
    func ranges(ofType type: String, overlapping range: Range<Int>) -> [Range<Int>] {
        ranges(in: group(type), overlapping: range)
    }

    /// `ranges(ofType:overlapping:)` for the type of `kind`.
    func ranges(of kind: Kind, overlapping range: Range<Int>) -> [Range<Int>] {
        ranges(in: group(kind), overlapping: range)
    }

    private func ranges(in group: Range<Int>, overlapping range: Range<Int>) -> [Range<Int>] {
        let window = overlapWindow(group, range)
        var result: [Range<Int>] = []
        result.reserveCapacity(window.count)
        for index in window where overlaps(ranges[index], range) { result.append(ranges[index]) }
        return result
    }

    /// Whether an annotation at `candidate` overlaps `range`, given that it starts before `range`'s end (at
    /// `range`'s start when `range` is empty).
    private func overlaps(_ candidate: Range<Int>, _ range: Range<Int>) -> Bool {
        candidate.upperBound > range.lowerBound || candidate.contains(range.lowerBound)
    }

    /// The indices of `group` (in `members`) that may overlap `range`: from the first annotation that may still
    /// reach into it to the last that starts before its end (at its start when it is empty).
    private func overlapWindow(_ group: Range<Int>, _ range: Range<Int>) -> Range<Int> {
        var index = lastIndex(in: group, startingAtOrBefore: range.lowerBound)
        // Walk back over annotations that start earlier but may still reach into the range.
        while index >= group.lowerBound, maxEnd[index] > range.lowerBound { index -= 1 }
        let end = firstIndex(in: group, startingAtOrAfter: max(range.upperBound, range.lowerBound + 1))
        return (index + 1)..<max(index + 1, end)
    }

    /// The first index of `group` whose range starts at or after `position` (`group.upperBound` when none does).
    private func firstIndex(in group: Range<Int>, startingAtOrAfter position: Int) -> Int {
        var low = group.lowerBound, high = group.upperBound
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].lowerBound < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The last index of `group` whose range starts at or before `position` (`group.lowerBound - 1` when none does).
    private func lastIndex(in group: Range<Int>, startingAtOrBefore position: Int) -> Int {
        var low = group.lowerBound, high = group.upperBound
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].lowerBound <= position { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }
}
