import ClinPipeCore
import PainScoreStage
import Testing

@Test func findsScoresAndRangesButNotDatesOrDoses() throws {
    let stage = try PainScoreStage(configuration: .init(), environment: StageEnvironment(stageName: "painscore"))
    var document = Document(id: "t", text: "Pain is rated 4-8/10 and 7/10 at night, VAS 6. Seen 3/10/2015; Norco 5/10 mg.")
    try stage.process(&document)
    let scores = document.annotations.filter { $0.type == "pain_score" }
    #expect(scores.map { String(document.coveredText(of: $0)) } == ["4-8/10", "7/10", "VAS 6"])
    #expect(scores.first?.attributes["min"] == .int(4))
    #expect(scores.first?.attributes["max"] == .int(8))
}
