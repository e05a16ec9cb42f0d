/// How a supervisor restarts a crashed child: exponential backoff, and an intensity limit as in
/// Erlang/OTP (more than `intensity` restarts within `periodSeconds` → give up, state `failed`).
public struct RestartPolicy: Sendable, Equatable {
    public var intensity: Int
    public var periodSeconds: Double
    public var backoffInitialMs: Int
    public var backoffMaxMs: Int

    public init(intensity: Int, periodSeconds: Double, backoffInitialMs: Int, backoffMaxMs: Int) {
        self.intensity = intensity
        self.periodSeconds = periodSeconds
        self.backoffInitialMs = backoffInitialMs
        self.backoffMaxMs = backoffMaxMs
    }

    /// Delay before a restart when `recent` restarts already happened inside the window.
    public func backoffMs(recent: Int) -> Int {
        var d = max(backoffInitialMs, 0)
        var i = 0
        while i < recent && d < backoffMaxMs {
            d *= 2
            i += 1
        }
        return min(d, backoffMaxMs)
    }
}

/// What to do after a child exited unexpectedly.
public enum RestartDecision: Sendable, Equatable {
    case restart(afterMs: Int)
    case giveUp
}

/// The restart history of one child instance. Pure: time is passed in (seconds, monotonic).
public struct RestartTracker: Sendable, Equatable {
    public let policy: RestartPolicy
    /// Times of the restarts still inside the window.
    public private(set) var recent: [Double] = []
    /// Every restart since the instance was created.
    public private(set) var total = 0

    public init(policy: RestartPolicy) { self.policy = policy }

    /// Records a crash at `now` and decides. A give-up does not count as a restart.
    public mutating func childExited(at now: Double) -> RestartDecision {
        recent.removeAll { now - $0 > policy.periodSeconds }
        if recent.count >= policy.intensity { return .giveUp }
        let delay = policy.backoffMs(recent: recent.count)
        recent.append(now)
        total += 1
        return .restart(afterMs: delay)
    }
}

/// The life of a supervised instance, as `gouji status` prints it.
public enum InstanceState: String, Codable, Sendable {
    /// Spawned, not yet said hello.
    case starting
    case running
    /// Crashed, waiting for its backoff delay.
    case restarting
    /// Finishing in-flight work before it stops.
    case draining
    case stopped
    /// Past the restart intensity: not restarted any more.
    case failed
}
