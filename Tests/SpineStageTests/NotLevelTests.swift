import ClinPipeTestSupport
import SpineStage
import Testing

/// Things that look like levels and are not: impossible levels, heart sounds, MRI weighting, tumour staging,
/// thyroid and complement labs, EEG electrodes, codes, quantities, vitamins, list labels.
@Suite struct NotLevelTests {
    static let sentences: [String] = [
        // impossible levels
        "There is an L7 vertebra.", "Stenosis at C9.", "Fracture of T13.", "Fusion L5-L3.", "Fusion L4-L4.",
        "Stenosis at S6.", "Fusion L5-L7.",
        // heart sounds
        "HEART: Regular rate and rhythm. Normal S1 and S2. No murmurs.",
        "Cardiovascular: S1, S2 with systolic murmur at the precordium, grade 2/6.",
        "No S3 or S4 gallop.", "S1 and S2 are easily audible.", "There is normal S1, single loud S2.",
        // MRI weighting
        "T2-weighted images show a bright lesion.", "Signal is increased on T2 weighted sequence.",
        "Sagittal T2 series #7 image #5.", "Decreased T1 and increased T2 signal in the right temporal lobe.",
        "There are numerous T2 hyperintense lesions in the periventricular white matter.",
        "A heterogeneous lesion on both T1 and T2 weighted images.",
        "Retrograde femoral nail using a Stryker T2 retrograde nail.",
        // tumour staging
        "Left breast adenocarcinoma stage T3 N1b M0, stage IIIA.", "Tumor staged T2N0M0.",
        "History of a T3 squamous cell carcinoma of the glottis.", "Clinical stage T2, NX, MX.",
        // thyroid, complement, vitamin, chemistry, codes
        "TSH is 1.07 and free T4 is 0.81.", "TSH 5.1, T4 7.9, RPR non-reactive.", "TSH and T3 were normal.",
        "C4 complement: 19 mg/dl.", "C3 and C4 complement levels were low.", "Vitamin B12 905.",
        "Tylenol with codeine T3 one tab q6h.", "CPT 64483 and HCPCS L0650 were billed.", "ICD-10 S13.4XXA, M54.5, S33.5.",
        "Diagnosis code T14.90.",
        // EEG
        "EEG was monitored from C4-A1, C3-A2, O2-A1.", "A single left temporal, T3, spike is seen in sleep.",
        // model numbers, quantities, list labels, region words alone
        "Ahmed valve model S2 implant.", "Physical therapy for the lumbar 2-3 times a week.",
        "Treatment of the lumbar 4 weeks ago.", "Cervical Region, 8 Positions.", "Trigger Point Injections 8 Positions.",
        "L1) Review labs\nL2) Call the patient",
        // vitals and words that contain level-like pieces
        "EXAM: T36.6C, BP 121/85.", "T 98.6, HR 70.", "Pain is 4-8/10.", "Case CM16-0229336.", "Medications: C02 laser.",
    ]

    @Test(arguments: sentences)
    func notALevel(_ sentence: String) throws {
        let seen = try spineAnnotations(sentence)
        #expect(seen.isEmpty, "\(seen)")
    }

    @Test func aListIsCutBeforeAnImpossibleItem() throws {
        let seen = try onlyAnnotation("Fusion L4-5, L5-S1 and L7-S1.")
        #expect(seen?.text == "L4-5, L5-S1")
        #expect(seen?.strings("segments") == ["L4-L5", "L5-S1"])
    }

    @Test func sacralLevelsBesideHeartWordsElsewhereStay() throws {
        // The veto needs every written level to be a heart sound: `L5, S1, S2` is never one.
        let seen = try onlyAnnotation("Bilateral L5, S1, S2, and S3 radiofrequency ablation.")
        #expect(seen?.strings("vertebrae") == ["L5", "S1", "S2", "S3"])
        #expect(seen?.string("side") == "bilateral")
        #expect(try onlyAnnotation("Lateral branches of S1, S2, and S3 were ablated.") != nil)
    }

    @Test func aRootNounOutweighsANearbyCardiacExam() throws {
        let seen = try onlyAnnotation("Left S1 radiculopathy. Heart: regular rate and rhythm, no murmur.")
        #expect(seen?.type == SpineStage.dermatomeType)
        #expect(seen?.text == "S1 radiculopathy")
        #expect(try spineAnnotations("TSH and T4 levels were normal.").isEmpty)
    }

    @Test func thoracicLevelsInSpineSurgeryStay() throws {
        #expect(try onlyAnnotation("Pedicle hooks were placed at T3, T4, and T5.")?.strings("vertebrae") == ["T3", "T4", "T5"])
        #expect(try onlyAnnotation("Closed reduction of a T1 fracture.")?.strings("vertebrae") == ["T1"])
        #expect(try onlyAnnotation("Increased signal in the T3 vertebral body.")?.strings("vertebrae") == ["T3"])
    }
}
