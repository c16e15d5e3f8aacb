import ClinPipeText

/// One pattern that matches somewhere in a text exactly when one of several cue patterns does: their alternation
/// `(?:p1)|(?:p2)|…`, compiled once. The stage asks it first and runs the cues one by one only where it matches,
/// so a window with no cue costs one PCRE2 call instead of one per cue.
///
/// The alternation matches somewhere iff some member does only when the members cannot see each other: so members
/// must have no capturing groups (no numbered references to shift), no backtracking verbs such as `(*COMMIT)` (which
/// would cut the other alternatives), no whole-pattern recursion `(?R)`/`(?0)` and no conditionals, and all share
/// one set of compile options and limits. `init` returns nil otherwise (the caller then runs every cue).
struct PatternUnion: Sendable {
    let pattern: PCRE2Pattern

    init?(_ members: [PCRE2Pattern]) {
        guard let first = members.first else { return nil }
        for member in members {
            guard member.captureCount == 0, member.options == first.options, member.limits == first.limits,
                  member.anchor == nil,
                  !["(*", "(?R", "(?0", "(?("].contains(where: { member.pattern.contains($0) })
            else { return nil }
        }
        let source = members.map { "(?:\($0.pattern))" }.joined(separator: "|")
        guard let union = try? PCRE2Pattern(source, options: first.options, limits: first.limits) else { return nil }
        pattern = union
    }

    /// Whether some member matches in `range` of `window` (false for an empty range, like `ContextWindow.matches`).
    func matches(in window: ContextWindow, _ range: Range<Int>) throws -> Bool {
        try window.matches(pattern, in: range)
    }
}
