import ClinPipeTestSupport
import SpineStage
import Testing

/// Every written form of a level named in the issue, one per sentence, with its normalized attributes.
@Suite struct WrittenFormTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var marked: String
        var segments: [String]? = nil
        var vertebrae: [String]? = nil
        var region: [String]
        var side: String? = nil
        var testDescription: String { marked }
    }

    static let cases: [Case] = [
        Case(marked: "Disc bulge at [[L4-5]] with stenosis.", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Disc bulge at [[L4-L5]] with stenosis.", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Disc bulge at [[L4/5]] with stenosis.", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Disc bulge at [[L4–5]] with stenosis.", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Disc bulge at [[L4—L5]] with stenosis.", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Disc bulge at [[L4 - 5]] with stenosis.", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Disc bulge at [[L5-S1]] with stenosis.", segments: ["L5-S1"], region: ["lumbar", "sacral"]),
        Case(marked: "Disc bulge at [[L5/S1]] with stenosis.", segments: ["L5-S1"], region: ["lumbar", "sacral"]),
        Case(marked: "Fusion at [[C7-T1]].", segments: ["C7-T1"], region: ["cervical", "thoracic"]),
        Case(marked: "Fracture at the [[T12-L1]] junction.", segments: ["T12-L1"], region: ["thoracic", "lumbar"]),
        Case(marked: "Anterior fusion [[C5-6-7]].", segments: ["C5-C6", "C6-C7"], region: ["cervical"]),
        Case(marked: "Improved sensation from [[lumbar 4-5]] today.", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Tenderness at [[lumbar 5-sacral 1]].", segments: ["L5-S1"], region: ["lumbar", "sacral"]),
        Case(marked: "Compression fracture of [[L4]].", vertebrae: ["L4"], region: ["lumbar"]),
        Case(marked: "Screws were placed at [[L4 and L5]].", vertebrae: ["L4", "L5"], region: ["lumbar"]),
        Case(marked: "Lumbar discogram [[L3-4, L4-5 and L5-S1]].", segments: ["L3-L4", "L4-L5", "L5-S1"],
             region: ["lumbar", "sacral"]),
        Case(marked: "Lumbar discogram [[L2-3, L3-4, L4-5, and L5-S1]].",
             segments: ["L2-L3", "L3-L4", "L4-L5", "L5-S1"], region: ["lumbar", "sacral"]),
        Case(marked: "Stenosis at [[L4-5 and L5-S1]] bilaterally.",
             segments: ["L4-L5", "L5-S1"], region: ["lumbar", "sacral"], side: "bilateral"),
        Case(marked: "Posterior fusion [[L3 through S1]].", segments: ["L3-L4", "L4-L5", "L5-S1"],
             region: ["lumbar", "sacral"]),
        Case(marked: "Posterior fusion [[L3-S1]].", segments: ["L3-L4", "L4-L5", "L5-S1"], region: ["lumbar", "sacral"]),
        Case(marked: "Posterior fusion [[L3 to L5]].", segments: ["L3-L4", "L4-L5"], region: ["lumbar"]),
        Case(marked: "Laminectomy [[C3 thru C5]].", segments: ["C3-C4", "C4-C5"], region: ["cervical"]),
        Case(marked: "Images of the [[L1-2 through L5-S1]] levels.",
             segments: ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"], region: ["lumbar", "sacral"]),
        Case(marked: "Tenderness from the [[cervical 1 to cervical 7]] levels.",
             segments: ["C1-C2", "C2-C3", "C3-C4", "C4-C5", "C5-C6", "C6-C7"], region: ["cervical"]),
        Case(marked: "Palpation noted at [[C4-T5]].",
             segments: ["C4-C5", "C5-C6", "C6-C7", "C7-T1", "T1-T2", "T2-T3", "T3-T4", "T4-T5"],
             region: ["cervical", "thoracic"]),
        Case(marked: "Transitional segment at [[L5-L6]].", segments: ["L5-L6"], region: ["lumbar"]),
        Case(marked: "Fusion [[L4-L6]].", segments: ["L4-L5", "L5-L6"], region: ["lumbar"]),
        Case(marked: "Fusion [[S1-2]].", segments: ["S1-S2"], region: ["sacral"]),
        Case(marked: "Fusion [[L4-S2]].", segments: ["L4-L5", "L5-S1", "S1-S2"], region: ["lumbar", "sacral"]),
        Case(marked: "Screws were placed at [[L4-l5]].", segments: ["L4-L5"], region: ["lumbar"]),
        Case(marked: "Facet injections at [[L34, L45, L5S1]].", segments: ["L3-L4", "L4-L5", "L5-S1"],
             region: ["lumbar", "sacral"]),
        Case(marked: "Microdiskectomy at [[L5-S1]] on the left.", segments: ["L5-S1"], region: ["lumbar", "sacral"],
             side: "left"),
        Case(marked: "Left [[L4-L5]] transforaminal neuroplasty.", segments: ["L4-L5"], region: ["lumbar"], side: "left"),
        Case(marked: "Pain was located at left and right [[L4 and L5]].", vertebrae: ["L4", "L5"], region: ["lumbar"],
             side: "bilateral"),
        Case(marked: "Injection at [[L4-5]] on the right side.", segments: ["L4-L5"], region: ["lumbar"], side: "right"),
        Case(marked: "Ultrasound guided Trigger Point Injections at [[L4-5, L5- S1]] \n\nAcupuncture 6 sessions.",
             segments: ["L4-L5", "L5-S1"], region: ["lumbar", "sacral"]),
        Case(marked: "Stenosis at [[L4-\n5]] is mild.", segments: ["L4-L5"], region: ["lumbar"]),
    ]

    @Test(arguments: cases)
    func level(_ example: Case) throws {
        let marked = MarkedText(example.marked)
        let document = try runSpine(marked.text)
        let levels = document.annotations.filter { $0.type == SpineStage.levelType }
        #expect(levels.map(\.range) == marked.spans)
        #expect(document.annotations.count == levels.count, "no dermatome expected")
        guard let level = levels.first else { return }
        #expect(level.attributes["segments"]?.listValue?.compactMap(\.stringValue) == example.segments)
        #expect(level.attributes["vertebrae"]?.listValue?.compactMap(\.stringValue) == example.vertebrae)
        let region = level.attributes["region"]
        if example.region.count == 1 {
            #expect(region?.stringValue == example.region[0])
        } else {
            #expect(region?.listValue?.compactMap(\.stringValue) == example.region)
        }
        #expect(level.attributes["side"]?.stringValue == example.side)
        #expect(level.provenance.stage == "spine")
    }

    @Test func rangesAreMarkedExpanded() throws {
        #expect(try onlyAnnotation("Fusion L3-S1.")?.attributes["expanded"] == true)
        #expect(try onlyAnnotation("Fusion L3-5.")?.attributes["expanded"] == true)
        #expect(try onlyAnnotation("Fusion L4-5.")?.attributes["expanded"] == nil)
        #expect(try onlyAnnotation("Fusion L4 to L5.")?.attributes["expanded"] == nil)
    }

    @Test func levelsWrittenApartAreSeparate() throws {
        let seen = try spineAnnotations("Bulge at L4-5 with stenosis, and a protrusion at L5-S1. T12 fracture.")
        #expect(seen.map(\.text) == ["L4-5", "L5-S1", "T12"])
    }

    @Test func normalizedDashesAndUnicodeDashesAgree() throws {
        for dash in ["-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"] {
            let seen = try onlyAnnotation("Bulge at L4\(dash)5 and L5\(dash)S1.")
            #expect(seen?.strings("segments") == ["L4-L5", "L5-S1"], "dash U+\(String(dash.unicodeScalars.first!.value, radix: 16))")
        }
    }
}
