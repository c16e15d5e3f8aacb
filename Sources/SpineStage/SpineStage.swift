import ClinPipeCore
import ClinPipeText
import Foundation

/// Spinal levels (`spine.level`) and dermatomes, myotomes and nerve roots (`spine.dermatome`).
///
/// **What it finds.** Every written form of a level: `L4-5`, `L4-L5`, `L4/5`, `L4–5`, `L4 - 5`, `L5-S1`, `L5/S1`,
/// `C5-6-7`, `C-6`, `lumbar 4-5`, `lumbar 5-sacral 1`, a single `L4`, ranges (`L3-S1`, `L3 through S1`,
/// `cervical 1 to cervical 7`) and lists (`L3-4, L4-5 and L5-S1`). A chain is read as roots instead of vertebrae
/// when a head noun follows it (`L5 dermatome`, `the L4, L5 and S1 dermatomes`, `C6 distribution`,
/// `S1 radiculopathy`, `L4, L5 motor distribution`, `S1 impingement`) or, for single levels, when a sensory cue
/// precedes it in the same clause (`decreased sensation at L4`). `C8` alone is always a root (it is not a
/// vertebra).
///
/// **One annotation per written list.** `L3-4, L4-5 and L5-S1` is one `spine.level` whose `segments` are
/// `["L3-L4","L4-L5","L5-S1"]`: a list shares its context (side, the procedure it belongs to), and a consumer
/// that wants one row per level reads the `segments`/`vertebrae`/`roots` lists. Levels written apart (`L4-5 with
/// stenosis, and L5-S1`) stay separate annotations.
///
/// **Spans.** A `spine.level` covers the written levels only (`L4-5, L5-S1`). A `spine.dermatome` covers the
/// levels and the head noun that makes them roots (`L4, L5, and S1 dermatomes`, `S1 radiculopathy`); when the
/// cue precedes (`decreased sensation at L4`) it covers the levels only (`L4`).
///
/// **Attributes.** `spine.level`: `segments` (disc segments, `["L4-L5","L5-S1"]`; ranges expanded, with
/// `expanded: true`), `vertebrae` (levels written alone, `["L4"]`), `region` (`lumbar`, or a list in cranio-caudal
/// order when the mention spans regions: `["lumbar","sacral"]` for `L5-S1`), `side` (`left`, `right`,
/// `bilateral`) when stated next to the mention in the same clause. `spine.dermatome`: `roots` (`["L4","L5","S1"]`),
/// `kind` (`dermatome`, `myotome`, `root`), `region`, `side`, and `segments` when the roots were written as a
/// disc pair (`C5-6 radiculopathy` → roots `["C5","C6"]`, segments `["C5-C6"]`: the pair is ambiguous between
/// the two roots and the root exiting at that disc, so both readings are kept; a range such as `C5-T1
/// dermatomes` gives roots only).
///
/// **Rejected.** Impossible levels (`L7`, `C9`, `T13`, `S6`, descending `L5-L3`, `C8` called a vertebra); a list
/// is cut before its first impossible item. `L6` and `S1-2` are accepted only as written, never produced by
/// expanding a range. Contexts from `Rules/not-levels.tsv` veto chains: heart sounds (`S1, S2`), MRI weighting
/// (`T2-weighted`, `axial T2`), tumour staging (`T3 N1`), thyroid labs (`free T4`), complement (`C4 complement`),
/// EEG electrodes, model numbers, list labels (`L1)` at a line start), quantities (`lumbar 2-3 times a week`);
/// a chain followed by a root or dermatome noun (`S1 radiculopathy`) is never vetoed.
/// Region words alone with a number (`lumbar 4`) count only with a head noun (`lumbar 5 vertebra`); ranges and
/// pairs (`lumbar 4-5`) always count.
///
/// **Rules are data** (`Rules/*.tsv`, validated and embedded at build time); configuration adds files of the
/// same formats or replaces the built-in ones. Matching runs on the normalized layer's UTF-8 bytes with PCRE2
/// JIT patterns compiled once in `init`; annotations are mapped back to original-text offsets.
public struct SpineStage: Stage {
    public struct Configuration: StageConfiguration {
        /// Extra candidate-pattern files (columns `id`, `flags`, `pattern`; see `Rules/mentions.tsv`).
        public var mentionFiles: [String] = []
        /// Extra cue files (columns `id`, `role`, `kind`, `applies`, `pattern`; see `Rules/cues.tsv`).
        public var cueFiles: [String] = []
        /// Extra not-a-level context files (columns `id`, `levels`, `position`, `window`, `pattern`).
        public var notLevelFiles: [String] = []
        /// Extra side cue files (columns `id`, `side`, `position`, `pattern`).
        public var sideFiles: [String] = []
        /// Load the built-in rule files. With `false`, only the files named above are used (each kind then needs
        /// at least one file, except side cues).
        public var builtInRules: Bool = true
        /// Bytes after a chain searched for a head noun, and before it (within the clause) for a preceding cue.
        public var cueWindowBytes: Int = 64
        /// Bytes before and after a mention (within the clause, cut at commas) searched for side cues.
        public var sideWindowBytes: Int = 40

        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "spine",
        version: "1",
        summary: "Spinal levels (L4-5, L5-S1, lumbar 4-5, L3 through S1) and dermatomes/nerve roots (L5 dermatome, S1 radiculopathy)",
        requires: [],
        produces: [levelType, dermatomeType])

