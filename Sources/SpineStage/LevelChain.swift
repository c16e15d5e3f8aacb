import ClinPipeText

/// A written run of spinal levels as the candidate pattern found it, split into its levels and the joints between
/// them: `L3-4, L4-5 and L5-S1` is `L3 -pair- 4 -list- L4 -pair- 5 -list- L5 -pair- S1`.
///
/// Offsets are UTF-8 byte offsets into the text the chain was parsed from (the normalized layer).
struct LevelChain {
    /// One written level.
    struct Written {
        /// The level; its number may be impossible (`L7`), which `LevelReading` rejects.
        var level: SpinalLevel
        /// Where it is written (`L4`, `5` in `L4-5`, `lumbar 4`).
        var range: Range<Int>
        /// Written with a region word (`lumbar 4`) instead of a letter.
        var spelled: Bool
    }

    /// How two neighbouring levels are joined.
    enum Joint {
        /// `-`, a dash, or `/`: a disc segment when the levels are adjacent, else a range (`L3-5`, `L3-S1`).
        case pair
        /// `to`, `through`, `thru`: always a range.
        case range
        /// `,`, `and`, `or`, `&`, `as well as`, `versus`: separate items of a list.
        case list
    }

    var levels: [Written] = []
    /// `joints[i]` joins `levels[i]` and `levels[i + 1]`.
    var joints: [Joint] = []

    /// The span from the first to the last level.
    var range: Range<Int> { (levels.first?.range.lowerBound ?? 0)..<(levels.last?.range.upperBound ?? 0) }

    /// The list items: runs of levels joined by `pair` or `range` joints, as index ranges into `levels`, in order
    /// (read without building an array: the stage reads every candidate's items).
    var items: Items { Items(joints: joints, levelCount: levels.count) }

    /// The sequence of `items`.
    struct Items: Sequence, IteratorProtocol {
        fileprivate let joints: [Joint]
        fileprivate let levelCount: Int
        private var start = 0
        private var joint = 0

        fileprivate init(joints: [Joint], levelCount: Int) {
            self.joints = joints
            self.levelCount = levelCount
        }

        mutating func next() -> Range<Int>? {
            guard start < levelCount else { return nil }
            while joint < joints.count {
                let index = joint
                joint += 1
                if joints[index] == .list {
                    defer { start = index + 1 }
                    return start..<(index + 1)
                }
            }
            defer { start = levelCount }
            return start..<levelCount
        }
    }

    /// The chain cut after level `count - 1`.
    func prefix(_ count: Int) -> LevelChain {
        var copy = LevelChain()
        copy.levels = Array(levels.prefix(count))
        copy.joints = Array(joints.prefix(max(0, count - 1)))
        return copy
    }

    // MARK: - Parsing

