import ClinPipeCLI
import ClinPipeStages

MallocTuning.restartIfUseful()  // streaming commands: once, with a larger malloc cache (see MallocTuning)
ClinPipeCommand.main(registry: .builtIn)
