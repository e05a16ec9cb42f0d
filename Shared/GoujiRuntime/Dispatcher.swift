import DequeModule

/// Pull-based job dispatch with leases. Pure: the ingest service feeds it events.
///
/// A worker asks for work (`request`); it gets the oldest queued job or waits. A job is leased to
/// the worker until `complete`; when the worker goes away (`release`) or a lease times out
/// (`expire`), its jobs return to the front of the queue. A job that lost `maxAttempts` leases
/// is reported as poisoned instead of requeued.
public struct Dispatcher<Worker: Hashable & Sendable, Ticket: Sendable>: Sendable {
    public struct Assignment: Sendable {
        public let worker: Worker
        public let ticket: Ticket
        public let job: String
    }

    public private(set) var queue: Deque<String> = []
    public private(set) var leases: [String: Worker] = [:]
    public private(set) var waiting: Deque<(worker: Worker, ticket: Ticket)> = []
    public private(set) var attempts: [String: Int] = [:]
    public var maxAttempts: Int

    public init(maxAttempts: Int = 5) { self.maxAttempts = maxAttempts }

    /// Queues a job (unless queued or leased already); hands it to a waiting worker if any.
    public mutating func enqueue(_ job: String) -> Assignment? {
        if leases[job] != nil || queue.contains(job) { return nil }
        queue.append(job)
        return assignWaiting()
    }

    /// A worker asks for one job. Returns it, or nil when the worker now waits.
    public mutating func request(worker: Worker, ticket: Ticket) -> Assignment? {
        waiting.append((worker, ticket))
        return assignWaiting()
    }

    /// Pairs waiting workers with queued jobs (at most one pair; call until nil).
    public mutating func assignWaiting() -> Assignment? {
        guard !queue.isEmpty, let w = waiting.popFirst() else { return nil }
        let job = queue.removeFirst()
        leases[job] = w.worker
        attempts[job, default: 0] += 1
        return Assignment(worker: w.worker, ticket: w.ticket, job: job)
    }

    /// The job is done (by its lessee). False when it was not leased (e.g. already redelivered).
    @discardableResult
    public mutating func complete(_ job: String, by worker: Worker? = nil) -> Bool {
        guard let lessee = leases[job], worker == nil || lessee == worker else { return false }
        leases[job] = nil
        attempts[job] = nil
        return true
    }

    /// Forgets a job entirely (it failed terminally).
    public mutating func drop(_ job: String) {
        leases[job] = nil
        attempts[job] = nil
        queue.removeAll { $0 == job }
    }

    /// The worker is gone: its waiting requests vanish, its leased jobs go back to the front.
    public mutating func release(worker: Worker) -> (requeued: [String], poisoned: [String]) {
        waiting.removeAll { $0.worker == worker }
        let mine = leases.filter { $0.value == worker }.map(\.key).sorted()
        var requeued: [String] = []
        var poisoned: [String] = []
        for job in mine {
            leases[job] = nil
            if attempts[job, default: 0] >= maxAttempts {
                poisoned.append(job)
                attempts[job] = nil
            } else {
                requeued.append(job)
            }
        }
        for job in requeued.reversed() { queue.prepend(job) }
        return (requeued, poisoned)
    }

    public enum ExpireResult: Sendable, Equatable { case notLeased, requeued, poisoned }

    /// A lease timed out: the job goes back to the front (or is poisoned).
    public mutating func expire(_ job: String) -> ExpireResult {
        guard leases[job] != nil else { return .notLeased }
        leases[job] = nil
        if attempts[job, default: 0] >= maxAttempts {
            attempts[job] = nil
            return .poisoned
        }
        queue.prepend(job)
        return .requeued
    }

    public func inFlight(of worker: Worker) -> Int { leases.values.filter { $0 == worker }.count }
    public var queued: Int { queue.count }
    public var leased: Int { leases.count }
}
