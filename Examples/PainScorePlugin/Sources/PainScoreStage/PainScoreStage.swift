import ClinPipeCore
import ClinPipeText

/// An example custom stage: pain scores on the 0–10 scale (`7/10`, `4-8/10`, `VAS 6`, `pain 5 out of 10`) as
/// `pain_score` annotations with `min`, `max` (integers) and `scale` (10).
///
/// It shows the whole recipe for a stage in another package: a `Configuration` with defaults, patterns compiled
/// once in `init`, matching on the normalized layer's UTF-8 bytes, and spans mapped back to the original text
/// by `addAnnotation(type:layerRange:in:...)`.
public struct PainScoreStage: Stage {
    public struct Configuration: StageConfiguration {
        /// The highest score accepted (scores above it are not pain scores).
        public var maximum: Int = 10
        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "painscore",
        summary: "Pain scores on a 0-10 scale (7/10, 4-8/10, VAS 6)",
        produces: ["pain_score"])

    private let pattern: PCRE2Pattern
    private let maximum: Int
    private let stageName: String

    public init(configuration: Configuration, environment: StageEnvironment) throws {
        // `(?<!/)` keeps dates such as 3/10/2015 and doses such as 5/10 mg out: a score is followed by no digit,
        // slash or "mg".
        pattern = try PCRE2Pattern(
            #"(?<![\d/.-])(?:(?<low>\d{1,2})\s*(?:-|to)\s*)?(?<high>\d{1,2})\s*(?:/|out\s+of\s+)10(?![\d/])(?!\s*mg)|\bVAS\s*(?:score\s*)?(?:of\s*)?(?<vas>\d{1,2})\b"#,
            options: [.caseless])
        maximum = configuration.maximum
        stageName = environment.stageName
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        var found: [(Range<Int>, Int, Int)] = []
        try layer.text.withUTF8Bytes { bytes in
            try pattern.forEachMatch(in: bytes) { match in
                func number(_ name: String) -> Int? {
                    match.range(name).flatMap { Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)) }
                }
                let high = number("high") ?? number("vas")
                let low = number("low") ?? high
                if let high, let low, low <= high, high <= maximum { found.append((match.range, low, high)) }
                return true
            }
        }
        for (range, low, high) in found {
            try document.addAnnotation(type: "pain_score", layerRange: range, in: layer,
                                       attributes: ["min": .int(low), "max": .int(high), "scale": 10],
                                       provenance: Provenance(stage: stageName))
        }
    }
}
