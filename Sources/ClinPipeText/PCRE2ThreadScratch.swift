import CPCRE2
#if canImport(Glibc)
import Glibc
#endif

/// Per-thread PCRE2 state: match data, a match context carrying the limits, and a JIT stack.
///
/// PCRE2 compiled code is shareable, but match data and JIT stacks are not; each thread gets its own, created on
/// first use and freed when the thread exits. One scratch serves every pattern on that thread (the ovector holds
/// `ovectorPairs` pairs; patterns with more groups are refused at compile time).
///
/// A scratch is a pointer to the thread's state, not an object: looking it up on every match call costs a
/// `pthread_getspecific` and no reference counting. It must not leave the thread that looked it up.
struct PCRE2ThreadScratch {
    static let ovectorPairs: UInt32 = 128
    /// `PCRE2_UNSET` (not imported into Swift: it is `~(PCRE2_SIZE)0`).
    static let unset = Int(bitPattern: UInt(bitPattern: -1))
    /// A valid pointer for empty subjects.
    nonisolated(unsafe) static let emptySubject: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    /// The thread's state, owned by the thread-specific slot (freed by its destructor).
    private struct State {
        let matchContext: OpaquePointer
        let jitStack: OpaquePointer?
        /// One match data per nesting level, so a callback may run another pattern on the same thread; created on
        /// first use of a level.
        var matchData: UnsafeMutablePointer<OpaquePointer?>
        var capacity: Int
        var depth: Int
        /// The limits the match context carries now.
        var limits: PCRE2Pattern.Limits
    }

    private let state: UnsafeMutablePointer<State>

    var matchContext: OpaquePointer { state.pointee.matchContext }
    /// The limits the match context carries now.
    var limits: PCRE2Pattern.Limits { state.pointee.limits }

    private init(state: UnsafeMutablePointer<State>) { self.state = state }

    /// A new state for this thread, with `limits` applied.
    private static func makeState(limits: PCRE2Pattern.Limits) -> UnsafeMutablePointer<State> {
        let matchContext = pcre2_match_context_create_8(nil)!
        let jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
        let capacity = 8
        let matchData = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: capacity)
        matchData.initialize(repeating: nil, count: capacity)
        let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State(matchContext: matchContext, jitStack: jitStack, matchData: matchData,
                                   capacity: capacity, depth: 0, limits: limits))
        PCRE2ThreadScratch(state: state).apply(limits)
        return state
    }

    /// Frees a state made by `makeState` (the thread-specific slot's destructor).
    private static func freeState(_ state: UnsafeMutablePointer<State>) {
        let current = state.pointee
        for level in 0..<current.capacity { if let data = current.matchData[level] { pcre2_match_data_free_8(data) } }
        current.matchData.deallocate()
        pcre2_match_context_free_8(current.matchContext)
        if let jitStack = current.jitStack { pcre2_jit_stack_free_8(jitStack) }
        state.deinitialize(count: 1)
        state.deallocate()
    }

    private func apply(_ limits: PCRE2Pattern.Limits) {
        pcre2_set_match_limit_8(matchContext, limits.matchLimit)
        pcre2_set_depth_limit_8(matchContext, limits.depthLimit)
        pcre2_set_heap_limit_8(matchContext, limits.heapLimitKiB)
        state.pointee.limits = limits
    }

    /// The match data for a new nesting level; pair with `leave()`.
    @inline(__always) func enter() -> OpaquePointer {
        let depth = state.pointee.depth
        if depth == state.pointee.capacity { grow() }
        state.pointee.depth = depth + 1
        if let data = state.pointee.matchData[depth] { return data }
        let data = pcre2_match_data_create_8(Self.ovectorPairs, nil)!
        state.pointee.matchData[depth] = data
        return data
    }

    @inline(__always) func leave() { state.pointee.depth -= 1 }

    /// Doubles the number of nesting levels (deep nesting only).
    @inline(never) private func grow() {
        let old = state.pointee
        let capacity = old.capacity * 2
        let matchData = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: capacity)
        matchData.initialize(repeating: nil, count: capacity)
        matchData.update(from: old.matchData, count: old.capacity)
        old.matchData.deallocate()
        state.pointee.matchData = matchData
        state.pointee.capacity = capacity
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            PCRE2ThreadScratch.freeState(pointer.assumingMemoryBound(to: State.self))
        }
        precondition(status == 0, "pthread_key_create failed")
        return key
    }()

    /// This thread's scratch, with `limits` applied.
    @inline(__always) static func current(for limits: PCRE2Pattern.Limits) -> PCRE2ThreadScratch {
        if let pointer = pthread_getspecific(key) {
            let scratch = PCRE2ThreadScratch(state: pointer.assumingMemoryBound(to: State.self))
            if scratch.limits != limits { scratch.apply(limits) }
            return scratch
        }
        return firstUse(limits: limits)
    }

    /// Creates this thread's state (its first match).
    @inline(never) private static func firstUse(limits: PCRE2Pattern.Limits) -> PCRE2ThreadScratch {
        let state = makeState(limits: limits)
        pthread_setspecific(key, UnsafeMutableRawPointer(state))
        return PCRE2ThreadScratch(state: state)
    }
}
