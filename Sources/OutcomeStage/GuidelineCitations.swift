import Foundation
import ClinPipeCore
import ClinPipeText

/// Guideline citations in an item's guideline lines and rationale, as `{source, title, section, pages}` objects.
///
/// A guideline line (`MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Trigger Point
/// Injections Page(s): 122`) is split into citations at `Decision based on`, `;` and the start of each new source;
/// each citation's `source` comes from `Rules/guidelines.tsv` (MTUS, ODG, ACOEM, other), `title` from the words
/// naming the guideline document, `section` from `Section(s):`, a `section` word or the words before `Page(s)`,
/// and `pages` from `Page(s): 98-99 of 127` (`98-99`). Sources named in the rationale (`ODG states`) are added with
/// `cited_in: rationale` when the guideline lines did not already cite them.
struct GuidelineCitations: Sendable {
    /// Characters trimmed from captured values (built once: CharacterSet unions are costly on Linux).
    private static let edgeCharacters = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",.;:"))
    private static let partEdges = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters)

    private let sources: PatternTable
    private let splitter: PCRE2Pattern
    private let pages: PCRE2Pattern
    private let sectionLabel: PCRE2Pattern
    private let title: PCRE2Pattern
    private let odgSection: PCRE2Pattern

    init() throws {
        sources = try PatternTable(file: "guidelines.tsv", labelColumn: "source")
        splitter = try PCRE2Pattern(#"(?:Decision\s+based\s+on|;|\bNon-MTUS\s+Citation\b|(?<=[.,])\s+(?=(?:MTUS|ODG|ACOEM|Official\s+Disability|Non-MTUS)\b))"#, options: [.caseless])
        pages = try PCRE2Pattern(#"\bpages?(?:\s*\(s\))?\s*:?\s*(?<pages>\d+(?:\s*(?:-|to|,|and)\s*\d+)*)(?:\s+of\s+\d+)?"#, options: [.caseless])
        sectionLabel = try PCRE2Pattern(#"\bSection(?:\(s\)|s)?\s*:\s*(?<section>[^.;]+?)\s*(?:[.;]|$|\bPages?\b)"#, options: [.caseless])
        title = try PCRE2Pattern(#"(?<title>(?:Chronic\s+Pain(?:\s+Medical)?\s+Treatment(?:\s+Guidelines?)?|Acupuncture\s+Medical\s+Treatment(?:\s+Guidelines?)?|Post-?surgical\s+(?:Treatment\s+)?Guidelines?|Medical\s+Treatment\s+Utilization\s+Schedule|Official\s+Disability\s+Guidelines|(?:ACOEM\s+)?(?:Occupational\s+Medicine\s+)?Practice\s+Guidelines?|American\s+College\s+of\s+Occupational\s+and\s+Environmental\s+Medicine)(?:[,\s]+(?:\d{4}|2nd\s+Edition|3rd\s+Edition))*)"#, options: [.caseless])
        odgSection = try PCRE2Pattern(#"\b(?<section>[A-Z][\w/&,\- ]{2,60}?)\s+(?:section|chapter)\b|\b(?:section|chapter)\s+\d*\s*(?<section2>[A-Z][\w/&\- ]{2,60}?)(?=\s*(?:[,.;(]|$|\bpages?\b))"#)
    }

    /// Citations in one guideline line's text (after its label). Returns JSON-like attribute objects.
    func citations(inGuidelineLine text: String) throws -> [Attributes] {
        var result: [Attributes] = []
        for part in try split(text) {
            let trimmed = part.trimmingCharacters(in: Self.partEdges)
            guard !trimmed.isEmpty else { continue }
            guard let source = try trimmed.withUTF8Bytes({ try sources.firstMatch(in: $0) })?.label else { continue }
            var citation: Attributes = ["source": .string(source)]
            if let title = try capture(title, "title", in: trimmed) { citation["title"] = .string(title) }
            if let section = try capture(sectionLabel, "section", in: trimmed) ?? odgSectionName(in: trimmed) ?? sectionBeforePages(trimmed) {
                citation["section"] = .string(section)
            }
            if let pages = try capture(pages, "pages", in: trimmed) {
                citation["pages"] = .string(pages.replacingOccurrences(of: " ", with: ""))
            }
            citation["text"] = .string(trimmed)
            result.append(citation)
        }
        return result
    }

    /// Sources named in a rationale.
    func sourcesNamed(in text: String) throws -> [String] {
        try text.withUTF8Bytes { bytes in
            let seen = sources.filter.seen(in: bytes)
            return try sources.rows.indices.compactMap { index in
                let row = sources.rows[index]
                return try row.label != "other" && sources.matches(index, in: bytes, seen: seen) ? row.label : nil
            }
        }
    }

    private func split(_ text: String) throws -> [String] {
        var parts: [String] = []
        try text.withUTF8Bytes { bytes in
            var start = 0
            try splitter.forEachMatch(in: bytes) { match in
                let range = match.range
                if range.lowerBound > start {
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<range.lowerBound]), as: UTF8.self))
                }
                // A source name that starts the next citation is kept (the split before it is zero-width).
                start = range.upperBound
                return true
            }
            if start < bytes.count {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self))
            }
        }
        return parts
    }

    private func capture(_ pattern: PCRE2Pattern, _ group: String, in text: String) throws -> String? {
        try text.withUTF8Bytes { bytes in
            guard let match = try pattern.firstMatch(in: bytes), let number = pattern.groupNumbers[group],
                  let range = match[number] else { return nil }
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                .trimmingCharacters(in: Self.edgeCharacters)
            return value.isEmpty ? nil : value
        }
    }

    private func odgSectionName(in text: String) throws -> String? {
        // The pattern is costly (a lazy run from every capital); most citations name no section or chapter.
        let lowered = text.lowercased()
        guard lowered.contains("section") || lowered.contains("chapter") else { return nil }
        guard let first = try capture(odgSection, "section", in: text) ?? capture(odgSection, "section2", in: text) else { return nil }
        // Drop a guideline name that precedes the section ("Official Disability Guidelines (ODG) Low back").
        var section = first
        for prefix in ["Official Disability Guidelines (ODG)", "Official Disability Guidelines", "(ODG)", "ODG"] where section.hasPrefix(prefix) {
            section = String(section.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return section.isEmpty ? nil : section
    }

    /// The words between a guideline title and `Page(s)` (`... Guidelines Trigger Point Injections Page(s): 122`).
    private func sectionBeforePages(_ text: String) -> String? {
        guard let pagesRange = text.range(of: "Page", options: [.caseInsensitive]) else { return nil }
        let before = text[..<pagesRange.lowerBound]
        guard let guidelinesRange = before.range(of: "Guidelines", options: [.caseInsensitive, .backwards]) else { return nil }
        let section = before[guidelinesRange.upperBound...].trimmingCharacters(in: Self.edgeCharacters)
        return section.isEmpty ? nil : section
    }
}
