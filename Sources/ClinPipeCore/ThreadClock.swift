#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The processor time of the calling thread.
public enum ThreadClock {
    /// Nanoseconds of processor time (user and system) the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`).
    /// Only differences between two readings on the same thread mean anything.
    public static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
