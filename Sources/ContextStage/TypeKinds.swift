/// What each annotation type of a document is to the stage (`ContextStage.kind(of:sentenceType:filter:)`) and its
/// index among the findings lexicon's types, remembered per type string seen during one pass over a document's
/// annotations.
///
/// A type is looked up by the sixteen bytes of its `String` value (`StringBits`) in a small direct-mapped table:
/// equal bits are the same string (the same inline small string, or the same storage with the same count), and a
/// document's types are a handful of small strings and stage constants, so nearly every lookup is a hash, one load
/// and one well-predicted comparison, whatever order the types come in. A miss (a type not seen yet, another copy of
/// one, or a slot taken by another type) settles the type by comparing strings, as `==` does, and takes the slot.
///
/// The table keeps bits, not strings: use one `TypeKinds` only while every string it was asked about stays alive
/// (one pass over an annotation array that does not change meanwhile), so that no storage address it remembers is
/// reused by another string. A struct with a mutating method rather than a closure over local variables: captured
/// variables are boxed and every access to them is checked for exclusivity at run time.
struct TypeKinds {
    /// What a type is to the stage.
    struct Info: Equatable {
        /// 1 sentences (scope bounds), 2 targets, 0 neither (`ContextStage.kind(of:sentenceType:filter:)`).
        var kind: UInt8
        /// Index in the findings lexicon's types, or -1.
        var findingType: Int
    }

    /// One slot of the table: the bits of the type it holds (`StringBits.none` when empty) and what that type is.
    private struct Slot {
        var bits: StringBits
        var info: Info
    }

    let sentenceType: String
    let filter: CompiledTypeFilter
    let findingTypes: [String]
    /// `slotCount` slots (trivial values: one allocation, nothing to release).
    private var slots: [Slot]
    static let slotCount = 32

    init(sentenceType: String, filter: CompiledTypeFilter, findingTypes: [String] = []) {
        self.sentenceType = sentenceType
        self.filter = filter
        self.findingTypes = findingTypes
        slots = Array(repeating: Slot(bits: .none, info: Info(kind: 0, findingType: -1)), count: Self.slotCount)
    }

    /// `ContextStage.kind(of:sentenceType:filter:)` of `type`.
    mutating func kind(of type: String) -> UInt8 { info(of: type).kind }

    /// What `type` is to the stage.
    mutating func info(of type: String) -> Info {
        let bits = StringBits(type)
        let slot = bits.hashValue(bitCount: 5)
        if slots[slot].bits == bits { return slots[slot].info }
        let info = Info(kind: ContextStage.kind(of: type, sentenceType: sentenceType, filter: filter),
                        findingType: findingTypes.firstIndex(of: type) ?? -1)
        slots[slot] = Slot(bits: bits, info: info)
        return info
    }
}

/// The sixteen bytes of a `String` value (count and flags, and the storage reference or the inline bytes), read
/// without retaining anything: two strings with equal bits are equal (one inline small string, or one storage
/// object with one count), as long as both are alive. Unequal bits say nothing (equal strings may be stored apart).
struct StringBits: Equatable {
    private let low: UInt64
    private let high: UInt64

    /// Bits that no string has: all zero is not a valid `String` (even the empty string has discriminator bits set).
    static let none = StringBits(low: 0, high: 0)

    private init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    @inline(__always) init(_ string: String) {
        (low, high) = unsafeBitCast(string, to: (UInt64, UInt64).self)
    }

    /// A hash of the bits in `0..<(1 << bitCount)` (`bitCount` in 1...32).
    @inline(__always) func hashValue(bitCount: Int) -> Int {
        let mixed = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: (mixed ^ (mixed >> 29)) >> UInt64(64 - bitCount))
    }
}
