import ClinPipeCore
import ClinPipeTestSupport
import DatesStage
import Foundation
import Testing

/// `value`, `granularity`, `year_inferred`, `range` and `role`, on real sentences.
@Suite struct DateAttributeTests {
    @Test(arguments: [
        ("date of injury of 11/27/1986.", "1986-11-27", "day"),
        ("Date of injury is August 18, 2011.", "2011-08-18", "day"),
        ("Date of injury is Aug. 18, 2011.", "2011-08-18", "day"),
        ("seen on 18 August 2011", "2011-08-18", "day"),
        ("set of TPIs in \n\nDecember 2014.", "2014-12", "month"),
        ("hemodialysis since 02/2008.", "2008-02", "month"),
        ("This claimant was injured in 2016 \nwith low back", "2016", "year"),
        ("an industrial injury date of 01-10-2014.", "2014-01-10", "day"),
    ])
    func valueAndGranularity(text: String, value: String, granularity: String) throws {
        let date = try #require(try DatesFixture.single(text))
        #expect(date.string("value") == value)
        #expect(date.string("granularity") == granularity)
        #expect(date.attributes["year_inferred"] == nil)
    }

    // MARK: - Two-digit years

    /// Seed letter 001: no reference attribute; the latest four-digit date (03/25/2015) is the reference.
    @Test func twoDigitYearsFollowTheLettersOwnDates() throws {
        let text = """
            female who sustained a work related injury on 11/7/13. In the PR-2 dated 3/25/15, the injured worker \
            complains. Left gluteal trigger point injection x 1 DOS: 03/25/2015: Upheld
            """
        let dates = try DatesFixture.dates(text)
        #expect(dates.compactMap { $0.string("value") } == ["2013-11-07", "2015-03-25", "2015-03-25"])
        #expect(dates.map { $0.attributes["year_inferred"] } == [.bool(true), .bool(true), nil])
    }

