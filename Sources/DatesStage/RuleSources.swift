import ClinPipeCore
import ClinPipeText
import Foundation

/// One rule file's name (for `file:line` messages and provenance) and contents.
struct RuleSource: Sendable {
    var name: String
    var text: String

    /// The built-in file `name` (embedded at build time from `Rules/`) unless `replaceBuiltIn`, followed by the
    /// user's files resolved against the pipeline's folder. Files that cannot be read are added to `problems`
    /// and left out, so that the caller can go on and report the problems of the other files too.
    static func load(builtIn name: String, replaceBuiltIn: Bool, userFiles: [String],
                     environment: StageEnvironment, problems: inout [String]) -> [RuleSource]
    {
        var sources: [RuleSource] = replaceBuiltIn ? [] : [RuleSource(name: name, text: EmbeddedRules.text(name))]
        for path in userFiles {
            let url = environment.resolve(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("cannot read rule file \(url.path)")
                continue
            }
            sources.append(RuleSource(name: path, text: text))
        }
        return sources
    }
}

/// Checks that a pattern from a rule file can be embedded in a larger alternation: named groups only in the
/// `(?<name>…)` form and only those in `allowedNames`, back-references only as `\k<name>` to those names.
/// - Returns: the problems, as messages without the file and line.
func embeddabilityProblems(of pattern: String, allowedNames: Set<String>) -> [String] {
    var problems: [String] = []
    let bytes = Array(pattern.utf8)
    var index = 0
    var inClass = false
    func starts(_ text: String, at position: Int) -> Bool {
        let needle = Array(text.utf8)
        return position + needle.count <= bytes.count && Array(bytes[position..<position + needle.count]) == needle
    }
    func name(after position: Int) -> String {
        var end = position
        while end < bytes.count, ByteClass.isWord(bytes[end]) || bytes[end] == UInt8(ascii: "_") { end += 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }
    while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\\") {
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if !inClass {
                if next >= UInt8(ascii: "1") && next <= UInt8(ascii: "9") || next == UInt8(ascii: "g") {
                    problems.append("numbered or \\g back-references cannot be used; use \\k<name>")
                } else if next == UInt8(ascii: "k") {
                    if index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "<") {
                        let referenced = name(after: index + 3)
                        if !allowedNames.contains(referenced) { problems.append("unknown group \\k<\(referenced)>") }
                    } else {
                        problems.append("use \\k<name> for back-references")
                    }
                }
            }
            index += 2
            continue
        }
        if inClass {
            if byte == UInt8(ascii: "]") { inClass = false }
        } else if byte == UInt8(ascii: "[") {
            inClass = true
            // A `]` right after `[` or `[^` is a literal member.
            if starts("[^]", at: index) { index += 2 } else if starts("[]", at: index) { index += 1 }
        } else if starts("(?P", at: index) || starts("(?'", at: index) {
            problems.append("use (?<name>…) for named groups")
        } else if starts("(?<", at: index), index + 3 < bytes.count,
                  bytes[index + 3] != UInt8(ascii: "="), bytes[index + 3] != UInt8(ascii: "!")
        {
            let groupName = name(after: index + 3)
            if !allowedNames.contains(groupName) {
                problems.append(allowedNames.isEmpty ? "named groups are not allowed here"
                                    : "unknown group name '\(groupName)' (allowed: \(allowedNames.sorted().joined(separator: ", ")))")
            }
        }
        index += 1
    }
    return problems
}

/// Renames every named group `(?<name>` and back-reference `\k<name>` of `pattern` to `name_suffix`, so that the
/// rows of a rule file can share one alternation. The pattern must have passed `embeddabilityProblems`.
func renamingGroups(of pattern: String, names: Set<String>, suffix: String) -> String {
    var result = ""
    result.reserveCapacity(pattern.utf8.count + 32)
    let scalars = Array(pattern.unicodeScalars)
    var index = 0
    var inClass = false
    func matches(_ text: String, at position: Int) -> Bool {
        let needle = Array(text.unicodeScalars)
        return position + needle.count <= scalars.count && Array(scalars[position..<position + needle.count]) == needle
    }
    while index < scalars.count {
        let scalar = scalars[index]
        if scalar == "\\" {
            if !inClass, matches("\\k<", at: index) {
                var end = index + 3
                while end < scalars.count, scalars[end] != ">" { end += 1 }
                let name = String(String.UnicodeScalarView(scalars[(index + 3)..<end]))
                result += "\\k<" + (names.contains(name) ? name + suffix : name)
                index = end
                continue
            }
            result.unicodeScalars.append(scalar)
            if index + 1 < scalars.count { result.unicodeScalars.append(scalars[index + 1]) }
            index += 2
            continue
        }
        if inClass {
            if scalar == "]" { inClass = false }
        } else if scalar == "[" {
            inClass = true
            if matches("[^]", at: index) {
                result += "[^]"
                index += 3
                continue
            } else if matches("[]", at: index) {
                result += "[]"
                index += 2
                continue
            }
        } else if matches("(?<", at: index), index + 3 < scalars.count, scalars[index + 3] != "=", scalars[index + 3] != "!" {
            var end = index + 3
            while end < scalars.count, scalars[end] != ">" { end += 1 }
            let name = String(String.UnicodeScalarView(scalars[(index + 3)..<end]))
            result += "(?<" + (names.contains(name) ? name + suffix : name)
            index = end
            continue
        }
        result.unicodeScalars.append(scalar)
        index += 1
    }
    return result
}

/// `pattern` with a leading `\b` written as `(?<!\w)`.
///
/// Both mean the same for a pattern whose next item matches a word character (a cue such as `\bin\s+`), but
/// PCRE2 cannot derive the set of possible first characters past `\b`, while it skips a lookbehind: with the
/// rewrite, a search tries only positions where the pattern can start instead of every position.
func withLookbehindWordStart(_ pattern: String) -> String {
    pattern.hasPrefix("\\b") ? "(?<!\\w)" + pattern.dropFirst(2) : pattern
}
