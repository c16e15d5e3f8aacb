import Foundation

/// Byte-level versions of the few `String` and Foundation operations the signature parser applies to matched text,
/// for the common case of ASCII text, with the same results: each falls back to the general operation otherwise.
/// Foundation's `replacingOccurrences` and `trimmingCharacters` bridge through `NSString` and cost thousands of
/// instructions per call; on ASCII text a byte is a character, so a byte scan gives the same answer.
enum ASCIIText {
    /// `text` with every whitespace run (space, tab, line feed, carriage return) made one space and none at the
    /// ends; nil unless `text` is ASCII without a CR LF pair (a pair is one `Character`, which the general
    /// version does not treat as whitespace).
    static func collapsed(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { SignatureValueText.plainASCIICollapsed($0) }
    }

    /// `text.replacingOccurrences(of: target, with: replacement)`: left to right, without overlaps. A byte scan
    /// when `text` and `target` are ASCII (and `target` not empty).
    static func replacing(_ text: String, _ target: String, with replacement: String) -> String {
        var text = text
        // The common case, a one-byte ASCII target the text lacks: the text itself (as Foundation returns it).
        if target.utf8.count == 1, let byte = target.utf8.first, byte < 0x80,
           !text.withUTF8({ $0.contains(byte) })
        {
            return text
        }
        var target = target
        let result: String? = text.withUTF8 { bytes in
            target.withUTF8 { needle -> String? in
                guard !needle.isEmpty, needle.allSatisfy({ $0 < 0x80 }), bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                guard bytes.count >= needle.count else { return String(decoding: bytes, as: UTF8.self) }
                var out: [UInt8] = []
                out.reserveCapacity(bytes.count)
                var index = 0
                while index < bytes.count {
                    if index + needle.count <= bytes.count && bytes[index] == needle[0]
                        && (1..<needle.count).allSatisfy({ bytes[index + $0] == needle[$0] })
                    {
                        out.append(contentsOf: replacement.utf8)
                        index += needle.count
                    } else {
                        out.append(bytes[index])
                        index += 1
                    }
                }
                return String(decoding: out, as: UTF8.self)
            }
        }
        return result ?? text.replacingOccurrences(of: target, with: replacement)
    }

    /// `text.trimmingCharacters(in: .whitespaces)`; for ASCII text those are space and tab.
    static func trimmingSpacesAndTabs(_ text: String) -> String {
        var text = text
        let result: String? = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var lower = 0, upper = bytes.count
            while lower < upper && (bytes[lower] == 0x20 || bytes[lower] == 0x09) { lower += 1 }
            while upper > lower && (bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09) { upper -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
        }
        return result ?? text.trimmingCharacters(in: .whitespaces)
    }
}
