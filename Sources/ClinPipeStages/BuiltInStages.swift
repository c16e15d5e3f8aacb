import ClinPipeCore
import ContextStage
import DatesStage
import DrugsStage
import LexiconStage
import NormalizeStage
import OutcomeStage
import SectionsStage
import SentencesStage
import SpineStage

@_exported import ClinPipeCore

extension StageRegistry {
    /// Every stage that ships with ClinPipe, in pipeline order.
    public static let builtIn: StageRegistry = {
        var registry = StageRegistry()
        registry.register(NormalizeStage.self)
        registry.register(SentencesStage.self)
        registry.register(SectionsStage.self)
        registry.register(DatesStage.self)
        registry.register(DrugsStage.self)
        registry.register(SpineStage.self)
        registry.register(ContextStage.self)
        registry.register(OutcomeStage.self)
        registry.register(LexiconStage.self)
        return registry
    }()
}

extension PipelineConfiguration {
    /// The pipeline `clinpipe run` uses without `--pipeline`: every built-in stage that applies to any document,
    /// in order. The generic `lexicon` stage needs lexicon files, so it is not in the default pipeline.
    public static let defaultPipeline = PipelineConfiguration(stageNames: [
        "normalize", "sentences", "sections", "dates", "drugs", "spine", "context", "outcome",
    ])
}
