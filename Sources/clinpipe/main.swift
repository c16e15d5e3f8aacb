import ClinPipeCLI
import ClinPipeStages

ClinPipeCommand.main(registry: .builtIn)
