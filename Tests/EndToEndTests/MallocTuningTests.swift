import ClinPipeCLI
import Testing

/// When the command line tool starts itself again with a larger malloc cache (see `MallocTuning`).
@Suite struct MallocTuningTests {
    @Test("only the streaming commands restart, once, and never against the user's own setting or the switch")
    func restartDecision() {
        let none: [String: String] = [:]
        for command in ["run", "bench", "evaluate", "evaluate-synth"] {
            #expect(MallocTuning.shouldRestart(arguments: ["clinpipe", command, "in.jsonl"], environment: none), "\(command)")
            // The started copy sees the variable it was given and runs as it is.
            #expect(!MallocTuning.shouldRestart(arguments: ["clinpipe", command],
                                                environment: ["GLIBC_TUNABLES": MallocTuning.tunables]))
            #expect(!MallocTuning.shouldRestart(arguments: ["clinpipe", command],
                                                environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=1"]))
            #expect(!MallocTuning.shouldRestart(arguments: ["clinpipe", command], environment: ["CLINPIPE_MALLOC_TUNING": "0"]))
            #expect(MallocTuning.shouldRestart(arguments: ["clinpipe", command], environment: ["CLINPIPE_MALLOC_TUNING": "1"]))
        }
        for arguments in [["clinpipe"], ["clinpipe", "--help"], ["clinpipe", "stages"], ["clinpipe", "corpus", "synth"],
                          ["clinpipe", "config"], ["clinpipe", "Run"]]
        {
            #expect(!MallocTuning.shouldRestart(arguments: arguments, environment: none), "\(arguments)")
        }
        #expect(MallocTuning.tunables.hasPrefix("glibc.malloc.tcache_count="))
    }
}
