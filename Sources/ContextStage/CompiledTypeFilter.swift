/// A `TargetTypeFilter` read once for matching: each name's star and the bytes of a prefix name are looked at when
/// the stage is built, not for every type a document has. `accepts` gives exactly `TargetTypeFilter.accepts`.
/// Immutable; read by any number of threads.
struct CompiledTypeFilter: Sendable {
    /// One name of the filter: an exact type, or (`isPrefix`, the name ended with `*`) the UTF-8 bytes every
    /// matching type starts with.
    private struct Name: Sendable {
        let name: String
        let isPrefix: Bool
        /// The name's UTF-8 bytes without the star (used when `isPrefix`).
        let prefix: [UInt8]

        init(_ name: String) {
            self.name = name
            let bytes = Array(name.utf8)
            isPrefix = bytes.last == UInt8(ascii: "*")
            prefix = isPrefix ? Array(bytes.dropLast()) : bytes
        }

        /// `TargetTypeFilter.matches(name, type)`, given `type` and its UTF-8 bytes.
        func matches(_ type: String, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard isPrefix else { return name == type }
            guard bytes.count >= prefix.count else { return false }
            return prefix.withUnsafeBufferPointer { prefix in
                for index in prefix.indices where prefix[index] != bytes[index] { return false }
                return true
            }
        }
    }

    private let include: [Name]
    private let exclude: [Name]

    init(_ filter: TargetTypeFilter) {
        include = filter.include.map(Name.init)
        exclude = filter.exclude.map(Name.init)
    }

    /// Whether annotations of `type` are targets (`TargetTypeFilter.accepts`).
    func accepts(_ type: String) -> Bool {
        var contiguous = type
        return contiguous.withUTF8 { bytes in
            if exclude.contains(where: { $0.matches(type, bytes: bytes) }) { return false }
            return include.isEmpty || include.contains(where: { $0.matches(type, bytes: bytes) })
        }
    }
}
