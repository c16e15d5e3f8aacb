import ClinPipeCore
import ClinPipeText
import Foundation

/// The `normalize` stage: produces the `normalized` layer that every later stage reads, with an exact offset map
/// back to the original text, which it never changes.
///
/// In order: ICU Unicode normalization (NFKC by default, or NFC), canonical characters (`CharacterCanonicalizer`:
/// dashes that join numbers, quotes, no-break and other spaces, soft hyphens), and the repair of PDF-extraction
/// artefacts (`LineRepairer`: wrapped lines joined, doubled blank lines, page breaks, headers, footers and page
/// numbers dropped, words hyphenated across lines rejoined). The two maps compose into one; spans that stages find
/// in the layer map back to the original with `TextLayer.toOriginal`.
public struct NormalizeStage: Stage {
    public struct Configuration: StageConfiguration {
        /// `NFKC` (default: also folds ligatures, fullwidth forms and superscripts) or `NFC`.
        public var form: UnicodeNormalizer.Form = .nfkc
        /// Turn en and em dashes that join numbers or levels into `-`, and hyphen characters and minus signs too.
        public var canonicalDashes = true
        /// Turn typographic quotes and primes into `'` and `"`.
        public var canonicalQuotes = true
        /// Repair the line structure of PDF-extracted text. When off, only characters are canonicalized and every
        /// line break is kept.
        public var repairLines = true
        /// More line rules (TSV, the columns of `line-rules.tsv`), added to the built-in ones.
        public var lineRules: [String] = []
        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "normalize",
        summary: "Unicode normalization, canonical characters and repair of PDF line structure, with an exact offset map",
        produces: ["layer:normalized"])

    public let configuration: Configuration
    private let repairer: LineRepairer

    public init(configuration: Configuration = Configuration(), environment: StageEnvironment = StageEnvironment(stageName: "normalize")) throws {
        guard configuration.form == .nfkc || configuration.form == .nfc else {
            throw RuleFileError(problems: ["normalize: form must be NFKC or NFC (decomposed forms would break offsets for later stages' patterns)"])
        }
        var tables = [try RuleTable(name: "line-rules.tsv", text: EmbeddedRules.text("line-rules.tsv"), required: ["kind", "pattern"])]
        var problems: [String] = []
        for path in configuration.lineRules {
            let url = environment.resolve(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("cannot read line rules \(url.path)")
                continue
            }
            do { tables.append(try RuleTable(name: path, text: text, required: ["kind", "pattern"])) } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        let prefixes = EmbeddedRules.text("hyphen-prefixes.txt").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        self.configuration = configuration
        self.repairer = LineRepairer(
            rules: try LineRules(tables: tables, hyphenPrefixes: prefixes),
            characters: CharacterCanonicalizer(dashes: configuration.canonicalDashes, quotes: configuration.canonicalQuotes))
    }

    public func process(_ document: inout Document) throws {
        try document.setLayer(try normalize(document.text))
    }

    /// The normalized layer of `text` (exposed for tools and tests).
    public func normalize(_ text: String) throws -> TextLayer {
        let (unicode, unicodeMap) = try UnicodeNormalizer.normalize(text, form: configuration.form)
        let (output, repairMap) = try unicode.withUTF8Bytes { bytes -> ([UInt8], OffsetMap) in
            var writer = EditWriter(capacity: bytes.count)
            if configuration.repairLines {
                try repairer.repair(bytes, into: &writer)
            } else {
                writeKeepingLines(bytes, into: &writer)
            }
            let map = try writer.makeMap(sourceLength: bytes.count)
            return (writer.takeOutput(), map)
        }
        let layerText = String(decoding: output, as: UTF8.self)
        return TextLayer(name: Document.normalizedLayerName, text: layerText, map: unicodeMap.composed(with: repairMap))
    }

    /// Canonicalizes characters line by line, keeping every line break (CR LF and CR become LF).
    private func writeKeepingLines(_ bytes: UnsafeBufferPointer<UInt8>, into writer: inout EditWriter) {
        var start = 0
        var i = 0
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 0x0A || bytes[i] == 0x0D {
                repairer.characters.write(bytes, from: start, to: i, into: &writer)
                if i < bytes.count && bytes[i] == 0x0D {
                    let end = i + 1 < bytes.count && bytes[i + 1] == 0x0A ? i + 2 : i + 1
                    writer.replace(upTo: end, with: UInt8(ascii: "\n"), from: bytes)
                    i = end
                } else {
                    i += 1
                }
                start = i
                continue
            }
            i += 1
        }
        writer.copy(upTo: bytes.count, from: bytes)
    }
}
