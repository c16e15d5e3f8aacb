import ClinPipeCLI
import ClinPipeStages
import PainScoreStage

// The whole clinpipe command line, with one more stage available by name ("painscore") and added to the default
// pipeline by passing `--stages normalize sentences painscore` or a pipeline file.
ClinPipeCommand.main(registry: StageRegistry.builtIn.registering(PainScoreStage.self))
