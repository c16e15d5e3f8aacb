import ClinPipeTestSupport
import SpineStage
import Testing

/// Short sentences copied from real notes (DWC IMR letters in `../shared/corpora/imr-dev` and MTSamples), with
/// the expected spans marked inline: `{{...}}` for `spine.level`, `[[...]]` for `spine.dermatome`.
@Suite struct RealSentenceTests {
    static let sentences: [String] = [
        // IMR letters
        "and decreased [[C5 and C6 dermatome]] sensation. The original utilization review (11-22-16)",
        "thigh distal inner thigh at the {{L1-L3}}. The treatment plan included additional physical therapy.",
        "There was palpation noted at {{C4-T5 and L1-5}} paraspinal muscle hypertonicity.",
        "paravertebral musculature spasms and tenderness at {{L1-L5}} and restricted range of motion.",
        "facet degeneration at {{L4-5}}, trace annular bulging and facet degeneration with mild thecal sac",
        "narrowing and minimal foraminal narrowing at {{L3-4}} with a small posterior disc protrusion,",
        "reveals spondylosis with a {{C3-4}} anterolisthesis. Given the prior history of symptoms and",
        "4 out of 5 strength and decreased sensation [[C5 and C6 dermatomes]]. The Request for Authorization",
        "diminished sensation in the right [[L4 and L5 dermatomes]] of the lower extremities.",
        "includes a MRI to rule out compression fracture at {{T10}}, and reduce the Hydrocodone",
        "pain was located at left and right {{L4 and L5}}. The pain was rated 5 out of 10.",
        "initial x-rays reveal signs of degeneration at the {{L5/S1}} disc.",
        "was decreased sensation in the cervical spine bilaterally at [[C7 and C8]]. The treatment plan",
        "the right lower lumbar paraspinal muscles from {{L3 through L5}} with lumbar flexion mildly",
        "cervical paraspinal muscles from the {{cervical 1 to cervical 7}} levels, tenderness to the upper",
        "Objective findings dated 1-9-17 were notable for posterior radiculopathy to the left leg.",
        // MTSamples
        "Anterior cervical discectomy and fusions {{C4-5, C5-6, C6-7}} using Bengal cages and Slimlock plate {{C4 to C7}}.",
        "Recurrent degenerative spondylolisthesis and stenosis at {{L4-5 and L5-S1}} with {{L3}} compression fracture.",
        "Foraminal disc herniation of left {{L3-L4}}.",
        "Enlarged dorsal root ganglia of the left [[L3 nerve root]].",
        "Left leg weakness, Left [[L3-4 radicular pain]], Left, [[L4-5 radicular pain]], Lumbar spondylosis.",
        "Normal S1 and S2. No S3 or S4. She has a 2/6 systolic ejection murmur.",
        "Upgoing pedicle hooks were placed at {{T3, T4, and T5}}. A downgoing laminar hook was placed at the {{T7}} level.",
        "Spinal osteotomies were performed at {{T7-T8 and T8-T9}}.",
        "MRI scan shows a very degenerated disk at {{L5-S1}}, less so at {{L3-L4 and L4-L5}}.",
        "Bilateral {{L5, S1, S2, and S3}} radiofrequency ablation.",
        "Lumbar discogram {{L2-3, L3-4, L4-5, and L5-S1}}.",
        "Oblique and lateral fluoroscopic images of the {{L1-2 through L5-S1}} levels were obtained.",
        "Symptomatic disk herniation, {{C7-T1}}.",
        "These were performed from {{T11-L3}}. This was over 5 levels.",
        "Pain radiates down the left arm in a [[C6 distribution]] to the level of the wrist.",
        "This 62-year-old man has progressive and intractable right [[C4 radiculopathy]] with neck and shoulder pain.",
        "Sensory: [[T6 sensory level]] to LT/PP, bilaterally.",
        "revealed decreased pinprick and light touch below [[T9]] (old).",
        "MRI scan, 8/16/95, revealed increased signal on T2-weighted images in Wernicke's area.",
        "Left breast adenocarcinoma stage T3 N1b M0, stage IIIA.",
        "C4 complement: 19 mg/dl. Rheumatoid factor: 52 U/ml.",
        "Transpedicular approaches were carried out for both [[L4 and L5 roots]] working lateral to medial.",
        "Nerve root decompression at {{L45}} on the left side.",
        "Bilateral facet Arthrogram at {{L34, L45, L5S1}}.",
        "Screws were placed at {{L4-l5}}. This was to allow distraction.",
        "Cervical spinal stenosis, {{C3-c4 and C4-C5}}.",
        "It reveals the following: 1. A mild right [[L5 versus S1 radiculopathy]]. 2. Left [[S1 nerve root irritation]].",
        "The findings were consistent with a [[C6-7 radiculopathy]].",
        "Muscle stretch reflexes: patellar +0/2 bilaterally, and [[S1 +2/2]] bilaterally.",
        "He would suggest right-sided [[S1 selective nerve root blocks]] to help.",
        "Retrograde femoral nail using a striker T2 retrograde nail 10 x 340.",
        "EEG was monitored from C4-A1, C3-A2, O2-A1 and O2-A1.",
        "TSH 0.28, free T4 1.34, total T4 12.4 and glucose 105.",
    ]

    @Test(arguments: sentences)
    func sentence(_ marked: String) throws {
        let levels = MarkedText(marked.replacingOccurrences(of: "[[", with: "").replacingOccurrences(of: "]]", with: ""),
                                open: "{{", close: "}}")
        let dermatomes = MarkedText(marked.replacingOccurrences(of: "{{", with: "").replacingOccurrences(of: "}}", with: ""))
        #expect(levels.text == dermatomes.text)
        #expect(try spineRanges(levels.text, type: SpineStage.levelType) == levels.spans)
        #expect(try spineRanges(levels.text, type: SpineStage.dermatomeType) == dermatomes.spans)
    }
}
