import CByteScan

/// The JSON written for the strings of one document, remembered so that each later occurrence is one copy.
///
/// A JSONL line writes the same few strings hundreds of times: annotation types and stage names, rule names,
/// attribute keys (`negated`, `experiencer`, ...). Writing one the plain way reads the `String`
/// out of the document (a retain and a release), checks its bytes for escapes and quotes it; the memo instead looks
/// up the 16 bytes that the stored `String` value is made of, and on a hit copies the bytes written the first time.
///
/// **Identity**: two `String` values with the same 16 bytes are the same string while both are alive: a small string
/// holds its bytes in them, any other holds its count and a reference to its storage, which no one changes while it
/// is shared. The memo keeps a copy of every string it remembers (`kept`), so each stays alive and shared for as long
/// as the memo remembers it: a memo stays valid across documents, and an encoder reuses one for many documents
/// (the types, stage and rule names and keys of one letter are mostly those of the last). Different strings with
/// equal text are remembered separately (each is only written the plain way once). What is written for a string
/// depends on its `role`, which is part of the lookup.
///
/// A memo is scratch for one encoding at a time on one thread (not shared); it owns its memory. `removeAll` forgets
/// everything (a reused memo that `isFull` should be emptied, so that it does not grow without bound).
public struct JSONStringMemo: ~Copyable {
    /// What a remembered string is written as: the caller's choice (a quoted value, a key with its colon, a field
    /// with its name), told apart by a nonzero number.
    public struct Role: Sendable, Equatable {
        public let rawValue: UInt8
        /// `rawValue` must not be 0 (which marks an empty slot).
        @inlinable public init(_ rawValue: UInt8) {
            assert(rawValue != 0, "role 0 marks an empty slot")
            self.rawValue = rawValue
        }
        /// A string quoted (`appendQuoted`).
        @inlinable public static var quoted: Role { Role(1) }
        /// An attribute key: quoted, then a colon.
        @inlinable public static var key: Role { Role(2) }
    }

    /// One remembered string in 24 bytes: its 16 bytes, then its role (0 in an empty slot, bits 0-7) and where its
    /// JSON lies in `bytes` (length, bits 8-31; offset, bits 32-63).
    @usableFromInline struct Slot {
        @usableFromInline var low: UInt64
        @usableFromInline var high: UInt64
        @usableFromInline var place: UInt64

        @usableFromInline init(low: UInt64, high: UInt64, role: UInt8, length: Int, offset: Int) {
            self.low = low
            self.high = high
            place = UInt64(role) | UInt64(length) << 8 | UInt64(offset) << 32
        }

        /// The largest JSON length and offset a slot holds (longer JSON is written the plain way every time).
        @usableFromInline static let maximumLength = 0xFF_FFFF, maximumOffset = 0xFFFF_FFFF

        @inlinable var role: UInt8 { UInt8(truncatingIfNeeded: place) }
        @inlinable var length: Int { Int(truncatingIfNeeded: place >> 8) & 0xFF_FFFF }
        @inlinable var offset: Int { Int(truncatingIfNeeded: place >> 32) }
    }

    /// Open addressing, linear probing; `slotMask + 1` slots (a power of two, `1 << (64 - slotShift)`), at most 3/8
    /// of them used (each lookup that meets another string first costs a probe and often a mispredicted branch).
    @usableFromInline var slots: UnsafeMutablePointer<Slot>
    @usableFromInline var slotMask: Int
    @usableFromInline var slotShift: UInt64
    @usableFromInline var used = 0
    /// The remembered JSON, back to back, followed by `readableSlack` zeros (`byteCount` bytes, then the zeros).
    @usableFromInline var bytes: UnsafeMutablePointer<UInt8>
    @usableFromInline var byteCount = 0
    @usableFromInline var byteCapacity: Int

    /// The strings remembered, each kept alive (and so shared, never changed in place) while the memo remembers it.
    @usableFromInline var kept: [String?] = []

    /// Bytes readable after any remembered JSON, so that it is copied in whole 32-byte steps.
    @usableFromInline static let readableSlack = 32

    /// The number of distinct strings (with their roles) remembered.
    public var count: Int { used }

    /// Whether the memo remembers more than `maximumStrings` strings or `maximumBytes` bytes of JSON: a memo reused
    /// across documents is then emptied (`removeAll`), so that strings made afresh for each document (rule names
    /// built at run time) do not make it grow without bound.
    public var isFull: Bool { used > Self.maximumStrings || byteCount > Self.maximumBytes }

    /// See `isFull`: more than the distinct strings of a corpus of letters (about 230, 140 of them rule names), few
    /// enough that the slots stay small (1,024 slots, 24 KiB, at most).
    public static let maximumStrings = 384, maximumBytes = 64 * 1024

    /// An empty memo with room for about `expectedStrings` distinct strings before it grows.
    public init(expectedStrings: Int = 32) {
        var capacity = 64
        while capacity * 3 < expectedStrings * 8 { capacity *= 2 }
        (slots, slotMask, slotShift) = Self.emptySlots(capacity)
        byteCapacity = capacity * 8 + Self.readableSlack
        bytes = .allocate(capacity: byteCapacity)
        bytes.initialize(repeating: 0, count: Self.readableSlack)
    }

