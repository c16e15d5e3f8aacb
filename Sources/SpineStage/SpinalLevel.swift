/// One spinal level as written: a region letter and a number (`L4`, `C8`, `S1`).
///
/// This is anatomy, not a rule: the same facts hold for every text, so they live in code. A level is valid as a
/// **vertebra** (or disc segment endpoint) when it is one of C1–C7, T1–T12, L1–L6 or S1–S5, and valid as a
/// **nerve root / dermatome** when it is one of C1–C8, T1–T12, L1–L5 or S1–S5. `C8` is a root but not a vertebra
/// (the eighth cervical root exits between C7 and T1); `L6` is a transitional vertebra that exists only in some
/// people, so it is accepted only when written and never produced by expanding a range. `L7`, `C9`, `T13` and
/// `S6` are never valid.
public struct SpinalLevel: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The region of the spine a level belongs to.
    public enum Region: Int, Sendable, Comparable, CaseIterable {
        case cervical, thoracic, lumbar, sacral

        public static func < (lhs: Region, rhs: Region) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The attribute value (`cervical`, ...).
        public var name: String {
            switch self {
            case .cervical: "cervical"
            case .thoracic: "thoracic"
            case .lumbar: "lumbar"
            case .sacral: "sacral"
            }
        }

        /// The letter levels of this region are written with.
        public var letter: Character {
            switch self {
            case .cervical: "C"
            case .thoracic: "T"
            case .lumbar: "L"
            case .sacral: "S"
            }
        }

        /// The region for an ASCII letter byte (`C`, `T`, `L`, `S`, either case).
        public init?(letterByte: UInt8) {
            switch letterByte | 0x20 {
            case UInt8(ascii: "c"): self = .cervical
            case UInt8(ascii: "t"): self = .thoracic
            case UInt8(ascii: "l"): self = .lumbar
            case UInt8(ascii: "s"): self = .sacral
            default: return nil
            }
        }

        /// Highest vertebra number (`L6` counted: valid when written).
        var lastVertebra: Int { [7, 12, 6, 5][rawValue] }
        /// Highest root number.
        var lastRoot: Int { [8, 12, 5, 5][rawValue] }
        /// Number of ordinal slots the region takes (its largest valid number of either kind).
        var slots: Int { [8, 12, 6, 5][rawValue] }
        /// Ordinal of this region's level 1 (see `SpinalLevel.ordinal`).
        var firstOrdinal: Int { [0, 8, 20, 26][rawValue] }
    }

    public let region: Region
    public let number: Int

    public init(region: Region, number: Int) {
        self.region = region
        self.number = number
    }

    /// The canonical spelling (`L4`).
    public var description: String {
        if let spellingIndex { return Self.spellings[spellingIndex] }
        return "\(region.letter)\(number)"
    }

    /// `region.rawValue * 12 + number - 1` for numbers 1–12 (0–47), else nil.
    var spellingIndex: Int? { number >= 1 && number <= 12 ? region.rawValue * 12 + number - 1 : nil }

    /// The spellings of numbers 1–12 in each region (`C1` … `S12`), by `region.rawValue * 12 + number - 1`: built
    /// once, so that writing attributes does not interpolate a string per level.
    private static let spellings: [String] = Region.allCases.flatMap { region in
        (1...12).map { "\(region.letter)\($0)" }
    }

    /// True for C1–C7, T1–T12, L1–L6, S1–S5.
    public var isValidVertebra: Bool { number >= 1 && number <= region.lastVertebra }
    /// True for C1–C8, T1–T12, L1–L5, S1–S5.
    public var isValidRoot: Bool { number >= 1 && number <= region.lastRoot }
    /// Valid as a vertebra or as a root.
    public var isValid: Bool { isValidVertebra || isValidRoot }

    /// Position from the skull down (C1 = 0 ... C8 = 7, T1 = 8, L1 = 20, L6 = 25, S1 = 26), used to check that a
    /// written range ascends. Only meaningful for valid levels.
    public var ordinal: Int { region.firstOrdinal + number - 1 }

    public static func < (lhs: SpinalLevel, rhs: SpinalLevel) -> Bool { lhs.ordinal < rhs.ordinal }

    /// The vertebra below this one, or nil at S5. `L5` is followed by `S1` unless the range being expanded ends
    /// at or beyond a written `L6` (`includeL6`).
    func nextVertebra(includeL6: Bool) -> SpinalLevel? {
        switch region {
        case .cervical: number >= 7 ? SpinalLevel(region: .thoracic, number: 1) : SpinalLevel(region: .cervical, number: number + 1)
        case .thoracic: number >= 12 ? SpinalLevel(region: .lumbar, number: 1) : SpinalLevel(region: .thoracic, number: number + 1)
        case .lumbar:
            if number == 5 && includeL6 { SpinalLevel(region: .lumbar, number: 6) }
            else if number >= 5 { SpinalLevel(region: .sacral, number: 1) }
            else { SpinalLevel(region: .lumbar, number: number + 1) }
        case .sacral: number >= 5 ? nil : SpinalLevel(region: .sacral, number: number + 1)
        }
    }

    /// The root below this one, or nil at S5 (C7 → C8 → T1; L5 → S1).
    func nextRoot() -> SpinalLevel? {
        switch region {
        case .cervical: number >= 8 ? SpinalLevel(region: .thoracic, number: 1) : SpinalLevel(region: .cervical, number: number + 1)
        case .thoracic: number >= 12 ? SpinalLevel(region: .lumbar, number: 1) : SpinalLevel(region: .thoracic, number: number + 1)
        case .lumbar: number >= 5 ? SpinalLevel(region: .sacral, number: 1) : SpinalLevel(region: .lumbar, number: number + 1)
        case .sacral: number >= 5 ? nil : SpinalLevel(region: .sacral, number: number + 1)
        }
    }

    /// The vertebrae from `self` down to `last`, both included, or nil when `last` is not below `self` or either
    /// end is not a vertebra. `L6` is passed through only when one end is `L6`.
    func vertebrae(through last: SpinalLevel) -> [SpinalLevel]? {
        guard let count = vertebraCount(through: last) else { return nil }
        var result = [self]
        result.reserveCapacity(count)
        forEachStep(through: last, vertebrae: true) { _, next in result.append(next) }
        return result
    }

    /// The roots from `self` down to `last`, both included, or nil when `last` is not below `self` or either end
    /// is not a root.
    func roots(through last: SpinalLevel) -> [SpinalLevel]? {
        guard let count = rootCount(through: last) else { return nil }
        var result = [self]
        result.reserveCapacity(count)
        forEachStep(through: last, vertebrae: false) { _, next in result.append(next) }
        return result
    }

    /// `vertebrae(through: last)?.count`, without building the array.
    func vertebraCount(through last: SpinalLevel) -> Int? {
        guard isValidVertebra, last.isValidVertebra, self < last else { return nil }
        return stepCount(through: last, vertebrae: true)
    }

    /// `roots(through: last)?.count`, without building the array.
    func rootCount(through last: SpinalLevel) -> Int? {
        guard isValidRoot, last.isValidRoot, self < last else { return nil }
        return stepCount(through: last, vertebrae: false)
    }

    /// Whether a walk of vertebrae from this level passes through `L6` (only when one end is `L6`).
    private func includesL6(walkingTo last: SpinalLevel) -> Bool {
        (last.region == .lumbar && last.number == 6) || (region == .lumbar && number == 6)
    }

    /// The level after `current` in a walk to `last`: the next vertebra or the next root.
    private func step(after current: SpinalLevel, to last: SpinalLevel, vertebrae: Bool) -> SpinalLevel? {
        vertebrae ? current.nextVertebra(includeL6: includesL6(walkingTo: last)) : current.nextRoot()
    }

    /// The number of levels from `self` through `last` (both included) when each step stays at or above `last`,
    /// else nil. The ends must already be checked (valid, ascending).
    private func stepCount(through last: SpinalLevel, vertebrae: Bool) -> Int? {
        var count = 1
        var current = self
        while current != last {
            guard let next = step(after: current, to: last, vertebrae: vertebrae), next <= last else { return nil }
            count += 1
            current = next
        }
        return count
    }

    /// Calls `body` with each adjacent pair of a walk from `self` through `last` whose count was checked non-nil
    /// (`vertebraCount`/`rootCount`): `(upper, lower)` from `(self, next)` to `(previous, last)`.
    @inline(__always)
    func forEachStep(through last: SpinalLevel, vertebrae: Bool, _ body: (SpinalLevel, SpinalLevel) -> Void) {
        var current = self
        while current != last, let next = step(after: current, to: last, vertebrae: vertebrae) {
            body(current, next)
            current = next
        }
    }
}
