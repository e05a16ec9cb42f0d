import CLibUV
import Foundation
import Logging

/// Something that owns libuv handles on a loop. The loop keeps a strong reference to every open
/// resource (so callers need not), and closes them all when it shuts down.
protocol LoopResource: AnyObject {
    /// Close every handle now; called by the loop on shutdown (loop thread).
    func shutdownClose()
}

/// One libuv loop per process, run on one thread.
///
/// Threading rule (why `@unchecked Sendable` is sound): `execute(_:)` and `stop()` may be called
/// from any thread; they touch only the lock-guarded queue and `uv_async_send`. Everything else
/// (scheduling timers, signals, sockets, and every object of this module) is used on the loop
/// thread only; from another thread, hop with `execute`.
public final class EventLoop: @unchecked Sendable {
    let raw: UnsafeMutablePointer<uv_loop_t>
    private let async: UnsafeMutablePointer<uv_async_t>
    private let prepare: UnsafeMutablePointer<uv_prepare_t>
    let logger: Logger

    // Guarded by `lock`.
    private let lock = NSLock()
    private var queued: [@Sendable () -> Void] = []
    private var stopRequested = false
    private var acceptingWork = true

    // Loop thread only.
    private var resources: [ObjectIdentifier: any LoopResource] = [:]
    private var dirty: [FrameConnection] = []
    private var prepareActive = false
    private var ran = false
    private var finished = false
    /// True once `run()` has returned or shutdown began: new handles are not started.
    public private(set) var isShuttingDown = false

    public init() throws {
        raw = .allocate(capacity: 1)
        async = .allocate(capacity: 1)
        prepare = .allocate(capacity: 1)
        logger = Logger(label: "gouji.transport")
        // A peer that vanishes mid-write must give EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let rc = uv_loop_init(raw)
        guard rc == 0 else {
            raw.deallocate(); async.deallocate(); prepare.deallocate()
            throw TransportError.uv("uv_loop_init", rc)
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        raw.pointee.data = me
        uv_async_init(raw, async) { h in
            guard let h, let d = h.pointee.data else { return }
            Unmanaged<EventLoop>.fromOpaque(d).takeUnretainedValue().drainQueue()
        }
        async.pointee.data = me
        uv_prepare_init(raw, prepare)
        prepare.pointee.data = me
    }

    deinit {
        if !finished { shutdown() }
        uv_loop_close(raw)
        raw.deallocate()
        async.deallocate()
        prepare.deallocate()
    }

    /// Runs the loop on the calling thread until `stop()`. On return every handle is closed
    /// (connections get `onClose(nil)`) and the loop cannot run again.
    public func run() {
        guard !ran else { return }
        ran = true
        uv_run(raw, UV_RUN_DEFAULT)
        shutdown()
    }

    /// Asks the loop to stop; `run()` returns after the current iteration. Any thread.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopRequested = true
        if acceptingWork { uv_async_send(async) }
    }

    /// Runs `work` on the loop thread, in order of submission. Any thread. Work submitted after
    /// the loop finished is dropped.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard acceptingWork else { return }
        queued.append(work)
        uv_async_send(async)
    }

    private func drainQueue() {
        lock.lock()
        let work = queued
        queued.removeAll()
        let stopping = stopRequested
        lock.unlock()
        for w in work { w() }
        if stopping { uv_stop(raw) }
    }

    /// Runs `work` after a delay, and then every `repeatMilliseconds` when that is non-zero.
    /// Loop thread only. Cancel with `LoopTimer.cancel()`; a one-shot timer frees itself after firing.
    @discardableResult
    public func schedule(afterMilliseconds: UInt64, repeatMilliseconds: UInt64 = 0,
                         _ work: @escaping () -> Void) -> LoopTimer {
        let t = LoopTimer(loop: self, work: work)
        t.start(after: afterMilliseconds, repeat: repeatMilliseconds)
        return t
    }

    /// Calls `handler` on the loop thread each time the process receives `signum`. Loop thread only.
    public func onSignal(_ signum: Int32, _ handler: @escaping () -> Void) {
        unblockSignal(signum)
        let s = SignalWatcher(loop: self, handler: handler)
        s.start(signum)
    }

    // MARK: resources

    func register(_ r: any LoopResource) { resources[ObjectIdentifier(r)] = r }
    func unregister(_ r: any LoopResource) { resources[ObjectIdentifier(r)] = nil }

    /// Number of open handles owned by this module's objects (for tests and status).
    public var openResourceCount: Int { resources.count }

    // MARK: write batching

    /// Queues `c` to be flushed before the loop next polls: all frames sent during one loop turn go
    /// out in one write.
    func markDirty(_ c: FrameConnection) {
        dirty.append(c)
        if !prepareActive {
            prepareActive = true
            uv_prepare_start(prepare) { h in
                guard let h, let d = h.pointee.data else { return }
                Unmanaged<EventLoop>.fromOpaque(d).takeUnretainedValue().flushDirty()
            }
        }
    }

    private func flushDirty() {
        while !dirty.isEmpty {
            let list = dirty
            dirty.removeAll(keepingCapacity: true)
            for c in list { c.flushFromLoop() }
        }
        if prepareActive {
            prepareActive = false
            uv_prepare_stop(prepare)
        }
    }

    // MARK: shutdown

    private func shutdown() {
        guard !finished else { return }
        finished = true
        isShuttingDown = true
        lock.lock()
        acceptingWork = false
        queued.removeAll()
        lock.unlock()
        flushDirty()
        // Close every resource; their close callbacks run in the NOWAIT turns. A close callback may
        // close others (never open new ones: isShuttingDown), so repeat a few rounds.
        var rounds = 0
        while !resources.isEmpty && rounds < 16 {
            for r in Array(resources.values) { r.shutdownClose() }
            uv_run(raw, UV_RUN_NOWAIT)
            rounds += 1
        }
        resources.removeAll()
        uv_close(UnsafeMutableRawPointer(async).assumingMemoryBound(to: uv_handle_t.self), nil)
        uv_close(UnsafeMutableRawPointer(prepare).assumingMemoryBound(to: uv_handle_t.self), nil)
        // Let every close callback run.
        uv_walk(raw, { h, _ in
            guard let h, uv_is_closing(h) == 0 else { return }
            uv_close(h, nil)
        }, nil)
        uv_run(raw, UV_RUN_DEFAULT)
    }
}

