import ClinPipeCore
import Foundation

/// A span of gold or predicted annotation, in the unit of its file (Unicode code points for brat files).
public struct LabeledSpan: Sendable, Hashable {
    public var type: String
    public var begin: Int
    public var end: Int
    public var text: String

    public init(type: String, begin: Int, end: Int, text: String = "") {
        self.type = type
        self.begin = begin
        self.end = end
        self.text = text
    }

    func overlaps(_ other: LabeledSpan) -> Bool { begin < other.end && other.begin < end }
}

/// A brat standoff file (`.ann`): text-bound annotations `T1<TAB>type begin end<TAB>text`, offsets in Unicode
/// code points, half-open. Discontinuous spans (`begin end;begin end`) are read as their covering span. Other
/// lines (attributes, relations, notes, comments starting with `#`) are ignored.
public enum StandoffFile {
    /// Parses a `.ann` file's contents.
    /// - Throws: `StandoffError` naming the line of a malformed text-bound annotation.
    public static func parse(_ text: String, name: String) throws -> [LabeledSpan] {
        var spans: [LabeledSpan] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.hasPrefix("T") else { continue }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { throw StandoffError("\(name):\(index + 1): expected 'T<n><TAB>type begin end<TAB>text'") }
            let parts = fields[1].split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { throw StandoffError("\(name):\(index + 1): expected 'type begin end'") }
            let offsets = parts[1].split(whereSeparator: { $0 == " " || $0 == ";" }).compactMap { Int($0) }
            guard offsets.count >= 2, offsets.count % 2 == 0, let lower = offsets.min(), let upper = offsets.max(), lower <= upper else {
                throw StandoffError("\(name):\(index + 1): bad offsets '\(parts[1])'")
            }
            spans.append(LabeledSpan(type: String(parts[0]), begin: lower, end: upper,
                                     text: fields.count > 2 ? String(fields[2]) : ""))
        }
        return spans
    }

    /// Reads every `.ann` file in a folder, keyed by file name without extension.
    public static func readFolder(_ url: URL) throws -> [String: [LabeledSpan]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".ann") }
        var result: [String: [LabeledSpan]] = [:]
        for name in names {
            let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
            result[String(name.dropLast(4))] = try parse(text, name: name)
        }
        return result
    }

    /// Writes spans as a `.ann` file's contents.
    public static func format(_ spans: [LabeledSpan]) -> String {
        spans.enumerated().map { "T\($0.offset + 1)\t\($0.element.type) \($0.element.begin) \($0.element.end)\t\($0.element.text.replacingOccurrences(of: "\n", with: " "))\n" }.joined()
    }
}

/// A malformed standoff file.
public struct StandoffError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
