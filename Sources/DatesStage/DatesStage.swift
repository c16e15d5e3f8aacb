import ClinPipeCore
import ClinPipeText
import Foundation

/// The `dates` stage: every date in the text as an annotation of type `date` (by default).
///
/// Formats (rules in `Rules/date_patterns.tsv`): `11/27/1986`, `11/7/13`, `01-10-2014`, `8-18-11`, ISO
/// `2014-08-18`, `August 18, 2011`, `Aug. 18, 2011`, `August 18th, 2011`, `18 August 2011`, `December 2014`,
/// `January of 1991`, `11/2016`, and bare years after a temporal cue (`in 2014`, `since 2012`, `from 2012 to
/// 2014`). A date split by a hard line break after a separator (`09-16-⏎2015`) is one date. Prefixes (`DOS:`,
/// `DOI`, `dated`, `on`) and parentheses are context, never part of the span.
///
/// Attributes:
/// - `value`: ISO 8601 at the date's granularity (`2011-08-18`, `2014-12`, `2014`);
/// - `granularity`: `day`, `month` or `year`;
/// - `role` (only when a cue says so, `Rules/role_cues.tsv`): `injury`, `utilization_review`, `service`,
///   `request`, `report`;
/// - `year_inferred: true` when a two-digit year's century was inferred (see `TwoDigitYearPivot`);
/// - `range`: `start` or `end` for the two dates of a range (`from 1/5/15 to 2/3/15`, `1/5/15-2/3/15`).
///
/// Not dates: impossible dates (`13/45/2014`, `2/30/2015`, `2/29/2015`), month/day without a year, pain scores
/// (`4-8/10`, `7/10`), doses (`5/325`), blood pressures, spinal levels (`L4-5`), codes and case numbers, years
/// outside `minimumYear...maximumYear`, and four-digit numbers without a temporal cue (guideline titles such as
/// `MTUS 2016`, citations such as `(Fritz, 2007)`). Day-first numeric dates (`25/12/2014`) are not read.
///
/// Matching runs on the normalized layer's UTF-8 bytes with one JIT-compiled PCRE2 alternation; annotations are
/// mapped to original-text UTF-8 offsets.
public struct DatesStage: Stage {
    public struct Configuration: StageConfiguration {
        /// The annotation type produced.
        public var annotationType: String = "date"
        /// More date pattern files (TSV with the columns of `date_patterns.tsv`), relative to the pipeline file.
        public var patternFiles: [String] = []
        /// Use only `patternFiles`, not the built-in patterns.
        public var replaceBuiltInPatterns: Bool = false
        /// More month-name files (TSV: `name`, `month`).
        public var monthNameFiles: [String] = []
        /// More role cue files (TSV with the columns of `role_cues.tsv`).
        public var roleCueFiles: [String] = []
        /// Use only `roleCueFiles`, not the built-in cues.
        public var replaceBuiltInRoleCues: Bool = false
        /// Set `role` attributes at all.
        public var assignRoles: Bool = true
        /// How far (UTF-8 bytes) before and after a date a role cue and its filler may reach.
        public var roleWindowBytes: Int = 120
        /// Document attributes that give the letter's own date (ISO or M/D/YYYY), the reference of the two-digit
        /// year pivot; the first present and parseable one wins.
        public var referenceDateAttributes: [String] = ["letter_date", "decision_date"]
        /// When a document has no reference attribute, two-digit years up to `today` or, if later, up to this many
        /// days after its latest four-digit-year date are read as 20YY (see `TwoDigitYearPivot`).
        public var inferredReferenceSlackDays: Int = 366
        /// "Today" for the pivot (ISO `YYYY-MM-DD`): the limit of a document without a reference attribute (with
        /// four-digit-year dates, the limit may be later; see `TwoDigitYearPivot`); empty means the system date
        /// when the stage is built. Set it to make two-digit years independent of the day of the run.
        public var today: String = ""
        /// Run the date patterns over the whole text instead of only around digit runs that can belong to a date
        /// (see `DateScanWindows`). Needed only for added patterns that match dates without a four-digit number
        /// or a one- or two-digit number followed by a separator and a digit; several times slower.
        public var scanWholeText: Bool = false
        /// Years outside this range are not dates.
        public var minimumYear: Int = 1900
        public var maximumYear: Int = 2099

        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "dates",
        summary: "Dates in every written form, with ISO value, granularity, two-digit-year pivot and role",
        produces: ["date"])

    private let configuration: Configuration
    private let patterns: DatePatternSet
    private let roles: DateRoleClassifier?
    private let connectors: DateConnectors
    private let pivot: TwoDigitYearPivot
    private let stageName: String

    public var produces: [String] { [configuration.annotationType] }