/// A timer made by `EventLoop.schedule`. Loop thread only (see EventLoop).
public final class LoopTimer: LoopResource, @unchecked Sendable {
    private let loop: EventLoop
    private var handle: UnsafeMutablePointer<uv_timer_t>?
    private var work: (() -> Void)?
    private var repeats = false
    public private(set) var isCancelled = false

    init(loop: EventLoop, work: @escaping () -> Void) {
        self.loop = loop
        self.work = work
    }

    func start(after: UInt64, repeat rep: UInt64) {
        guard !loop.isShuttingDown else { isCancelled = true; work = nil; return }
        let h = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        uv_timer_init(loop.raw, h)
        h.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        handle = h
        repeats = rep > 0
        loop.register(self)
        uv_timer_start(h, { h in
            guard let h, let d = h.pointee.data else { return }
            Unmanaged<LoopTimer>.fromOpaque(d).takeUnretainedValue().fire()
        }, after, rep)
    }

    private func fire() {
        let w = work
        if !repeats { cancel() }
        w?()
    }

    /// Stops the timer (idempotent).
    public func cancel() {
        isCancelled = true
        work = nil
        guard let h = handle else { return }
        handle = nil
        uv_timer_stop(h)
        closeHandle(h) { [self] in loop.unregister(self) }
    }

    func shutdownClose() { cancel() }
}

final class SignalWatcher: LoopResource {
    private let loop: EventLoop
    private var handle: UnsafeMutablePointer<uv_signal_t>?
    private let handler: () -> Void

    init(loop: EventLoop, handler: @escaping () -> Void) {
        self.loop = loop
        self.handler = handler
    }

    func start(_ signum: Int32) {
        guard !loop.isShuttingDown else { return }
        let h = UnsafeMutablePointer<uv_signal_t>.allocate(capacity: 1)
        uv_signal_init(loop.raw, h)
        h.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        handle = h
        loop.register(self)
        uv_signal_start(h, { h, _ in
            guard let h, let d = h.pointee.data else { return }
            Unmanaged<SignalWatcher>.fromOpaque(d).takeUnretainedValue().handler()
        }, signum)
    }

    func shutdownClose() {
        guard let h = handle else { return }
        handle = nil
        uv_signal_stop(h)
        closeHandle(h) { [self] in loop.unregister(self) }
    }
}

/// Unblocks `signum` on the calling (loop) thread: a mask inherited from a thread that blocked it
/// (e.g. a dispatch worker) would otherwise hide it from libuv's handler.
func unblockSignal(_ signum: Int32) {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, signum)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// Boxed completion for `uv_close`, so each handle's memory is freed in its own close callback.
private final class CloseBox {
    let done: () -> Void
    let free: () -> Void
    init(done: @escaping () -> Void, free: @escaping () -> Void) { self.done = done; self.free = free }
}

/// Closes a handle we allocated; frees it and runs `done` in the close callback.
func closeHandle<H>(_ h: UnsafeMutablePointer<H>, _ done: @escaping () -> Void) {
    let raw = UnsafeMutableRawPointer(h).assumingMemoryBound(to: uv_handle_t.self)
    let box = CloseBox(done: done, free: { h.deallocate() })
    raw.pointee.data = Unmanaged.passRetained(box).toOpaque()
    uv_close(raw) { h in
        guard let h, let d = h.pointee.data else { return }
        let box = Unmanaged<CloseBox>.fromOpaque(d).takeRetainedValue()
        box.free()
        box.done()
    }
}

/// Views a concrete handle pointer as the base handle type.
@inline(__always) func asHandle<H>(_ h: UnsafeMutablePointer<H>) -> UnsafeMutablePointer<uv_handle_t> {
    UnsafeMutableRawPointer(h).assumingMemoryBound(to: uv_handle_t.self)
}

/// Views a concrete stream handle pointer as `uv_stream_t`.
@inline(__always) func asStream<H>(_ h: UnsafeMutablePointer<H>) -> UnsafeMutablePointer<uv_stream_t> {
    UnsafeMutableRawPointer(h).assumingMemoryBound(to: uv_stream_t.self)
}
