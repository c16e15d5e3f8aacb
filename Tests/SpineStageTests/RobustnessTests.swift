import ClinPipeCore
import ClinPipeTestSupport
import SpineStage
import Testing

/// Random mixtures of level-like fragments, punctuation, cue words and non-ASCII text: the stage never throws,
/// every span lies on character boundaries (checked by `Document.addAnnotation`), spans never overlap, and every
/// annotation carries its list of levels.
@Suite struct RobustnessTests {
    static let fragments = [
        "L4", "L5", "S1", "C8", "T12", "L7", "C5", "T2", "S2", "-", "–", "/", "5", "6", "1", " ", "  ", ", ", " and ",
        " through ", " to ", "\n", "\n\n", ".", ";", "(", ")", "lumbar ", "sacral ", "cervical ", "dermatome",
        " dermatomes", " distribution", " radiculopathy", " nerve root", " motor", "left ", "right ", "bilaterally",
        " weighted", "murmur", "TSH", "free ", "stage ", "N1", "é", "–", "—", "\u{2212}", "µ", "L45", "L5S1", "x",
        "sensation at ", "+2/2", " vertebra", " fracture",
    ]

    @Test func randomTexts() throws {
        var generator = SeededGenerator(seed: 2024)
        var annotated = 0
        for _ in 0..<3000 {
            let count = Int(generator.next() % 24) + 1
            var text = ""
            for _ in 0..<count { text += Self.fragments[Int(generator.next() % UInt64(Self.fragments.count))] }
            let document = try runSpine(text)
            let ranges = document.annotations.map(\.range).sorted { $0.lowerBound < $1.lowerBound }
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound <= b.lowerBound, "\(text.debugDescription)") }
            for annotation in document.annotations {
                let levels = annotation.attributes["segments"] ?? annotation.attributes["vertebrae"] ?? annotation.attributes["roots"]
                #expect(levels?.listValue?.isEmpty == false, "\(text.debugDescription)")
            }
            annotated += document.annotations.count
        }
        #expect(annotated > 1000)
    }
}
