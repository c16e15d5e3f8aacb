import ClinPipeCore
import ClinPipeTestSupport
import DatesStage
import Testing

/// What must never be a date, in real sentences. A marked span, where present, is the one real date nearby.
@Suite struct DateNegativeTests {
    @Test(arguments: [
        // Pain scores and fractions.
        "She rates her pain \nlevel 4-8/10. The treatment plan includes a request for authorization",
        "Paint store is 4-5/10. Electrodiagnostic studies were performed",
        "Per the doctor's note dated [[12-21-16]], she had neck pain at 7/10.",
        "received a gait score of 6-8/12 and a balance of score of 12/16 for a total score of 18-20/28.",
        // Spinal levels.
        "Ultrasound guided Lumbar Paraspinal Muscle Trigger Point Injections at L4-5, L5- S1",
        "decompression at T10-11-12 and fusion at C5-6-7 were discussed",
        // Doses.
        "Hydrocodone 10/500 mg p.r.n., Norco 10/325mg #60, Percocet 5/325 one tablet every 6 hours",
        "Lortab 7.5/500 mg 1 to 2 q.6 h. p.r.n.  #60 with 1 refill",
        // Blood pressure and other measurements.
        "temperature is 97.7, pulse 84, blood pressure 126/80, respiratory rate was 20.",
        "Vitals: blood pressure 120/80, pulse 72; BP 120/80/60 on repeat.",
        "Pulmonary arterial pressures were noted to be 31/14/21 mmHg.",
        // Phone-like numbers, CPT codes, case numbers, counts.
        "for the sets of counseling #713-263-0829. Call 1-800-555-1212 for questions.",
        "TPI 20553 X6 in the Right Lumbar Paraspinals DOS [[12/29/15]]:  Upheld",
        "Case Number: CM16-0229336 Date Assigned: [[12/05/2016]]",
        "Physical Therapy 2x8 for the Lumbar Spine:  Upheld",
        "the current request is for trigger point injections x6 in the right lumbar paraspinals, 1-2 p.o. q.4-6h.",
        "Physical Medicine Page(s): 98-99 of 127. Trigger point injections Page(s): 122 of 127.",
        // Guideline titles, editions and citations carry years that are not dates of the case.
        "Claims Administrator guideline: Decision based on MTUS Acupuncture Treatment 2007.",
        "Decision based on MTUS Chronic Pain Medical Treatment \n\n2009, Section(s): Trigger point injections.",
        "Decision rationale: The California MTUS 2016 Chronic Pain Guidelines state",
        "ties with assistive devices. (Colorado, 2002) (Airaksinen, 2006) improving range of motion",
        // Impossible dates.
        "who sustained an industrial injury on 13/45/2014 to the right hip and back.",
        "Physician notes dated 2/30/2015 show complaints of low back pain",
        "Physician notes dated 2/29/2015 show complaints, and again on 4/31/15 and 00/12/2015.",
        "On December 9, 3026, a request for an MRI was made.",
        // Month/day without a year, and "may" the verb.
        "He was seen on 3/25 and the request may 2014 be reviewed.",
        // A three-digit year.
        "the first day of her last menstrual cycle was 08/23/207 and she reports",
    ])
    func findsNoFalseDate(_ marked: String) throws {
        try DatesFixture.expectSpans(marked)
    }

    /// February 29 exists in leap years only, also when the century is inferred.
    @Test func leapDays() throws {
        try DatesFixture.expectSpans("notes dated [[2/29/2016]] and 2/29/2015; DOS [[2/29/16]] and 2/29/15")
        #expect(try DatesFixture.single("seen on 02-29-2000")?.string("value") == "2000-02-29")
        #expect(try DatesFixture.single("seen on 02-29-1900") == nil)
    }

    /// A bare year followed by a unit is a quantity.
    @Test func cuedYearWithAUnitIsAQuantity() throws {
        try DatesFixture.expectSpans("titrated up to 2000 mg daily, before 2000 mg was reached; seen in [[2014]].")
    }
}
