import ClinPipeCore
import ClinPipeEvaluation
import Testing

@Test func parsesBratTextBoundAnnotationsAndIgnoresOtherLines() throws {
    let text = "T1\tdate 10 20\t11/27/1986\n#1\tAnnotatorNotes T1\tnote\nA1\tNegated T1\nT2\tspine.level 5 9;12 15\tL4-5 x\n"
    let spans = try StandoffFile.parse(text, name: "x.ann")
    #expect(spans == [LabeledSpan(type: "date", begin: 10, end: 20, text: "11/27/1986"),
                      LabeledSpan(type: "spine.level", begin: 5, end: 15, text: "L4-5 x")])
    #expect(throws: StandoffError.self) { try StandoffFile.parse("T1\tdate ten 20\tx\n", name: "bad.ann") }
}

@Test func countsExactAndOverlapMatchesPerType() {
    var evaluation = SpanEvaluation()
    let gold = [LabeledSpan(type: "drug", begin: 0, end: 5), LabeledSpan(type: "drug", begin: 10, end: 15),
                LabeledSpan(type: "date", begin: 20, end: 30)]
    let predicted = [LabeledSpan(type: "drug", begin: 0, end: 5), LabeledSpan(type: "drug", begin: 10, end: 13),
                     LabeledSpan(type: "drug", begin: 40, end: 45), LabeledSpan(type: "sentence", begin: 0, end: 50)]
    evaluation.add(document: "d", gold: gold, predicted: predicted)
    #expect(evaluation.exact["drug"] == PRF(truePositives: 1, predicted: 3, gold: 2))
    #expect(evaluation.overlap["drug"] == PRF(truePositives: 2, predicted: 3, gold: 2))
    #expect(evaluation.exact["date"] == PRF(truePositives: 0, predicted: 0, gold: 1))
    #expect(evaluation.exact["sentence"] == nil)
    #expect(abs(evaluation.overlap["drug"]!.f1 - 0.8) < 1e-9)
    #expect(evaluation.differences.count == 4)
    #expect(evaluation.report().contains("drug"))
}