    /// Parses the bytes of one candidate match (`text[range]`), which the candidate pattern guarantees to be
    /// levels joined by separators. Returns nil when no level can be read (a pattern supplied by the user that
    /// matches something else).
    static func parse(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> LevelChain? {
        var chain = LevelChain()
        // Room for a pair of pairs at once: one allocation where appending one by one would grow twice.
        chain.levels.reserveCapacity(4)
        var position = range.lowerBound
        let end = range.upperBound
        var pendingJoint: Joint?
        while position < end {
            if let (written, next) = readLevel(text, at: position, end: end,
                                               previous: chain.levels.last?.level.region,
                                               allowBare: pendingJoint == .pair || pendingJoint == .range)
            {
                if let last = chain.levels.last {
                    // No separator at all (`L5S1`) joins like a hyphen.
                    chain.joints.append(pendingJoint ?? (last.range.upperBound == written.range.lowerBound ? .pair : .list))
                }
                if let (upper, lower) = splitCompact(written) {
                    // `L45`, `C56`: two adjacent levels written without a separator.
                    chain.levels.append(upper)
                    chain.joints.append(.pair)
                    chain.levels.append(lower)
                } else {
                    chain.levels.append(written)
                }
                position = next
                pendingJoint = nil
                continue
            }
            guard !chain.levels.isEmpty, let (joint, next) = readJoint(text, at: position, end: end), next > position
            else { break }
            // Two separators in a row (`, and`) keep the stronger reading: a range word wins over a list mark.
            if pendingJoint == nil || joint != .list { pendingJoint = joint }
            position = next
        }
        return chain.levels.isEmpty ? nil : chain
    }

    private static let regionWords: [(word: [UInt8], region: SpinalLevel.Region)] = [
        (Array("cervical".utf8), .cervical), (Array("thoracic".utf8), .thoracic),
        (Array("lumbar".utf8), .lumbar), (Array("sacral".utf8), .sacral),
    ]

    /// Reads a level at `position`: `L4`, `C-6`, `lumbar 4`, or (after a pair joint) a bare `5`.
    private static func readLevel(_ text: UnsafeBufferPointer<UInt8>, at position: Int, end: Int,
                                  previous: SpinalLevel.Region?, allowBare: Bool) -> (Written, Int)?
    {
        let byte = text[position]
        // Letter form: an uppercase region letter (lowercase too right after a hyphen: `L4-l5`), an optional
        // hyphen, one or two digits.
        if ByteClass.isUpper(byte) || allowBare, let region = SpinalLevel.Region(letterByte: byte) {
            var cursor = position + 1
            if cursor < end && text[cursor] == UInt8(ascii: "-") && cursor + 1 < end && ByteClass.isDigit(text[cursor + 1]) {
                cursor += 1
            }
            if let (number, next) = readNumber(text, at: cursor, end: end) {
                return (Written(level: SpinalLevel(region: region, number: number), range: position..<next, spelled: false), next)
            }
            // Not a letter form: maybe a region word (`sacral 1` after `lumbar 5-`).
        }
        // Spelled form: a region word, spaces, a number.
        for (word, region) in regionWords where position + word.count < end {
            var matches = true
            for (offset, letter) in word.enumerated() where ByteClass.lower(text[position + offset]) != letter {
                matches = false
                break
            }
            guard matches else { continue }
            var cursor = position + word.count
            while cursor < end && (text[cursor] == 0x20 || text[cursor] == 0x09) { cursor += 1 }
            if let (number, next) = readNumber(text, at: cursor, end: end) {
                return (Written(level: SpinalLevel(region: region, number: number), range: position..<next, spelled: true), next)
            }
            return nil
        }
        // Bare number after a pair joint: inherits the region of the level before it (`L4-5`, `C5-6-7`).
        if allowBare, let previous, let (number, next) = readNumber(text, at: position, end: end) {
            return (Written(level: SpinalLevel(region: previous, number: number), range: position..<next, spelled: false), next)
        }
        return nil
    }

    /// `L45` → `L4`, `L5`; `C67` → `C6`, `C7`: a letter-form level whose two digits are consecutive and whose
    /// number is impossible. Nil for anything else (`T12` stays `T12`).
    private static func splitCompact(_ written: Written) -> (Written, Written)? {
        let number = written.level.number
        let region = written.level.region
        guard !written.spelled, number >= 12, number <= 99, !written.level.isValid,
              region == .lumbar || region == .cervical, number % 10 == number / 10 + 1,
              written.range.count == 3
        else { return nil }
        let start = written.range.lowerBound
        let upper = Written(level: SpinalLevel(region: region, number: number / 10), range: start..<(start + 2), spelled: false)
        let lower = Written(level: SpinalLevel(region: region, number: number % 10), range: (start + 2)..<(start + 3), spelled: false)
        return (upper, lower)
    }

    private static func readNumber(_ text: UnsafeBufferPointer<UInt8>, at position: Int, end: Int) -> (Int, Int)? {
        var cursor = position
        var value = 0
        while cursor < end && ByteClass.isDigit(text[cursor]) && cursor - position < 2 {
            value = value * 10 + Int(text[cursor] - 0x30)
            cursor += 1
        }
        return cursor > position ? (value, cursor) : nil
    }

    /// Reads one separator (with the white space around it) at `position`.
    private static func readJoint(_ text: UnsafeBufferPointer<UInt8>, at position: Int, end: Int) -> (Joint, Int)? {
        var cursor = position
        while cursor < end && ByteClass.isSpace(text[cursor]) { cursor += 1 }
        guard cursor < end else { return nil }
        let byte = text[cursor]
        var joint: Joint?
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "/"):
            joint = .pair
            cursor += 1
        case UInt8(ascii: ","), UInt8(ascii: "&"):
            joint = .list
            cursor += 1
        case 0xE2 where cursor + 2 < end:
            // U+2010–U+2015 (hyphens and dashes: E2 80 90–95) and U+2212 (minus: E2 88 92).
            let b1 = text[cursor + 1], b2 = text[cursor + 2]
            if (b1 == 0x80 && b2 >= 0x90 && b2 <= 0x95) || (b1 == 0x88 && b2 == 0x92) {
                joint = .pair
                cursor += 3
            }
        default:
            for (word, wordJoint) in jointWords where cursor + word.count <= end {
                var matches = true
                for (offset, letter) in word.enumerated() where ByteClass.lower(text[cursor + offset]) != letter {
                    matches = false
                    break
                }
                let after = cursor + word.count
                if matches && (after == end || !ByteClass.isWord(text[after])) {
                    joint = wordJoint
                    cursor = after
                    break
                }
            }
        }
        guard let joint else { return nil }
        while cursor < end && ByteClass.isSpace(text[cursor]) { cursor += 1 }
        return (joint, cursor)
    }

    private static let jointWords: [(word: [UInt8], joint: Joint)] = [
        (Array("through".utf8), .range), (Array("thru".utf8), .range), (Array("to".utf8), .range),
        (Array("and".utf8), .list), (Array("or".utf8), .list), (Array("as well as".utf8), .list),
        (Array("versus".utf8), .list), (Array("vs.".utf8), .list), (Array("vs".utf8), .list),
    ]
}
