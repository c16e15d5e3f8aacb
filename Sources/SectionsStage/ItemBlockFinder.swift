import ClinPipeText

/// One disputed item of an IMR letter, in layer coordinates (UTF-8 bytes).
struct ItemBlock: Sendable {
    /// From the item line to just before the next item line or the end of the issues section.
    var block: Range<Int>
    /// The item line `<item>: Upheld` (with its prefix line, when the letter split one off).
    var line: Range<Int>
    /// The request under review: the whole item text, or the final request of a partial-authorization item.
    var request: Range<Int>
    /// `upheld` or `overturned` (the outcome as written, in lower case).
    var outcome: String
    /// The partial-authorization form that matched (its index in `ItemRules.partialForms`), if any.
    var partialForm: Int?
    var original: Range<Int>?
    var authorized: Range<Int>?
    /// Fields of the block: (the field's index in `ItemRules.fieldNames`, the field's text after its label).
    var fields: [(field: Int, range: Range<Int>)]
}

/// Finds item blocks in the issues section of an IMR letter.
///
/// Every line of the region that the `decision` rule matches (`Acupuncture 6 sessions: Upheld`) starts a block; the
/// block runs to just before the next one or the region's end. A whole line just before the item line that a
/// `prefix` rule matches (`X was the original request.`, set apart by the letter) joins the item line. The item
/// text is then tried against the `partial` forms (`X was the original request. The Claims Administrator authorized
/// Y, leaving the original request IMR eligible. The original request, Z is`): a match makes one item whose request
/// is `Z`. Field labels at line starts split the block into its fields.
///
/// A line that starts with a field label (`Decision rationale: ... was: Upheld`) or is longer than
/// `maxItemLineBytes` (a rationale paragraph that happens to end so) is not an item line.
struct ItemBlockFinder: Sendable {
    let rules: ItemRules
    /// The longest item line accepted, in UTF-8 bytes (the development letters' longest is 558).
    let maxItemLineBytes: Int

    /// The item blocks in `region` of `bytes` (a whole layer, whose key positions `keys` and byte positions
    /// `positions` hold).
    func blocks(in bytes: UnsafeBufferPointer<UInt8>, region: Range<Int>, keys: inout PrefilterKeys,
                positions: inout BytePositions) throws -> [ItemBlock]
    {
        // The decision lines of the region: (match, item, outcome).
        var found: [(match: Range<Int>, item: Range<Int>?, outcome: Range<Int>?)] = []
        // Room for a letter's few items at once (here and below), not doublings from one.
        found.reserveCapacity(8)
        if let builtIn = rules.builtInDecision {
            builtIn.forEachMatch(in: bytes, from: region.lowerBound, positions: &positions) { match, item, outcome in
                guard match.upperBound <= region.upperBound else { return false }
                found.append((match, item, outcome))
                return true
            }
        } else {
            try rules.decision.forEachMatch(in: bytes, from: region.lowerBound, keys: &keys) { match in
                guard match.range.upperBound <= region.upperBound else { return false }
                found.append((match.range, match.range(rules.decisionItemGroup), match.range(rules.decisionOutcomeGroup)))
                return true
            }
        }
        var lines: [(line: Range<Int>, item: Range<Int>, outcome: Range<Int>)] = []
        lines.reserveCapacity(found.count)
        for decision in found {
            guard let item = decision.item, let outcome = decision.outcome, outcome.upperBound - item.lowerBound <= maxItemLineBytes
            else { continue }
            let line = item.lowerBound..<outcome.upperBound
            if let fields = rules.fields, try fields.matches(UnsafeBufferPointer(rebasing: bytes[line])) { continue }
            lines.append((line, item, outcome))
        }
        var blocks: [ItemBlock] = []
        blocks.reserveCapacity(lines.count)
        var previousEnd = region.lowerBound
        for (k, found) in lines.enumerated() {
            var lineStart = found.line.lowerBound
            if let prefix = try prefixLine(before: lineStart, notBefore: previousEnd, in: bytes) { lineStart = prefix.lowerBound }
            let blockEnd = k + 1 < lines.count ? lines[k + 1].line.lowerBound : region.upperBound
            let outcome = String(decoding: UnsafeBufferPointer(rebasing: bytes[found.outcome]), as: UTF8.self).lowercased()
            var block = ItemBlock(block: lineStart..<found.line.upperBound, line: lineStart..<found.line.upperBound,
                                  request: found.item, outcome: outcome, fields: [])
            try parsePartial(lineStart..<found.item.upperBound, in: bytes, into: &block)
            block.fields = try fields(in: bytes, from: found.line.upperBound, to: blockEnd, positions: &positions)
            let trimmedEnd = TextBytes.trimmed(bytes, found.line.upperBound..<blockEnd).upperBound
            block.block = lineStart..<max(found.line.upperBound, trimmedEnd)
            blocks.append(block)
            previousEnd = found.line.upperBound
        }
        return blocks
    }