    /// The annotation type of vertebral and disc levels.
    public static let levelType = "spine.level"
    /// The annotation type of dermatomes, myotomes and nerve roots.
    public static let dermatomeType = "spine.dermatome"

    let rules: SpineRules
    /// Alternations of the head cues (all of them; only those that apply after pairs too), asked before the cues
    /// one by one (see `PatternUnion`); nil when the cues cannot be joined, and then every cue runs.
    private let allHeads: PatternUnion?, anyHeads: PatternUnion?
    /// The needles of every side cue in one filter, so that each side window is scanned once, and per side cue the
    /// bits of its own needles; nil when some side cue has none (see `NeedleFilter`).
    private let sideNeedles: NeedleFilter?
    /// Per not-a-level rule, its `regionBits`, apart from the rules so that the loop over them reads a byte per rule.
    private let notLevelRegions: [UInt8]
    /// Per side cue, the bits of its needles in `sideNeedles` (every bit without it).
    private let sideNeedleMasks: [UInt64]
    private let configuration: Configuration
    private let stageName: String

    public init(configuration: Configuration = Configuration(), environment: StageEnvironment) throws {
        var rules = SpineRules()
        var problems: [String] = []
        let extraFiles: [(SpineRules.FileKind, [String])] = [
            (.mentions, configuration.mentionFiles), (.cues, configuration.cueFiles),
            (.notLevels, configuration.notLevelFiles), (.sides, configuration.sideFiles),
        ]
        for (kind, paths) in extraFiles {
            if configuration.builtInRules {
                do {
                    try rules.load(kind, name: kind.builtInName, text: EmbeddedRules.text(kind.builtInName))
                } catch let error as RuleFileError { problems += error.problems }
            }
            for path in paths {
                let url = environment.resolve(path)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                    problems.append("\(path): cannot read the file as UTF-8 text")
                    continue
                }
                do { try rules.load(kind, name: path, text: text) } catch let error as RuleFileError { problems += error.problems }
            }
        }
        if rules.mentions.isEmpty { problems.append("spine: no candidate patterns (mentionFiles is empty and builtInRules is false)") }
        if configuration.cueWindowBytes < 1 || configuration.sideWindowBytes < 0 {
            problems.append("spine: cueWindowBytes must be positive and sideWindowBytes not negative")
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.rules = rules
        allHeads = PatternUnion(rules.heads.map(\.pattern))
        anyHeads = PatternUnion(rules.heads.filter { $0.applies == .any }.map(\.pattern))
        notLevelRegions = rules.notLevels.map(\.regionBits)
        let shared = Self.sharedNeedles(of: rules.sides.map(\.pattern))
        sideNeedles = shared?.filter
        sideNeedleMasks = shared?.masks ?? Array(repeating: .max, count: rules.sides.count)
        self.configuration = configuration
        self.stageName = environment.stageName
    }

    /// One needle filter for all of `patterns`, with the bits of each pattern's needles in it; nil when a pattern has
    /// no needles or there are more than 64 in all.
    static func sharedNeedles(of patterns: [PCRE2Pattern]) -> (filter: NeedleFilter, masks: [UInt64])? {
        var all: [[UInt8]] = []
        var masks: [UInt64] = []
        for pattern in patterns {
            guard let own = NeedleFilter(pattern: pattern) else { return nil }
            var mask: UInt64 = 0
            for needle in own.needles {
                if let index = all.firstIndex(of: needle) {
                    mask |= 1 << UInt64(index)
                } else {
                    guard all.count < 64 else { return nil }
                    all.append(needle)
                    mask |= 1 << UInt64(all.count - 1)
                }
            }
            masks.append(mask)
        }
        guard !all.isEmpty else { return nil }
        return (NeedleFilter(needles: all), masks)
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        let findings = try layer.text.withUTF8Bytes { bytes in try find(in: bytes) }
        for finding in findings {
            try document.addAnnotation(type: finding.type, layerRange: finding.range, in: layer,
                                       attributes: finding.attributes,
                                       provenance: Provenance(stage: stageName, rule: finding.rule))
        }
    }

