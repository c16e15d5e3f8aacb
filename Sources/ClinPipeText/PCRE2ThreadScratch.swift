import CPCRE2
#if canImport(Glibc)
import Glibc
#endif

/// Per-thread PCRE2 state: match data, a match context carrying the limits, and a JIT stack.
///
/// PCRE2 compiled code is shareable, but match data and JIT stacks are not; each thread gets its own, created on
/// first use and freed when the thread exits. One scratch serves every pattern on that thread (the ovector holds
/// `ovectorPairs` pairs; patterns with more groups are refused at compile time).
final class PCRE2ThreadScratch {
    static let ovectorPairs: UInt32 = 128
    /// `PCRE2_UNSET` (not imported into Swift: it is `~(PCRE2_SIZE)0`).
    static let unset = Int(bitPattern: UInt(bitPattern: -1))
    /// A valid pointer for empty subjects.
    nonisolated(unsafe) static let emptySubject: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    /// One match data per nesting level, so a callback may run another pattern on the same thread.
    private var matchDataStack: [OpaquePointer] = []
    private var depth = 0
    let matchContext: OpaquePointer
    let jitStack: OpaquePointer?
    private(set) var limits: PCRE2Pattern.Limits

    private init(limits: PCRE2Pattern.Limits) {
        matchContext = pcre2_match_context_create_8(nil)!
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
        self.limits = limits
        apply(limits)
    }

    deinit {
        for matchData in matchDataStack { pcre2_match_data_free_8(matchData) }
        pcre2_match_context_free_8(matchContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    private func apply(_ limits: PCRE2Pattern.Limits) {
        pcre2_set_match_limit_8(matchContext, limits.matchLimit)
        pcre2_set_depth_limit_8(matchContext, limits.depthLimit)
        pcre2_set_heap_limit_8(matchContext, limits.heapLimitKiB)
        self.limits = limits
    }

    /// Takes the match data for the next nesting level; pair with `leave()`.
    func enter() -> OpaquePointer {
        if depth == matchDataStack.count { matchDataStack.append(pcre2_match_data_create_8(Self.ovectorPairs, nil)!) }
        depth += 1
        return matchDataStack[depth - 1]
    }

    func leave() { depth -= 1 }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<PCRE2ThreadScratch>.fromOpaque(pointer).release()
        }
        precondition(status == 0, "pthread_key_create failed")
        return key
    }()

    /// This thread's scratch, with `limits` applied.
    static func current(for limits: PCRE2Pattern.Limits) -> PCRE2ThreadScratch {
        if let pointer = pthread_getspecific(key) {
            let scratch = Unmanaged<PCRE2ThreadScratch>.fromOpaque(pointer).takeUnretainedValue()
            if scratch.limits != limits { scratch.apply(limits) }
            return scratch
        }
        let scratch = PCRE2ThreadScratch(limits: limits)
        pthread_setspecific(key, Unmanaged.passRetained(scratch).toOpaque())
        return scratch
    }
}
