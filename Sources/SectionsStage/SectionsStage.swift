import ClinPipeCore
import ClinPipeText
import Foundation

/// The `sections` stage: section headings and their bodies, the disputed-item blocks of IMR letters, and the IMR
/// reviewer's credentials.
///
/// **What it adds**
/// - `section` over each heading and its body: from the heading's first byte to the next heading of the same or a
///   higher level (or the end), without trailing whitespace. Attributes: `title` (the heading as written, spaces
///   collapsed, without its colon), `name` (the canonical name from the heading table; for an unmapped heading, the
///   title in snake_case), `mapped` (whether the table knows the heading), `level`, and `parent` (the id of the
///   enclosing section) for subsections.
/// - `section.heading` over the heading's words (the title, without the colon), with `parent` (its section's id) and
///   `shape` (where it stood: `line`, `line_start`, `flattened`, `after_sentence`). A separate type keeps the heading
///   addressable (highlighting, brat) without offsets hidden in attributes.
/// - In each section named by `itemSections` (the IMR letter's issues section): `imr.item` per disputed item, from
///   its item line to just before the next item line or the section's end, with `index` (1-based in the document),
///   `item` (the request under review as written, spaces collapsed), `outcome` (`upheld`/`overturned`), `partial`,
///   and for the partial-authorization form `original_request` and `authorized_portion` when written, and
///   `parent` (the section's id). Inside it: `imr.item.line` (the `<item>: Upheld` line), `imr.item.request` (the
///   request's words in that line), and one annotation per field (`imr.item.claims_guideline`,
///   `imr.item.maximus_guideline`, `imr.item.rationale`: the field's text after its label), each with `parent`.
/// - Document attributes `reviewer_licensure` and `reviewer_specialties` (lists of strings), read in the sections
///   named by `credentialSections`.
///
/// **Input.** The stage reads `document.normalized`. It does not require the `normalize` stage: text that already
/// has one line per heading and paragraph (a CSV export, MTSamples, a note typed in an EHR) works as it is. For
/// PDF-extracted letters, run `normalize` first: it joins the wrapped item lines and sets headings and field labels
/// on their own lines, which is what the item rules expect.
///
/// **Data.** Headings (`Rules/headings.tsv`), heading shapes (`heading-shapes.tsv`), item rules (`imr-items.tsv`)
/// and credential patterns (`reviewer-credentials.tsv`) are data files; the configuration adds user files to each.
public struct SectionsStage: Stage {
    public struct Configuration: StageConfiguration {
        /// More heading tables (TSV with `heading`, `name` and optional `level`, `closed` columns). Their rows come
        /// after the built-in ones, so a row for a heading the table already has replaces it.
        public var headings: [String] = []
        /// Use only the `headings` files, not the built-in table.
        public var replaceBuiltInHeadings = false
        /// More heading shapes (TSV, the columns of `heading-shapes.tsv`), tried after the built-in ones.
        public var headingShapes: [String] = []
        /// Make sections for headings the table does not know (capitalized lines such as `OPERATIVE TECHNIQUE:`).
        public var unmappedHeadings = true
        /// The level of an unmapped heading.
        public var unmappedHeadingLevel = 1
        /// More IMR item rules (TSV, the columns of `imr-items.tsv`).
        public var itemRules: [String] = []
        /// The section names in which item blocks are looked for.
        public var itemSections: [String] = ["imr_issues_decisions"]
        /// The longest item line (`<item>: Upheld`) accepted, in UTF-8 bytes of the normalized layer; a longer line
        /// ending so is a paragraph of text, not an item.
        public var maxItemLineBytes = 1500
        /// More credential patterns (TSV, the columns of `reviewer-credentials.tsv`).
        public var credentialRules: [String] = []
        /// The section names in which the reviewer's credentials are looked for.
        public var credentialSections: [String] = ["imr_how_determination_made"]
        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "sections",
        summary: "Sections from heading tables, IMR item blocks with their fields, and the IMR reviewer's credentials",
        produces: ["section", "section.heading", "imr.item", "imr.item.line", "imr.item.request",
                   "imr.item.claims_guideline", "imr.item.maximus_guideline", "imr.item.rationale"])

    public let configuration: Configuration
    private let finder: HeadingFinder
    private let items: ItemBlockFinder
    private let credentials: ReviewerCredentials
    /// `configuration.itemSections` and `credentialSections` (a few names each: compared, not hashed).
    private let itemSections: [String]
    private let credentialSections: [String]
    private let stageName: String