    public init(configuration: Configuration = Configuration(), environment: StageEnvironment) throws {
        var problems: [String] = []
        func collect<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let error as RuleFileError {
                problems += error.problems
            } catch {
                problems.append("\(error)")
            }
            return nil
        }
        let patternSources = RuleSource.load(builtIn: "date_patterns.tsv",
                                             replaceBuiltIn: configuration.replaceBuiltInPatterns,
                                             userFiles: configuration.patternFiles, environment: environment,
                                             problems: &problems)
        let monthSources = RuleSource.load(builtIn: "month_names.tsv", replaceBuiltIn: false,
                                           userFiles: configuration.monthNameFiles, environment: environment,
                                           problems: &problems)
        let cueSources = RuleSource.load(builtIn: "role_cues.tsv", replaceBuiltIn: configuration.replaceBuiltInRoleCues,
                                         userFiles: configuration.roleCueFiles, environment: environment,
                                         problems: &problems)
        let patterns = collect { try DatePatternSet(patternSources: patternSources, monthNameSources: monthSources) }
        let roles: DateRoleClassifier?? = configuration.assignRoles ? collect {
            try DateRoleClassifier(
                cueSources: cueSources,
                fillerSources: [RuleSource(name: "role_fillers.tsv", text: EmbeddedRules.text("role_fillers.tsv"))],
                windowBytes: max(0, configuration.roleWindowBytes))
        } : .some(nil)
        let connectors = collect {
            try DateConnectors(sources: [RuleSource(name: "date_connectors.tsv",
                                                    text: EmbeddedRules.text("date_connectors.tsv"))])
        }
        var today: CalendarDate?
        if configuration.today.isEmpty {
            let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
            today = CalendarDate(year: components.year ?? 2000, month: components.month ?? 1, day: components.day ?? 1)
        } else {
            today = CalendarDate.parse(configuration.today)
            if today?.granularity != .day { problems.append("dates: 'today' must be an ISO date (YYYY-MM-DD)") }
        }
        if configuration.minimumYear > configuration.maximumYear {
            problems.append("dates: minimumYear is after maximumYear")
        }
        guard problems.isEmpty, let patterns, let roles, let connectors, let today else {
            throw RuleFileError(problems: problems)
        }
        self.configuration = configuration
        self.patterns = patterns
        self.roles = roles
        self.connectors = connectors
        self.pivot = TwoDigitYearPivot(referenceAttributes: configuration.referenceDateAttributes,
                                       inferredSlackDays: configuration.inferredReferenceSlackDays, today: today)
        self.stageName = environment.stageName
    }

    /// One accepted date, in layer coordinates.
    private struct Found {
        var range: Range<Int>
        var date: CalendarDate
        var yearInferred: Bool
        var rule: Int
        var role: String?
        var rangeEdge: String?
        /// Joined to the previous date by a range or list connector.
        var joinedToPrevious = false
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        let attributes = document.attributes
        let found: [Found] = try layer.text.withUTF8Bytes { bytes in
            let candidates = try patterns.candidates(in: bytes, wholeText: configuration.scanWholeText)
            if candidates.isEmpty { return [] }
            let years = configuration.minimumYear...configuration.maximumYear

            // Four-digit years are final as written; they bound the two-digit pivot, which is worked out only when
            // a two-digit year needs it (from the latest valid four-digit date).
            func fourDigitDate(_ candidate: DateCandidate) -> CalendarDate? {
                guard years.contains(candidate.year) else { return nil }
                return CalendarDate(year: candidate.year, month: candidate.month, day: candidate.day)
            }
            var limit: Int?
            var found: [Found] = []
            found.reserveCapacity(candidates.count)
            for candidate in candidates {
                var date: CalendarDate?
                if candidate.yearDigits == 4 {
                    date = fourDigitDate(candidate)
                } else if candidate.yearDigits == 2 {
                    let limitDay = limit ?? pivot.limitDayNumber(
                        attributeValues: pivot.referenceAttributes.map { attributes[$0]?.stringValue },
                        latestFourDigitDayNumber: candidates.lazy.filter { $0.yearDigits == 4 }
                            .compactMap { fourDigitDate($0)?.lastDayNumber }.max())
                    limit = limitDay
                    let year = pivot.resolve(candidate.year, month: candidate.month, day: candidate.day, limit: limitDay)
                    if years.contains(year) {
                        date = CalendarDate(year: year, month: candidate.month, day: candidate.day)
                    }
                }
                guard let date else { continue }
                found.append(Found(range: candidate.range, date: date, yearInferred: candidate.yearDigits == 2,
                                   rule: candidate.rule))
            }

            // Roles from cues, then ranges and lists.
            if let roles {
                for index in found.indices {
                    let previousEnd = index > 0 ? found[index - 1].range.upperBound : 0
                    let nextStart = index + 1 < found.count ? found[index + 1].range.lowerBound : bytes.count
                    found[index].role = try roles.role(of: found[index].range, in: bytes, previousEnd: previousEnd,
                                                       nextStart: nextStart)
                }
            }
            for index in found.indices.dropFirst() {
                let gap = found[index - 1].range.upperBound..<found[index].range.lowerBound
                guard let kind = try connectors.kind(ofGap: gap, in: bytes) else { continue }
                found[index].joinedToPrevious = true
                if kind == .range {
                    if found[index - 1].rangeEdge == nil { found[index - 1].rangeEdge = "start" }
                    found[index].rangeEdge = "end"
                }
            }
            for index in found.indices.dropFirst() where found[index].joinedToPrevious && found[index].role == nil {
                found[index].role = found[index - 1].role
            }
            for index in found.indices.dropFirst().reversed() where found[index].joinedToPrevious && found[index - 1].role == nil {
                found[index - 1].role = found[index].role
            }
            return found
        }

        for date in found {
            // Distinct keys, in this order: appended without looking each up.
            var attributes = Attributes()
            attributes.reserveCapacity(5)
            attributes.appendNew("value", .string(date.date.iso8601))
            attributes.appendNew("granularity", .string(date.date.granularity.rawValue))
            if let role = date.role { attributes.appendNew("role", .string(role)) }
            if date.yearInferred { attributes.appendNew("year_inferred", .bool(true)) }
            if let edge = date.rangeEdge { attributes.appendNew("range", .string(edge)) }
            try document.addAnnotation(type: configuration.annotationType, layerRange: date.range, in: layer,
                                       attributes: attributes,
                                       provenance: Provenance(stage: stageName, rule: patterns.rules[date.rule].source))
        }
    }
}
