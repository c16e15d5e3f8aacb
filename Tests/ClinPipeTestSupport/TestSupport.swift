import ClinPipeCore
import Foundation

/// Where the repository and the shared development corpora are, for tests.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }

    /// `Corpora/` in the repository.
    public static var corpora: URL { packageRoot.appendingPathComponent("Corpora") }

    /// The five sample letters.
    public static var seedLetters: URL { corpora.appendingPathComponent("imr-seeds") }

    /// `../shared/corpora` beside the repository, or nil when this checkout has none (a user's fresh clone).
    public static var sharedCorpora: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The development letters' texts (`imr-dev/text/*.txt`, sorted by file name) and, when present, the whole
    /// MTSamples CSV as one text (every note with its quoting, in one subject), from `../shared/corpora`; nil when
    /// this checkout has none.
    public static func sharedTexts() throws -> [(name: String, text: String)]? {
        guard let shared = sharedCorpora else { return nil }
        let folder = shared.appendingPathComponent("imr-dev/text")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        var texts = try files.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
        if let data = FileManager.default.contents(atPath: shared.appendingPathComponent("mtsamples/mtsamples.csv").path) {
            texts.append(("mtsamples.csv", String(decoding: data, as: UTF8.self)))
        }
        return texts
    }

    /// The texts of the sample letters, sorted by file name.
    public static func seedTexts() throws -> [(name: String, text: String)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: seedLetters.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try files.map { ($0, try String(contentsOf: seedLetters.appendingPathComponent($0), encoding: .utf8)) }
    }
}

/// Inline span markers for tests: `"Pain at [[L4-5]] and [[L5-S1]]."` gives the text without markers and the
/// marked UTF-8 ranges, so a reader sees each expected span where it stands.
public struct MarkedText {
    public let text: String
    public let spans: [Range<Int>]

    public init(_ marked: String, open: String = "[[", close: String = "]]") {
        var text = ""
        var spans: [Range<Int>] = []
        var rest = Substring(marked)
        var start: Int?
        while !rest.isEmpty {
            if rest.hasPrefix(open) {
                start = text.utf8.count
                rest = rest.dropFirst(open.count)
            } else if rest.hasPrefix(close), let begin = start {
                spans.append(begin..<text.utf8.count)
                start = nil
                rest = rest.dropFirst(close.count)
            } else {
                text.append(rest.first!)
                rest = rest.dropFirst()
            }
        }
        self.text = text
        self.spans = spans
    }
}

extension Document {
    /// Covered texts of the annotations of `type`, sorted by position.
    public func texts(ofType type: String) -> [String] {
        annotations.filter { $0.type == type }.sorted { $0.range.lowerBound < $1.range.lowerBound }
            .map { String(coveredText(of: $0)) }
    }
}