    public init(configuration: Configuration = Configuration(),
                environment: StageEnvironment = StageEnvironment(stageName: "sections")) throws
    {
        var problems: [String] = []
        func load<T>(_ make: () throws -> T) -> T? {
            do { return try make() } catch let error as RuleFileError {
                problems += error.problems
            } catch {
                problems.append("\(error)")
            }
            return nil
        }
        if configuration.replaceBuiltInHeadings && configuration.headings.isEmpty {
            problems.append("sections: replaceBuiltInHeadings needs at least one file in headings")
        }
        let table = load {
            try HeadingTable(tables: RuleSources.tables(
                builtIn: configuration.replaceBuiltInHeadings ? nil : "headings.tsv", extra: configuration.headings,
                required: HeadingTable.columns, environment: environment))
        }
        let shapes = load {
            try RuleSources.tables(builtIn: "heading-shapes.tsv", extra: configuration.headingShapes,
                                   required: HeadingFinder.columns, environment: environment)
        }
        let itemRules = load {
            try ItemRules(tables: RuleSources.tables(builtIn: "imr-items.tsv", extra: configuration.itemRules,
                                                     required: ItemRules.columns, environment: environment))
        }
        let credentials = load {
            try ReviewerCredentials(tables: RuleSources.tables(
                builtIn: "reviewer-credentials.tsv", extra: configuration.credentialRules,
                required: ReviewerCredentials.columns, environment: environment))
        }
        var finder: HeadingFinder?
        if let table, let shapes { finder = load { try HeadingFinder(tables: shapes, headingTable: table) } }
        if configuration.unmappedHeadingLevel < 1 { problems.append("sections: unmappedHeadingLevel must be at least 1") }
        if configuration.maxItemLineBytes < 1 { problems.append("sections: maxItemLineBytes must be at least 1") }
        guard problems.isEmpty, let finder, let itemRules, let credentials else { throw RuleFileError(problems: problems) }
        self.configuration = configuration
        self.finder = finder
        self.items = ItemBlockFinder(rules: itemRules, maxItemLineBytes: configuration.maxItemLineBytes)
        self.credentials = credentials
        self.itemSections = configuration.itemSections
        self.credentialSections = configuration.credentialSections
        self.stageName = environment.stageName
    }

    public var produces: [String] {
        var types = ["section", "section.heading", "imr.item", "imr.item.line", "imr.item.request"]
        for type in items.rules.fieldTypes where !types.contains(type) { types.append(type) }
        return types
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        let found = try layer.text.withUTF8Bytes { bytes in try analyse(bytes) }
        try add(found, to: &document, layer: layer)
    }

    // MARK: - Analysis (layer coordinates)

    private struct Analysis {
        var sections: [SectionNode] = []
        var titles: [String] = []
        var names: [String] = []
        var items: [FoundItem] = []
        var credentials: [(attribute: String, values: [String])] = []
    }

    /// An item block with the index of the section it belongs to, and its texts (spaces collapsed).
    private struct FoundItem {
        var section: Int
        var block: ItemBlock
        var text: String
        var original: String?
        var authorized: String?
    }

    private func analyse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Analysis {
        var analysis = Analysis()
        // The heading shapes and the item lines share the positions of their keys (`:`, `,`, line ends).
        var keys = PrefilterKeys(in: bytes)
        // The built-in heading shapes and decision line share the positions of line feeds, colons and commas.
        var positions = BytePositions(in: bytes)
        let headings = try finder.headings(in: bytes, unmapped: configuration.unmappedHeadings, keys: &keys, positions: &positions)
        guard !headings.isEmpty else { return analysis }
        let tree = SectionTree(headings: headings, entries: finder.table.entryList, unmappedLevel: configuration.unmappedHeadingLevel,
                               textEnd: bytes.count) {
            TextBytes.trimmed(bytes, $0, commas: true)
        }
        analysis.sections = tree.nodes
        analysis.titles.reserveCapacity(tree.nodes.count)
        analysis.names.reserveCapacity(tree.nodes.count)
        var credentialRegions: [Range<Int>] = []
        for (index, node) in tree.nodes.enumerated() {
            let title = TextBytes.collapsed(bytes, node.heading.title)
            let name = finder.entry(of: node.heading)?.name ?? Self.snakeCase(title)
            analysis.titles.append(title)
            analysis.names.append(name)
            if itemSections.contains(name) {
                let blocks = try items.blocks(in: bytes, region: node.range, keys: &keys, positions: &positions)
                analysis.items.reserveCapacity(analysis.items.count + blocks.count)
                for block in blocks {
                    analysis.items.append(FoundItem(section: index, block: block, text: TextBytes.collapsed(bytes, block.request),
                                                    original: block.original.map { TextBytes.collapsed(bytes, $0) },
                                                    authorized: block.authorized.map { TextBytes.collapsed(bytes, $0) }))
                }
            }
            if credentialSections.contains(name) { credentialRegions.append(node.range) }
        }
        if !credentialRegions.isEmpty { analysis.credentials = try credentials.values(in: bytes, regions: credentialRegions) }
        return analysis
    }

