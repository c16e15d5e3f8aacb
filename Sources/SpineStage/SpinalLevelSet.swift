/// A set of spinal levels as bits, one per region and number: membership and subset tests without hashing.
///
/// Holds numbers 0–127 in each region, which covers every level a rule file or a chain can write (both read at most
/// two digits). A level outside that range is not stored; inserting one marks the set as holding an *unlisted*
/// level, which makes it a subset of no set (a rule's set never holds such a level).
struct SpinalLevelSet: Sendable, Equatable {
    private var cervical: UInt128 = 0
    private var thoracic: UInt128 = 0
    private var lumbar: UInt128 = 0
    private var sacral: UInt128 = 0
    /// A level whose number is outside 0–127 was inserted.
    private(set) var hasUnlisted = false

    init() {}

    init(_ levels: some Sequence<SpinalLevel>) {
        for level in levels { insert(level) }
    }

    /// Whether `level` can be stored (number 0–127).
    static func isRepresentable(_ level: SpinalLevel) -> Bool { level.number >= 0 && level.number < 128 }

    mutating func insert(_ level: SpinalLevel) {
        guard Self.isRepresentable(level) else {
            hasUnlisted = true
            return
        }
        let bit = UInt128(1) << UInt128(level.number)
        switch level.region {
        case .cervical: cervical |= bit
        case .thoracic: thoracic |= bit
        case .lumbar: lumbar |= bit
        case .sacral: sacral |= bit
        }
    }

    func contains(_ level: SpinalLevel) -> Bool {
        guard Self.isRepresentable(level) else { return false }
        let bits: UInt128
        switch level.region {
        case .cervical: bits = cervical
        case .thoracic: bits = thoracic
        case .lumbar: bits = lumbar
        case .sacral: bits = sacral
        }
        return bits >> UInt128(level.number) & 1 == 1
    }

    /// The regions that hold a level of this set, as bits by `Region.rawValue` (an unlisted level counts in none).
    var regionBits: UInt8 {
        (cervical != 0 ? 1 : 0) | (thoracic != 0 ? 2 : 0) | (lumbar != 0 ? 4 : 0) | (sacral != 0 ? 8 : 0)
    }

    /// Whether every level of this set is in `other` (false when this set holds an unlisted level).
    func isSubset(of other: SpinalLevelSet) -> Bool {
        !hasUnlisted && cervical & ~other.cervical == 0 && thoracic & ~other.thoracic == 0
            && lumbar & ~other.lumbar == 0 && sacral & ~other.sacral == 0
    }
}