    /// One annotation to add, in layer coordinates (UTF-8 bytes).
    struct Finding {
        var type: String
        var range: Range<Int>
        var attributes: Attributes
        var rule: String
    }

    /// Finds every level and dermatome in `bytes` (valid UTF-8), left to right.
    func find(in bytes: UnsafeBufferPointer<UInt8>) throws -> [Finding] {
        var candidates: [(chain: LevelChain, source: String)] = []
        for mention in rules.mentions {
            try mention.forEachMatch(in: bytes) { range in
                if let chain = LevelChain.parse(bytes, range) {
                    // Letters with levels mostly hold several: one allocation instead of growing from one.
                    if candidates.isEmpty { candidates.reserveCapacity(8) }
                    candidates.append((chain, mention.source))
                }
                return true
            }
        }
        if candidates.isEmpty { return [] }
        if rules.mentions.count > 1 { candidates = Self.leftmostLongest(candidates) }

        let window = ContextWindow(bytes: bytes)
        var findings: [Finding] = []
        findings.reserveCapacity(candidates.count)
        for index in candidates.indices {
            let previousEnd = index > 0 ? candidates[index - 1].chain.range.upperBound : 0
            let nextStart = index + 1 < candidates.count ? candidates[index + 1].chain.range.lowerBound : bytes.count
            if let finding = try interpret(candidates[index].chain, source: candidates[index].source, window: window,
                                           previousEnd: previousEnd, nextStart: nextStart)
            {
                findings.append(finding)
            }
        }
        return findings
    }

    /// Candidates from several patterns: sorted, overlaps resolved for the earlier, then longer, chain.
    private static func leftmostLongest(_ candidates: [(chain: LevelChain, source: String)]) -> [(chain: LevelChain, source: String)] {
        let sorted = candidates.sorted {
            $0.chain.range.lowerBound != $1.chain.range.lowerBound ? $0.chain.range.lowerBound < $1.chain.range.lowerBound
                : $0.chain.range.upperBound > $1.chain.range.upperBound
        }
        var result: [(chain: LevelChain, source: String)] = []
        for candidate in sorted where result.last.map({ $0.chain.range.upperBound <= candidate.chain.range.lowerBound }) ?? true {
            result.append(candidate)
        }
        return result
    }

