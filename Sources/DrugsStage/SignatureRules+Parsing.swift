import Foundation
import ClinPipeText

extension SignatureRules {
    /// Reads the signature that follows a drug name.
    ///
    /// - Parameters:
    ///   - bytes: the text being annotated (UTF-8).
    ///   - start: the name's end (UTF-8 offset into `bytes`).
    ///   - limit: the parse never reads at or past this offset (the next drug name, the window's end); it must be a
    ///     character boundary, `start <= limit <= bytes.count`.
    /// - Returns: the elements found; `end` is the end of the last one (UTF-8, same coordinates).
    /// - Throws: `PCRE2Error.limitExceeded` if a rule pattern hits its match limit on pathological text.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) throws -> DrugSignature {
        // Filled in place: a signature that a match callback has written to would be copied out at the return.
        var signature = DrugSignature()
        try parse(bytes, from: start, limit: limit, into: &signature)
        return signature
    }

    /// `parse(_:from:limit:)` into `signature`, which starts empty.
    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int,
                       into signature: inout DrugSignature) throws
    {
        signature.end = start
        guard start < limit else { return }
        let subject = UnsafeBufferPointer(rebasing: bytes[0..<limit])
        var cursor = start
        var elementCount = 0
        while cursor < limit {
            let next = try skipSeparators(in: subject, from: cursor)
            guard next < limit else { break }
            var onlySpaces = next > cursor
            for index in cursor..<next where bytes[index] != 0x20 && bytes[index] != 0x09 { onlySpaces = false }
            var matchedEnd: Int?
            // By index, so that no run is copied (a copy retains its pattern, rows and filter); in file order, the
            // first run that matches wins. With the first-byte table, only the runs whose start bytes hold the byte
            // at `next` are visited (ascending bits: the same order), and only their filters are asked.
            var candidates = RunCandidates(table: runsByFirstByte, byte: subject[next], runCount: runs.count)
            while let index = candidates.next() {
                switch runs[index].position {
                case .any: break
                case .first: if elementCount > 0 { continue }
                case .adjacent: if elementCount > 0 || !onlySpaces { continue }
                }
                if candidates.startBytesChecked {
                    guard runs[index].filterAdmits(subject, at: next) else { continue }
                } else {
                    guard runs[index].mayMatch(in: subject, at: next) else { continue }
                }
                try runs[index].pattern.forEachMatch(in: subject, from: next) { match in
                    let range = match.range
                    guard range.lowerBound == next, range.upperBound > next else { return false }
                    let rows = runs[index].rows
                    let row = rows.firstIndex { $0.branchGroup == 0 || match.range($0.branchGroup) != nil } ?? 0
                    apply(rows[row], match, subject: subject, to: &signature)
                    matchedEnd = range.upperBound
                    return false
                }
                if matchedEnd != nil { break }
            }
            guard let end = matchedEnd else { break }
            cursor = end
            signature.end = end
            elementCount += 1
        }
    }

    /// The offset after any separators at `position`.
    private func skipSeparators(in subject: UnsafeBufferPointer<UInt8>, from position: Int) throws -> Int {
        var cursor = position
        // The shipped row's common case: a run of one-byte separators that nothing can continue (where PCRE2 would
        // match the run, then find nothing more at its end).
        if skipIsShipped, let end = Self.shippedSkipEnd(in: subject, from: position) { return end }
        var advanced = true
        while advanced && cursor < subject.count {
            advanced = false
            for index in skipRuns.indices where skipRuns[index].mayMatch(in: subject, at: cursor) {
                var end = cursor
                try skipRuns[index].pattern.forEachMatch(in: subject, from: cursor) { match in
                    if match.range.lowerBound == cursor { end = match.range.upperBound }
                    return false
                }
                if end > cursor {
                    cursor = end
                    advanced = true
                }
            }
        }
        return cursor
    }

    /// Records what `row` matched, unless its element already has a value (the first mention wins). Values are
    /// built only for the element that takes them, straight from the matched bytes (`SignatureValueText`).
    private func apply(_ row: Row, _ match: PCRE2Match, subject: UnsafeBufferPointer<UInt8>,
                       to signature: inout DrugSignature)
    {
        func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: subject[range])
        }
        /// A group's text, normalized for values: spaces collapsed and removed around `/` and `-`, `to` in ranges
        /// as `-`, number words as digits.
        func groupValue(_ number: Int?) -> String? {
            guard let number, let range = match.range(number) else { return nil }
            return SignatureValueText.value(bytes(range))
        }
        func render(_ template: [ResolvedPart]) -> String? {
            if template.isEmpty { return nil }
            if template.count == 1, case .group(let number) = template[0] { return groupValue(number) ?? "" }
            var result = ""
            for part in template {
                switch part {
                case .literal(let literal): result += literal
                case .group(let number): result += groupValue(number) ?? ""
                }
            }
            return result
        }
        func value() -> String {
            if let rendered = render(row.value) { return rendered }
            let matched = row.branchGroup == 0 ? match.range : (match.range(row.branchGroup) ?? match.range)
            return SignatureValueText.collapsed(bytes(matched))
        }
        /// The unit's template rendered, else the `unit` group's range (nil when neither is there).
        func unit() -> (rendered: String?, group: Range<Int>?) {
            if let rendered = render(row.unit) { return (rendered, nil) }
            return (nil, row.unitGroup.flatMap { match.range($0) })
        }
        func unitText() -> String? {
            let unit = unit()
            return unit.rendered ?? unit.group.map { SignatureValueText.collapsed(bytes($0)) }
        }

        switch row.element {
        case .skip:
            break
        case .salt:
            if signature.salt == nil {
                signature.salt = value()
                signature.saltEnd = match.range.upperBound
            }
        case .release:
            if signature.release == nil { signature.release = value() }
        case .strength:
            if signature.strength == nil {
                signature.strength = ASCIIText.replacing(value(), "-", with: "/")
                let unit = unit()
                signature.unit = unit.rendered.map(SignatureVocabulary.strengthUnit)
                    ?? unit.group.map { SignatureValueText.strengthUnit(bytes($0)) }
            }
        case .dose:
            if signature.dose == nil {
                signature.dose = value()
                signature.doseUnit = unitText().map(SignatureVocabulary.countUnit)
            }
        case .form:
            if signature.form == nil { signature.form = value() }
        case .route:
            if signature.route == nil { signature.route = value() }
        case .frequency:
            if signature.frequency == nil { signature.frequency = value() }
        case .asNeeded:
            signature.asNeeded = true
        case .quantity:
            if signature.quantity == nil, let number = Int(value()) {
                signature.quantity = number
                signature.quantityUnit = unitText().map(SignatureVocabulary.countUnit)
            }
        case .refills:
            if signature.refills == nil, let number = Int(value()) { signature.refills = number }
        case .duration:
            if signature.duration == nil {
                let value = value()
                signature.duration = unitText().map { "\(value) \(SignatureVocabulary.durationUnit($0))" } ?? value
            }
        }
    }
}

/// The runs a parse step tries, in file order: with a first-byte table (`SignatureRules.runsByFirstByte`), the
/// set bits of the byte's entry, lowest first; without one, every run.
struct RunCandidates {
    private var bits: UInt32
    private var nextIndex = 0
    private let runCount: Int
    /// Whether the runs come from the table, so their start-byte sets already hold the byte.
    let startBytesChecked: Bool

    init(table: [UInt32], byte: UInt8, runCount: Int) {
        startBytesChecked = !table.isEmpty
        bits = table.isEmpty ? 0 : table[Int(byte)]
        self.runCount = runCount
    }

    @inline(__always) mutating func next() -> Int? {
        if startBytesChecked {
            guard bits != 0 else { return nil }
            let index = bits.trailingZeroBitCount
            bits &= bits &- 1
            return index
        }
        guard nextIndex < runCount else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}