    /// The latest four-digit date is only a lower bound of the letter's date: a letter whose only four-digit date
    /// is an old injury still reads its recent two-digit dates as 20YY, up to today (configured: 2025-06-30).
    @Test func oldFourDigitDateDoesNotCapTwoDigitYears() throws {
        let text = """
            The injured worker is a 52-year-old male who was injured on November 1, 2009. \
            The provider requested authorization on 7-17-14. On 7/31/14, Utilization Review non-certified the \
            request. Seen again 6/30/25; an old note from 7/1/25 and one from 3/3/99.
            """
        let dates = try DatesFixture.dates(text)
        #expect(dates.compactMap { $0.string("value") }
                == ["2009-11-01", "2014-07-17", "2014-07-31", "2025-06-30", "1925-07-01", "1999-03-03"])
        #expect(dates.map { $0.attributes["year_inferred"] } == [nil] + Array(repeating: .bool(true), count: 5))
        // Configured earlier than the letter, today no longer caps: the four-digit date plus the slack does.
        let early = try DatesStage(configuration: DatesFixture.configuration(today: "2005-01-01"),
                                   environment: StageEnvironment(stageName: "dates"))
        #expect(try DatesFixture.dates("Injured on November 1, 2009. Seen 10/1/10 and 12/1/10.", stage: early)
            .compactMap { $0.string("value") } == ["2009-11-01", "2010-10-01", "1910-12-01"])
    }

    /// A two-digit year never lands after the letter's own date (the `decision_date` or `letter_date`
    /// attribute, ISO or M/D/YYYY): it falls back a century.
    @Test func pivotOnTheLettersOwnDate() throws {
        let text = "From 03/29/88 to 08/02/88, he received six cycles of CHOP; DOI 10-21-16; seen 1/5/17."
        let values = { (attributes: Attributes) in try DatesFixture.dates(text, attributes: attributes).compactMap { $0.string("value") } }
        #expect(try values(["decision_date": "01/09/2017"]) == ["1988-03-29", "1988-08-02", "2016-10-21", "2017-01-05"])
        #expect(try values(["letter_date": "2016-12-31"]) == ["1988-03-29", "1988-08-02", "2016-10-21", "1917-01-05"])
        // The first attribute named in the configuration wins.
        #expect(try values(["letter_date": "2016-12-31", "decision_date": "2017-01-09"]).last == "1917-01-05")
    }

    /// Without a reference attribute or any four-digit date, "today" (configurable) is the reference.
    @Test func pivotOnToday() throws {
        let stage = try DatesStage(configuration: DatesFixture.configuration(today: "2016-11-01"),
                                   environment: StageEnvironment(stageName: "dates"))
        let text = "who sustained an industrial injury on 10-21-16. Medical records dated 11-8-16 indicate"
        let values = try DatesFixture.dates(text, stage: stage).compactMap { $0.string("value") }
        #expect(values == ["2016-10-21", "1916-11-08"])
    }

    /// The latest four-digit date is only a lower bound of the letter's own date, so dates up to a year after it
    /// keep the 21st century (seed letter 004: "DOS 12/29/15" in a letter whose latest four-digit date is
    /// 2/12/2015).
    @Test func inferredReferenceHasSlack() throws {
        let text = """
            On 2/6/2015, Utilization Review evaluated prescriptions, which was submitted on 2/12/2015. \
            TPI 20553 X6 in the Right Lumbar Paraspinals DOS 12/29/15:  Upheld. An old note from 3/3/99.
            """
        let values = try DatesFixture.dates(text).compactMap { $0.string("value") }
        #expect(values == ["2015-02-06", "2015-02-12", "2015-12-29", "1999-03-03"])
    }

    // MARK: - Roles

    @Test(arguments: [
        // injury
        ("This is a female injured worker with date of injury of [[11/27/1986]].", "injury"),
        ("female who sustained a work related injury on [[11/7/13]]. The", "injury"),
        ("The patient was injured on [[11/07/13]] and presents with neck and back pain.", "injury"),
        ("This 45-year-old woman sustained an industrial injury on [[5/3/2007]] to the right hip and back.", "injury"),
        ("male with an industrial injury date of [[01-10-2014]]. Medical", "injury"),
        ("Date of injury is [[August 18, 2011]]. Request", "injury"),
        ("DOI: [[10/20/2016]] UR Denial Date: 10/28/2016", "injury"),
        ("with a history of an occupational claim from \n[[10/25/2016]]. The mechanism of injury", "injury"),
        ("This claimant was injured in [[2016]] \nwith low back", "injury"),
        ("He relates an initial injury that occurred on [[06/29/1994]], when apparently he was stepping", "injury"),
        ("a 61-year-old female who was injured at work on [[12/13/13]]. The working diagnoses", "injury"),
        ("He was injured on the job on [[March 3, 2015]] while lifting", "injury"),
        // utilization_review
        ("The utilization review determination was rendered on \n\n[[11/19/2014]] recommending", "utilization_review"),
        ("On [[09-23-2015]] the following requests were denied by utilization \n\nreview:", "utilization_review"),
        ("On [[2/6/2015]], Utilization Review evaluated prescriptions for 16", "utilization_review"),
        ("The original Utilization Review (UR) ([[10-28-2016]]) modified the requested", "utilization_review"),
        ("The UR dated [[12-6-16]] non-certified the request for MRI", "utilization_review"),
        ("A \nprior determination dated [[11/29/2016]] was found not medically necessary", "utilization_review"),
        ("The UR (utilization review board) denied certification on [[November \n28, 2016]]; for an MRI", "utilization_review"),
        ("This case was previously noncertified on \n[[12/07/2016]], due to a lack", "utilization_review"),
        ("In a utilization review report dated [[November 17, \n2016]], the claims administrator", "utilization_review"),
        // service
        ("Left gluteal trigger point injection x 1 DOS: [[03/25/2015]]: Upheld", "service"),
        ("TPI 20553 X6 in the Right Lumbar Paraspinals DOS [[12/29/15]]:  Upheld", "service"),
        ("An \n[[October 31, 2016]] date of service was referenced in the determination.", "service"),
        ("1 box with one refill \nfrom date of service [[11-11-16]]. The", "service"),
        // request
        ("The RFA is dated \n[[03/25/15]] and the patient's work status", "request"),
        ("Request for authorization is [[July 17, 2015]]. According", "request"),
        ("The RFA \n(request for authorization) dated [[November 17, 2016]]; the following treatments", "request"),
        ("The Request for Authorization was \nnoted to be signed on [[11/08/2016]]. The prior", "request"),
        ("On [[11-9-2016]], the Request for Authorization \nrequested Chiropractic therapy", "request"),
        ("The provider requested authorization for trigger point injections x 8 on [[02-19-2017]]. The", "request"),
        ("requested authorization for lumbar epidural steroid injection at L3-4, L4-5 and L5-S1 on the left on [[January \n12, 2016]].", "request"),
        ("The treating physician requested authorization on [[7-17-14]].", "request"),
        // a decision in between: the request cue does not reach over it
        ("The physician requested authorization for physical therapy, which was non-certified on [[12/1/16]].", "utilization_review"),
        // report
        ("In the \nPR-2 dated [[3/25/15]], the injured worker complains", "report"),
        ("The [[03/25/15]] \nreport states that the \"patient is experiencing a flare up", "report"),
        ("According to a \n\n[[June 19, 2015]] progress note, injured worker symptoms", "report"),
        ("Physician notes dated [[2/9/2015]] show complaints of low back pain", "report"),
        ("Per the primary physician's progress report (PR-2) on [[12-28-16]], exam noted", "report"),
        ("The doctor's first report of occupational injury or illness from [[11/18/ \n2016]] indicates", "report"),
        ("According to the [[12/9/16]] Doctor's First Report of Occupational Injury", "report"),
        ("An MRI of the lumbar spine dated [[11-20-2011]] showed a disc protrusion at L4-5", "report"),
        ("bral musculature with tenderness. The MRI  of the lumbar spine, dated [[11/25/2016]], revealed right", "report"),
        ("Diagnostic studies included an MRI of \nthe right knee dated [[11/01/2016]], that revealed", "report"),
        ("The electrodiagnostic study dated [[9/22/13]] was consistent with changes", "report"),
        ("An EMG/NCV study of the bilateral lower extremities dated [[1/4/16]] was normal.", "report"),
        // no role (a verb is no cue)
        ("The patient reports that on [[10/24/08]] she had a brain tumor removed", ""),
        ("The patient and husband report that from [[March 2009]], she has been relatively independent", ""),
        ("Subjective complaints ([[09-16-\n\n2015]]) included pain in bilateral aspects", ""),
        ("the right paraspinals, which was submitted on [[2/12/2015]]. The UR physician noted", ""),
        ("the most recent documented set of TPIs in \n\n[[December 2014]].  Functional improvement", ""),
        ("On [[11/14/2016]], the patient was seen for \nan evaluation of ongoing complaints", ""),
        ("Diagnostic studies included an MRI of the lumbar spine performed on [[11/25/2016]] which was", ""),
        ("Official Disability Guidelines (ODG) Forearm, Wrist and Hand Chapter (updated [[11/23/16]])", ""),
    ])
    func role(marked: String, role: String) throws {
        let expected = MarkedText(marked)
        let dates = try DatesFixture.dates(expected.text)
        let date = try #require(dates.first { $0.range == expected.spans.first }, "\(marked)")
        #expect(date.string("role") == (role.isEmpty ? nil : role), "\(marked)")
    }

    // MARK: - Ranges and lists

    @Test func rangesGiveTwoDates() throws {
        let expected = MarkedText("The patient has attended physical therapy from [[1/5/15]] to [[2/3/15]]. DOS [[1/5/15]]-[[2/3/15]].")
        let dates = try DatesFixture.dates(expected.text)
        #expect(dates.map(\.range) == expected.spans)
        #expect(dates.map { $0.string("range") } == ["start", "end", "start", "end"])
        #expect(dates.map { $0.string("value") } == ["2015-01-05", "2015-02-03", "2015-01-05", "2015-02-03"])
        // The second range takes the role of its first date's cue.
        #expect(dates.map { $0.string("role") } == [nil, nil, "service", "service"])
    }

    @Test func listsShareARole() throws {
        let expected = MarkedText("The medical records included 7 physical therapy reports dated [[11-15-2016]] to  \n[[12-08-2016]]. "
                                  + "DOS [[11/1/16]] and [[11/7/16]]. On [[11-1-16]] and [[11-7-16]], the injured worker complained.")
        let dates = try DatesFixture.dates(expected.text)
        #expect(dates.map(\.range) == expected.spans)
        #expect(dates.map { $0.string("role") } == ["report", "report", "service", "service", nil, nil])
        #expect(dates.map { $0.string("range") } == ["start", "end", nil, nil, nil, nil])
    }

    /// Roles can be switched off.
    @Test func rolesCanBeSwitchedOff() throws {
        var configuration = DatesFixture.configuration()
        configuration.assignRoles = false
        let stage = try DatesStage(configuration: configuration, environment: StageEnvironment(stageName: "dates"))
        let dates = try DatesFixture.dates("date of injury of 11/27/1986.", stage: stage)
        #expect(dates.count == 1)
        #expect(dates[0].attributes["role"] == nil)
    }
}