    /// Decides what one candidate chain is, or nil when it is not a spinal level at all.
    private func interpret(_ found: LevelChain, source: String, window: ContextWindow, previousEnd: Int,
                           nextStart: Int) throws -> Finding?
    {
        // Cut the chain before its first impossible item (`L7`, `L5-L3`).
        var chain = found
        for item in chain.items where !LevelReading.isPossible(chain, item: item) {
            if item.lowerBound == 0 { return nil }
            chain = chain.prefix(item.lowerBound)
            break
        }
        let start = chain.range.lowerBound, chainEnd = chain.range.upperBound
        let reading = LevelReading(chain)
        let singlesOnly = !reading.hasPairs

        // A head noun right after the chain: the longest match that starts there (never reaching the next chain).
        let afterCue = window.after(chainEnd, length: min(configuration.cueWindowBytes, max(0, nextStart - chainEnd)))
        var head: (cue: SpineRules.Cue, length: Int)?
        // The heads that apply and whose prefilter lets the window through, as bits by index (past 64 heads, the
        // rest always run). The union is asked first only when several are left.
        var mayHead: UInt64 = 0
        for index in rules.heads.indices where index >= 64 || (singlesOnly || rules.heads[index].applies == .any)
            && rules.heads[index].prefilter.mayMatch(window.bytes, in: afterCue)
        {
            mayHead |= 1 << UInt64(min(index, 63))
        }
        let anyHead = try mayHead != 0
            && (mayHead.nonzeroBitCount < 3 || (singlesOnly ? allHeads : anyHeads)?.matches(in: window, afterCue) ?? true)
        for index in rules.heads.indices where anyHead && mayHead >> UInt64(min(index, 63)) & 1 != 0
            && (rules.heads[index].applies == .any || singlesOnly)
        {
            if let match = try window.firstMatch(rules.heads[index].pattern, in: afterCue), match.lowerBound == 0,
               match.upperBound > 0, match.upperBound > head?.length ?? 0
            {
                head = (rules.heads[index], match.upperBound)
            }
        }
        // Not-a-level contexts (heart sounds, MRI weighting, ...), unless a root noun follows: `S1 radiculopathy`
        // stays a root even next to a cardiac exam.
        let rootHead = head.map { $0.cue.kind != .level } ?? false
        if !rootHead, try isVetoed(chain, window: window) { return nil }

        // A cue before the chain, within the clause and after the previous mention.
        let beforeCue = window.clauseBefore(start, length: configuration.cueWindowBytes, floor: previousEnd, commas: false)
        func precedingCue(_ accepts: (SpineRules.CueApplies) -> Bool) throws -> SpineRules.Cue? {
            var end = beforeCue.upperBound
            while end > beforeCue.lowerBound && ByteClass.isSpace(window.bytes[end - 1]) { end -= 1 }
            let trimmedLength = end - beforeCue.lowerBound
            for cue in rules.befores where accepts(cue.applies) && cue.prefilter.mayMatch(window.bytes, in: beforeCue) {
                if try window.anyMatch(cue.pattern, in: beforeCue, where: { $0.upperBound >= trimmedLength }) { return cue }
            }
            return nil
        }

        var isLevel = true
        var kind: SpineRules.CueKind = .level
        var rule = source
        if let head {
            switch head.cue.kind {
            case .level:
                break
            case .distribution:
                isLevel = false
                let cue = try precedingCue { $0 == .generic || $0 == .both }
                kind = cue?.kind ?? .dermatome
                rule = head.cue.source
            default:
                isLevel = false
                kind = head.cue.kind
                rule = head.cue.source
            }
        } else if singlesOnly {
            // A region word alone with a number (`lumbar 4 weeks`) needs a head noun to count.
            if chain.levels.allSatisfy(\.spelled) { return nil }
            if let cue = try precedingCue({ $0 == .headless || $0 == .both }) {
                isLevel = false
                kind = cue.kind
                rule = cue.source
            }
        }
        if isLevel && !reading.isValidAsLevel {
            // `C8` (or `C7-8`) is a root, never a vertebra; "C8 vertebra" is impossible.
            guard reading.isValidAsRoots, head?.cue.kind != .level else { return nil }
            isLevel = false
            kind = .root
            rule = "spine: C8 is a nerve root, not a vertebra"
        } else if !isLevel && !reading.isValidAsRoots {
            guard reading.isValidAsLevel else { return nil }
            isLevel = true
            rule = source
        }

        let spanEnd = !isLevel ? chainEnd + (head.map { $0.cue.kind == .level ? 0 : $0.length } ?? 0) : chainEnd
        let side = try findSide(window: window, start: start, chainEnd: chainEnd, spanEnd: spanEnd,
                                previousEnd: previousEnd, nextStart: nextStart)

        // Distinct keys, in this order: appended without looking each up.
        var attributes = Attributes()
        attributes.reserveCapacity(5)
        if isLevel {
            if !reading.segments.isEmpty { attributes.appendNew("segments", .strings(reading.segments.map(\.description))) }
            if !reading.vertebrae.isEmpty { attributes.appendNew("vertebrae", .strings(reading.vertebrae.map(\.description))) }
            attributes.appendNew("region", reading.levelRegions.attributeValue)
            if let side { attributes.appendNew("side", .string(side.rawValue)) }
            if reading.expanded { attributes.appendNew("expanded", true) }
            return Finding(type: Self.levelType, range: start..<chainEnd, attributes: attributes, rule: rule)
        }
        attributes.appendNew("roots", .strings(reading.roots.map(\.description)))
        attributes.appendNew("kind", .string(kind.rawValue))
        attributes.appendNew("region", reading.rootRegions.attributeValue)
        if let side { attributes.appendNew("side", .string(side.rawValue)) }
        if reading.hasPairs && reading.isValidAsLevel && !reading.expanded && !reading.segments.isEmpty {
            attributes.appendNew("segments", .strings(reading.segments.map(\.description)))
        }
        return Finding(type: Self.dermatomeType, range: start..<spanEnd, attributes: attributes, rule: rule)
    }

