import ClinPipeCore
import DatesStage
import LexiconStage

@_exported import ClinPipeCore

extension StageRegistry {
    /// Every stage that ships with ClinPipe.
    public static let builtIn: StageRegistry = {
        var registry = StageRegistry()
        registry.register(LexiconStage.self)
        registry.register(DatesStage.self)
        return registry
    }()
}

extension PipelineConfiguration {
    /// The pipeline `clinpipe run` uses without `--pipeline`: every built-in stage that applies to any document,
    /// in order. The generic `lexicon` stage needs lexicon files, so it is not in the default pipeline.
    public static let defaultPipeline = PipelineConfiguration(stageNames: [
        "dates",
    ])
}