    /// A prefix line (the previous non-blank line, wholly matched by a `prefix` rule) that belongs to the item line
    /// starting at `lineStart`, if any.
    private func prefixLine(before lineStart: Int, notBefore limit: Int, in bytes: UnsafeBufferPointer<UInt8>) throws -> Range<Int>? {
        guard !rules.prefixes.isEmpty else { return nil }
        var end = TextBytes.lineStart(bytes, before: lineStart, notBefore: limit)
        while end > limit && ByteClass.isSpace(bytes[end - 1]) { end -= 1 }
        guard end > limit else { return nil }
        let start = TextBytes.lineStart(bytes, before: end, notBefore: limit)
        let line = TextBytes.trimmed(bytes, start..<end)
        guard !line.isEmpty else { return nil }
        let slice = UnsafeBufferPointer(rebasing: bytes[line])
        if let fields = rules.fields, try fields.matches(slice) { return nil }
        for pattern in rules.prefixes where try pattern.matches(slice) { return line }
        return nil
    }

    /// Matches the item text (prefix and item line, before the colon) against the partial-authorization forms.
    private func parsePartial(_ text: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, into block: inout ItemBlock) throws {
        let slice = UnsafeBufferPointer(rebasing: bytes[text])
        for index in rules.partialForms.indices {
            // Too short for any match of the form: not searched.
            if slice.count < rules.partialForms[index].minimumBytes { continue }
            let item = rules.partialForms[index].item, originalGroups = rules.partialForms[index].original
            let authorizedGroups = rules.partialForms[index].authorized
            // The first non-empty group of `numbers` in the form's first match (layer offsets).
            var request: Range<Int>?, original: Range<Int>?, authorized: Range<Int>?
            try rules.partialForms[index].pattern.forEachMatch(in: slice) { match in
                func first(_ numbers: [Int]) -> Range<Int>? {
                    for number in numbers {
                        if let range = match.range(number), !range.isEmpty {
                            return (range.lowerBound + text.lowerBound)..<(range.upperBound + text.lowerBound)
                        }
                    }
                    return nil
                }
                request = first(item)
                original = first(originalGroups)
                authorized = first(authorizedGroups)
                return false
            }
            guard let request else { continue }
            block.request = request
            block.original = original
            block.authorized = authorized
            block.partialForm = index
            return
        }
        block.request = text.lowerBound == block.request.lowerBound ? block.request : TextBytes.trimmed(bytes, text)
    }

    /// The fields of a block: each label at a line start opens a field that runs to the next label or the end.
    private func fields(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, positions: inout BytePositions) throws
        -> [(field: Int, range: Range<Int>)]
    {
        guard let labelPattern = rules.fields, start < end else { return [] }
        var fields = FieldCollector()
        try positions.positions(of: 0x0A).withUnsafeBufferPointer { lineFeeds in
            try labelPattern.forEachLabel(in: bytes, from: start, to: end, lineFeeds: lineFeeds) { field, match in
                fields.close(at: match.lowerBound, in: bytes)
                fields.open = (field, match.upperBound)
                return true
            }
        }
        fields.close(at: end, in: bytes)
        return fields.result
    }
}

/// The fields of a block as its labels come: each field's text runs from its label's end to the next label (or the
/// block's end), trimmed; an empty one is left out.
private struct FieldCollector {
    var result: [(field: Int, range: Range<Int>)] = []
    /// The last label so far: its field and its end (where its text starts).
    var open: (field: Int, labelEnd: Int)?

    /// Ends the open field at `fieldEnd`.
    mutating func close(at fieldEnd: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        guard let open else { return }
        let text = TextBytes.trimmed(bytes, open.labelEnd..<fieldEnd)
        guard !text.isEmpty else { return }
        // One allocation for a block's few fields, not the doublings from one element.
        if result.capacity == 0 { result.reserveCapacity(4) }
        result.append((open.field, text))
    }
}