    /// Whether a not-a-level context (heart sounds, MRI weighting, ...) applies to `chain`.
    private func isVetoed(_ chain: LevelChain, window: ContextWindow) throws -> Bool {
        let start = chain.range.lowerBound, end = chain.range.upperBound
        var writtenRegions: UInt8 = 0
        for written in chain.levels { writtenRegions |= 1 << UInt8(written.level.region.rawValue) }
        var written: SpinalLevelSet?  // built for the first rule that names levels of the chain's regions
        // The level test first, on bits: most rules name a few levels (`S1,S2,S3,S4`) that a chain is not made of, and
        // most of those only levels of other regions.
        for index in notLevelRegions.indices where writtenRegions & ~notLevelRegions[index] == 0 {
            if let levels = rules.notLevels[index].levels {
                if written == nil { written = SpinalLevelSet(chain.levels.lazy.map(\.level)) }
                if !written!.isSubset(of: levels) { continue }
            }
            // Fields one by one, not the whole rule (a copy retains its pattern and source).
            let pattern = rules.notLevels[index].pattern, length = rules.notLevels[index].window
            let before = window.before(start, length: length)
            let after = window.after(end, length: length)
            let vetoed: Bool
            switch rules.notLevels[index].position {
            case .before: vetoed = try window.matches(pattern, rules.notLevels[index].prefilter, in: before)
            case .after: vetoed = try window.matches(pattern, rules.notLevels[index].prefilter, in: after)
            case .near:
                vetoed = try window.matches(pattern, rules.notLevels[index].prefilter, in: before)
                    || window.matches(pattern, rules.notLevels[index].prefilter, in: after)
            case .around:
                let chainInWindow = (start - before.lowerBound)..<(end - before.lowerBound)
                let around = before.lowerBound..<after.upperBound
                vetoed = try rules.notLevels[index].prefilter.mayMatch(window.bytes, in: around) && window.anyMatch(pattern, in: around) {
                    $0.overlaps(chainInWindow)
                }
            case .linestart:
                vetoed = try window.isAtLineStart(start) && window.matches(pattern, rules.notLevels[index].prefilter, in: after)
            case .any: vetoed = false
            }
            if vetoed { return true }
        }
        return false
    }

    /// The side stated next to a mention: before it (same clause, after the previous mention), inside a
    /// dermatome's head noun, or after it (same clause, before the next mention).
    private func findSide(window: ContextWindow, start: Int, chainEnd: Int, spanEnd: Int, previousEnd: Int,
                          nextStart: Int) throws -> SpineRules.Side?
    {
        let length = configuration.sideWindowBytes
        guard length > 0, !rules.sides.isEmpty else { return nil }
        let before = window.clauseBefore(start, length: length, floor: previousEnd, commas: true)
        let inside = chainEnd..<spanEnd
        let after = window.clauseAfter(spanEnd, length: length, ceiling: max(spanEnd, nextStart), commas: true)
        var left = false, right = false, bilateral = false
        // The needles in each window, scanned once for all cues (every bit when the cues have no shared filter).
        let needlesBefore = sideNeedles?.foundNeedles(window.bytes, in: before) ?? .max
        let needlesAfter = sideNeedles?.foundNeedles(window.bytes, in: after) ?? .max
        let needlesInside = sideNeedles?.foundNeedles(window.bytes, in: inside) ?? .max
        // No side word anywhere near: no cue can match.
        if needlesBefore | needlesAfter | needlesInside == 0 { return nil }
        // The cue's prefilter: its leading bytes only, when the shared needle scan stands for its needles.
        func mayMatch(_ index: Int, _ range: Range<Int>) -> Bool {
            sideNeedles == nil ? rules.sides[index].prefilter.mayMatch(window.bytes, in: range)
                : rules.sides[index].prefilter.leading?.mayMatch(window.bytes, in: range) ?? true
        }
        // Fields one by one, not the whole cue (a copy retains its pattern and source).
        for index in rules.sides.indices {
            let position = rules.sides[index].position, pattern = rules.sides[index].pattern
            let mask = sideNeedleMasks[index]
            var hit = false
            if position != .after && needlesBefore & mask != 0 {
                hit = try mayMatch(index, before) && window.matches(pattern, in: before)
            }
            if !hit && position != .before && needlesAfter & mask != 0 {
                hit = try mayMatch(index, after) && window.matches(pattern, in: after)
            }
            if !hit && position == .any && needlesInside & mask != 0 {
                hit = try mayMatch(index, inside) && window.matches(pattern, in: inside)
            }
            guard hit else { continue }
            switch rules.sides[index].side {
            case .left: left = true
            case .right: right = true
            case .bilateral: bilateral = true
            }
        }
        if bilateral || (left && right) { return .bilateral }
        return left ? .left : right ? .right : nil
    }
}
