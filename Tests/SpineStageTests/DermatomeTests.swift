import ClinPipeTestSupport
import SpineStage
import Testing

/// Dermatomes, myotomes and nerve roots: the head noun or preceding cue that makes levels roots, the span, and the
/// `roots`, `kind` and `side` attributes.
@Suite struct DermatomeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var marked: String
        var roots: [String]
        var kind: String
        var side: String? = nil
        var segments: [String]? = nil
        var testDescription: String { marked }
    }

    static let cases: [Case] = [
        Case(marked: "Numbness in the [[L5 dermatome]].", roots: ["L5"], kind: "dermatome"),
        Case(marked: "Decreased sensation at the left [[L4, L5, and S1 dermatomes]].", roots: ["L4", "L5", "S1"],
             kind: "dermatome", side: "left"),
        Case(marked: "Decreased sensation in the [[L4, L5 and S1 dermatomes]].", roots: ["L4", "L5", "S1"],
             kind: "dermatome"),
        Case(marked: "Pain radiates in a [[C6 distribution]] to the wrist.", roots: ["C6"], kind: "dermatome"),
        Case(marked: "Pain radiates in an [[L5 distribution]].", roots: ["L5"], kind: "dermatome"),
        Case(marked: "Weakness in an [[L5 distribution]].", roots: ["L5"], kind: "myotome"),
        Case(marked: "EMG shows a right [[S1 radiculopathy]].", roots: ["S1"], kind: "root", side: "right"),
        Case(marked: "Objective findings include decreased sensation at [[L4, L5 motor distribution]] bilaterally.",
             roots: ["L4", "L5"], kind: "myotome", side: "bilateral"),
        Case(marked: "Decreased sensation at [[L4]].", roots: ["L4"], kind: "dermatome"),
        Case(marked: "Decreased sensation in the cervical spine bilaterally at [[C7 and C8]].", roots: ["C7", "C8"],
             kind: "dermatome", side: "bilateral"),
        Case(marked: "Findings consistent with [[C5-6 radiculopathy]].", roots: ["C5", "C6"], kind: "root",
             segments: ["C5-C6"]),
        Case(marked: "Lumbar disc protrusion with [[S1 impingement]].", roots: ["S1"], kind: "root"),
        Case(marked: "Decompression of right [[L5 and S1 nerve roots]].", roots: ["L5", "S1"], kind: "root",
             side: "right"),
        Case(marked: "Weakness in the [[L4 myotome]].", roots: ["L4"], kind: "myotome"),
        Case(marked: "Paraplegia and [[T6 sensory level]].", roots: ["T6"], kind: "dermatome"),
        Case(marked: "A mild right [[L5 versus S1 radiculopathy]].", roots: ["L5", "S1"], kind: "root", side: "right"),
        Case(marked: "His [[C-6 distribution]] numbness.", roots: ["C6"], kind: "dermatome"),
        Case(marked: "Exiting nerve roots at [[T11 and T12]] were visualized.", roots: ["T11", "T12"], kind: "root"),
        Case(marked: "Chronic left [[C8/T1 denervation]].", roots: ["C8", "T1"], kind: "root", side: "left"),
        Case(marked: "Left [[C8 radiculopathy]] (double crush syndrome).", roots: ["C8"], kind: "root", side: "left"),
        Case(marked: "Sensory loss across [[C5-T1 dermatomes]].", roots: ["C5", "C6", "C7", "C8", "T1"], kind: "dermatome"),
        Case(marked: "Triceps ([[C7-8]]) shows sharps.", roots: ["C7", "C8"], kind: "root"),
    ]

    @Test(arguments: cases)
    func dermatome(_ example: Case) throws {
        let marked = MarkedText(example.marked)
        let seen = try spineAnnotations(marked.text)
        let ranges = try spineRanges(marked.text, type: SpineStage.dermatomeType)
        #expect(ranges == marked.spans)
        #expect(seen.count == 1)
        guard let only = seen.first, only.type == SpineStage.dermatomeType else { return }
        #expect(only.strings("roots") == example.roots)
        #expect(only.string("kind") == example.kind)
        #expect(only.string("side") == example.side)
        #expect(only.strings("segments") == example.segments)
    }

    @Test func sensoryCueMustBeInTheSameClause() throws {
        #expect(try onlyAnnotation("Sensation is intact. MRI shows a fracture at L4.")?.type == SpineStage.levelType)
        #expect(try onlyAnnotation("Numbness in the feet; tenderness at L5.")?.type == SpineStage.levelType)
    }

    @Test func aLevelNounKeepsALevel() throws {
        let seen = try onlyAnnotation("Numbness and tingling with an L4 compression fracture.")
        #expect(seen?.type == SpineStage.levelType)
        #expect(seen?.text == "L4")
    }

    @Test func discSegmentsAfterASensoryCueStayLevels() throws {
        // `improved sensation from lumbar 4-5 and lumbar 5-sacral 1 bilaterally` (a seed letter).
        let seen = try onlyAnnotation("Improved sensation from lumbar 4-5 and lumbar 5-sacral 1 bilaterally.")
        #expect(seen?.type == SpineStage.levelType)
        #expect(seen?.strings("segments") == ["L4-L5", "L5-S1"])
        #expect(seen?.string("side") == "bilateral")
    }

    @Test func c8IsARootNeverAVertebra() throws {
        #expect(try onlyAnnotation("Weakness at C8.")?.type == SpineStage.dermatomeType)
        #expect(try spineAnnotations("A fracture of the C8 vertebra.").isEmpty)
    }

    @Test func provenanceNamesTheCue() throws {
        let document = try runSpine("Right S1 radiculopathy.")
        #expect(document.annotations.first?.provenance.rule?.hasPrefix("cues.tsv:") == true)
        let level = try runSpine("Fusion at L4-5.")
        #expect(level.annotations.first?.provenance.rule?.hasPrefix("mentions.tsv:") == true)
    }
}
