// The Normalize stage is being written; it is not registered in StageRegistry.builtIn until it is complete.
