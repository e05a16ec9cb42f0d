import Foundation

/// CPU time, for figures that should not move when the machine is shared: a stage's time is the
/// CPU time its thread used, so time spent waiting while other processes run is not counted (wall
/// clock on a busy 2-core machine moved the same build's figures by 40%).
enum CPUTime {
    /// CPU time used so far by this process (`CLOCK_PROCESS_CPUTIME_ID`), in seconds.
    static func processSeconds() -> Double {
        seconds(CLOCK_PROCESS_CPUTIME_ID)
    }

    /// The CPU time the calling thread used while `body` ran (`CLOCK_THREAD_CPUTIME_ID`).
    static func measure(_ body: () -> Void) -> Duration {
        let start = seconds(CLOCK_THREAD_CPUTIME_ID)
        body()
        return .nanoseconds(Int64(((seconds(CLOCK_THREAD_CPUTIME_ID) - start) * 1e9).rounded()))
    }

    private static func seconds(_ clock: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
