/// Which annotation types are ConText targets: every type that no exclusion names, or, when an inclusion list
/// is given, only the types it names (minus the exclusions).
///
/// A name matches a type exactly, or, when it ends with `*`, every type starting with what comes before the star
/// (`section*` matches `section` and `section.heading`; `imr.*` matches `imr.item` and `imr.decision`).
public struct TargetTypeFilter: Sendable, Hashable {
    public var include: [String]
    public var exclude: [String]

    /// The structural types that are never findings: sentences, sections, IMR letter blocks, ConText's own
    /// modifiers.
    public static let defaultExclusions = ["sentence", "section*", "imr.*", "context.modifier"]

    public init(include: [String] = [], exclude: [String] = TargetTypeFilter.defaultExclusions) {
        self.include = include
        self.exclude = exclude
    }

    /// Whether annotations of `type` are targets.
    public func accepts(_ type: String) -> Bool {
        if exclude.contains(where: { Self.matches($0, type) }) { return false }
        return include.isEmpty || include.contains(where: { Self.matches($0, type) })
    }

    /// Compares UTF-8 bytes: what `hasPrefix` would say for these ASCII names, without Unicode machinery.
    static func matches(_ name: String, _ type: String) -> Bool {
        if name.utf8.last == UInt8(ascii: "*") {
            let prefixLength = name.utf8.count - 1
            guard type.utf8.count >= prefixLength else { return false }
            // Contiguous UTF-8 (native strings): compare the bytes directly.
            if let answer = name.utf8.withContiguousStorageIfAvailable({ nameBytes in
                type.utf8.withContiguousStorageIfAvailable { typeBytes in
                    nameBytes.prefix(prefixLength).elementsEqual(typeBytes.prefix(prefixLength))
                }
            }), let answer { return answer }
            return type.utf8.starts(with: name.utf8.dropLast())
        }
        return name == type
    }
}