    /// An unmapped heading's name: its letters and digits in lower case, other runs as `_` (`OPERATIVE TECHNIQUE`
    /// becomes `operative_technique`).
    static func snakeCase(_ title: String) -> String {
        var out: [UInt8] = []
        for byte in title.utf8 {
            if ByteClass.isDigit(byte) || ByteClass.isUpper(byte) || (byte >= 0x61 && byte <= 0x7A) {
                out.append(ByteClass.lower(byte))
            } else if byte >= 0x80 {
                out.append(byte)
            } else if let last = out.last, last != 0x5F {
                out.append(0x5F)
            }
        }
        while out.last == 0x5F { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Output (original coordinates)

    private func add(_ analysis: Analysis, to document: inout Document, layer: TextLayer) throws {
        // Attributes are built from distinct keys, each allocated once (`Attributes.appendNew`).
        var sectionIDs: [AnnotationID] = []
        sectionIDs.reserveCapacity(analysis.sections.count)
        for index in analysis.sections.indices {
            let node = analysis.sections[index]
            var attributes = Attributes()
            attributes.reserveCapacity(node.parent == nil ? 4 : 5)
            attributes.appendNew("title", .string(analysis.titles[index]))
            attributes.appendNew("name", .string(analysis.names[index]))
            attributes.appendNew("mapped", .bool(node.heading.entry != nil))
            attributes.appendNew("level", .int(node.level))
            if let parent = node.parent { attributes.appendNew("parent", .int(sectionIDs[parent].rawValue)) }
            let provenance = Provenance(stage: stageName, rule: finder.rule(of: node.heading))
            let id = try document.addAnnotation(type: "section", layerRange: node.range, in: layer, attributes: attributes,
                                                provenance: provenance)
            sectionIDs.append(id)
            var heading = Attributes()
            heading.reserveCapacity(2)
            heading.appendNew("parent", .int(id.rawValue))
            heading.appendNew("shape", .string(finder.shapeName(of: node.heading)))
            try document.addAnnotation(type: "section.heading", layerRange: node.heading.title, in: layer, attributes: heading,
                                       provenance: provenance)
        }
        for number in analysis.items.indices {
            let item = analysis.items[number]
            let block = item.block
            var attributes = Attributes()
            attributes.reserveCapacity(7)
            attributes.appendNew("index", .int(number + 1))
            attributes.appendNew("item", .string(item.text))
            attributes.appendNew("outcome", .string(block.outcome))
            attributes.appendNew("partial", .bool(block.partialForm != nil))
            if let original = item.original { attributes.appendNew("original_request", .string(original)) }
            if let authorized = item.authorized { attributes.appendNew("authorized_portion", .string(authorized)) }
            attributes.appendNew("parent", .int(sectionIDs[item.section].rawValue))
            let rule = block.partialForm.map { items.rules.partialForms[$0].rule } ?? "imr-items.tsv:decision"
            let provenance = Provenance(stage: stageName, rule: rule)
            let id = try document.addAnnotation(type: "imr.item", layerRange: block.block, in: layer, attributes: attributes,
                                                provenance: provenance)
            var child = Attributes()
            child.reserveCapacity(1)
            child.appendNew("parent", .int(id.rawValue))
            try document.addAnnotation(type: "imr.item.line", layerRange: block.line, in: layer, attributes: child,
                                       provenance: provenance)
            try document.addAnnotation(type: "imr.item.request", layerRange: block.request, in: layer, attributes: child,
                                       provenance: provenance)
            for field in block.fields {
                try document.addAnnotation(type: items.rules.fieldTypes[field.field], layerRange: field.range, in: layer,
                                           attributes: child,
                                           provenance: Provenance(stage: stageName, rule: items.rules.fieldRules[field.field]))
            }
        }
        for (attribute, values) in analysis.credentials {
            document.attributes[attribute] = .strings(values)
        }
    }
}
