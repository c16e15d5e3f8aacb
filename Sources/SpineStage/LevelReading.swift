import ClinPipeCore

/// What a written chain of levels means, read two ways: as vertebrae and disc segments (`spine.level`) and as
/// nerve roots (`spine.dermatome`). The stage picks one reading from the context.
///
/// Reading rules:
/// - A single written level is a vertebra (`L4` → vertebrae `["L4"]`) or a root (`L4` → roots `["L4"]`).
/// - Two levels joined by `-`, a dash or `/` are a disc segment when adjacent (`L4-5`, `L5/S1`, `C7-T1`,
///   `T12-L1` → `["L4-L5"]`...); otherwise a range expanded to every segment between them (`L3-S1` →
///   `["L3-L4","L4-L5","L5-S1"]`, with `expanded`). Levels joined by `to`/`through` are always a range.
///   A chain of pairs reads pair by pair (`C5-6-7` → `["C5-C6","C6-C7"]`; `L1-2 through L5-S1` → L1-L2 … L5-S1).
/// - As roots, a pair or range gives every root from the first to the last (`C5-6 radiculopathy` → roots
///   `["C5","C6"]`, `C5-T1` → C5, C6, C7, C8, T1), and a written adjacent pair also keeps its disc segment.
/// - Expansion never passes through `L6` unless an end is a written `L6`; `S1-2` appears only when written.
/// - Lists (`,`, `and`, `or`) collect the items of all their parts, de-duplicated in order of writing.
///
/// Reading walks the ranges in place (no array per item or range) and keeps the regions as bits: it runs once per
/// candidate chain, and generated letters have many.
struct LevelReading {
    /// Disc segments, `"L4-L5"`.
    var segments: [SpinalLevel.Pair] = []
    /// Single vertebrae written alone (`L4` in `fracture of L4`).
    var vertebrae: [SpinalLevel] = []
    /// Every root the chain names.
    var roots: [SpinalLevel] = []
    /// Regions spanned by the vertebral reading.
    var levelRegions = RegionSet()
    /// Regions spanned by the root reading.
    var rootRegions = RegionSet()
    /// A range was expanded into segments.
    var expanded = false
    /// Every level is a possible vertebra and every pair or range ascends.
    var isValidAsLevel = true
    /// Every level is a possible root and every pair or range ascends.
    var isValidAsRoots = true
    /// Some item is a pair or range (not only single levels).
    var hasPairs = false

    /// Reads `chain`, which must have at least one level.
    init(_ chain: LevelChain) {
        // Room for every written level and a short expansion: one allocation per list instead of growing it.
        roots.reserveCapacity(chain.levels.count + 3)
        for item in chain.items {
            if item.count == 1 {
                if vertebrae.capacity == 0 { vertebrae.reserveCapacity(chain.levels.count) }
                let level = chain.levels[item.lowerBound].level
                if level.isValidVertebra { Self.append(level, to: &vertebrae); levelRegions.insert(level.region) }
                else { isValidAsLevel = false }
                if level.isValidRoot { Self.append(level, to: &roots); rootRegions.insert(level.region) }
                else { isValidAsRoots = false }
                continue
            }
            if !hasPairs { segments.reserveCapacity(chain.levels.count + 2) }
            hasPairs = true
            for index in item.lowerBound..<(item.upperBound - 1) {
                let upper = chain.levels[index].level, lower = chain.levels[index + 1].level
                if let count = upper.vertebraCount(through: lower) {
                    if count > 2 { expanded = true }
                    levelRegions.insert(upper.region)
                    upper.forEachStep(through: lower, vertebrae: true) { a, b in
                        Self.append(SpinalLevel.Pair(upper: a, lower: b), to: &segments)
                        levelRegions.insert(b.region)
                    }
                } else {
                    isValidAsLevel = false
                }
                if upper.rootCount(through: lower) != nil {
                    Self.append(upper, to: &roots)
                    rootRegions.insert(upper.region)
                    upper.forEachStep(through: lower, vertebrae: false) { _, b in
                        Self.append(b, to: &roots)
                        rootRegions.insert(b.region)
                    }
                } else {
                    isValidAsRoots = false
                }
            }
        }
    }

    /// Whether the item `item` of `chain` reads validly one way or the other (used to cut a chain before an
    /// impossible item such as `L7` or `L5-L3`).
    static func isPossible(_ chain: LevelChain, item: Range<Int>) -> Bool {
        if item.count == 1 { return chain.levels[item.lowerBound].level.isValid }
        for index in item.lowerBound..<max(item.lowerBound, item.upperBound - 1) {
            let upper = chain.levels[index].level, lower = chain.levels[index + 1].level
            if upper.vertebraCount(through: lower) == nil && upper.rootCount(through: lower) == nil { return false }
        }
        return true
    }

    @inline(__always)
    private static func append(_ value: SpinalLevel, to list: inout [SpinalLevel]) {
        for existing in list where existing.number == value.number && existing.region == value.region { return }
        list.append(value)
    }

    @inline(__always)
    private static func append(_ value: SpinalLevel.Pair, to list: inout [SpinalLevel.Pair]) {
        for existing in list where existing.upper.number == value.upper.number && existing.upper.region == value.upper.region
            && existing.lower.number == value.lower.number && existing.lower.region == value.lower.region
        {
            return
        }
        list.append(value)
    }
}

extension LevelReading {
    /// A set of regions as bits; `names` lists them in cranio-caudal order.
    struct RegionSet: Equatable {
        private(set) var bits: UInt8 = 0

        init() {}

        private init(bits: UInt8) { self.bits = bits }

        mutating func insert(_ region: SpinalLevel.Region) { bits |= 1 << UInt8(region.rawValue) }

        /// The regions in cranio-caudal order.
        var regions: [SpinalLevel.Region] { SpinalLevel.Region.allCases.filter { bits & 1 << UInt8($0.rawValue) != 0 } }

        /// The attribute value: the region's name when there is one, else the list of names in cranio-caudal order.
        var attributeValue: AttributeValue { Self.attributeValues[Int(bits)] }

        /// `attributeValue` for each of the 16 sets, by `bits`: built once, so that a list of regions is not built
        /// per mention.
        private static let attributeValues: [AttributeValue] = (0..<16).map { bits in
            let names = RegionSet(bits: UInt8(bits)).regions.map(\.name)
            return names.count == 1 ? .string(names[0]) : .strings(names)
        }

    }
}

extension SpinalLevel {
    /// A disc segment between two adjacent vertebrae, written `L4-L5`.
    struct Pair: Hashable, CustomStringConvertible {
        var upper: SpinalLevel
        var lower: SpinalLevel
        var description: String {
            if let upperIndex = upper.spellingIndex {
                if lower == upper.nextVertebra(includeL6: false) { return Self.spellings[upperIndex * 2] }
                if lower == upper.nextVertebra(includeL6: true) { return Self.spellings[upperIndex * 2 + 1] }
            }
            return upper.description + "-" + lower.description
        }

        /// `"L4-L5"` for each level numbered 1–12 and the vertebra after it (`L5-S1`, and `L5-L6` at `index * 2 + 1`),
        /// by `upper.spellingIndex * 2`: built once, so that writing a segment attribute does not join strings per
        /// mention (a segment always joins adjacent vertebrae).
        private static let spellings: [String] = (0..<96).map { index in
            let upper = SpinalLevel(region: SpinalLevel.Region.allCases[index / 2 / 12], number: index / 2 % 12 + 1)
            let lower = upper.nextVertebra(includeL6: index % 2 == 1) ?? upper
            return upper.description + "-" + lower.description
        }
    }
}
