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
struct LevelReading {
    /// Disc segments, `"L4-L5"`.
    var segments: [SpinalLevel.Pair] = []
    /// Single vertebrae written alone (`L4` in `fracture of L4`).
    var vertebrae: [SpinalLevel] = []
    /// Every root the chain names.
    var roots: [SpinalLevel] = []
    /// Regions spanned by the vertebral reading, in cranio-caudal order.
    var levelRegions: [SpinalLevel.Region] = []
    /// Regions spanned by the root reading.
    var rootRegions: [SpinalLevel.Region] = []
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
        var levelRegionSet = Set<SpinalLevel.Region>()
        var rootRegionSet = Set<SpinalLevel.Region>()
        for item in chain.items {
            let written = chain.levels[item].map(\.level)
            if written.count == 1 {
                let level = written[0]
                if level.isValidVertebra { Self.append(level, to: &vertebrae); levelRegionSet.insert(level.region) }
                else { isValidAsLevel = false }
                if level.isValidRoot { Self.append(level, to: &roots); rootRegionSet.insert(level.region) }
                else { isValidAsRoots = false }
                continue
            }
            hasPairs = true
            for index in 0..<(written.count - 1) {
                let upper = written[index], lower = written[index + 1]
                if let run = upper.vertebrae(through: lower) {
                    if run.count > 2 { expanded = true }
                    for (a, b) in zip(run, run.dropFirst()) { Self.append(SpinalLevel.Pair(upper: a, lower: b), to: &segments) }
                    for level in run { levelRegionSet.insert(level.region) }
                } else {
                    isValidAsLevel = false
                }
                if let run = upper.roots(through: lower) {
                    for level in run { Self.append(level, to: &roots); rootRegionSet.insert(level.region) }
                } else {
                    isValidAsRoots = false
                }
            }
        }
        levelRegions = levelRegionSet.sorted()
        rootRegions = rootRegionSet.sorted()
    }

    /// Whether the item `item` of `chain` reads validly one way or the other (used to cut a chain before an
    /// impossible item such as `L7` or `L5-L3`).
    static func isPossible(_ chain: LevelChain, item: Range<Int>) -> Bool {
        let written = chain.levels[item].map(\.level)
        if written.count == 1 { return written[0].isValid }
        for (upper, lower) in zip(written, written.dropFirst())
        where upper.vertebrae(through: lower) == nil && upper.roots(through: lower) == nil {
            return false
        }
        return true
    }

    private static func append<T: Equatable>(_ value: T, to list: inout [T]) {
        if !list.contains(value) { list.append(value) }
    }
}

extension SpinalLevel {
    /// A disc segment between two adjacent vertebrae, written `L4-L5`.
    struct Pair: Hashable, CustomStringConvertible {
        var upper: SpinalLevel
        var lower: SpinalLevel
        var description: String { "\(upper)-\(lower)" }
    }
}