    /// `capacity` empty slots (zeroed memory: role 0), their mask, and the shift that takes a hash to a slot.
    static func emptySlots(_ capacity: Int) -> (UnsafeMutablePointer<Slot>, Int, UInt64) {
        let byteCount = capacity * MemoryLayout<Slot>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: MemoryLayout<Slot>.alignment)
        memset(raw, 0, byteCount)  // (`initializeMemory(as:repeating:count:)` stores a byte at a time)
        return (raw.bindMemory(to: Slot.self, capacity: capacity), capacity - 1, UInt64(64 - capacity.trailingZeroBitCount))
    }

    deinit {
        slots.deallocate()
        bytes.deallocate()
    }

    /// Forgets every remembered string (and lets go of it), keeping the memory for the next ones.
    public mutating func removeAll() {
        memset(slots, 0, (slotMask + 1) * MemoryLayout<Slot>.stride)
        used = 0
        byteCount = 0
        bytes.initialize(repeating: 0, count: Self.readableSlack)
        kept.removeAll(keepingCapacity: true)
    }

    /// The first slot to look at for a string's 16 bytes and role.
    @inlinable @inline(__always) func firstSlot(_ low: UInt64, _ high: UInt64, _ role: UInt8) -> Int {
        // A multiplicative hash: the top bits of the product depend on every bit of its factor.
        let mixed = (low ^ (high << 29 | high >> 35) ^ UInt64(role)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed &>> slotShift)
    }

    /// Appends the JSON remembered for the `String` (or `String?`) stored at `address` in `role`; the first time,
    /// `write` appends it and it is remembered, with a copy of the string (`string`, the value stored at `address`)
    /// kept alive (see the type's note on identity). `write` must append the same bytes whenever it is called for it.
    @inlinable @inline(__always) public mutating func append(stringAt address: UnsafeRawPointer, role: Role,
                                                             keeping string: @autoclosure () -> String?,
                                                             to out: inout JSONBuffer, orWrite write: (inout JSONBuffer) -> Void)
    {
        let low = address.loadUnaligned(as: UInt64.self)
        let high = address.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        var index = firstSlot(low, high, role.rawValue)
        while true {
            let slot = slots[index]
            if slot.low == low && slot.high == high && slot.role == role.rawValue {
                out.appendRemembered(bytes + slot.offset, count: slot.length)
                return
            }
            if slot.role == 0 { break }
            index = (index &+ 1) & slotMask
        }
        let start = out.count
        write(&out)
        remember(low, high, role.rawValue, at: index, out, from: start, keeping: string())
    }

    /// Records `out`'s bytes from `start` on as the JSON of the string with these bytes and role, in the empty slot
    /// `index` (where the lookup stopped).
    @usableFromInline @inline(never) mutating func remember(_ low: UInt64, _ high: UInt64, _ role: UInt8, at index: Int,
                                                            _ out: borrowing JSONBuffer, from start: Int,
                                                            keeping string: String?) {
        let length = out.count - start
        guard length <= Slot.maximumLength, byteCount + length <= Slot.maximumOffset else { return }
        if byteCount + length + Self.readableSlack > byteCapacity {
            var newCapacity = byteCapacity * 2
            while byteCount + length + Self.readableSlack > newCapacity { newCapacity *= 2 }
            let newBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBytes.update(from: bytes, count: byteCount + Self.readableSlack)
            bytes.deallocate()
            bytes = newBytes
            byteCapacity = newCapacity
        }
        (bytes + byteCount).update(from: out.base + start, count: length)
        // The slack after the last JSON, read (not used) by the 32-byte steps that copy it.
        let slack = UnsafeMutableRawPointer(bytes + byteCount + length)
        for word in 0..<(Self.readableSlack / 8) { slack.storeBytes(of: 0, toByteOffset: word * 8, as: UInt64.self) }
        slots[index] = Slot(low: low, high: high, role: role, length: length, offset: byteCount)
        kept.append(string)
        byteCount += length
        used += 1
        if used * 8 > (slotMask + 1) * 3 { growSlots() }
    }

    /// Doubles the slots and places the remembered strings again.
    @usableFromInline mutating func growSlots() {
        let oldSlots = slots, oldCount = slotMask + 1
        (slots, slotMask, slotShift) = Self.emptySlots(oldCount * 2)
        for old in 0..<oldCount where oldSlots[old].role != 0 {
            let slot = oldSlots[old]
            var index = firstSlot(slot.low, slot.high, slot.role)
            while slots[index].role != 0 { index = (index &+ 1) & slotMask }
            slots[index] = slot
        }
        oldSlots.deallocate()
    }
}

extension JSONBuffer {
    /// Appends `count` bytes from `source`, copied in whole 32-byte steps (`source` must have 32 readable bytes
    /// after them; the scratch written past them is in reserved room).
    @inlinable @inline(__always) mutating func appendRemembered(_ source: UnsafePointer<UInt8>, count: Int) {
        reserve(count &+ 32)
        cbs_copy_in_steps_of_32(base + written, source, count)
        written &+= count
    }
}
